package org.mailauth4j.benchmarks;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.executor.SPFResult;
import org.apache.james.jspf.impl.SPF;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.MxHost;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfLookup;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;
import org.mailauth4j.spf.SpfVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * check_host() on an in-memory zone with an include tree four records deep, side by side with
 * Apache jSPF answering from the same zone. Both clients walk the whole tree, 10 DNS-querying
 * terms: {@code pass} matches at its very end, {@code fail} reaches {@code -all}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpfBenchmark {

  /**
   * The zone: example.com and an include tree four records deep below it. Either client costs all
   * 10 DNS-querying terms: mx, include, exists, mx, include, include, a, include, include, a.
   */
  static final String ZONE =
      String.join(
              "\n",
              txt(
                  "example.com",
                  "v=spf1 mx include:_spf.mailer.example.net include:_spf.example.com -all"),
              "example.com. 300 IN MX 10 mx1.example.com.",
              "example.com. 300 IN MX 20 mx2.example.com.",
              "mx1.example.com. 300 IN A 192.0.2.25",
              "mx2.example.com. 300 IN A 192.0.2.26",
              txt(
                  "_spf.mailer.example.net",
                  "v=spf1 ip4:233.252.0.0/25 exists:%{i}._allow.mailer.example.net"
                      + " mx:mailer.example.net ~all"),
              "mailer.example.net. 300 IN MX 10 out.mailer.example.net.",
              "out.mailer.example.net. 300 IN A 233.252.0.130",
              txt(
                  "_spf.example.com",
                  "v=spf1 include:_netblocks1.example.com include:_netblocks2.example.com ~all"),
              txt(
                  "_netblocks1.example.com",
                  "v=spf1 ip4:198.51.100.0/26 ip4:198.51.100.64/26 ip6:2001:db8:1::/48"
                      + " ip6:2001:db8:2::/48 a:relay.example.com ~all"),
              "relay.example.com. 300 IN A 198.51.100.200",
              txt(
                  "_netblocks2.example.com",
                  "v=spf1 ip4:203.0.113.0/26 include:_netblocks3.example.com ~all"),
              txt(
                  "_netblocks3.example.com",
                  "v=spf1 ip4:203.0.113.64/27 ip4:203.0.113.96/27 ip6:2001:db8:3::/48"
                      + " a:out.example.com ~all"),
              "out.example.com. 300 IN A 203.0.113.250")
          + "\n";

  /** The client of each case: {@code pass} matches at the last term of the deepest record. */
  static final Map<String, String> CLIENTS = new LinkedHashMap<>();

  static {
    CLIENTS.put("pass", "203.0.113.250");
    CLIENTS.put("fail", "100.64.1.1");
  }

  /** The MAIL FROM of every check. */
  static final String SENDER = "alice@example.com";

  /** The HELO name of every check. */
  static final String HELO = "mail.example.com";

  /**
   * Which client: {@code pass} matches at the last term of the deepest record; {@code fail} none.
   */
  @Param({"pass", "fail"})
  public String client;

  private InetAddress ip;
  private String ipText;
  private SpfVerifier verifier;
  private SPF jspf;
  private DnsResolver dns;
  private List<DnsQuery<?>> lookups;

  private static String txt(String name, String text) {
    return name + ". 300 IN TXT " + TxtRecord.split(text);
  }

  /** Builds both evaluators over the zone and checks that they agree. */
  @Setup
  public void setUp() throws Exception {
    ipText = CLIENTS.get(client);
    ip = InetAddresses.forString(ipText);
    dns = ZoneFileResolver.builder().zone(ZONE).build();
    verifier = SpfVerifier.builder(dns).build();
    jspf = new SPF(new JspfDns(dns));
    SpfOutcome ours = mailauth4j();
    SPFResult theirs = jspf();
    SpfResult expected = client.equals("pass") ? SpfResult.PASS : SpfResult.FAIL;
    if (ours.result() != expected || !theirs.getResult().equals(expected.token())) {
      throw new IllegalStateException(
          client
              + ": mailauth4j "
              + ours.result()
              + " "
              + ours.detail()
              + ", jSPF "
              + theirs.getResult());
    }
    lookups = new ArrayList<>();
    for (SpfLookup l : ours.trace()) {
      DomainName name = DomainName.parse(l.name());
      lookups.add(
          switch (l.type()) {
            case "TXT" -> DnsQuery.txt(name);
            case "A" -> DnsQuery.a(name);
            case "MX" -> DnsQuery.mx(name);
            default -> throw new IllegalStateException("unexpected lookup " + l);
          });
    }
    if (ours.dnsLookups() != 10) {
      throw new IllegalStateException("the tree should cost 10 lookups: " + ours.trace());
    }
  }

  /** check_host() for the client, by mailauth4j. */
  @Benchmark
  public SpfOutcome mailauth4j() {
    return verifier.check(ip, HELO, SENDER);
  }

  /** check_host() for the client, by Apache jSPF. */
  @Benchmark
  public SPFResult jspf() {
    return jspf.checkSPF(ipText, SENDER, HELO);
  }

  /**
   * The floor: the same DNS lookups the check makes, straight from the zone, with nothing
   * evaluated. Whatever an SPF evaluator adds is the distance to this.
   */
  @Benchmark
  public int dnsFloor() {
    int records = 0;
    for (DnsQuery<?> query : lookups) {
      records += dns.lookup(query).records().size();
    }
    return records;
  }

  /** jSPF's DNS interface answered from the same in-memory zone, the way its dnsjava one does. */
  static final class JspfDns implements DNSService {
    private final DnsResolver dns;

    JspfDns(DnsResolver dns) {
      this.dns = dns;
    }

    @Override
    public List<String> getRecords(DNSRequest request) {
      DomainName name = DomainName.parse(request.getHostname());
      List<String> out = new ArrayList<>();
      switch (request.getRecordType()) {
        case DNSRequest.TXT:
          dns.lookup(DnsQuery.txt(name)).records().forEach(r -> out.add(r.text()));
          break;
        case DNSRequest.A:
          dns.lookup(DnsQuery.a(name)).records().forEach(a -> out.add(a.getHostAddress()));
          break;
        case DNSRequest.AAAA:
          dns.lookup(DnsQuery.aaaa(name)).records().forEach(a -> out.add(a.getHostAddress()));
          break;
        case DNSRequest.MX:
          DnsAnswer<MxHost> mx = dns.lookup(DnsQuery.mx(name));
          mx.records().forEach(h -> out.add(h.exchange().toAbsoluteString()));
          break;
        case DNSRequest.PTR:
          dns.lookup(DnsQuery.ptr(name)).records().forEach(n -> out.add(n.toString()));
          break;
        default:
          break; // the SPF record type: none published
      }
      return out.isEmpty() ? null : out;
    }

    @Override
    public CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
      return CompletableFuture.completedFuture(getRecords(request));
    }

    @Override
    public List<String> getLocalDomainNames() {
      return List.of("mx.example.org");
    }

    @Override
    public void setTimeOut(int timeOut) {}

    @Override
    public int getRecordLimit() {
      return 0;
    }

    @Override
    public void setRecordLimit(int recordLimit) {}
  }
}
