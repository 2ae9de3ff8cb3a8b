package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;

/**
 * A private key for DKIM signing, RSA or Ed25519, with the public key record to publish for it.
 *
 * <p>Load one from PEM ({@link #fromPem}: PKCS#8 {@code PRIVATE KEY} for RSA or Ed25519, or PKCS#1
 * {@code RSA PRIVATE KEY}), from a JCA key ({@link #of(PrivateKey)}, {@link #of(KeyPair)}), from a
 * raw Ed25519 seed ({@link #ofEd25519Seed}), or generate one. Then publish {@link #keyRecord()} at
 * {@code <selector>._domainkey.<domain>}.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} never shows key material.
 */
public final class DkimSigningKey {
  private final DkimAlgorithm algorithm;
  private final PrivateKey rsa;
  private final byte[] ed25519Seed;

  /** SubjectPublicKeyInfo for RSA, the raw 32 octets for Ed25519 (RFC 8463 §4.2). */
  private final byte[] publicKey;

  private final int bits;

  private DkimSigningKey(
      DkimAlgorithm algorithm, PrivateKey rsa, byte[] seed, byte[] publicKey, int bits) {
    this.algorithm = algorithm;
    this.rsa = rsa;
    this.ed25519Seed = seed;
    this.publicKey = publicKey;
    this.bits = bits;
  }

