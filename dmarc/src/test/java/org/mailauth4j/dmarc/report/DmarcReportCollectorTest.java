package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.DiscoveryMethod;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcResult;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dmarc.MessageAuthenticator;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfVerifier;
import org.mailauth4j.testkit.MutableClock;

/** Real DMARC outcomes, over one zone, rolled up into the day's aggregate reports. */
class DmarcReportCollectorTest {
  static final LocalDate DAY = LocalDate.parse("2026-05-01");
  static final Instant NOON = Instant.parse("2026-05-01T12:00:00Z");

  /** Messages authenticated over one zone by verifiers on one clock. */
  static final class Mail {
    static final DkimSigningKey KEY = DkimSigningKey.generateEd25519();

    static final String ZONE =
        """
        example.com. TXT "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
        mail.example.com. A 192.0.2.25
        mail.example.com. TXT "v=spf1 a -all"
        quarantine.example. TXT "v=spf1 ip4:192.0.2.0/24 -all"
        _dmarc.quarantine.example. TXT "v=DMARC1; p=quarantine; rua=mailto:d@quarantine.example"
        testing.example. TXT "v=spf1 ip4:192.0.2.0/24 -all"
        _dmarc.testing.example. TXT "v=DMARC1; p=reject; t=y; rua=mailto:d@testing.example"
        _dmarc.sampled.example. TXT "v=DMARC1; p=reject; pct=0; rua=mailto:d@sampled.example"
        monitor.example. TXT "v=spf1 ip4:192.0.2.0/24 -all"
        _dmarc.monitor.example. TXT "v=DMARC1; p=none; rua=mailto:d@monitor.example"
        bounces.example.net. TXT "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
        """
            + "ed._domainkey.example.com. TXT \""
            + KEY.keyRecord()
            + "\"\n";

    static final String REJECT =
        "_dmarc.example.com. TXT \"v=DMARC1; p=reject; rua=mailto:d@example.com\"\n";
    static final String QUARANTINE =
        "_dmarc.example.com. TXT \"v=DMARC1; p=quarantine; rua=mailto:d@example.com\"\n";

    final MutableClock clock;
    private final DnsResolver dns;
    private final DmarcVerifier dmarc;
    private final MessageAuthenticator authenticator;

    Mail(MutableClock clock) {
      this(clock, DmarcProfile.RFC9989, REJECT);
    }

    Mail(MutableClock clock, DmarcProfile profile, String exampleComRecord) {
      this.clock = clock;
      this.dns = ZoneFileResolver.builder().zone(ZONE + exampleComRecord).build();
      this.dmarc = DmarcVerifier.builder(dns).profile(profile).clock(clock).build();
      this.authenticator =
          MessageAuthenticator.builder(dns, "mx.example.org").dmarcVerifier(dmarc).build();
    }

    static byte[] message(String from) {
      return ("From: "
              + from
              + "\r\nTo: b@example.org\r\nSubject: hello\r\nDate: Fri, 1 May 2026 10:00:00 +0000\r\n"
              + "Message-ID: <m1@example.com>\r\n\r\nHello.\r\n")
          .getBytes(UTF_8);
    }

    static byte[] signed(String from) {
      return DkimSigner.builder()
          .key(DomainName.parse("example.com"), "ed", KEY)
          .build()
          .signMessage(message(from));
    }

    /** A message signed by example.com from an authorized host: passes at example.com. */
    MessageAuthentication aligned() {
      return authenticator.authenticate(
          signed("alice@example.com"),
          InetAddresses.forString("192.0.2.25"),
          "mail.example.com",
          "alice@example.com");
    }

    /** An unsigned message with a bounce address elsewhere: fails at the From domain. */
    MessageAuthentication unaligned(String from, String client) {
      return authenticator.authenticate(
          message(from),
          InetAddresses.forString(client),
          "mail.example.com",
          "x@bounces.example.net");
    }

    /**
     * Adds a signed message from example.com whose only SPF check was of the HELO identity, by the
     * collector's form for separate verifiers.
     */
    void addHeloOnly(DmarcReportCollector collector, String helo) {
      SpfOutcome spf =
          SpfVerifier.builder(dns).build().checkHelo(InetAddresses.forString("192.0.2.25"), helo);
      DkimVerification dkim = DkimVerifier.builder(dns).build().verify(signed("alice@example.com"));
      DmarcOutcome outcome = dmarc.evaluate(dkim.header().orElseThrow(), spf, dkim);
      collector.add(outcome, spf, dkim, ReceiverHandling.asEvaluated());
    }

