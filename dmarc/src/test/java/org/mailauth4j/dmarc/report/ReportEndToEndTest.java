package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.DmarcResult;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dmarc.MessageAuthenticator;
import org.mailauth4j.dmarc.report.DmarcReportCollectorTest.Mail;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.testkit.MutableClock;
import org.mailauth4j.testkit.PostgresServer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Both directions at once: two MTAs of one receiver add real DMARC outcomes to one shared store;
 * the day's reports go, after the external destination check, as DKIM-signed report e-mail that
 * passes DMARC at the domain owner, whose reader parses them back to the same reports and counts.
 */
class ReportEndToEndTest {
  @RegisterExtension static final PostgresServer POSTGRES = new PostgresServer();

  private static final ExecutorService JDBC = Executors.newFixedThreadPool(4);
  private static final AtomicInteger TABLES = new AtomicInteger();

  /** example.com reports to itself and to a third party that has authorized it. */
  private static final String EXAMPLE_COM =
      "_dmarc.example.com. TXT"
          + " \"v=DMARC1; p=reject; rua=mailto:d@example.com,mailto:agg@reports.example.net\"\n";

  private static final String REPORTER = "dmarc-reports@mx.example.org";
  private static final DkimSigningKey RSA = DkimSigningKey.generateRsa(2048);
  private static final DkimSigningKey ED25519 = DkimSigningKey.generateEd25519();

  /** Where the report's recipients look things up: the reporter's keys and DMARC record. */
  private static final ZoneFileResolver RECIPIENT_DNS =
      ZoneFileResolver.fromZoneText(
          "_dmarc.example.org. TXT \"v=DMARC1; p=reject\"\n"
              + "rsa._domainkey.example.org. TXT "
              + TxtRecord.split(RSA.keyRecord())
              + "\n"
              + "ed._domainkey.mx.example.org. TXT "
              + TxtRecord.split(ED25519.keyRecord())
              + "\n");

  /** Where the reporter checks destinations: the policy domains and the third party's consent. */
  private static final ZoneFileResolver REPORTER_DNS =
      ZoneFileResolver.fromZoneText(
          Mail.ZONE
              + EXAMPLE_COM
              + "example.com._report._dmarc.reports.example.net. TXT \"v=DMARC1\"\n");

  /** Where the day's counts live. */
  enum Store {
    IN_MEMORY,
    POSTGRESQL
  }

  @AfterAll
  static void stopThePool() {
    JDBC.shutdownNow();
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (DmarcProfile profile : DmarcProfile.values()) {
      for (Store store : Store.values()) {
        cases.add(Arguments.of(profile + " reports kept " + store, profile, store));
      }
    }
    return cases.build();
  }

