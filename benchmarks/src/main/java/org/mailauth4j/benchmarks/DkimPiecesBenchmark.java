package org.mailauth4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.mailauth4j.dkim.BenchmarkAccess;
import org.mailauth4j.dkim.Canonicalization;
import org.mailauth4j.dkim.DkimSignature;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dns.DnsQuery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The steps of a verification, one at a time, to see where the time goes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimPiecesBenchmark {

  /** {@code ALGORITHM/BODY_BYTES}, as in {@link DkimVerifyBenchmark}. */
  @Param({"RSA/2048", "RSA/20480", "RSA/204800", "ED25519/2048"})
  public String message;

  private byte[] bytes;
  private MessageHeader header;
  private DkimSignature signature;
  private String signatureValue;
  private String keyRecord;
  private final BenchmarkAccess.Sink sink = new BenchmarkAccess.Sink();

  /** Prepares the message, its parsed header and its key record. */
  @Setup
  public void setUp() {
    bytes = DkimVerifyBenchmark.load(message);
    header = BenchmarkAccess.header(bytes);
    signatureValue = BenchmarkAccess.signatureValue(header);
    signature = DkimSignature.parse(signatureValue);
    keyRecord =
        BenchmarkMessages.keys().lookup(DnsQuery.txt(signature.keyName())).records().get(0).text();
  }

  /** Splitting the header into fields. */
  @Benchmark
  public MessageHeader headerParse() {
    return BenchmarkAccess.header(bytes);
  }

  /** Selecting and canonicalizing the signed header fields and the signature field. */
  @Benchmark
  public int headerCanonicalization() {
    return BenchmarkAccess.headerData(header, signature, sink);
  }

  /** Relaxed body canonicalization and SHA-256, streaming. */
  @Benchmark
  public byte[] bodyCanonicalizationAndHash() {
    return BenchmarkAccess.bodyHash(header, bytes, Canonicalization.RELAXED);
  }

  /** Parsing and checking the DKIM-Signature tag-list. */
  @Benchmark
  public DkimSignature tagListParse() {
    return DkimSignature.parse(signatureValue);
  }

  /** Parsing the key record and decoding its key (done once per key, then cached). */
  @Benchmark
  public Object keyParse() {
    return BenchmarkAccess.decodeKey(keyRecord);
  }
}
