package org.mailauth4j.benchmarks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dmarc.MessageAuthenticator;
import org.mailauth4j.dmarc.report.DmarcReportCollector;
import org.mailauth4j.dmarc.report.InMemoryDmarcReportStore;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.ZoneFileResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * DMARC outcomes added per second to one shared {@link DmarcReportCollector} over the in-memory
 * store, on one thread and on two: the same passing message again and again (one report row), and a
 * mix of 64 messages from 64 client addresses, half of them failing (64 rows). The outcomes are
 * made once in the set-up, so this is the cost of rolling them up; the collector flushes into the
 * store by itself at its default limit of pending keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DmarcReportCollectorBenchmark {
  private static final int MIX = 64;

  private DmarcReportCollector collector;
  private MessageAuthentication pass;
  private MessageAuthentication[] mix;

  /** Where each thread is in the mix. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  /** Authenticates the messages over an in-memory zone and builds the collector. */
  @Setup
  public void setUp() throws UnknownHostException {
    String zone =
        BenchmarkMessages.ED25519.zoneFileRecord(BenchmarkMessages.DOMAIN, "ed")
            + "\n"
            + "bench.example. TXT \"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 -all\"\n"
            + "bounces.bench.example. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
            + "_dmarc.bench.example. TXT \"v=DMARC1; p=reject; rua=mailto:d@bench.example\"\n";
    DnsResolver dns = ZoneFileResolver.builder().zone(zone).build();
    MessageAuthenticator authenticator =
        MessageAuthenticator.builder(dns, "mx.receiver.example")
            .dkimVerifier(DkimVerifier.builder(dns).clock(BenchmarkMessages.CLOCK).build())
            .build();
    byte[] signed = BenchmarkMessages.signed("ED25519", 2000);
    byte[] unsigned = BenchmarkMessages.unsigned(2000, 7);
    pass =
        authenticator.authenticate(
            signed,
            InetAddress.getByName("192.0.2.17"),
            "mx.bench.example",
            "b@bounces.bench.example");
    mix = new MessageAuthentication[MIX];
    for (int i = 0; i < MIX; i++) {
      boolean failing = i % 2 == 1;
      mix[i] =
          authenticator.authenticate(
              failing ? unsigned : signed,
              InetAddress.getByName((failing ? "198.51.100." : "192.0.2.") + (i + 1)),
              "mx.bench.example",
              "b@bounces.bench.example");
    }
    if (!pass.dmarc().isPass() || mix[1].dmarc().isPass()) {
      throw new IllegalStateException("unexpected outcomes: " + pass + ", " + mix[1]);
    }
    collector =
        DmarcReportCollector.builder(
                "Bench Receiver", "dmarc-reports@receiver.example", new InMemoryDmarcReportStore())
            .build();
  }

  /** Adds the passing outcome on one thread. */
  @Benchmark
  @Threads(1)
  public void pass1() {
    collector.add(pass);
  }

  /** Adds the passing outcome on each of two threads. */
  @Benchmark
  @Threads(2)
  public void pass2() {
    collector.add(pass);
  }

  /** Adds the next outcome of the mix on one thread. */
  @Benchmark
  @Threads(1)
  public void mix1(Cursor cursor) {
    collector.add(mix[cursor.next++ & (MIX - 1)]);
  }

  /** Adds the next outcome of the mix on each of two threads. */
  @Benchmark
  @Threads(2)
  public void mix2(Cursor cursor) {
    collector.add(mix[cursor.next++ & (MIX - 1)]);
  }
}
