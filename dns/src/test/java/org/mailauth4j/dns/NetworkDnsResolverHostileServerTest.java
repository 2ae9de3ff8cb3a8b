package org.mailauth4j.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * The network resolver against a server that misbehaves on purpose: garbage, error codes, answers
 * that do not answer the question, silence, and oversized answers. Each must end in a clear answer,
 * never an exception or a hang.
 */
class NetworkDnsResolverHostileServerTest {
  private static ScriptedDnsServer server;
  private static NetworkDnsResolver dns;

  @BeforeAll
  static void start() throws Exception {
    server = new ScriptedDnsServer(NetworkDnsResolverHostileServerTest::reply);
    dns = resolver().build();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static NetworkDnsResolver.Builder resolver() {
    return NetworkDnsResolver.builder()
        .servers(List.of(server.address()))
        .timeout(Duration.ofMillis(500))
        .attempts(1)
        .lookupTimeout(Duration.ofSeconds(3));
  }

  /** The script: the first label of the question says how to misbehave. */
  private static byte[] reply(Message query, byte[] raw, boolean tcp) throws Exception {
    Record question = query.getQuestion();
    Name qname = question.getName();
    switch (qname.getLabelString(0)) {
      case "garbage":
        return new byte[] {0x13, 0x37, 'n', 'o', 't', ' ', 'd', 'n', 's'};
      case "garbage-same-id":
        byte[] junk = new byte[40];
        java.util.Arrays.fill(junk, (byte) 0xFF);
        junk[0] = raw[0];
        junk[1] = raw[1];
        return junk;
      case "wrong-id":
        Message wrong = answer(query, txt(qname, 300, "spoofed"));
        wrong.getHeader().setID((query.getHeader().getID() + 1) & 0xFFFF);
        return wrong.toWire();
      case "wrong-question":
        Message other =
            Message.newQuery(Record.newRecord(Name.fromString("other.test."), 16, DClass.IN));
        other.getHeader().setID(query.getHeader().getID());
        other.getHeader().setFlag(Flags.QR);
        return other.toWire();
      case "servfail":
        return empty(query, Rcode.SERVFAIL).toWire();
      case "refused":
        return empty(query, Rcode.REFUSED).toWire();
      case "formerr":
        return empty(query, Rcode.FORMERR).toWire();
      case "bogus":
        Message bogus = empty(query, Rcode.SERVFAIL);
        bogus.addRecord(
            new OPTRecord(
                1232,
                0,
                0,
                0,
                List.of(
                    new ExtendedErrorCodeOption(
                        ExtendedErrorCodeOption.SIGNATURE_EXPIRED, "RRSIG expired"))),
            Section.ADDITIONAL);
        return bogus.toWire();
      case "stranger":
        return answer(query, txt(Name.fromString("somewhere.else.test."), 300, "not yours"))
            .toWire();
      case "cname-loop":
        Name b = Name.fromString("loop-b.hostile.test.");
        return answer(
                query,
                new CNAMERecord(qname, DClass.IN, 300, b),
                new CNAMERecord(b, DClass.IN, 300, qname))
            .toWire();
      case "cname-out":
        return answer(
                query,
                new CNAMERecord(qname, DClass.IN, 40, Name.fromString("target.elsewhere.test.")))
            .toWire();
      case "target":
        return answer(query, txt(qname, 100, "found after asking again")).toWire();
      case "authenticated":
        Message ad = answer(query, txt(qname, 300, "validated upstream"));
        ad.getHeader().setFlag(Flags.AD);
        return ad.toWire();
      case "nxdomain":
        Message nx = empty(query, Rcode.NXDOMAIN);
        nx.addRecord(soa(600, 30), Section.AUTHORITY);
        return nx.toWire();
      case "nodata-soa-ttl":
        Message nodata = empty(query, Rcode.NOERROR);
        nodata.addRecord(soa(20, 3600), Section.AUTHORITY);
        return nodata.toWire();
      case "big":
        if (!tcp) {
          Message truncated = empty(query, Rcode.NOERROR);
          truncated.getHeader().setFlag(Flags.TC);
          return truncated.toWire();
        }
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
          records.add(txt(qname, 300, String.format("record %04d of a huge answer", i)));
        }
        return answer(query, records.toArray(new Record[0])).toWire();
      case "truncated-twice":
        Message cut = answer(query, txt(qname, 300, "part of the answer"));
        cut.getHeader().setFlag(Flags.TC);
        return cut.toWire();
      case "truncated-then-closed":
        if (!tcp) {
          Message truncated = empty(query, Rcode.NOERROR);
          truncated.getHeader().setFlag(Flags.TC);
          return truncated.toWire();
        }
        return null;
      case "silent":
      default:
        return null;
    }
  }

