package org.mailauth4j.benchmarks;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dmarc.MessageAuthenticator;
import org.mailauth4j.dns.CachingDnsResolver;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfVerifier;
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
 * DMARC's share of authenticating a message, with a warm cache: the whole one-call authentication
 * ({@code authenticate}: SPF, DKIM, DMARC and the Authentication-Results field) beside SPF and DKIM
 * alone on the same message ({@code spfAndDkim}), so that the ratio of the two is what DMARC and
 * Authentication-Results add. {@link DmarcPartsBenchmark} measures the record parse and the tree
 * walk on their own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DmarcBenchmark {
  /** A record with the common tags, as large organizations publish them. */
  static final String RECORD =
      "v=DMARC1; p=reject; sp=quarantine; adkim=r; aspf=r; fo=1;"
          + " rua=mailto:dmarc-reports@bench.example,mailto:agg@reports.example.net!10m;"
          + " ruf=mailto:forensic@bench.example";

  /** {@code 2000-RSA}, {@code 20000-ED25519}: the body size and the signing algorithm. */
  @Param({"2000-RSA", "2000-ED25519", "20000-RSA", "20000-ED25519"})
  public String message;

  private byte[] bytes;
  private InetAddress client;
  private SpfVerifier spf;
  private DkimVerifier dkim;
  private DmarcVerifier dmarc;
  private MessageAuthenticator authenticator;

  /** Signs the message and warms the cache with every answer the checks need. */
  @Setup
  public void setUp() throws Exception {
    String[] parts = message.split("-");
    bytes = BenchmarkMessages.signed(parts[1], Integer.parseInt(parts[0]));
    client = InetAddress.getByName("192.0.2.17");
    String zone =
        BenchmarkMessages.RSA.zoneFileRecord(BenchmarkMessages.DOMAIN, "rsa")
            + "\n"
            + BenchmarkMessages.ED25519.zoneFileRecord(BenchmarkMessages.DOMAIN, "ed")
            + "\n"
            + "bench.example. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
            + "bounces.bench.example. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
            + "_dmarc.bench.example. TXT \""
            + RECORD
            + "\"\n";
    DnsResolver dns =
        CachingDnsResolver.builder(ZoneFileResolver.builder().zone(zone).build()).build();
    spf = SpfVerifier.builder(dns).build();
    dkim = DkimVerifier.builder(dns).clock(BenchmarkMessages.CLOCK).build();
    dmarc = DmarcVerifier.builder(dns).build();
    authenticator =
        MessageAuthenticator.builder(dns, "mx.receiver.example")
            .spfVerifier(spf)
            .dkimVerifier(dkim)
            .dmarcVerifier(dmarc)
            .build();
    MessageAuthentication warm = authenticate();
    if (!warm.dmarc().isPass()) {
      throw new IllegalStateException("the benchmark message does not pass DMARC: " + warm);
    }
  }

  /** SPF, DKIM and DMARC, and the Authentication-Results field. */
  @Benchmark
  public MessageAuthentication authenticate() {
    return authenticator.authenticate(bytes, client, "mx.bench.example", "b@bounces.bench.example");
  }

  /** SPF and DKIM alone, started together as the one call does: the baseline. */
  @Benchmark
  public void spfAndDkim(Blackhole hole) {
    var spfOutcome = spf.checkAsync(client, "mx.bench.example", "b@bounces.bench.example");
    DkimVerification verification = dkim.verify(bytes);
    hole.consume(spfOutcome.join());
    hole.consume(verification);
  }
}
