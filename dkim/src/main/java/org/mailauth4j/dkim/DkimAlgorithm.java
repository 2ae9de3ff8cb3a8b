package org.mailauth4j.dkim;

import java.util.Locale;
import java.util.Optional;

/** The signing algorithms of DKIM ({@code a=}), with their key type and hash. */
public enum DkimAlgorithm {
  /** RSA with SHA-256 (RFC 6376 §3.3.1); the common algorithm. */
  RSA_SHA256("rsa-sha256", "rsa", "sha256"),
  /** Ed25519 over the SHA-256 hash of the header data (RFC 8463). */
  ED25519_SHA256("ed25519-sha256", "ed25519", "sha256"),
  /**
   * RSA with SHA-1: historic. RFC 8301 §3.1 forbids signing and verifying with it; verifiers refuse
   * it unless told otherwise, and signers never use it.
   */
  RSA_SHA1("rsa-sha1", "rsa", "sha1");

  private final String token;
  private final String keyType;
  private final String hash;

  DkimAlgorithm(String token, String keyType, String hash) {
    this.token = token;
    this.keyType = keyType;
    this.hash = hash;
  }

  /**
   * Returns the {@code a=} value.
   *
   * @return such as {@code rsa-sha256}
   */
  public String token() {
    return token;
  }

  /**
   * Returns the key type a key record must declare in {@code k=} for this algorithm.
   *
   * @return {@code rsa} or {@code ed25519}
   */
  public String keyType() {
    return keyType;
  }

  /**
   * Returns the hash name a key record's {@code h=} must allow for this algorithm.
   *
   * @return {@code sha256} or {@code sha1}
   */
  public String hash() {
    return hash;
  }

  /**
   * Finds the algorithm for an {@code a=} value, ignoring case.
   *
   * @param token such as {@code rsa-sha256}
   * @return the algorithm, or empty for one DKIM does not define
   */
  public static Optional<DkimAlgorithm> fromToken(String token) {
    String lower = token.toLowerCase(Locale.ROOT);
    for (DkimAlgorithm a : values()) {
      if (a.token.equals(lower)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