    MessageAuthentication of(byte[] message, String client, String helo, String mailFrom) {
      return authenticator.authenticate(message, InetAddresses.forString(client), helo, mailFrom);
    }
  }

  private final MutableClock clock = new MutableClock(NOON);
  private final Mail mail = new Mail(clock);
  private final InMemoryDmarcReportStore store = new InMemoryDmarcReportStore();

  private DmarcReportCollector.Builder collector() {
    return DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", store)
        .clock(clock)
        .random(new Random(9990));
  }

  private void nextDay() {
    clock.advance(Duration.ofDays(1));
  }

  private static AggregateReport only(List<AggregateReport> reports) {
    assertThat(reports).hasSize(1);
    return reports.get(0);
  }

  @Test
  void reportsAnAlignedPassUnderAnEnforcingPolicyAsPass() {
    DmarcReportCollector c = collector().build();
    MessageAuthentication auth = mail.aligned();
    assertThat(auth.dmarc().result()).isEqualTo(DmarcResult.PASS);
    for (int i = 0; i < 3; i++) {
      c.add(auth);
    }
    nextDay();

    AggregateReport report = only(c.reports(DAY));

    assertThat(report.policy())
        .isEqualTo(
            PublishedPolicy.builder("example.com")
                .policy(Optional.of(DmarcPolicy.REJECT))
                .subdomainPolicy(Optional.of(DmarcPolicy.REJECT))
                .nonexistentDomainPolicy(Optional.of(DmarcPolicy.REJECT))
                .dkimAlignment(Optional.of(AlignmentMode.RELAXED))
                .spfAlignment(Optional.of(AlignmentMode.RELAXED))
                .discoveryMethod(Optional.of(DiscoveryMethod.TREEWALK))
                .failureOptions(Optional.of("0"))
                .testing(Optional.of(false))
                .build());
    assertThat(report.records())
        .containsExactly(
            ReportRecord.builder(InetAddresses.forString("192.0.2.25"), "example.com")
                .count(3)
                .disposition(Optional.of(Disposition.PASS))
                .dkimAligned(Optional.of(true))
                .spfAligned(Optional.of(true))
                .envelopeFrom(Optional.of("example.com"))
                .addDkim(DkimAuthResult.of("example.com", "ed", DkimResult.PASS))
                .addSpf(SpfAuthResult.of("example.com", SpfScope.MFROM, SpfReportResult.PASS))
                .build());
    assertThat(report.messageCount()).isEqualTo(3);
  }

  @Test
  void reportsAPassUnderPNoneAsNone() {
    DmarcReportCollector c = collector().build();
    c.add(
        mail.of(
            Mail.message("a@monitor.example"),
            "192.0.2.25",
            "mail.example.com",
            "a@monitor.example"));
    nextDay();

    ReportRecord r = only(c.reports(DAY)).records().get(0);

    // RFC 9990: "pass" only under an enforcing policy
    assertThat(r.disposition()).contains(Disposition.NONE);
    assertThat(r.spfAligned()).contains(true);
    assertThat(r.dkimAligned()).contains(false);
    assertThat(r.spf())
        .containsExactly(SpfAuthResult.of("monitor.example", SpfScope.MFROM, SpfReportResult.PASS));
    assertThat(r.dkim()).isEmpty();
  }

  @Test
  void reportsAFailureUnderQuarantineWithWhatFailed() {
    DmarcReportCollector c = collector().build();
    MessageAuthentication auth = mail.unaligned("x@quarantine.example", "192.0.2.77");
    assertThat(auth.dmarc().appliedPolicy()).isEqualTo(DmarcPolicy.QUARANTINE);
    c.add(auth);
    nextDay();

    AggregateReport report = only(c.reports(DAY));

    assertThat(report.policy().domain()).isEqualTo("quarantine.example");
    assertThat(report.policy().policy()).contains(DmarcPolicy.QUARANTINE);
    assertThat(report.records())
        .containsExactly(
            ReportRecord.builder(InetAddresses.forString("192.0.2.77"), "quarantine.example")
                .disposition(Optional.of(Disposition.QUARANTINE))
                .dkimAligned(Optional.of(false))
                .spfAligned(Optional.of(false))
                .envelopeFrom(Optional.of("bounces.example.net"))
                .addSpf(
                    SpfAuthResult.of("bounces.example.net", SpfScope.MFROM, SpfReportResult.PASS))
                .build());
  }

