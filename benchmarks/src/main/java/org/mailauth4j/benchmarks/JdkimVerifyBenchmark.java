package org.mailauth4j.benchmarks;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The peer baseline: Apache James jDKIM verifying the same RSA messages, with the key served from
 * memory. jDKIM has no Ed25519, so only RSA messages are measured. Its verifier keeps results, so
 * each thread has its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdkimVerifyBenchmark {

  /** The same message names as {@link DkimVerifyBenchmark}, RSA only. */
  @Param({"RSA/2048", "RSA/20480", "RSA/204800"})
  public String message;

  private byte[] bytes;
  private DKIMVerifier verifier;

  /** Loads the message and checks that jDKIM verifies it. */
  @Setup
  public void setUp() throws Exception {
    bytes = DkimVerifyBenchmark.load(message);
    verifier = new DKIMVerifier(fromMemory(BenchmarkMessages.keys()));
    if (jdkim().isEmpty()) {
      throw new IllegalStateException("jDKIM does not verify " + message);
    }
  }

  /** jDKIM's key lookup answered from a resolver of ours, as the peer comparison needs too. */
  static PublicKeyRecordRetriever fromMemory(DnsResolver keys) {
    return (method, selector, token) ->
        keys
            .lookup(DnsQuery.txt(DomainName.parse(selector + "._domainkey." + token)))
            .records()
            .stream()
            .map(TxtRecord::text)
            .toList();
  }

  /** jDKIM: the whole verification, as its users call it. */
  @Benchmark
  public List<SignatureRecord> jdkim() throws Exception {
    verifier.resetResults();
    return verifier.verify(new ByteArrayInputStream(bytes));
  }
}
