package org.mailauth4j.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;

/** check_host() beyond the suites: limits, the trace, hostile data, time and threads. */
class SpfVerifierTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);
  private static final InetAddress CLIENT = ip("192.0.2.10");

  private static InetAddress ip(String text) {
    return InetAddresses.forString(text);
  }

  private static ZoneFileResolver zone(String... lines) {
    return ZoneFileResolver.builder().zone(String.join("\n", lines) + "\n").build();
  }

  private static SpfVerifier.Builder verifier(DnsResolver dns) {
    return SpfVerifier.builder(dns).clock(CLOCK);
  }

  private static SpfOutcome check(DnsResolver dns, String mailFrom) {
    return verifier(dns).build().check(CLIENT, "mail.example.com", mailFrom);
  }

  // --- results and what they carry ---

  @Test
  void passCarriesTheDecidingTermAndCounts() {
    ZoneFileResolver dns =
        zone(
            "example.com. 300 IN TXT \"v=spf1 a:mail.example.com include:_spf.example.net -all\"",
            "mail.example.com. 300 IN A 192.0.2.1",
            "_spf.example.net. 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"");
    SpfOutcome outcome = check(dns, "alice@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.mechanism()).contains("include:_spf.example.net");
    assertThat(outcome.domain()).contains(DomainName.parse("example.com"));
    assertThat(outcome.identity()).isEqualTo(SpfIdentity.MAILFROM);
    assertThat(outcome.sender()).isEqualTo("alice@example.com");
    assertThat(outcome.dnsLookups()).isEqualTo(2);
    assertThat(outcome.voidLookups()).isZero();
    assertThat(outcome.problem()).isEmpty();
    assertThat(outcome.explanation()).isEmpty();
    assertThat(outcome.trace())
        .extracting(
            l -> l.term() + " " + l.name() + "/" + l.type() + " " + l.status().orElseThrow())
        .containsExactly(
            "record example.com/TXT FOUND",
            "a:mail.example.com mail.example.com/A FOUND",
            "include:_spf.example.net _spf.example.net/TXT FOUND");
    assertThat(outcome.trace().get(2).depth()).isEqualTo(1);
  }

  @Test
  void receivedSpfFieldsForEachResult() {
    ZoneFileResolver dns =
        zone(
            "pass.example. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"",
            "fail.example. 300 IN TXT \"v=spf1 -all\"",
            "soft.example. 300 IN TXT \"v=spf1 ~all\"",
            "neutral.example. 300 IN TXT \"v=spf1 ?all\"",
            "broken.example. 300 IN TXT \"v=spf1 ip4:192.0.2.300 -all\"",
            "none.example. 300 IN A 192.0.2.1");
    ZoneFileResolver.Builder failing = ZoneFileResolver.builder().zone("");
    DnsResolver temp =
        failing.fail(DomainName.parse("temp.example"), DnsFailure.Kind.SERVER_FAILURE).build();
    SpfVerifier spf = verifier(dns).receiver("mx").build();
    assertThat(
            verifier(dns)
                .receiver("mx.example.org")
                .build()
                .check(CLIENT, "mail.example.com", "a@pass.example")
                .receivedSpf())
        .isEqualTo(
            "Received-SPF: pass (mx.example.org: domain of a@pass.example designates 192.0.2.10"
                + " as permitted sender) client-ip=192.0.2.10; envelope-from=\"a@pass.example\";"
                + " helo=mail.example.com; receiver=mx.example.org; identity=mailfrom;"
                + " mechanism=\"ip4:192.0.2.10\";");
    assertThat(spf.check(CLIENT, "mail.example.com", "a@fail.example").receivedSpf())
        .startsWith("Received-SPF: fail (mx: domain of a@fail.example does not designate")
        .endsWith("mechanism=-all;");
    assertThat(spf.check(CLIENT, "mail.example.com", "a@soft.example").receivedSpf())
        .startsWith("Received-SPF: softfail (mx: domain of a@soft.example discourages use of");
    assertThat(spf.check(CLIENT, "mail.example.com", "a@neutral.example").receivedSpf())
        .startsWith("Received-SPF: neutral (mx: 192.0.2.10 is neither permitted nor denied by");
    assertThat(spf.check(CLIENT, "mail.example.com", "a@none.example").receivedSpf())
        .startsWith("Received-SPF: none (mx: domain of a@none.example does not designate")
        .doesNotContain("mechanism=");
    assertThat(spf.check(CLIENT, "mail.example.com", "a@broken.example").receivedSpf())
        .startsWith("Received-SPF: permerror (mx: error in the SPF record of")
        .contains(" problem=\"syntax error in the SPF record of broken.example:");
    assertThat(
            verifier(temp)
                .receiver("mx")
                .build()
                .check(CLIENT, "mail.example.com", "a@temp.example")
                .receivedSpf())
        .startsWith("Received-SPF: temperror (mx: error in processing during lookup of")
        .contains(" problem=\"DNS error fetching the SPF record of temp.example:");
  }

  @Test
  void receivedSpfQuotesValuesThatAreNotAtoms() {
    ZoneFileResolver dns = zone("example.com. 300 IN TXT \"v=spf1 +all\"");
    SpfOutcome outcome =
        verifier(dns)
            .receiver("mx (1)")
            .build()
            .check(CLIENT, "[192.0.2.10]", "\"odd (local)\"@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.receivedSpf())
        .contains("(mx \\(1\\): domain of")
        .contains("envelope-from=\"\\\"odd (local)\\\"@example.com\";")
        .contains("helo=\"[192.0.2.10]\";")
        .contains("receiver=\"mx (1)\";");
  }

  @Test
  void heloIdentityAndNullSender() {
    ZoneFileResolver dns = zone("mail.example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"");
    SpfVerifier spf = verifier(dns).build();
    SpfOutcome helo = spf.checkHelo(CLIENT, "mail.example.com");
    assertThat(helo.result()).isEqualTo(SpfResult.PASS);
    assertThat(helo.identity()).isEqualTo(SpfIdentity.HELO);
    assertThat(helo.sender()).isEqualTo("postmaster@mail.example.com");
    // No receiver configured: the field says "unknown", as the %{r} macro does (RFC 7208 §7.3).
    assertThat(helo.receivedSpf()).contains("identity=helo;").contains(" receiver=unknown;");
    assertThat(helo.receiver()).isEqualTo("unknown");
    // An empty reverse-path checks postmaster at the HELO name (RFC 7208 §2.4).
    for (String nullPath : List.of("", "<>")) {
      SpfOutcome bounce = spf.check(CLIENT, "mail.example.com", nullPath);
      assertThat(bounce.result()).isEqualTo(SpfResult.PASS);
      assertThat(bounce.sender()).isEqualTo("postmaster@mail.example.com");
    }
    // Address literals and single labels are no domain to check (RFC 7208 §2.3, §4.3).
    assertThat(spf.checkHelo(CLIENT, "[192.0.2.10]").result()).isEqualTo(SpfResult.NONE);
    assertThat(spf.checkHelo(CLIENT, "localhost").problem()).contains(SpfProblem.INVALID_DOMAIN);
    assertThat(spf.check(CLIENT, "mail.example.com", "a@b..example").result())
        .isEqualTo(SpfResult.NONE);
  }

  @Test
  void ipv4MappedClientsAreCheckedAsIpv4() {
    ZoneFileResolver dns =
        zone("example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all\"");
    SpfVerifier spf = verifier(dns).build();
    SpfOutcome mapped = spf.check(ip("::ffff:192.0.2.10"), "h.example", "a@example.com");
    assertThat(mapped.result()).isEqualTo(SpfResult.PASS);
    assertThat(mapped.clientIp()).isEqualTo(ip("192.0.2.10"));
    assertThat(spf.check(ip("2001:db8::5"), "h.example", "a@example.com").result())
        .isEqualTo(SpfResult.PASS);
    assertThat(spf.check(ip("2001:db9::5"), "h.example", "a@example.com").result())
        .isEqualTo(SpfResult.FAIL);
  }

  /** A sender holding CR LF must not add a header field of its own to Received-SPF. */
  @Test
  void receivedSpfStaysOneLineWhateverTheSender() {
    ZoneFileResolver dns = zone("example.com. 300 IN TXT \"v=spf1 -all\"");
    String field =
        verifier(dns)
            .build()
            .check(CLIENT, "h.example", "a\r\nX-Injected: yes\r\n@example.com")
            .receivedSpf();
    assertThat(field).doesNotContain("\r").doesNotContain("\n").startsWith("Received-SPF: fail (");
  }

  @Test
  void mappedIp6NetworksDoNotMatchIpv4Clients() {
    // RFC 7208 §5: an IPv4 client, or an IPv4-mapped IPv6 one, is matched by ip4 alone.
    ZoneFileResolver dns =
        zone(
            "example.com. 300 IN TXT \"v=spf1 ip6:::ffff:192.0.2.0/120 -all\"",
            "both.example. 300 IN TXT \"v=spf1 ip6:::ffff:192.0.2.0/120 ip4:192.0.2.0/24 -all\"");
    SpfVerifier spf = verifier(dns).build();
    assertThat(spf.check(ip("192.0.2.77"), "h.example", "a@example.com").result())
        .isEqualTo(SpfResult.FAIL);
    assertThat(spf.check(ip("::ffff:192.0.2.77"), "h.example", "a@example.com").result())
        .as("a mapped client is an IPv4 client")
        .isEqualTo(SpfResult.FAIL);
    assertThat(spf.check(ip("::ffff:192.0.2.77"), "h.example", "a@both.example").result())
        .isEqualTo(SpfResult.PASS);
  }

  /** RFC 7208 §7.1: a domain-spec may hold any visible character but "%", so DNS is asked. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plus and equals in %{l} | alice+tag=x | alice+tag=x.x.example.com",
        "tilde and hash in %{l}  | a~b#c       | a~b#c.x.example.com",
        "at sign from %{s}       | bob         | bob\\@example.com.s.example.com",
      })
  void looksUpTargetsWithAnyVisibleCharacter(String name, String local, String expected) {
    ZoneFileResolver dns =
        ZoneFileResolver.builder()
            .zone(
                String.join(
                    "\n",
                    "example.com. 300 IN TXT \"v=spf1 exists:%{l}.x.%{d} exists:%{s}.s.%{d} -all\"",
                    expected + ". 300 IN A 127.0.0.2"))
            .build();
    SpfOutcome outcome = check(dns, local + "@example.com");
    assertThat(outcome.result()).as("%s", outcome.trace()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.trace()).anyMatch(l -> l.name().equals(expected) && l.isLookedUp());
  }

  /** A term whose target is still no DNS name is shown in the trace and the outcome. */
  @Test
  void showsATargetThatCannotBeLookedUp() {
    ZoneFileResolver dns =
        zone(
            "example.com. 300 IN TXT \"v=spf1 exists:%{l}.x.%{d} a:%{l}..%{d} ip4:192.0.2.0/24 -all\"");
    String local = "l".repeat(64);
    SpfOutcome outcome = check(dns, local + "@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.notLookedUp())
        .extracting(SpfLookup::term, l -> l.notLookedUp().orElseThrow())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "exists:%{l}.x.%{d}", "label longer than 63 octets"),
            org.assertj.core.groups.Tuple.tuple("a:%{l}..%{d}", "label longer than 63 octets"));
    assertThat(outcome.trace().get(1).toString()).contains("not looked up");
    SpfOutcome empty = check(dns, "short@example.com");
    assertThat(empty.notLookedUp())
        .extracting(l -> l.notLookedUp().orElseThrow())
        .containsExactly("empty label");
    assertThat(empty.notLookedUp().get(0).name()).isEqualTo("short..example.com");
  }

  /**
   * RFC 7208 §4.6.4: the reverse lookup of ptr is a DNS query of a term; finding nothing is void.
   */
  @Test
  void countsTheReverseLookupOfPtrAsVoid() {
    ZoneFileResolver dns =
        zone("example.com. 300 IN TXT \"v=spf1 ptr ptr:a.example ptr:b.example -all\"");
    SpfOutcome outcome = verifier(dns).build().check(CLIENT, "h.example", "a@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(outcome.problem()).contains(SpfProblem.VOID_LOOKUP_LIMIT);
    assertThat(outcome.voidLookups()).isEqualTo(3);
  }

  /** RFC 7208 §5.5: a PTR name that does not resolve is skipped, not counted against the domain. */
  @Test
  void skipsPtrNamesThatDoNotResolveWithoutCountingThem() {
    List<String> lines = new ArrayList<>();
    lines.add("example.com. 300 IN TXT \"v=spf1 ptr -all\"");
    for (int k = 0; k < 5; k++) {
      lines.add("10.2.0.192.in-addr.arpa. 300 IN PTR gone" + k + ".example.com.");
    }
    lines.add("10.2.0.192.in-addr.arpa. 300 IN PTR mail.example.com.");
    lines.add("mail.example.com. 300 IN A 192.0.2.10");
    SpfOutcome outcome = check(zone(lines.toArray(String[]::new)), "a@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.voidLookups()).isZero();
  }

  /** Running out of time in ptr's lookups ends the check, as in any other term: no -all "fail". */
  @Test
  void ptrOutOfTimeIsTemperror() {
    ZoneFileResolver zone = zone("example.com. 300 IN TXT \"v=spf1 ptr -all\"");
    DnsResolver silentReverse =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return query.typeName().equals("PTR")
                ? new CompletableFuture<>()
                : zone.lookupAsync(query);
          }
        };
    SpfOutcome outcome =
        verifier(silentReverse)
            .timeout(Duration.ofMillis(200))
            .build()
            .check(CLIENT, "h.example", "a@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(outcome.problem()).contains(SpfProblem.TIME_LIMIT);
  }

  /** RFC 7208 §5.5: a DNS error in ptr's lookups is no match, never temperror. */
  @Test
  void keepsPtrDnsErrorsAsNoMatch() {
    ZoneFileResolver dns =
        ZoneFileResolver.builder()
            .zone("example.com. 300 IN TXT \"v=spf1 ptr ip4:192.0.2.0/24 -all\"")
            .fail(DomainName.reverseLookupName(CLIENT), DnsFailure.Kind.SERVER_FAILURE)
            .build();
    assertThat(check(dns, "a@example.com").result()).isEqualTo(SpfResult.PASS);
  }

  @Test
  void explanationOnlyOnFail() {
    ZoneFileResolver dns =
        zone(
            "fail.example. 300 IN TXT \"v=spf1 -all exp=why.example\"",
            "soft.example. 300 IN TXT \"v=spf1 ~all exp=why.example\"",
            "why.example. 300 IN TXT \"%{i} may not send for %{d} (checked by %{r})\"");
    SpfVerifier spf = verifier(dns).receiver("mx.example.org").build();
    SpfOutcome fail = spf.check(CLIENT, "h.example", "a@fail.example");
    assertThat(fail.explanation())
        .contains("192.0.2.10 may not send for fail.example (checked by mx.example.org)");
    SpfOutcome soft = spf.check(CLIENT, "h.example", "a@soft.example");
    assertThat(soft.explanation()).isEmpty();
    assertThat(soft.trace()).noneMatch(l -> l.name().toString().equals("why.example"));
  }

  @Test
  void brokenExplanationsAreIgnored() {
    ZoneFileResolver dns =
        zone(
            "a.example. 300 IN TXT \"v=spf1 -all exp=two.example\"",
            "two.example. 300 IN TXT \"one\"",
            "two.example. 300 IN TXT \"two\"",
            "b.example. 300 IN TXT \"v=spf1 -all exp=bad.example\"",
            "bad.example. 300 IN TXT \"%{q}\"",
            "c.example. 300 IN TXT \"v=spf1 -all exp=long.example\"",
            "long.example. 300 IN TXT " + "\"%{s}%{s}%{s}%{s}%{s}\" ".repeat(20));
    SpfVerifier spf = verifier(dns).build();
    for (String domain : List.of("a.example", "b.example", "c.example")) {
      SpfOutcome outcome = spf.check(CLIENT, "h.example", "x".repeat(60) + "@" + domain);
      assertThat(outcome.result()).as(domain).isEqualTo(SpfResult.FAIL);
      assertThat(outcome.explanation()).as(domain).isEmpty();
    }
  }

  // --- processing limits (RFC 7208 §4.6.4) ---

  /** A tree of includes costing {@code n} DNS-querying terms in all. */
  private static ZoneFileResolver includeChain(int n) {
    List<String> lines = new ArrayList<>();
    StringBuilder top = new StringBuilder("v=spf1");
    for (int k = 1; k <= n; k++) {
      top.append(" include:i").append(k).append(".example.net");
      lines.add("i" + k + ".example.net. 300 IN TXT \"v=spf1 ip4:198.51.100." + k + " -all\"");
    }
    top.append(" ip4:192.0.2.10 -all");
    lines.add("example.com. 300 IN TXT " + TxtRecord.split(top.toString()));
    return zone(lines.toArray(String[]::new));
  }

  @Test
  void tenDnsQueryingTermsPassAndAnEleventhIsPermerrorWithATrace() {
    assertThat(check(includeChain(10), "a@example.com").result()).isEqualTo(SpfResult.PASS);
    SpfOutcome over = check(includeChain(11), "a@example.com");
    assertThat(over.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(over.problem()).contains(SpfProblem.DNS_LOOKUP_LIMIT);
    assertThat(over.detail()).contains("more than 10").contains("include:i11.example.net");
    assertThat(over.dnsLookups()).isEqualTo(11);
    // The trace shows which include cost what.
    assertThat(over.trace()).hasSize(11);
    assertThat(over.trace().get(10).term()).isEqualTo("include:i10.example.net");
    assertThat(over.trace().get(10).dnsLookups()).isEqualTo(10);
    assertThat(over.receivedSpf()).contains("problem=\"more than 10 DNS-querying terms");
    // The limit is configurable.
    SpfOutcome raised =
        verifier(includeChain(11))
            .maxDnsLookups(11)
            .build()
            .check(CLIENT, "h.example", "a@example.com");
    assertThat(raised.result()).isEqualTo(SpfResult.PASS);
  }

  @Test
  void voidLookupsBeyondTwoArePermerror() {
    ZoneFileResolver dns =
        zone(
            "example.com. 300 IN TXT \"v=spf1 a:n1.example.com mx:n2.example.com"
                + " exists:n3.example.com -all\"");
    SpfOutcome outcome = check(dns, "a@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(outcome.problem()).contains(SpfProblem.VOID_LOOKUP_LIMIT);
    assertThat(outcome.voidLookups()).isEqualTo(3);
    assertThat(outcome.detail()).contains("exists:n3.example.com");
    assertThat(
            verifier(dns)
                .maxVoidLookups(3)
                .build()
                .check(CLIENT, "h.example", "a@example.com")
                .result())
        .isEqualTo(SpfResult.FAIL);
  }

  @Test
  void includeAndRedirectLoopsEndAtTheLookupLimit() {
    ZoneFileResolver dns =
        zone(
            "a.example. 300 IN TXT \"v=spf1 include:b.example -all\"",
            "b.example. 300 IN TXT \"v=spf1 include:a.example -all\"",
            "self.example. 300 IN TXT \"v=spf1 redirect=self.example\"",
            "macro.example. 300 IN TXT \"v=spf1 include:%{d} -all\"");
    for (String domain : List.of("a.example", "self.example", "macro.example")) {
      SpfOutcome outcome = check(dns, "x@" + domain);
      assertThat(outcome.result()).as(domain).isEqualTo(SpfResult.PERMERROR);
      assertThat(outcome.problem()).as(domain).contains(SpfProblem.DNS_LOOKUP_LIMIT);
    }
  }

  @Test
  void aThousandMxRecordsLookUpAtMostTenHosts() {
    List<String> lines = new ArrayList<>();
    lines.add("example.com. 300 IN TXT \"v=spf1 mx -all\"");
    for (int k = 0; k < 1000; k++) {
      lines.add("example.com. 300 IN MX " + (k + 1) + " mx" + k + ".example.com.");
      lines.add("mx" + k + ".example.com. 300 IN A 198.51.100." + (k % 250 + 1));
    }
    ZoneFileResolver dns = zone(lines.toArray(String[]::new));
    SpfVerifier spf = verifier(dns).build();
    // The host of preference 5 matches; the first ten hosts are within the limit.
    SpfOutcome early = spf.check(ip("198.51.100.5"), "h.example", "a@example.com");
    assertThat(early.result()).isEqualTo(SpfResult.PASS);
    SpfOutcome beyond = spf.check(ip("198.51.100.200"), "h.example", "a@example.com");
    assertThat(beyond.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(beyond.problem()).contains(SpfProblem.MX_LIMIT);
    assertThat(beyond.trace().stream().filter(l -> l.type().equals("A"))).hasSize(10);
    assertThat(beyond.detail()).contains("1000 MX hosts");
  }

  @Test
  void ptrLooksAtTheFirstTenNames() {
    List<String> lines = new ArrayList<>();
    lines.add("example.com. 300 IN TXT \"v=spf1 ptr -all\"");
    for (int k = 0; k < 12; k++) {
      lines.add("10.2.0.192.in-addr.arpa. 300 IN PTR h" + k + ".other.example.");
    }
    lines.add("10.2.0.192.in-addr.arpa. 300 IN PTR mail.example.com.");
    lines.add("mail.example.com. 300 IN A 192.0.2.10");
    SpfOutcome outcome = check(zone(lines.toArray(String[]::new)), "a@example.com");
    // The name that would match is the thirteenth: ignored, so -all decides.
    assertThat(outcome.result()).isEqualTo(SpfResult.FAIL);
    assertThat(outcome.trace().stream().filter(l -> l.type().equals("A"))).hasSize(10);
  }

  // --- hostile records ---

  @Test
  void tenKilobyteRecordsEvaluate() {
    StringBuilder text = new StringBuilder("v=spf1");
    int k = 0;
    while (text.length() < 10_000) {
      text.append(" ip4:198.51.").append(k / 256 % 256).append('.').append(k++ % 256);
    }
    text.append(" ip4:192.0.2.10 -all");
    ZoneFileResolver dns = zone("example.com. 300 IN TXT " + TxtRecord.split(text.toString()));
    SpfOutcome outcome = check(dns, "a@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.mechanism()).contains("ip4:192.0.2.10");
  }

  @Test
  void recordsThatAreNotAsciiArePermerror() {
    byte[] invalidUtf8 = "v=spf1 a:\u00ff\u00fe.example -all".getBytes(StandardCharsets.ISO_8859_1);
    byte[] utf8 = "v=spf1 a:ex\u00e4mple.com -all".getBytes(StandardCharsets.UTF_8);
    for (byte[] bytes : List.of(invalidUtf8, utf8)) {
      DnsResolver dns = answering(TxtRecord.ofBytes(List.of(bytes)));
      SpfOutcome outcome = check(dns, "a@example.com");
      assertThat(outcome.result()).isEqualTo(SpfResult.PERMERROR);
      assertThat(outcome.problem()).contains(SpfProblem.NON_ASCII_RECORD);
    }
  }

  @Test
  void explodingMacrosStayWithinLimits() {
    // Every exists: term expands a long local-part many times; the expansion is cut to a name.
    String spec = "%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}";
    ZoneFileResolver dns =
        zone(
            "example.com. 300 IN TXT "
                + TxtRecord.split(
                    "v=spf1 " + ("exists:" + spec + ".example.com ").repeat(8) + "-all"));
    String local = String.join(".", java.util.Collections.nCopies(30, "x".repeat(60)));
    SpfOutcome outcome =
        verifier(dns).maxVoidLookups(10).build().check(CLIENT, "h.example", local + "@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.FAIL);
    assertThat(outcome.trace())
        .filteredOn(l -> l.type().equals("A"))
        .allMatch(l -> l.name().toString().length() <= 253)
        .hasSize(8);
  }

  @Test
  void multipleRecordsArePermerror() {
    ZoneFileResolver dns =
        zone(
            "example.com. 300 IN TXT \"v=spf1 -all\"",
            "example.com. 300 IN TXT \"v=spf1 +all\"",
            "example.com. 300 IN TXT \"unrelated\"");
    SpfOutcome outcome = check(dns, "a@example.com");
    assertThat(outcome.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(outcome.problem()).contains(SpfProblem.MULTIPLE_RECORDS);
  }

  // --- DNS failures and time ---

  @Test
  void dnsFailuresAreTemperror() {
    for (DnsFailure.Kind kind : List.of(DnsFailure.Kind.TIMEOUT, DnsFailure.Kind.SERVER_FAILURE)) {
      DnsResolver dns =
          ZoneFileResolver.builder()
              .zone("example.com. 300 IN TXT \"v=spf1 a:down.example.net -all\"\n")
              .fail(DomainName.parse("down.example.net"), kind)
              .build();
      SpfOutcome outcome = check(dns, "a@example.com");
      assertThat(outcome.result()).as("%s", kind).isEqualTo(SpfResult.TEMPERROR);
      assertThat(outcome.problem()).contains(SpfProblem.DNS_ERROR);
      assertThat(outcome.detail()).contains("a:down.example.net");
    }
  }

  @Test
  void aResolverThatNeverAnswersEndsAtTheTimeBudget() throws Exception {
    DnsResolver silent =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return new CompletableFuture<>();
          }
        };
    SpfVerifier spf = verifier(silent).timeout(Duration.ofMillis(200)).build();
    SpfOutcome outcome =
        spf.checkAsync(CLIENT, "h.example", "a@example.com").get(30, TimeUnit.SECONDS);
    assertThat(outcome.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(outcome.problem()).contains(SpfProblem.TIME_LIMIT);
  }

  @Test
  void aSlowResolverRunsOutOfTimeBetweenLookups() throws Exception {
    // Each answer takes 60 ms; a 10-include chain cannot finish in 300 ms.
    ZoneFileResolver zone = includeChain(10);
    DnsResolver slow =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return zone.lookupAsync(query)
                .thenApplyAsync(
                    a -> a, CompletableFuture.delayedExecutor(60, TimeUnit.MILLISECONDS));
          }
        };
    SpfOutcome outcome =
        verifier(slow)
            .timeout(Duration.ofMillis(300))
            .build()
            .checkAsync(ip("203.0.113.1"), "h.example", "a@example.com")
            .get(30, TimeUnit.SECONDS);
    assertThat(outcome.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(outcome.problem()).contains(SpfProblem.TIME_LIMIT);
    assertThat(outcome.trace()).isNotEmpty().hasSizeLessThan(11);
  }

  @Test
  void aResolverThatThrowsIsTemperror() {
    DnsResolver throwing =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            throw new IllegalStateException("resolver bug");
          }
        };
    DnsResolver failing =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return CompletableFuture.failedFuture(new IllegalStateException("resolver bug"));
          }
        };
    for (DnsResolver dns : List.of(throwing, failing)) {
      SpfOutcome outcome = check(dns, "a@example.com");
      assertThat(outcome.result()).isEqualTo(SpfResult.TEMPERROR);
      assertThat(outcome.detail()).contains("resolver bug");
    }
  }

  // --- concurrency ---

  @Test
  void oneVerifierServesManyThreads() throws Exception {
    ZoneFileResolver dns =
        zone(
            "example.com. 300 IN TXT \"v=spf1 include:_spf.example.net mx -all\"",
            "example.com. 300 IN MX 10 mx.example.com.",
            "mx.example.com. 300 IN A 192.0.2.20",
            "_spf.example.net. 300 IN TXT \"v=spf1 ip4:192.0.2.0/28 ~all\"");
    SpfVerifier spf = verifier(dns).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger checks = new AtomicInteger();
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(
            pool.submit(
                () -> {
                  for (int k = 0; k < 200; k++) {
                    InetAddress client = ip("192.0.2." + (k % 40));
                    SpfResult expected =
                        k % 40 < 16 || k % 40 == 20 ? SpfResult.PASS : SpfResult.FAIL;
                    SpfOutcome outcome = spf.check(client, "h.example", "a@example.com");
                    assertThat(outcome.result()).as("%s", client).isEqualTo(expected);
                    checks.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(checks).hasValue(1600);
  }

  @Test
  void parsedRecordsAreReusedAndTheCacheIsBounded() {
    SpfVerifier spf = verifier(zone("")).recordCacheSize(2).build();
    SpfRecord first = spf.parse("v=spf1 mx -all");
    assertThat(spf.parse("v=spf1 mx -all")).isSameAs(first);
    // Syntax errors are remembered too, and thrown again each time.
    for (int k = 0; k < 2; k++) {
      assertThatThrownBy(() -> spf.parse("v=spf1 ip4:300.0.0.1"))
          .isInstanceOf(SpfSyntaxException.class)
          .hasMessageContaining("index 11");
    }
    for (int k = 0; k < 10; k++) {
      assertThat(spf.parse("v=spf1 ip4:192.0.2." + k + " -all").directives()).hasSize(2);
    }
    SpfVerifier uncached = verifier(zone("")).recordCacheSize(0).build();
    assertThat(uncached.parse("v=spf1 mx -all"))
        .isNotSameAs(uncached.parse("v=spf1 mx -all"))
        .isEqualTo(first);
  }

  @Test
  void builderRejectsNonsense() {
    DnsResolver dns = zone("");
    assertThatThrownBy(() -> SpfVerifier.builder(dns).maxDnsLookups(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SpfVerifier.builder(dns).maxMxNames(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SpfVerifier.builder(dns).timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SpfVerifier.builder(null)).isInstanceOf(NullPointerException.class);
  }

  /** A resolver that answers every TXT query with one record, and nothing else. */
  private static DnsResolver answering(TxtRecord record) {
    return new DnsResolver() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
        if (query.typeName().equals("TXT")) {
          return CompletableFuture.completedFuture(
              DnsAnswer.found(query, List.of((T) record), Duration.ofMinutes(5), false));
        }
        return CompletableFuture.completedFuture(
            DnsAnswer.nxDomain(query, Duration.ofMinutes(5), false));
      }
    };
  }
}