  @Test
  void addsPolicyTestModeWhenTEqualsYRelaxedThePolicy() {
    DmarcReportCollector c = collector().build();
    c.add(mail.unaligned("x@testing.example", "192.0.2.77"));
    nextDay();

    AggregateReport report = only(c.reports(DAY));

    assertThat(report.policy().testing()).contains(true);
    ReportRecord r = report.records().get(0);
    // RFC 9989 §4.7: reject applied as quarantine
    assertThat(r.disposition()).contains(Disposition.QUARANTINE);
    assertThat(r.reasons()).containsExactly(OverrideReason.of(OverrideType.POLICY_TEST_MODE));
  }

  @Test
  void addsSampledOutWhenPctExemptedTheMessageUnderRfc7489() {
    Mail legacy = new Mail(clock, DmarcProfile.RFC7489, Mail.REJECT);
    DmarcReportCollector c = collector().build();
    c.add(legacy.unaligned("x@sampled.example", "192.0.2.77"));
    nextDay();

    AggregateReport report = only(c.reports(DAY));

    assertThat(report.policy().percent()).isEqualTo(OptionalInt.of(0));
    assertThat(report.policy().discoveryMethod()).contains(DiscoveryMethod.PSL);
    assertThat(report.policy().testing()).isEmpty();
    ReportRecord r = report.records().get(0);
    assertThat(r.disposition()).contains(Disposition.QUARANTINE);
    assertThat(r.reasons()).containsExactly(OverrideReason.of(OverrideType.SAMPLED_OUT));
  }

  @Test
  void reportsAPassAsNoneUnderRfc7489() {
    Mail legacy = new Mail(clock, DmarcProfile.RFC7489, Mail.REJECT);
    DmarcReportCollector c = collector().build();
    c.add(legacy.aligned(), ReceiverHandling.builder().disposition(Disposition.PASS).build());
    c.add(legacy.aligned());
    nextDay();

    ReportRecord r = only(c.reports(DAY)).records().get(0);

    // RFC 7489 Appendix C has no "pass" disposition: both messages are one "none" record
    assertThat(r.disposition()).contains(Disposition.NONE);
    assertThat(r.count()).isEqualTo(2);
  }