  /**
   * Reads a private key in PEM form.
   *
   * @param pem a {@code PRIVATE KEY} (PKCS#8, RSA or Ed25519) or {@code RSA PRIVATE KEY} (PKCS#1)
   *     block
   * @return the key
   * @throws IllegalArgumentException if the text holds no unencrypted RSA or Ed25519 private key
   */
  public static DkimSigningKey fromPem(String pem) {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(requireNonNull(pem, "pem")))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
    }
    if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new IllegalArgumentException("encrypted private keys are not supported; decrypt it");
    }
    PrivateKeyInfo info;
    if (parsed instanceof PEMKeyPair) {
      info = ((PEMKeyPair) parsed).getPrivateKeyInfo();
    } else if (parsed instanceof PrivateKeyInfo) {
      info = (PrivateKeyInfo) parsed;
    } else {
      throw new IllegalArgumentException(
          "no private key in the PEM text"
              + (parsed == null ? "" : " (found " + parsed.getClass().getSimpleName() + ")"));
    }
    return fromPrivateKeyInfo(info);
  }

  private static DkimSigningKey fromPrivateKeyInfo(PrivateKeyInfo info) {
    try {
      AsymmetricKeyParameter params = PrivateKeyFactory.createKey(info);
      if (params instanceof Ed25519PrivateKeyParameters) {
        return ofEd25519Seed(((Ed25519PrivateKeyParameters) params).getEncoded());
      }
      return of(new JcaPEMKeyConverter().getPrivateKey(info));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unusable private key: " + e.getMessage(), e);
    }
  }

  /**
   * Wraps a JCA private key: an RSA key with its CRT parameters (as key files and key generators
   * give), or an Ed25519 key from any provider.
   *
   * @param key the private key
   * @return the signing key
   * @throws IllegalArgumentException for another kind of key, or an RSA key without the public
   *     exponent (use {@link #of(KeyPair)})
   */
  public static DkimSigningKey of(PrivateKey key) {
    requireNonNull(key, "key");
    if (key instanceof RSAPrivateCrtKey) {
      RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
      return rsa(key, publicRsa(crt.getModulus(), crt.getPublicExponent()));
    }
    String alg = key.getAlgorithm();
    if ("Ed25519".equalsIgnoreCase(alg) || "EdDSA".equalsIgnoreCase(alg)) {
      byte[] encoded = key.getEncoded();
      if (encoded == null) {
        throw new IllegalArgumentException("the Ed25519 key cannot be exported");
      }
      return fromPrivateKeyInfo(PrivateKeyInfo.getInstance(encoded));
    }
    if ("RSA".equalsIgnoreCase(alg)) {
      throw new IllegalArgumentException(
          "an RSA key without its public exponent cannot make a key record: use of(KeyPair)");
    }
    throw new IllegalArgumentException("DKIM signs with RSA or Ed25519 keys, not " + alg);
  }

  /**
   * Wraps a JCA key pair, RSA or Ed25519.
   *
   * @param pair the key pair
   * @return the signing key
   */
  public static DkimSigningKey of(KeyPair pair) {
    if (pair.getPublic() instanceof RSAPublicKey) {
      return rsa(pair.getPrivate(), (RSAPublicKey) pair.getPublic());
    }
    return of(pair.getPrivate());
  }

  /**
   * Creates an Ed25519 key from its 32-octet private seed (RFC 8032 §5.1.5), the form some tools
   * store base64-encoded.
   *
   * @param seed the 32-octet private key
   * @return the signing key
   */
  public static DkimSigningKey ofEd25519Seed(byte[] seed) {
    if (requireNonNull(seed, "seed").length != Ed25519.SECRET_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 octets, not " + seed.length);
    }
    byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pub, 0);
    return new DkimSigningKey(DkimAlgorithm.ED25519_SHA256, null, seed.clone(), pub, 256);
  }

  /**
   * Generates a new RSA key.
   *
   * @param bits the modulus size; 2048 or more is advised (RFC 8301 §3.2)
   * @return the signing key
   */
  public static DkimSigningKey generateRsa(int bits) {
    if (bits < 1024) {
      throw new IllegalArgumentException("RSA keys under 1024 bits are forbidden (RFC 8301)");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return of(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate RSA keys", e);
    }
  }

  /**
   * Generates a new Ed25519 key.
   *
   * @return the signing key
   */
  public static DkimSigningKey generateEd25519() {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    new SecureRandom().nextBytes(seed);
    return ofEd25519Seed(seed);
  }

  private static DkimSigningKey rsa(PrivateKey key, RSAPublicKey pub) {
    return new DkimSigningKey(
        DkimAlgorithm.RSA_SHA256, key, null, pub.getEncoded(), pub.getModulus().bitLength());
  }

  private static RSAPublicKey publicRsa(BigInteger modulus, BigInteger exponent) {
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable RSA key: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the algorithm this key signs with.
   *
   * @return {@link DkimAlgorithm#RSA_SHA256} or {@link DkimAlgorithm#ED25519_SHA256}
   */
  public DkimAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Returns the key size.
   *
   * @return the RSA modulus length in bits, or 256 for Ed25519
   */
  public int bits() {
    return bits;
  }

  /**
   * Returns the public key record to publish as TXT at {@code <selector>._domainkey.<domain>}.
   *
   * @return such as {@code v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=}
   */
  public String keyRecord() {
    return "v=DKIM1; k="
        + algorithm.keyType()
        + "; p="
        + Base64.getEncoder().encodeToString(publicKey);
  }

  /**
   * Returns the key record as a zone-file line, split into character-strings of at most 255 octets,
   * ready to paste into a zone.
   *
   * @param domain the signing domain
   * @param selector the selector
   * @return such as {@code s1._domainkey.example.com. IN TXT "v=DKIM1; k=rsa; p=MIIB..." "..."}
   */
  public String zoneFileRecord(DomainName domain, String selector) {
    DomainName owner = domain.prepend(selector + "._domainkey");
    return owner.toAbsoluteString() + " IN TXT " + TxtRecord.split(keyRecord());
  }

  /**
   * Returns the private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), the form {@link
   * #fromPem} reads and OpenSSL writes: for storing a generated key. The text is key material; keep
   * it as secret as the key.
   *
   * @return the PEM text, ending with a line break
   */
  public String toPem() {
    byte[] der;
    if (algorithm == DkimAlgorithm.ED25519_SHA256) {
      try {
        der =
            PrivateKeyInfoFactory.createPrivateKeyInfo(
                    new Ed25519PrivateKeyParameters(ed25519Seed, 0))
                .getEncoded();
      } catch (IOException e) {
        throw new IllegalStateException("the Ed25519 key cannot be encoded", e);
      }
    } else {
      der = rsa.getEncoded();
      if (der == null) {
        throw new IllegalStateException("the RSA key cannot be exported from its provider");
      }
    }
    StringWriter out = new StringWriter();
    try (PemWriter pem = new PemWriter(out)) {
      pem.writeObject(new PemObject("PRIVATE KEY", der));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** Signs data as the key's algorithm requires: Ed25519 signs its SHA-256 hash (RFC 8463 §3). */
  byte[] sign(byte[] data, int len) {
    try {
      if (algorithm == DkimAlgorithm.ED25519_SHA256) {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(data, 0, len);
        byte[] hash = sha256.digest();
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        // Passing the public key spares Bouncy Castle deriving it again for every signature.
        Ed25519.sign(ed25519Seed, 0, publicKey, 0, hash, 0, hash.length, sig, 0);
        return sig;
      }
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(rsa);
      signer.update(data, 0, len);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }

  /**
   * Describes the key without its material, such as {@code DkimSigningKey[rsa-sha256, 2048 bits]}.
   */
  @Override
  public String toString() {
    return "DkimSigningKey[" + algorithm.token() + ", " + bits + " bits]";
  }
}
