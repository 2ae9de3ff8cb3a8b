package org.mailauth4j.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A key record with its public key decoded and ready to verify: the JDK's RSA (the fastest RSA in
 * the JVM) or Bouncy Castle's Ed25519 with the point decoded once (the JDK 17 provider is several
 * times slower). Immutable and thread-safe; cached by record text.
 */
final class VerificationKey {
  private final DkimKeyRecord record;
  private final PublicKey rsa;
  private final Ed25519.PublicPoint ed25519;
  private final int bits;

  private VerificationKey(DkimKeyRecord record, PublicKey rsa, Ed25519.PublicPoint ed, int bits) {
    this.record = record;
    this.rsa = rsa;
    this.ed25519 = ed;
    this.bits = bits;
  }

  /**
   * Decodes the key of a record. A revoked key and a key type other than rsa and ed25519 decode to
   * a key that verifies nothing; the verifier reports those before trying.
   *
   * @throws DkimSyntaxException with {@link DkimProblem#KEY_MALFORMED} if {@code p=} does not hold
   *     a key of the declared type
   */
  static VerificationKey decode(DkimKeyRecord record, String text) {
    if (record.isRevoked()) {
      return new VerificationKey(record, null, null, 0);
    }
    byte[] p = record.publicKeyBytes();
    switch (record.keyType()) {
      case "rsa":
        RSAPublicKey key = rsa(p, text);
        return new VerificationKey(record, key, null, key.getModulus().bitLength());
      case "ed25519":
        // RFC 8463 §4.2: p= is the raw 32-octet public key, not a SubjectPublicKeyInfo.
        Ed25519.PublicPoint point =
            p.length == Ed25519.PUBLIC_KEY_SIZE
                ? Ed25519.validatePublicKeyPartialExport(p, 0)
                : null;
        if (point == null) {
          throw malformed(text, "p= is not an Ed25519 public key (" + p.length + " octets)");
        }
        return new VerificationKey(record, null, point, 256);
      default:
        return new VerificationKey(record, null, null, 0);
    }
  }

  /**
   * RFC 6376 §3.6.1 says RSAPublicKey (PKCS#1), but records and the RFC's own example hold a
   * SubjectPublicKeyInfo: accept both (erratum 3017).
   */
  private static RSAPublicKey rsa(byte[] p, String text) {
    KeyFactory factory;
    try {
      factory = KeyFactory.getInstance("RSA");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no RSA", e);
    }
    try {
      return (RSAPublicKey) factory.generatePublic(new X509EncodedKeySpec(p));
    } catch (GeneralSecurityException | RuntimeException notSpki) {
      try {
        org.bouncycastle.asn1.pkcs.RSAPublicKey pkcs1 =
            org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(p);
        return (RSAPublicKey)
            factory.generatePublic(
                new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
      } catch (GeneralSecurityException | RuntimeException notPkcs1) {
        throw malformed(text, "p= is neither a SubjectPublicKeyInfo nor a PKCS#1 RSA key");
      }
    }
  }

  private static DkimSyntaxException malformed(String text, String reason) {
    int at = text.indexOf("p=");
    return new DkimSyntaxException(text, Math.max(at, 0), DkimProblem.KEY_MALFORMED, reason);
  }

  DkimKeyRecord record() {
    return record;
  }

  /** The RSA modulus length, 256 for Ed25519, 0 for a revoked key or unknown type. */
  int bits() {
    return bits;
  }

  boolean isRsa() {
    return rsa != null;
  }

  /**
   * Checks a signature over canonicalized header data.
   *
   * @param data the data hashed as RFC 6376 §3.7 says
   */
  boolean verify(DkimAlgorithm algorithm, byte[] data, int len, byte[] signature) {
    try {
      if (algorithm == DkimAlgorithm.ED25519_SHA256) {
        if (ed25519 == null || signature.length != Ed25519.SIGNATURE_SIZE) {
          return false;
        }
        // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data, not the data.
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(data, 0, len);
        byte[] hash = sha256.digest();
        return Ed25519.verify(signature, 0, ed25519, hash, 0, hash.length);
      }
      if (rsa == null) {
        return false;
      }
      Signature verifier =
          Signature.getInstance(
              algorithm == DkimAlgorithm.RSA_SHA1 ? "SHA1withRSA" : "SHA256withRSA");
      verifier.initVerify(rsa);
      verifier.update(data, 0, len);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // such as a signature of the wrong length for the modulus
    }
  }
}