  @Test
  void putsEachAuthorDomainInTheReportOfItsPolicyDomain() {
    DmarcReportCollector c = collector().build();
    MessageAuthentication auth =
        mail.of(
            Mail.signed("a@example.com, b@quarantine.example"),
            "192.0.2.25",
            "mail.example.com",
            "a@example.com");
    assertThat(auth.dmarc().evaluations()).hasSize(2);
    c.add(auth);
    nextDay();

    List<AggregateReport> reports = c.reports(DAY);

    assertThat(reports)
        .extracting(r -> r.policy().domain())
        .containsExactly("example.com", "quarantine.example");
    assertThat(reports.get(0).records())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.headerFrom()).isEqualTo("example.com");
              assertThat(r.disposition()).contains(Disposition.PASS);
            });
    assertThat(reports.get(1).records())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.headerFrom()).isEqualTo("quarantine.example");
              assertThat(r.disposition()).contains(Disposition.QUARANTINE);
              // the same signature and SPF result, uninterpreted, in both
              assertThat(r.dkim())
                  .containsExactly(DkimAuthResult.of("example.com", "ed", DkimResult.PASS));
              assertThat(r.spf()).isEqualTo(reports.get(0).records().get(0).spf());
            });
  }

  @Test
  void countsEachMessageInTheUtcDayItWasEvaluated() {
    clock.advance(Duration.ofSeconds(43_199)); // 2026-05-01T23:59:59Z
    DmarcReportCollector c = collector().build();
    c.add(mail.aligned());
    clock.advance(Duration.ofSeconds(1)); // 2026-05-02T00:00:00Z
    c.add(mail.aligned());
    c.add(mail.aligned());
    assertThatThrownBy(() -> c.reports(DAY.plusDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not over");
    nextDay();

    AggregateReport first = only(c.reports(DAY));
    AggregateReport second = only(c.reports(DAY.plusDays(1)));

    assertThat(first.messageCount()).isEqualTo(1);
    assertThat(second.messageCount()).isEqualTo(2);
    assertThat(first.metadata().begin()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
    assertThat(first.metadata().end()).isEqualTo(Instant.parse("2026-05-01T23:59:59Z"));
    assertThat(second.metadata().begin()).isEqualTo(Instant.parse("2026-05-02T00:00:00Z"));
    assertThat(c.completedDays()).containsExactly(DAY, DAY.plusDays(1));
  }

  @Test
  void sendsOneReportPerConfigurationOfADomain() {
    DmarcReportCollector c = collector().build();
    c.add(mail.aligned());
    // the domain owner changed its record during the day
    Mail changed = new Mail(clock, DmarcProfile.RFC9989, Mail.QUARANTINE);
    c.add(changed.aligned());
    c.add(changed.aligned());
    nextDay();

    List<AggregateReport> reports = c.reports(DAY);

    assertThat(reports)
        .extracting(
            r -> r.policy().domain(),
            r -> r.policy().policy().orElseThrow(),
            AggregateReport::messageCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("example.com", DmarcPolicy.QUARANTINE, 2L),
            org.assertj.core.groups.Tuple.tuple("example.com", DmarcPolicy.REJECT, 1L));
    assertThat(reports.get(0).metadata().reportId())
        .isNotEqualTo(reports.get(1).metadata().reportId());
  }

  @Test
  void writesAnIpv6SourceAsItsAddress() {
    DmarcReportCollector c = collector().build();
    c.add(
        mail.of(
            Mail.signed("alice@example.com"),
            "2001:0db8:0000:0000:0000:0000:0000:0025",
            "mail.example.com",
            "alice@example.com"));
    c.add(mail.aligned());
    nextDay();

    List<ReportRecord> records = only(c.reports(DAY)).records();

    // IPv4 before IPv6
    assertThat(records)
        .extracting(r -> ReportText.address(r.sourceIp()))
        .containsExactly("192.0.2.25", "2001:db8::25");
    assertThat(records.get(1).spfAligned()).contains(true);
  }

  @Test
  void namesEachReportStablyAndUniquelyByDayDomainAndPolicy() {
    DmarcReportCollector c = collector().build();
    c.add(mail.aligned());
    c.add(mail.unaligned("x@quarantine.example", "192.0.2.77"));
    nextDay();
    c.add(mail.aligned());
    nextDay();

    List<AggregateReport> first = c.reports(DAY);
    List<AggregateReport> again = c.reports(DAY);
    // another collector over the same store, another random generator
    DmarcReportCollector other =
        DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", store)
            .clock(clock)
            .build();
    List<AggregateReport> elsewhere = other.reports(DAY);
    List<AggregateReport> nextDay = c.reports(DAY.plusDays(1));

    assertThat(again).isEqualTo(first);
    assertThat(elsewhere).isEqualTo(first);
    List<String> ids =
        List.of(
            first.get(0).metadata().reportId(),
            first.get(1).metadata().reportId(),
            nextDay.get(0).metadata().reportId());
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids.get(0)).matches("20260501\\.example\\.com\\.[0-9a-f]{32}");
    assertThat(ids.get(1)).matches("20260501\\.quarantine\\.example\\.[0-9a-f]{32}");
    assertThat(ids.get(2)).matches("20260502\\.example\\.com\\.[0-9a-f]{32}");
  }

  @Test
  void fillsTheMetadataFromTheBuilder() {
    DmarcReportCollector c =
        collector()
            .extraContactInfo("https://mx.example.org/dmarc")
            .generator("ExampleMTA 2.1")
            .build();
    c.add(mail.aligned());
    nextDay();

    AggregateReport report = only(c.reports(DAY));

    assertThat(report.version()).contains("1.0");
    ReportMetadata m = report.metadata();
    assertThat(m.organizationName()).isEqualTo("Example Receiver");
    assertThat(m.email()).isEqualTo("dmarc-reports@mx.example.org");
    assertThat(m.extraContactInfo()).contains("https://mx.example.org/dmarc");
    assertThat(m.generator()).contains("ExampleMTA 2.1");
    assertThat(m.errors()).isEmpty();
    assertThat(collector().build().toString()).contains("Example Receiver");
  }

  @Test
  void namesTheLibraryAsGeneratorUnlessToldOtherwise() {
    DmarcReportCollector c = collector().build();
    c.add(mail.aligned());
    nextDay();

    assertThat(only(c.reports(DAY)).metadata().generator()).contains("mailauth4j");
    assertThat(only(c.reports(DAY)).metadata().extraContactInfo()).isEmpty();
  }

  @Test
  void reportsWhatTheReceiverDidInsteadAndWhy() {
    DmarcReportCollector c = collector().build();
    ReceiverHandling handling =
        ReceiverHandling.builder()
            .disposition(Disposition.NONE)
            .addReason(OverrideReason.of(OverrideType.MAILING_LIST, "list.example.org"))
            // RFC 7489's type, which RFC 9990 lacks
            .addReason(OverrideReason.of(OverrideType.FORWARDED, "relay.example"))
            .envelopeTo("Example.ORG")
            .build();
    c.add(mail.unaligned("x@quarantine.example", "192.0.2.77"), handling);
    nextDay();

    ReportRecord r = only(c.reports(DAY)).records().get(0);

    assertThat(r.disposition()).contains(Disposition.NONE);
    assertThat(r.reasons())
        .containsExactly(
            OverrideReason.of(OverrideType.MAILING_LIST, "list.example.org"),
            OverrideReason.of(OverrideType.OTHER, "forwarded: relay.example"));
    assertThat(r.envelopeTo()).contains("example.org");
  }

  @Test
  void keepsTheReceiversOwnTestModeReasonInsteadOfAddingOne() {
    DmarcReportCollector c = collector().build();
    c.add(
        mail.unaligned("x@testing.example", "192.0.2.77"),
        ReceiverHandling.builder()
            .addReason(OverrideReason.of(OverrideType.POLICY_TEST_MODE, "t=y"))
            .build());
    nextDay();

    assertThat(only(c.reports(DAY)).records().get(0).reasons())
        .containsExactly(OverrideReason.of(OverrideType.POLICY_TEST_MODE, "t=y"));
  }

  @Test
  void takesTheHeloDomainAsEnvelopeFromForANullReversePath() {
    DmarcReportCollector c = collector().build();
    c.add(mail.of(Mail.message("alice@example.com"), "192.0.2.25", "mail.example.com", ""));
    nextDay();

    ReportRecord r = only(c.reports(DAY)).records().get(0);

    // RFC 7208 §2.4: the MAIL FROM identity of a null reverse-path is postmaster@<HELO domain>
    assertThat(r.envelopeFrom()).contains("mail.example.com");
    assertThat(r.spf())
        .containsExactly(
            SpfAuthResult.of("mail.example.com", SpfScope.MFROM, SpfReportResult.PASS));
    assertThat(r.spfAligned()).contains(true);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(DmarcProfile.class)
  void reportsAHeloOnlySpfResultWithoutEnvelopeFrom(DmarcProfile profile) {
    Mail m = new Mail(clock, profile, Mail.REJECT);
    DmarcReportCollector c = collector().build();
    m.addHeloOnly(c, "mail.example.com");
    nextDay();

    ReportRecord r = only(c.reports(DAY)).records().get(0);

    assertThat(r.envelopeFrom()).isEmpty();
    assertThat(r.dkimAligned()).contains(true);
    assertThat(r.spfAligned()).contains(true);
    // RFC 9990's scope is mfrom only, and optional; RFC 7489's has helo
    assertThat(r.spf())
        .containsExactly(
            SpfAuthResult.of(
                "mail.example.com",
                profile == DmarcProfile.RFC7489 ? Optional.of(SpfScope.HELO) : Optional.empty(),
                SpfReportResult.PASS,
                Optional.empty()));
  }

  @Test
  void reportsNoMessageWithoutADmarcRecordButCountsIt() {
    DmarcReportCollector c = collector().build();
    c.add(mail.unaligned("x@nodmarc.example", "192.0.2.77"));
    c.add(
        mail.of(
            "To: b@example.org\r\n\r\nno From\r\n".getBytes(UTF_8), "192.0.2.77", "h.example", ""));
    nextDay();

    assertThat(c.reports(DAY)).isEmpty();
    assertThat(c.messagesNotReported()).isEqualTo(2);
    assertThat(store.days()).isEmpty();
  }

  @Test
  void flushesByItselfWhenThePendingKeysReachTheLimit() {
    DmarcReportCollector c = collector().maxPendingKeys(2).build();
    c.add(mail.aligned());
    c.add(mail.aligned()); // the same key
    assertThat(store.days()).isEmpty();

    c.add(mail.unaligned("x@quarantine.example", "192.0.2.77")); // the second key: a flush

    assertThat(store.counts(DAY)).hasSize(2);
    assertThat(store.counts(DAY).stream().mapToLong(DmarcReportCounts::count).sum()).isEqualTo(3);
    assertThat(c.toString()).contains(" 0 keys pending");
  }

  @Test
  void buildsTheSameReportsHoweverTheMessagesWereFlushed() {
    List<MessageAuthentication> day =
        List.of(
            mail.aligned(),
            mail.unaligned("x@quarantine.example", "192.0.2.77"),
            mail.unaligned("x@quarantine.example", "192.0.2.78"),
            mail.unaligned("x@testing.example", "192.0.2.77"),
            mail.aligned());
    DmarcReportCollector once = collector().build();
    DmarcReportCollector often =
        DmarcReportCollector.builder(
                "Example Receiver", "dmarc-reports@mx.example.org", new InMemoryDmarcReportStore())
            .clock(clock)
            .maxPendingKeys(1)
            .build();
    for (int i = 0; i < 10; i++) {
      for (MessageAuthentication m : day) {
        once.add(m);
        often.add(m);
      }
    }
    nextDay();

    assertThat(often.reports(DAY)).isEqualTo(once.reports(DAY));
    assertThat(once.reports(DAY).stream().mapToLong(AggregateReport::messageCount).sum())
        .isEqualTo(50);
  }

  @Test
  void listsTheCompletedDaysAndRemovesOneOnceReported() {
    DmarcReportCollector c = collector().build();
    c.add(mail.aligned());
    nextDay();
    c.add(mail.aligned());
    nextDay();
    c.add(mail.aligned());
    c.flush();

    assertThat(c.completedDays()).containsExactly(DAY, DAY.plusDays(1));
    c.remove(DAY);
    assertThat(c.completedDays()).containsExactly(DAY.plusDays(1));
    assertThat(store.days()).containsExactly(DAY.plusDays(1), DAY.plusDays(2));
    assertThat(c.reports(DAY)).isEmpty();
  }

  @Test
  void refusesLimitsOutOfRange() {
    assertThatThrownBy(() -> collector().maxPendingKeys(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> collector().storeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> collector().storeTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReceiverHandling.builder().envelopeTo(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- a store that fails or is late ---

  /** A store whose adds complete only when the test says, into the in-memory store. */
  private final class LateStore implements DmarcReportStore {
    final List<CompletableFuture<Void>> opened = new CopyOnWriteArrayList<>();
    final List<List<DmarcReportCounts>> batches = new CopyOnWriteArrayList<>();
    final List<UUID> ids = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> addAsync(List<DmarcReportCounts> batch) {
      return addAsync(UUID.randomUUID(), batch);
    }

    @Override
    public CompletableFuture<Void> addAsync(UUID id, List<DmarcReportCounts> batch) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      ids.add(id);
      batches.add(batch);
      opened.add(f);
      return f;
    }

    void complete(int n) {
      store.add(batches.get(n));
      opened.get(n).complete(null);
    }

    void fail(int n) {
      opened.get(n).completeExceptionally(new IllegalStateException("database down"));
    }

    @Override
    public CompletableFuture<List<DmarcReportCounts>> countsAsync(LocalDate day) {
      return store.countsAsync(day);
    }

    @Override
    public CompletableFuture<List<LocalDate>> daysAsync() {
      return store.daysAsync();
    }

    @Override
    public CompletableFuture<Void> removeAsync(LocalDate day) {
      return store.removeAsync(day);
    }
  }

  private DmarcReportCollector collectorOn(DmarcReportStore s) {
    return DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", s)
        .clock(clock)
        .maxPendingKeys(1)
        .build();
  }

  @Test
  void keepsABatchWhoseAddFailedAndSendsItAgainUnderItsId() {
    LateStore late = new LateStore();
    DmarcReportCollector c =
        DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", late)
            .clock(clock)
            .build();
    c.add(mail.aligned());
    CompletableFuture<Void> first = c.flushAsync();
    late.fail(0);
    assertThatThrownBy(first::join)
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("database down");

    c.add(mail.unaligned("x@quarantine.example", "192.0.2.77"));
    CompletableFuture<Void> second = c.flushAsync();

    assertThat(late.ids).hasSize(3);
    assertThat(late.ids.get(1)).isEqualTo(late.ids.get(0)); // the kept batch, first, as it was
    assertThat(late.batches.get(1)).isEqualTo(late.batches.get(0));
    assertThat(late.ids.get(2)).isNotEqualTo(late.ids.get(0)); // the new counts, a batch of theirs
    late.complete(1);
    late.complete(2);
    second.join();
    nextDay();
    assertThat(c.reports(DAY)).extracting(AggregateReport::messageCount).containsExactly(1L, 1L);
  }

  @Test
  void waitsForAnAutomaticFlushStillInFlightBeforeReportingTheDay() {
    LateStore late = new LateStore();
    DmarcReportCollector c = collectorOn(late);
    c.add(mail.aligned()); // starts a flush
    assertThat(late.opened).hasSize(1);
    nextDay();

    CompletableFuture<List<AggregateReport>> reports = c.reportsAsync(DAY);

    assertThat(reports).isNotDone();
    late.complete(0);
    assertThat(reports.join())
        .singleElement()
        .satisfies(r -> assertThat(r.messageCount()).isEqualTo(1));
  }

  @Test
  void removesADayOnlyOnceTheAddsInFlightHaveSettled() {
    LateStore late = new LateStore();
    DmarcReportCollector c = collectorOn(late);
    c.add(mail.aligned());
    nextDay();

    CompletableFuture<Void> removed = c.removeAsync(DAY);

    assertThat(removed).isNotDone();
    late.complete(0);
    removed.join();
    // the late add did not make the day again, so no second report of it goes out
    assertThat(store.days()).isEmpty();
    assertThat(c.reports(DAY)).isEmpty();
  }

  @Test
  void failsTheReportsWhenAnAddInFlightFailsAndReportsItsCountsNextTime() {
    LateStore late = new LateStore();
    DmarcReportCollector c = collectorOn(late);
    c.add(mail.aligned());
    nextDay();

    CompletableFuture<List<AggregateReport>> reports = c.reportsAsync(DAY);
    late.fail(0);

    assertThatThrownBy(reports::join)
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("database down");
    CompletableFuture<List<AggregateReport>> again = c.reportsAsync(DAY);
    late.complete(1);
    assertThat(again.join())
        .singleElement()
        .satisfies(r -> assertThat(r.messageCount()).isEqualTo(1));
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void flushesByItselfAgainOnceAStoreThatNeverAnswersTimedOut() {
    LateStore hung = new LateStore();
    DmarcReportCollector c =
        DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", hung)
            .clock(clock)
            .maxPendingKeys(1)
            .storeTimeout(Duration.ofMillis(20))
            .build();
    MessageAuthentication auth = mail.aligned();
    c.add(auth); // the first automatic flush

    // once it timed out, a message that fills the window starts the next one
    while (hung.opened.size() < 2) {
      c.add(auth);
      Thread.onSpinWait();
    }

    assertThat(hung.opened.get(0)).isNotDone(); // the store's own future is left alone
    assertThat(hung.ids.get(1)).isEqualTo(hung.ids.get(0)); // sent again, under its id
  }

  @Test
  void drawsBatchIdsFromTheGivenRandomGenerator() {
    LateStore a = new LateStore();
    LateStore b = new LateStore();
    AtomicInteger n = new AtomicInteger();
    for (LateStore s : List.of(a, b)) {
      DmarcReportCollector c =
          DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", s)
              .clock(clock)
              .random(new Random(42))
              .build();
      c.add(mail.aligned());
      c.flushAsync();
      n.incrementAndGet();
    }

    assertThat(n).hasValue(2);
    assertThat(a.ids).isEqualTo(b.ids);
    assertThat(a.ids.get(0).version()).isEqualTo(4);
    assertThat(a.ids.get(0).variant()).isEqualTo(2);
  }
}