  private static DmarcReportStore store(Store kind) {
    if (kind == Store.IN_MEMORY) {
      return new InMemoryDmarcReportStore();
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(POSTGRES.jdbcUrl());
    ds.setUser(POSTGRES.user());
    JdbcDmarcReportStore store =
        JdbcDmarcReportStore.builder(ds, JDBC)
            .tablePrefix("e" + TABLES.incrementAndGet() + "_")
            .build();
    store.createSchema();
    return store;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void outcomesTravelAsReportMailAndParseBackToTheSameCounts(
      String name, DmarcProfile profile, Store kind) {
    MutableClock clock = new MutableClock(DmarcReportCollectorTest.NOON);
    DmarcReportStore store = store(kind);
    DmarcReportCollector mtaA =
        DmarcReportCollector.builder("Example Receiver", REPORTER, store).clock(clock).build();
    DmarcReportCollector mtaB =
        DmarcReportCollector.builder("Example Receiver", REPORTER, store).clock(clock).build();
    Mail mail = new Mail(clock, profile, EXAMPLE_COM);

    List<MessageAuthentication> seen = new ArrayList<>();
    Map<String, Long> sent = new HashMap<>(); // policy domain and source address -> messages
    for (int i = 0; i < 4; i++) {
      receive(mtaA, mail.aligned(), seen, sent);
    }
    receive(mtaA, mail.unaligned("bob@example.com", "198.51.100.7"), seen, sent);
    receive(mtaA, mail.unaligned("carol@quarantine.example", "192.0.2.30"), seen, sent);
    for (int i = 0; i < 3; i++) {
      receive(mtaB, mail.aligned(), seen, sent);
    }
    receive(mtaB, mail.unaligned("bob@example.com", "198.51.100.7"), seen, sent);
    receive(mtaB, mail.unaligned("bob@example.com", "198.51.100.7"), seen, sent);
    receive(mtaB, mail.unaligned("erin@monitor.example", "192.0.2.10"), seen, sent);
    mtaA.flush();
    mtaB.flush();
    clock.advance(Duration.ofDays(1));
    assertThat(sent)
        .containsEntry("example.com 192.0.2.25", 7L)
        .containsEntry("example.com 198.51.100.7", 3L);

    Map<String, DmarcRecord> records = new HashMap<>();
    for (MessageAuthentication a : seen) {
      records.put(a.dmarc().policyDomain().orElseThrow().toString(), a.dmarc().record().get());
    }
    ReportDestinationVerifier destinations =
        ReportDestinationVerifier.builder(REPORTER_DNS).profile(profile).build();
    AggregateReportMail reportMail =
        AggregateReportMail.builder(REPORTER)
            .dkimKey(DomainName.parse("example.org"), "rsa", RSA)
            .dkimKey(DomainName.parse("mx.example.org"), "ed", ED25519)
            .clock(clock)
            .build();
    MessageAuthenticator domainOwner =
        MessageAuthenticator.builder(RECIPIENT_DNS, "mx.example.com")
            .dkimVerifier(DkimVerifier.builder(RECIPIENT_DNS).clock(clock).build())
            .dmarcVerifier(DmarcVerifier.builder(RECIPIENT_DNS).clock(clock).build())
            .build();
    AggregateReportReader reader = AggregateReportReader.builder().build();
    ReportFormat format = ReportFormat.of(profile);

    List<AggregateReport> produced = mtaB.reports(DmarcReportCollectorTest.DAY);
    assertThat(mtaA.reports(DmarcReportCollectorTest.DAY)).isEqualTo(produced);
    Map<String, Long> received = new HashMap<>();
    Set<String> reportIds = new HashSet<>();
    for (AggregateReport report : produced) {
      String domain = report.policy().domain();
      assertThat(reportIds.add(report.metadata().reportId())).isTrue();
      List<String> to =
          destinations
              .verify(DomainName.parse(domain), records.get(domain).aggregateReportUris())
              .mailboxes();
      assertThat(to).contains("d@" + domain);
      if (domain.equals("example.com")) {
        assertThat(to).containsExactly("d@example.com", "agg@reports.example.net");
      }

      byte[] message = reportMail.compose(report, format, to);

      MessageAuthentication atOwner =
          domainOwner.authenticate(
              message,
              InetAddresses.forString("203.0.113.5"),
              "mx.example.org",
              "bounces@mx.example.org");
      assertThat(atOwner.dmarc().result()).as(atOwner.toString()).isEqualTo(DmarcResult.PASS);
      assertThat(atOwner.dkim().outcomes()).hasSize(2).allMatch(DkimOutcome::isPass);

      ReceivedAggregateReport read = reader.readMessage(message);
      assertThat(read.warnings()).isEmpty();
      assertThat(read.report()).isEqualTo(ReportRoundTripTest.carriedBy(report, format));
      for (ReportRecord r : read.report().records()) {
        received.merge(
            read.report().policy().domain() + " " + r.sourceIp().getHostAddress(),
            r.count(),
            Long::sum);
      }
    }
    assertThat(received).isEqualTo(sent);
  }

  private static void receive(
      DmarcReportCollector collector,
      MessageAuthentication authentication,
      List<MessageAuthentication> seen,
      Map<String, Long> sent) {
    collector.add(authentication);
    seen.add(authentication);
    String client = authentication.spf().clientIp().getHostAddress();
    sent.merge(authentication.dmarc().policyDomain().orElseThrow() + " " + client, 1L, Long::sum);
  }
}
