package org.mailauth4j.benchmarks;

import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.mailauth4j.dkim.BenchmarkAccess;
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
 * of the header data with the fastest in-JVM provider (the JDK for RSA, Bouncy Castle with a
 * decoded point for Ed25519) plus SHA-256 of the already canonicalized body. Nothing a DKIM
 * verifier does can cost less than the floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimVerifyBenchmark {

  /** {@code ALGORITHM/BODY_BYTES} for generated messages, or a file name in corpus mode. */
  @Param({"RSA/2048", "RSA/20480", "RSA/204800", "ED25519/2048", "ED25519/20480", "ED25519/204800"})
  public String message;

  private byte[] bytes;
  private DkimVerifier verifier;

  private byte[] headerData;
  private byte[] canonicalBody;
  private byte[] signature;
  private DkimAlgorithm algorithm;
  private PublicKey rsaKey;
  private Ed25519.PublicPoint edKey;

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

    MessageHeader header = BenchmarkAccess.header(bytes);
    DkimSignature sig = DkimSignature.parse(BenchmarkAccess.signatureValue(header));
    BenchmarkAccess.Sink sink = new BenchmarkAccess.Sink();
    BenchmarkAccess.headerData(header, sig, sink);
    headerData = sink.toByteArray();
    canonicalBody = BenchmarkAccess.canonicalBody(bytes, sig.bodyCanonicalization());
    signature = sig.signatureBytes();
    algorithm = sig.algorithm();
    String record = keys.lookup(DnsQuery.txt(sig.keyName())).records().get(0).text();
    byte[] p = DkimKeyRecord.parse(record).publicKeyBytes();
    if (algorithm == DkimAlgorithm.ED25519_SHA256) {
      edKey = Ed25519.validatePublicKeyPartialExport(p, 0);
    } else {
      rsaKey = rsaPublicKey(p);
    }
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
    int slash = message.indexOf('/');
    if (slash < 0) {
      return BenchmarkMessages.corpusFile(message);
    }
    return BenchmarkMessages.signed(
        message.substring(0, slash), Integer.parseInt(message.substring(slash + 1)));
  }

  /** mailauth4j: parse, canonicalize, hash, fetch the key from memory, check the signature. */
  @Benchmark
  public DkimVerification mailauth4j() {
    return verifier.verify(bytes);
  }

  /** The floor: SHA-256 of the canonical body, and the signature check of the header data. */
  @Benchmark
  public boolean cryptoFloor(Blackhole blackhole) throws Exception {
    blackhole.consume(MessageDigest.getInstance("SHA-256").digest(canonicalBody));
    return floorSignatureCheck();
  }

  private boolean floorSignatureCheck() throws Exception {
    if (algorithm == DkimAlgorithm.ED25519_SHA256) {
      byte[] dataHash = MessageDigest.getInstance("SHA-256").digest(headerData);
      return Ed25519.verify(signature, 0, edKey, dataHash, 0, dataHash.length);
    }
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(rsaKey);
    rsa.update(headerData);
    return rsa.verify(signature);
  }
}
