package org.mailauth4j.benchmarks;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.mailauth4j.dkim.BenchmarkAccess;
import org.mailauth4j.dkim.Canonicalization;
import org.mailauth4j.dkim.DkimSignature;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.MessageHeader;
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
 * DKIM signing against the JCA signing floor: signing the same header data with the same kind of
 * key, plus SHA-256 of the canonical body.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimSignBenchmark {

  /** {@code ALGORITHM/BODY_BYTES[/SHAPE]}, the shape text unless named. */
  @Param({
    "RSA/2048",
    "RSA/20480",
    "ED25519/2048",
    "ED25519/20480",
    "RSA/20480/base64",
    "RSA/20480/html",
    "ED25519/20480/base64",
    "ED25519/20480/html"
  })
  public String message;

  private byte[] unsigned;
  private DkimSigner signer;
  private byte[] headerData;
  private byte[] canonicalBody;
  private boolean rsa;
  private PrivateKey rsaKey;
  private byte[] edSeed;
  private final byte[] edPublic = new byte[Ed25519.PUBLIC_KEY_SIZE];

  /** Generates the message and keys, and the floor's inputs from a signature made once. */
  @Setup
  public void setUp() throws Exception {
    String[] parts = message.split("/");
    rsa = parts[0].equals("RSA");
    unsigned =
        BenchmarkMessages.unsigned(
            Integer.parseInt(parts[1]),
            99,
            parts.length > 2 ? BenchmarkMessages.Shape.of(parts[2]) : BenchmarkMessages.Shape.TEXT);
    DkimSigningKey key;
    if (rsa) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      rsaKey = pair.getPrivate();
      key = DkimSigningKey.of(pair);
    } else {
      edSeed = new byte[32];
      new SecureRandom().nextBytes(edSeed);
      Ed25519.generatePublicKey(edSeed, 0, edPublic, 0);
      key = DkimSigningKey.ofEd25519Seed(edSeed);
    }
    signer =
        DkimSigner.builder()
            .key(BenchmarkMessages.DOMAIN, "s", key)
            .clock(BenchmarkMessages.CLOCK)
            .build();
    byte[] signed = signer.signMessage(unsigned);
    MessageHeader header = BenchmarkAccess.header(signed);
    DkimSignature sig = DkimSignature.parse(BenchmarkAccess.signatureValue(header));
    BenchmarkAccess.Sink sink = new BenchmarkAccess.Sink();
    BenchmarkAccess.headerData(header, sig, sink);
    headerData = sink.toByteArray();
    canonicalBody = BenchmarkAccess.canonicalBody(unsigned, Canonicalization.RELAXED);
  }

  /** mailauth4j: parse, canonicalize, hash, choose headers, sign, format the field. */
  @Benchmark
  public List<String> mailauth4j() {
    return signer.sign(unsigned);
  }

  /** The floor: SHA-256 of the canonical body and the signature over the header data. */
  @Benchmark
  public byte[] jcaFloor(Blackhole blackhole) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    blackhole.consume(sha256.digest(canonicalBody));
    if (!rsa) {
      byte[] dataHash = sha256.digest(headerData);
      byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
      Ed25519.sign(edSeed, 0, edPublic, 0, dataHash, 0, dataHash.length, sig, 0);
      return sig;
    }
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(rsaKey);
    signature.update(headerData);
    return signature.sign();
  }
}
