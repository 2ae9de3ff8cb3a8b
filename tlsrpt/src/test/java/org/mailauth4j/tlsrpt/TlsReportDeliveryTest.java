package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.CLOCK;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.ED25519;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.POLICY_DOMAIN;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.SUBMITTER;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.ascii;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.gunzip;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.report;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsReportDeliveryTest {
  private static ReportReceiver receiver;

  @BeforeAll
  static void start() throws IOException {
    receiver = new ReportReceiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  private static TlsReportDelivery.Builder delivery() {
    AtomicInteger ids = new AtomicInteger();
    return TlsReportDelivery.builder()
        .https(
            TlsReportSubmitter.builder()
                .sslContext(receiver.pki.trustingOnlyThis())
                .maxAttempts(1)
                .build())
        .mail(
            TlsReportMail.builder("tlsrpt@mail.sender.example")
                .dkimKey(SUBMITTER, "tlsrpt", ED25519)
                .clock(CLOCK)
                .uniqueIds(() -> "m" + ids.incrementAndGet())
                .build());
  }

  @Test
  void postsToEveryHttpsUriAndComposesOneMessagePerMailtoRecipient() {
    URI accepting = receiver.uri("/status/201");
    URI refusing = receiver.uri("/status/400");
    URI mailto = URI.create("mailto:tlsrpt@example.com");
    URI twoRecipients = URI.create("mailto:a@example.com%2Cb@reports.example?subject=ignored");
    List<URI> rua = List.of(accepting, refusing, mailto, twoRecipients);

    TlsReportDelivery.Result result = delivery().build().deliver(POLICY_DOMAIN, rua, report());

    assertThat(result.isDelivered()).isTrue();
    List<TlsReportDelivery.Outcome> outcomes = result.outcomes();
    assertThat(outcomes)
        .extracting(TlsReportDelivery.Outcome::uri)
        .containsExactly(accepting, refusing, mailto, twoRecipients, twoRecipients);
    TlsReportDelivery.Posted accepted = (TlsReportDelivery.Posted) outcomes.get(0);
    assertThat(accepted.submission().statusCode()).hasValue(201);
    TlsReportDelivery.Posted refused = (TlsReportDelivery.Posted) outcomes.get(1);
    assertThat(refused.submission().failure()).contains(TlsReportSubmission.Failure.REJECTED);
    assertThat(result.messages())
        .extracting(TlsReportDelivery.Composed::recipient)
        .containsExactly("tlsrpt@example.com", "a@example.com", "b@reports.example");
    for (TlsReportDelivery.Composed c : result.messages()) {
      String message = ascii(c.message());
      assertThat(message).contains("\r\nTo: " + c.recipient() + "\r\n");
      assertThat(message).doesNotContain("ignored");
    }
    assertThat(
            receiver.requests().stream()
                .filter(r -> r.path().equals("/status/201"))
                .map(r -> gunzip(r.body())))
        .allSatisfy(body -> assertThat(body).isEqualTo(TlsReportJson.toJson(report())));
  }

  @Test
  void isNotDeliveredWhenNoEndpointAccepts() {
    List<URI> rua =
        List.of(
            receiver.uri("/status/413"),
            receiver.uri("/status/503"),
            URI.create("mailto:tlsrpt@example.com"));

    TlsReportDelivery.Result result = delivery().build().deliver(POLICY_DOMAIN, rua, report());

    assertThat(result.isDelivered()).isFalse();
    assertThat(result.messages()).hasSize(1);
  }

  @ParameterizedTest(name = "skips {0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://reports.example/v1 | knows only mailto: and https:",
        "ftp://reports.example/ | knows only mailto: and https:",
        "urn:isbn:0451450523 | knows only mailto: and https:",
        "https://reports.example/v1#part | no fragment",
        "mailto:not%20an%20address@example.com | not a plain addr-spec",
        "mailto:a@example.com%0D%0ABcc:evil@attacker.example | not a plain addr-spec",
        "mailto:a@example.com%0D%0A | not a host name",
        "mailto:a@b%C3%BCcher.example | not an ASCII addr-spec",
        "mailto:?to=a@example.com | not a plain addr-spec"
      })
  void skipsUrisItCannotUse(String uri, String reason) {
    TlsReportDelivery.Result result =
        delivery().build().deliver(POLICY_DOMAIN, List.of(URI.create(uri)), report());

    assertThat(result.outcomes()).hasSize(1);
    assertThat(result.outcomes().get(0)).isInstanceOf(TlsReportDelivery.Skipped.class);
    assertThat(((TlsReportDelivery.Skipped) result.outcomes().get(0)).reason()).contains(reason);
    assertThat(result.isDelivered()).isFalse();
  }

  @Test
  void usesEachUriOnceAndNoMoreThanTheLimit() {
    URI first = receiver.uri("/flaky/limit-1/200");
    List<URI> rua =
        List.of(
            first,
            first,
            URI.create("mailto:a@example.com"),
            URI.create("mailto:b@example.com"),
            receiver.uri("/flaky/limit-2/200"));

    TlsReportDelivery.Result result =
        delivery().maxDestinations(2).build().deliver(POLICY_DOMAIN, rua, report());

    assertThat(result.outcomes())
        .extracting(o -> o.getClass().getSimpleName())
        .containsExactly("Posted", "Skipped", "Composed", "Skipped", "Skipped");
    assertThat(((TlsReportDelivery.Skipped) result.outcomes().get(1)).reason())
        .contains("listed twice");
    assertThat(((TlsReportDelivery.Skipped) result.outcomes().get(3)).reason()).contains("first 2");
    assertThat(receiver.count("/flaky/limit-1/200")).isEqualTo(1);
    assertThat(receiver.count("/flaky/limit-2/200")).isZero();
  }

  @Test
  void skipsWhatItWasNotGivenTheMeansFor() {
    TlsReportDelivery httpsOnly =
        TlsReportDelivery.builder()
            .https(TlsReportSubmitter.builder().sslContext(receiver.pki.trustingOnlyThis()).build())
            .build();
    TlsReportDelivery.Result result =
        httpsOnly.deliver(POLICY_DOMAIN, List.of(URI.create("mailto:a@example.com")), report());
    assertThat(((TlsReportDelivery.Skipped) result.outcomes().get(0)).reason())
        .contains("no report mail");
    assertThatThrownBy(() -> TlsReportDelivery.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TlsReportDelivery.builder().maxDestinations(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAReportWhoseContactIsNotAtTheSubmitterBeforeSendingAnything() {
    TlsReport foreign = report("r", Optional.of("tlsrpt@other.example"));
    URI endpoint = receiver.uri("/flaky/never/200");
    List<URI> rua = List.of(endpoint, URI.create("mailto:tlsrpt@example.com"));
    TlsReportDelivery delivery = delivery().build();

    assertThatThrownBy(() -> delivery.deliverAsync(POLICY_DOMAIN, rua, foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contact-info");
    assertThat(receiver.count("/flaky/never/200")).isZero();
  }

  @Test
  void handsOutCopiesOfTheMessage() {
    TlsReportDelivery.Result result =
        delivery()
            .build()
            .deliver(POLICY_DOMAIN, List.of(URI.create("mailto:a@example.com")), report());
    TlsReportDelivery.Composed composed = result.messages().get(0);
    composed.message()[0] = 'X';
    assertThat(composed.message()[0]).isEqualTo((byte) 'D');
  }
}
