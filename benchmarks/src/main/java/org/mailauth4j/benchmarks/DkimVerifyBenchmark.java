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
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.mailauth4j.dkim.BenchmarkAccess;
import org.mailauth4j.dkim.Canonicalization;
import org.mailauth4j.dkim.DkimAlgorithm;
import org.mailauth4j.dkim.DkimKeyRecord;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSignature;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Full DKIM verification against the cryptographic floor for the same message: the signature check
 * of each passing signature's header data with the fastest in-JVM provider (the JDK for RSA, Bouncy
 * Castle with a decoded point for Ed25519) plus SHA-256 of the already canonicalized body, once per
 * canonicalization in use, as the verifier shares them. Nothing a DKIM verifier does can cost less
 * than the floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimVerifyBenchmark {

  /**
   * {@code ALGORITHM/BODY_BYTES[/SHAPE]} for generated messages (the shape is text unless named;
   * see {@link BenchmarkMessages.Shape}), or a file name in corpus mode.
   */
  @Param({
    "RSA/2048",
    "RSA/20480",
    "RSA/204800",
    "ED25519/2048",
    "ED25519/20480",
    "ED25519/204800",
    "RSA/20480/base64",
    "RSA/20480/html",
    "RSA/2048/headers",
    "ED25519/20480/base64",
    "ED25519/20480/html",
    "ED25519/2048/headers",
    "DUAL/20480",
    "DUAL/204800"
  })
  public String message;

  private byte[] bytes;
  private DkimVerifier verifier;

  /** The floor's inputs: every passing signature, and the body once per canonicalization. */
  private FloorSignature[] signatures;

  private byte[][] canonicalBodies;

  /** What checking one signature takes, with the key decoded as the verifier's cache holds it. */
  private record FloorSignature(
      DkimAlgorithm algorithm,
      byte[] headerData,
      byte[] signature,
      PublicKey rsaKey,
      Ed25519.PublicPoint edKey) {}

  /** Signs (or reads) the message and prepares the floor's inputs. */
  @Setup
  public void setUp() throws Exception {
    bytes = load(message);
    DnsResolver keys = BenchmarkMessages.keys();
    verifier = DkimVerifier.builder(keys).clock(BenchmarkMessages.CLOCK).build();
    DkimVerification verification = verifier.verify(bytes);
    if (verification.result() != DkimResult.PASS || !verification.outcomes().get(0).isPass()) {
      throw new IllegalStateException(message + " does not verify: " + verification);
    }

    // The verifier's outcomes are in the order of the fields, top first.
    MessageHeader header = BenchmarkAccess.header(bytes);
    int[] fields = BenchmarkAccess.signatureFields(header);
    List<FloorSignature> floor = new ArrayList<>();
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
      floor.add(
          new FloorSignature(
              sig.algorithm(),
              sink.toByteArray(),
              sig.signatureBytes(),
              ed ? null : rsaPublicKey(p),
              ed ? Ed25519.validatePublicKeyPartialExport(p, 0) : null));
      bodies.add(sig.bodyCanonicalization());
    }
    signatures = floor.toArray(new FloorSignature[0]);
    canonicalBodies =
        bodies.stream().map(c -> BenchmarkAccess.canonicalBody(bytes, c)).toArray(byte[][]::new);
    if (!floorSignatureCheck()) {
      throw new IllegalStateException("the floor does not verify " + message);
    }
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

  static byte[] load(String message) {
    String[] parts = message.split("/");
    if (parts.length == 1) {
      return BenchmarkMessages.corpusFile(message);
    }
    return BenchmarkMessages.signed(
        parts[0],
        Integer.parseInt(parts[1]),
        parts.length > 2 ? BenchmarkMessages.Shape.of(parts[2]) : BenchmarkMessages.Shape.TEXT);
  }

  /** mailauth4j: parse, canonicalize, hash, fetch the key from memory, check the signature. */
  @Benchmark
  public DkimVerification mailauth4j() {
    return verifier.verify(bytes);
  }

  /** The floor: SHA-256 of the canonical body, and the check of every signature's header data. */
  @Benchmark
  public boolean cryptoFloor(Blackhole blackhole) throws Exception {
    for (byte[] body : canonicalBodies) {
      blackhole.consume(MessageDigest.getInstance("SHA-256").digest(body));
    }
    return floorSignatureCheck();
  }

  private boolean floorSignatureCheck() throws Exception {
    boolean all = true;
    for (FloorSignature f : signatures) {
      if (f.algorithm() == DkimAlgorithm.ED25519_SHA256) {
        byte[] dataHash = MessageDigest.getInstance("SHA-256").digest(f.headerData());
        all &= Ed25519.verify(f.signature(), 0, f.edKey(), dataHash, 0, dataHash.length);
      } else {
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(f.rsaKey());
        rsa.update(f.headerData());
        all &= rsa.verify(f.signature());
      }
    }
    return all;
  }
}
