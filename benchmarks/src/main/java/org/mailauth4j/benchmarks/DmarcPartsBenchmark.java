package org.mailauth4j.benchmarks;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mailauth4j.dmarc.AuthorDomains;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dns.CachingDnsResolver;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The DMARC record parse and an RFC 9989 tree walk from a warm cache, on their own. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DmarcPartsBenchmark {
  private DmarcVerifier dmarc;
  private AuthorDomains author;
  private SpfOutcome siblingPass;

  /** Builds the zone and warms the cache. */
  @Setup
  public void setUp() throws Exception {
    String zone =
        "bounces.bench.example. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
            + "_dmarc.bench.example. TXT \""
            + DmarcBenchmark.RECORD
            + "\"\n"
            + "mail.team.bench.example. A 192.0.2.17\n";
    DnsResolver dns =
        CachingDnsResolver.builder(ZoneFileResolver.builder().zone(zone).build()).build();
    dmarc = DmarcVerifier.builder(dns).build();
    author = AuthorDomains.parse(List.of("a@mail.team.bench.example"), 10);
    siblingPass =
        SpfVerifier.builder(dns)
            .build()
            .check(
                InetAddress.getByName("192.0.2.17"), "mx.bench.example", "b@bounces.bench.example");
    if (!treeWalk().isPass()) {
      throw new IllegalStateException("the tree walk does not align: " + treeWalk());
    }
  }

  /** A record with the common tags. */
  @Benchmark
  public DmarcRecord recordParse() {
    return DmarcRecord.parse(DmarcBenchmark.RECORD);
  }

  /**
   * A four-label author domain without a record of its own, aligned by SPF through the
   * organizational domain: discovery and two organizational-domain walks over 7 names, from cache.
   */
  @Benchmark
  public DmarcOutcome treeWalk() {
    return dmarc.evaluate(author, List.of(siblingPass), List.of());
  }
}
