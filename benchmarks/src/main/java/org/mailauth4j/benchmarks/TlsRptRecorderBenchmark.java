package org.mailauth4j.benchmarks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MtaStsMode;
import org.mailauth4j.mtasts.MtaStsPolicy;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptPolicy;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.tlsrpt.InMemoryTlsRptStore;
import org.mailauth4j.tlsrpt.TlsRptRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * TLS sessions recorded per second by one shared {@link TlsRptRecorder} into the in-memory store:
 * successes (the common case) and failures (a failure detail per session), on one thread and on
 * two. The recorder flushes by itself at its default limit of pending keys, which these few keys
 * never reach, so this is the cost of counting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlsRptRecorderBenchmark {
  private TlsRptRecorder recorder;
  private MxVerdict success;
  private MxVerdict failure;
  private InetAddress sender;

  /** Builds the recorder and a verdict of each kind, as an MTA's policy cache hands them out. */
  @Setup
  public void setUp() throws UnknownHostException {
    TlsRptPolicy policy =
        TlsRptPolicy.sts(
            DomainName.parse("company-y.example"),
            MtaStsPolicy.parse(
                "version: STSv1\nmode: testing\nmx: *.mail.company-y.example\nmax_age: 86400\n"));
    DomainName mx = DomainName.parse("mx1.mail.company-y.example");
    success = MxVerdict.builder(MxVerdict.Action.DELIVER, MtaStsMode.TESTING, mx, policy).build();
    failure =
        MxVerdict.builder(MxVerdict.Action.DELIVER_AND_REPORT, MtaStsMode.TESTING, mx, policy)
            .failure(TlsRptResultType.CERTIFICATE_EXPIRED)
            .receivingIp(InetAddress.getByName("203.0.113.56"))
            .build();
    sender = InetAddress.getByName("2001:db8:abcd:12::1");
    recorder =
        TlsRptRecorder.builder(
                "Company-X", "sts-reporting@company-x.example", new InMemoryTlsRptStore())
            .build();
  }

  /** Records a successful session on one thread. */
  @Benchmark
  @Threads(1)
  public void success1() {
    recorder.record(success, sender);
  }

  /** Records a successful session on each of two threads. */
  @Benchmark
  @Threads(2)
  public void success2() {
    recorder.record(success, sender);
  }

  /** Records a failed session, with its failure detail, on one thread. */
  @Benchmark
  @Threads(1)
  public void failure1() {
    recorder.record(failure, sender);
  }

  /** Records a failed session, with its failure detail, on each of two threads. */
  @Benchmark
  @Threads(2)
  public void failure2() {
    recorder.record(failure, sender);
  }
}