  private static Message empty(Message query, int rcode) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RD);
    m.getHeader().setFlag(Flags.RA);
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }

  private static Message answer(Message query, Record... records) {
    Message m = empty(query, Rcode.NOERROR);
    for (Record r : records) {
      m.addRecord(r, Section.ANSWER);
    }
    return m;
  }

  private static Record txt(Name name, long ttl, String text) {
    return new TXTRecord(name, DClass.IN, ttl, text);
  }

  private static Record soa(long ttl, long minimum) throws Exception {
    Name zone = Name.fromString("hostile.test.");
    return new SOARecord(
        zone,
        DClass.IN,
        ttl,
        Name.fromString("ns.hostile.test."),
        Name.fromString("h.hostile.test."),
        1,
        3600,
        900,
        604800,
        minimum);
  }

  static Stream<Arguments> misbehaviours() {
    return Stream.of(
        Arguments.of("garbage", DnsStatus.TEMP_FAIL, DnsFailure.Kind.MALFORMED_RESPONSE),
        Arguments.of("garbage-same-id", DnsStatus.TEMP_FAIL, DnsFailure.Kind.MALFORMED_RESPONSE),
        Arguments.of("wrong-id", DnsStatus.TEMP_FAIL, DnsFailure.Kind.MALFORMED_RESPONSE),
        Arguments.of("wrong-question", DnsStatus.TEMP_FAIL, DnsFailure.Kind.MALFORMED_RESPONSE),
        Arguments.of("servfail", DnsStatus.TEMP_FAIL, DnsFailure.Kind.SERVER_FAILURE),
        Arguments.of("refused", DnsStatus.TEMP_FAIL, DnsFailure.Kind.REFUSED),
        Arguments.of("formerr", DnsStatus.TEMP_FAIL, DnsFailure.Kind.UNEXPECTED_RESPONSE_CODE),
        Arguments.of("bogus", DnsStatus.TEMP_FAIL, DnsFailure.Kind.DNSSEC_BOGUS),
        Arguments.of("cname-loop", DnsStatus.TEMP_FAIL, DnsFailure.Kind.ALIAS_CHAIN),
        Arguments.of("silent", DnsStatus.TEMP_FAIL, DnsFailure.Kind.TIMEOUT),
        Arguments.of("truncated-twice", DnsStatus.TEMP_FAIL, DnsFailure.Kind.TRUNCATED),
        Arguments.of("stranger", DnsStatus.NO_DATA, null),
        Arguments.of("nxdomain", DnsStatus.NXDOMAIN, null));
  }

  @ParameterizedTest(name = "{0} gives {1} {2}")
  @MethodSource("misbehaviours")
  void endsInAClearAnswer(String label, DnsStatus status, DnsFailure.Kind kind) {
    DnsAnswer<TxtRecord> answer =
        dns.lookup(DnsQuery.txt(DomainName.parse(label + ".hostile.test")));
    assertThat(answer.status()).as("%s", answer).isEqualTo(status);
    if (kind != null) {
      assertThat(answer.failure().orElseThrow().kind()).as("%s", answer).isEqualTo(kind);
    }
  }

  @Test
  void saysWhatItIgnoredWhenOnlyMismatchedDatagramsCame() {
    DnsAnswer<TxtRecord> answer =
        dns.lookup(DnsQuery.txt(DomainName.parse("wrong-id.hostile.test")));
    assertThat(answer.failure().orElseThrow().detail())
        .contains("ignored 1 datagram")
        .contains("response ID");
  }

  /** RFC 5452 §9.1: a datagram that does not match the query is dropped, and the wait goes on. */
  @Test
  void ignoresSpoofedDatagramsAndTakesTheRealAnswer() throws Exception {
    ScriptedDnsServer.Script spoofedFirst =
        new ScriptedDnsServer.Script() {
          @Override
          public byte[] reply(Message query, byte[] raw, boolean tcp) throws Exception {
            return answer(query, txt(query.getQuestion().getName(), 300, "real")).toWire();
          }

          @Override
          public List<byte[]> replies(Message query, byte[] raw, boolean tcp) throws Exception {
            Name qname = query.getQuestion().getName();
            Message otherId = answer(query, txt(qname, 300, "spoofed id"));
            otherId.getHeader().setID((query.getHeader().getID() + 1) & 0xFFFF);
            Message otherQuestion =
                Message.newQuery(Record.newRecord(Name.fromString("other.test."), 16, DClass.IN));
            otherQuestion.getHeader().setID(query.getHeader().getID());
            otherQuestion.getHeader().setFlag(Flags.QR);
            return List.of(
                otherId.toWire(),
                otherQuestion.toWire(),
                new byte[] {raw[0], raw[1], 'x'},
                reply(query, raw, tcp));
          }
        };
    try (ScriptedDnsServer spoofing = new ScriptedDnsServer(spoofedFirst)) {
      NetworkDnsResolver resolver =
          NetworkDnsResolver.builder()
              .servers(List.of(spoofing.address()))
              .timeout(Duration.ofSeconds(2))
              .attempts(1)
              .build();
      DnsAnswer<TxtRecord> answer =
          resolver.lookup(DnsQuery.txt(DomainName.parse("spoofed.hostile.test")));
      assertThat(answer.records()).extracting(TxtRecord::text).containsExactly("real");
      assertThat(spoofing.udpQueries.get()).as("no second query needed").isEqualTo(1);
    }
  }

  /** The per-attempt timeout holds to within a small margin, also below a second. */
  @ParameterizedTest(name = "{0} ms per attempt, {1} attempts")
  @org.junit.jupiter.params.provider.CsvSource({"150, 1", "150, 3", "400, 2"})
  void keepsThePerAttemptTimeout(int millis, int attempts) throws Exception {
    try (DatagramSocket blackHole =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      NetworkDnsResolver resolver =
          NetworkDnsResolver.builder()
              .servers(List.of((InetSocketAddress) blackHole.getLocalSocketAddress()))
              .timeout(Duration.ofMillis(millis))
              .attempts(attempts)
              .lookupTimeout(Duration.ofSeconds(10))
              .build();
      long start = System.nanoTime();
      DnsAnswer<TxtRecord> answer = resolver.lookup(DnsQuery.txt(DomainName.parse("slow.test")));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(answer.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.TIMEOUT);
      Duration expected = Duration.ofMillis((long) millis * attempts);
      assertThat(took).isBetween(expected.minusMillis(20), expected.plusMillis(350));
    }
  }

  @Test
  void takesNegativeTtlsFromTheSoa() {
    assertThat(dns.lookup(DnsQuery.txt(DomainName.parse("nxdomain.hostile.test"))).ttl())
        .as("SOA minimum below its TTL")
        .hasSeconds(30);
    assertThat(dns.lookup(DnsQuery.txt(DomainName.parse("nodata-soa-ttl.hostile.test"))).ttl())
        .as("SOA TTL below its minimum")
        .hasSeconds(20);
  }

  @Test
  void asksAgainForAnAliasTargetLeftUnresolved() {
    DnsAnswer<TxtRecord> answer =
        dns.lookup(DnsQuery.txt(DomainName.parse("cname-out.hostile.test")));
    assertThat(answer.records())
        .extracting(TxtRecord::text)
        .containsExactly("found after asking again");
    assertThat(answer.ttl()).as("the alias's TTL is the smaller").hasSeconds(40);
  }

  @Test
  void trustsTheAdBitOnlyWhenTold() {
    DnsQuery<TxtRecord> q = DnsQuery.txt(DomainName.parse("authenticated.hostile.test"));
    assertThat(dns.lookup(q).authenticated()).as("untrusted by default").isFalse();
    NetworkDnsResolver trusting = resolver().trustAuthenticatedData(true).build();
    assertThat(trusting.lookup(q).authenticated()).isTrue();
    assertThat(
            trusting.lookup(DnsQuery.txt(DomainName.parse("target.hostile.test"))).authenticated())
        .as("no AD bit, no authentication")
        .isFalse();
  }

  @Test
  void readsAHugeAnswerOverTcp() {
    int tcpBefore = server.tcpQueries.get();
    DnsAnswer<TxtRecord> answer = dns.lookup(DnsQuery.txt(DomainName.parse("big.hostile.test")));
    assertThat(answer.records()).hasSize(1500);
    assertThat(server.tcpQueries.get()).isEqualTo(tcpBefore + 1);
  }

  @Test
  void failsWhenTheTcpRetryGetsNothing() {
    DnsAnswer<TxtRecord> answer =
        dns.lookup(DnsQuery.txt(DomainName.parse("truncated-then-closed.hostile.test")));
    assertThat(answer.status()).isEqualTo(DnsStatus.TEMP_FAIL);
    assertThat(answer.failure().orElseThrow().kind())
        .isIn(DnsFailure.Kind.NETWORK_ERROR, DnsFailure.Kind.TIMEOUT);
  }

  @Test
  void timesOutWithinTheDeadlineWithoutAThreadPerQuery() throws Exception {
    // A socket that is bound but never read: queries vanish without an ICMP error.
    try (DatagramSocket blackHole =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      NetworkDnsResolver resolver =
          NetworkDnsResolver.builder()
              .servers(List.of((InetSocketAddress) blackHole.getLocalSocketAddress()))
              .timeout(Duration.ofMillis(300))
              .attempts(2)
              .lookupTimeout(Duration.ofMillis(1500))
              .build();
      int threadsBefore = Thread.activeCount();
      long start = System.nanoTime();
      List<CompletableFuture<DnsAnswer<TxtRecord>>> pending = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        pending.add(resolver.lookupAsync(DnsQuery.txt(DomainName.parse("q" + i + ".test"))));
      }
      int threadsDuring = Thread.activeCount();
      for (CompletableFuture<DnsAnswer<TxtRecord>> f : pending) {
        DnsAnswer<TxtRecord> answer = f.join();
        assertThat(answer.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.TIMEOUT);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("all done by the deadline plus slack").isLessThan(Duration.ofSeconds(4));
      assertThat(threadsDuring - threadsBefore).as("threads added for 200 queries").isLessThan(10);
    }
  }

  @Test
  void reportsAClosedPortAsAFailure() throws Exception {
    InetSocketAddress closed;
    try (DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      closed = (InetSocketAddress) s.getLocalSocketAddress();
    }
    NetworkDnsResolver resolver =
        NetworkDnsResolver.builder()
            .servers(List.of(closed))
            .timeout(Duration.ofMillis(300))
            .attempts(1)
            .lookupTimeout(Duration.ofSeconds(2))
            .build();
    DnsAnswer<TxtRecord> answer = resolver.lookup(DnsQuery.txt(DomainName.parse("x.test")));
    assertThat(answer.status()).isEqualTo(DnsStatus.TEMP_FAIL);
    assertThat(answer.failure().orElseThrow().kind())
        .isIn(DnsFailure.Kind.NETWORK_ERROR, DnsFailure.Kind.TIMEOUT);
  }

  @Test
  void triesTheNextServerWhenOneFails() throws Exception {
    try (DatagramSocket blackHole =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      NetworkDnsResolver resolver =
          NetworkDnsResolver.builder()
              .servers(
                  List.of((InetSocketAddress) blackHole.getLocalSocketAddress(), server.address()))
              .timeout(Duration.ofMillis(300))
              .attempts(1)
              .lookupTimeout(Duration.ofSeconds(3))
              .build();
      assertThat(resolver.lookup(DnsQuery.txt(DomainName.parse("target.hostile.test"))).isFound())
          .isTrue();
    }
  }
}
