package org.mailauth4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
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
 * Full DKIM verification against the cryptographic floor for the same message ({@link
 * VerificationFloor}): nothing a DKIM verifier does can cost less than the floor.
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

  private VerificationFloor floor;

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
    floor = VerificationFloor.of(bytes, keys, verification);
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
    return floor.run(blackhole::consume);
  }
}
