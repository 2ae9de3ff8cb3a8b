package org.mailauth4j.benchmarks;

import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.mailauth4j.dkim.BenchmarkAccess;
import org.mailauth4j.dkim.Canonicalization;
import org.mailauth4j.dkim.DkimAlgorithm;
import org.mailauth4j.dkim.DkimKeyRecord;
import org.mailauth4j.dkim.DkimSignature;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;

/**
 * The cryptographic floor of verifying one message: the signature check of each passing signature's
 * header data with the fastest in-JVM provider (the JDK for RSA, Bouncy Castle with a decoded point
 * for Ed25519) plus SHA-256 of the already canonicalized body, once per canonicalization in use, as
 * the verifier shares them. Nothing a DKIM verifier does can cost less.
 */
public final class VerificationFloor {
  private final Check[] checks;
  private final byte[][] canonicalBodies;

  /** What checking one signature takes, with the key decoded as the verifier's cache holds it. */
  private record Check(
      DkimAlgorithm algorithm,
      byte[] headerData,
      byte[] signature,
      PublicKey rsaKey,
      Ed25519.PublicPoint edKey) {}

  private VerificationFloor(Check[] checks, byte[][] canonicalBodies) {
    this.checks = checks;
    this.canonicalBodies = canonicalBodies;
  }

  /**
   * Prepares the floor of a message from a verification of it: the signatures that passed there.
   *
   * @param message the message
   * @param keys where its key records are
   * @param verification mailauth4j's verification of it, outcomes in the order of the fields
   * @return the floor, checked to verify every one of those signatures
   * @throws Exception if a key cannot be decoded, or the floor does not verify
   */
  public static VerificationFloor of(
      byte[] message, DnsResolver keys, DkimVerification verification) throws Exception {
    MessageHeader header = BenchmarkAccess.header(message);
    int[] fields = BenchmarkAccess.signatureFields(header);
    List<Check> checks = new ArrayList<>();
    Set<Canonicalization> bodies = new LinkedHashSet<>();
    for (int i = 0; i < fields.length; i++) {
      if (!verification.outcomes().get(i).isPass()) {
        continue;
      }
      DkimSignature sig = DkimSignature.parse(BenchmarkAccess.signatureValue(header, fields[i]));
      BenchmarkAccess.Sink sink = new BenchmarkAccess.Sink();
      BenchmarkAccess.headerData(header, fields[i], sig, sink);
      String record = keys.lookup(DnsQuery.txt(sig.keyName())).records().get(0).text();
      byte[] p = DkimKeyRecord.parse(record).publicKeyBytes();
      boolean ed = sig.algorithm() == DkimAlgorithm.ED25519_SHA256;
      checks.add(
          new Check(
              sig.algorithm(),
              sink.toByteArray(),
              sig.signatureBytes(),
              ed ? null : rsaPublicKey(p),
              ed ? Ed25519.validatePublicKeyPartialExport(p, 0) : null));
      bodies.add(sig.bodyCanonicalization());
    }
    VerificationFloor floor =
        new VerificationFloor(
            checks.toArray(new Check[0]),
            bodies.stream()
                .map(c -> BenchmarkAccess.canonicalBody(message, c))
                .toArray(byte[][]::new));
    if (!floor.run(digest -> {})) {
      throw new IllegalStateException("the floor does not verify the message");
    }
    return floor;
  }

  /** A SubjectPublicKeyInfo, or the PKCS#1 form some records hold (RFC 6376 erratum 3017). */
  private static PublicKey rsaPublicKey(byte[] p) throws Exception {
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    try {
      return rsa.generatePublic(new X509EncodedKeySpec(p));
    } catch (InvalidKeySpecException notSpki) {
      org.bouncycastle.asn1.pkcs.RSAPublicKey pkcs1 =
          org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(p);
      return rsa.generatePublic(
          new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
    }
  }

  /**
   * One pass of the floor.
   *
   * @param digests receives each body digest, so that no compiler can drop the hashing
   * @return whether every signature verified
   * @throws Exception if a provider fails
   */
  public boolean run(Consumer<byte[]> digests) throws Exception {
    for (byte[] body : canonicalBodies) {
      digests.accept(MessageDigest.getInstance("SHA-256").digest(body));
    }
    boolean all = true;
    for (Check c : checks) {
      if (c.algorithm() == DkimAlgorithm.ED25519_SHA256) {
        byte[] dataHash = MessageDigest.getInstance("SHA-256").digest(c.headerData());
        all &= Ed25519.verify(c.signature(), 0, c.edKey(), dataHash, 0, dataHash.length);
      } else {
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(c.rsaKey());
        rsa.update(c.headerData());
        all &= rsa.verify(c.signature());
      }
    }
    return all;
  }
}
