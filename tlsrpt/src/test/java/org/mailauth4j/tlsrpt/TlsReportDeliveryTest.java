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

  /** A record listing these URIs, in order, as the domain's owner would publish it. */
  private static TlsRptRecord record(Object... uris) {
    StringBuilder text = new StringBuilder("v=TLSRPTv1; rua=");
    for (int i = 0; i < uris.length; i++) {
      text.append(i == 0 ? "" : ",").append(uris[i]);
    }
    return TlsRptRecord.parse(text);
  }

  private static String reason(TlsReportDelivery.Outcome outcome) {
    assertThat(outcome).isInstanceOf(TlsReportDelivery.Skipped.class);
    return ((TlsReportDelivery.Skipped) outcome).reason();
  }

  @Test
  void postsToEveryHttpsUriAndComposesOneMessagePerMailtoRecipient() {
    TlsRptRecord record =
        record(
            receiver.uri("/status/201"),
            receiver.uri("/status/400"),
            "mailto:tlsrpt@example.com",
            "mailto:a@example.com%2Cb@reports.example?subject=ignored");
    List<TlsRptUri> uris = record.reportUris();

    TlsReportDelivery.Dispatch dispatch =
        delivery().build().deliver(POLICY_DOMAIN, record, report());
    TlsReportDelivery.Result result = dispatch.result().join();

    assertThat(result.isDelivered()).isTrue();
    List<TlsReportDelivery.Outcome> outcomes = result.outcomes();
    assertThat(outcomes)
        .extracting(TlsReportDelivery.Outcome::uri)
        .containsExactly(uris.get(0), uris.get(1), uris.get(2), uris.get(3), uris.get(3));
    TlsReportDelivery.Posted accepted = (TlsReportDelivery.Posted) outcomes.get(0);
    assertThat(accepted.submission().statusCode()).hasValue(201);
    TlsReportDelivery.Posted refused = (TlsReportDelivery.Posted) outcomes.get(1);
    assertThat(refused.submission().failure()).contains(TlsReportSubmission.Failure.REJECTED);
    assertThat(dispatch.messages())
        .extracting(TlsReportDelivery.Composed::recipient)
        .containsExactly("tlsrpt@example.com", "a@example.com", "b@reports.example");
    for (TlsReportDelivery.Composed c : dispatch.messages()) {
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
    TlsRptRecord record =
        record(
            receiver.uri("/status/413"), receiver.uri("/status/503"), "mailto:tlsrpt@example.com");

    TlsReportDelivery.Dispatch dispatch =
        delivery().build().deliver(POLICY_DOMAIN, record, report());
    TlsReportDelivery.Result result = dispatch.result().join();

    assertThat(result.isDelivered()).isFalse();
    assertThat(dispatch.messages()).hasSize(1);
  }

  /**
   * URIs the record accepts, RFC 8460 §3 and RFC 6068 allowing them, that this delivery cannot use.
   */
  @ParameterizedTest(name = "skips {0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://reports.example/v1#part | no fragment",
        "https://tls_rpt.example/v1 | needs a host",
        "mailto:%22quoted%22@example.com | not a plain addr-spec",
        "mailto:not%20an%20address@example.com | not a plain addr-spec",
        "mailto:j%C3%B6rg@example.com | not a plain addr-spec",
        "mailto:a@b%C3%BCcher.example | not an ASCII addr-spec"
      })
  void skipsDestinationsItCannotUse(String uri, String reason) {
    TlsReportDelivery.Dispatch dispatch =
        delivery().build().deliver(POLICY_DOMAIN, record(uri), report());
    TlsReportDelivery.Result result = dispatch.result().join();

    assertThat(result.outcomes()).hasSize(1);
    assertThat(reason(result.outcomes().get(0))).contains(reason);
    assertThat(result.isDelivered()).isFalse();
    assertThat(dispatch.messages()).isEmpty();
  }

  @Test
  void usesEachDestinationOnceAndNoMoreThanTheLimit() {
    URI first = receiver.uri("/flaky/limit-1/200");
    TlsRptRecord record =
        record(
            first,
            first,
            "mailto:a@example.com",
            "mailto:a@example.com?subject=again",
            "mailto:b@example.com",
            receiver.uri("/flaky/limit-2/200"));

    TlsReportDelivery.Dispatch dispatch =
        delivery().maxDestinations(2).build().deliver(POLICY_DOMAIN, record, report());
    TlsReportDelivery.Result result = dispatch.result().join();

    assertThat(result.outcomes())
        .extracting(o -> o.getClass().getSimpleName())
        .containsExactly("Posted", "Skipped", "Composed", "Skipped", "Skipped", "Skipped");
    assertThat(reason(result.outcomes().get(1))).isEqualTo("listed twice");
    assertThat(reason(result.outcomes().get(3))).isEqualTo("a@example.com: listed twice");
    assertThat(reason(result.outcomes().get(4)))
        .isEqualTo("b@example.com: beyond the first 2 destinations");
    assertThat(reason(result.outcomes().get(5))).isEqualTo("beyond the first 2 destinations");
    assertThat(receiver.count("/flaky/limit-1/200")).isEqualTo(1);
    assertThat(receiver.count("/flaky/limit-2/200")).isZero();
  }

  @Test
  void countsEveryRecipientOfAMailtoUriAgainstTheLimit() {
    TlsRptRecord record = record("mailto:a@example.com%2Cb@example.com%2Cc@example.com");

    TlsReportDelivery.Dispatch dispatch =
        delivery().maxDestinations(2).build().deliver(POLICY_DOMAIN, record, report());
    TlsReportDelivery.Result result = dispatch.result().join();

    assertThat(dispatch.messages())
        .extracting(TlsReportDelivery.Composed::recipient)
        .containsExactly("a@example.com", "b@example.com");
    assertThat(reason(result.outcomes().get(2)))
        .isEqualTo("c@example.com: beyond the first 2 destinations");
  }

  @Test
  void countsOnlyTheDestinationsItUses() {
    TlsRptRecord record =
        record(
            "https://reports.example/v1#part",
            "mailto:%22quoted%22@example.com",
            "mailto:a@example.com");

    TlsReportDelivery.Dispatch dispatch =
        delivery().maxDestinations(1).build().deliver(POLICY_DOMAIN, record, report());
    TlsReportDelivery.Result result = dispatch.result().join();

    assertThat(result.outcomes())
        .extracting(o -> o.getClass().getSimpleName())
        .containsExactly("Skipped", "Skipped", "Composed");
  }

  @Test
  void skipsWhatItWasNotGivenTheMeansFor() {
    TlsReportDelivery httpsOnly =
        TlsReportDelivery.builder()
            .https(TlsReportSubmitter.builder().sslContext(receiver.pki.trustingOnlyThis()).build())
            .maxDestinations(1)
            .build();
    TlsRptRecord record =
        record(
            "mailto:a@example.com%2Cb@example.com",
            "mailto:c@example.com", receiver.uri("/status/200"));
    TlsReportDelivery.Dispatch dispatch = httpsOnly.deliver(POLICY_DOMAIN, record, report());
    TlsReportDelivery.Result result = dispatch.result().join();
    assertThat(result.outcomes()).hasSize(3);
    assertThat(reason(result.outcomes().get(0))).isEqualTo("no report mail configured");
    assertThat(reason(result.outcomes().get(1))).isEqualTo("no report mail configured");
    assertThat(result.isDelivered()).isTrue();

    TlsReportDelivery mailOnly =
        TlsReportDelivery.builder()
            .mail(
                TlsReportMail.builder("tlsrpt@mail.sender.example")
                    .dkimKey(SUBMITTER, "tlsrpt", ED25519)
                    .build())
            .build();
    TlsReportDelivery.Dispatch mailedDispatch =
        mailOnly.deliver(POLICY_DOMAIN, record(receiver.uri("/flaky/no-submitter/200")), report());
    TlsReportDelivery.Result mailed = mailedDispatch.result().join();
    assertThat(reason(mailed.outcomes().get(0))).isEqualTo("no HTTPS submitter configured");
    assertThat(receiver.count("/flaky/no-submitter/200")).isZero();

    assertThatThrownBy(() -> TlsReportDelivery.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TlsReportDelivery.builder().maxDestinations(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAReportWhoseContactIsNotAtTheSubmitterBeforeSendingAnything() {
    TlsReport foreign = report("r", Optional.of("tlsrpt@other.example"));
    TlsRptRecord record = record(receiver.uri("/flaky/never/200"), "mailto:tlsrpt@example.com");
    TlsReportDelivery delivery = delivery().build();

    assertThatThrownBy(() -> delivery.deliver(POLICY_DOMAIN, record, foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contact-info");
    assertThat(receiver.count("/flaky/never/200")).isZero();
  }

  @Test
  void composesEveryMessageBeforeStartingAnyPost() {
    TlsRptRecord record = record(receiver.uri("/flaky/before-compose/200"), "mailto:a@example.com");
    TlsReportDelivery delivery =
        delivery()
            .mail(
                TlsReportMail.builder("tlsrpt@mail.sender.example")
                    .dkimKey(SUBMITTER, "tlsrpt", ED25519)
                    .uniqueIds(() -> "not a token")
                    .build())
            .build();

    assertThatThrownBy(() -> delivery.deliver(POLICY_DOMAIN, record, report()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(receiver.count("/flaky/before-compose/200")).isZero();
  }

  @Test
  void handsOutTheMessagesWhileAPostStalls() throws IOException {
    ReportReceiver stalling = new ReportReceiver();
    boolean closed = false;
    try {
      TlsReportDelivery delivery =
          delivery()
              .https(
                  TlsReportSubmitter.builder()
                      .sslContext(stalling.pki.trustingOnlyThis())
                      .maxAttempts(1)
                      .build())
              .build();
      TlsRptRecord record = record(stalling.uri("/stall"), "mailto:a@example.com");

      TlsReportDelivery.Dispatch dispatch = delivery.deliver(POLICY_DOMAIN, record, report());

      // The endpoint answers nothing until it closes, below; the message is there all the same.
      assertThat(dispatch.messages())
          .extracting(TlsReportDelivery.Composed::recipient)
          .containsExactly("a@example.com");
      assertThat(dispatch.result()).isNotDone();
      stalling.close();
      closed = true;
      TlsReportDelivery.Result result = dispatch.result().join();
      assertThat(result.outcomes())
          .extracting(o -> o.getClass().getSimpleName())
          .containsExactly("Posted", "Composed");
      assertThat(result.isDelivered()).isFalse();
    } finally {
      if (!closed) {
        stalling.close();
      }
    }
  }

  @Test
  void handsOutCopiesOfTheMessage() {
    TlsReportDelivery.Dispatch dispatch =
        delivery().build().deliver(POLICY_DOMAIN, record("mailto:a@example.com"), report());
    TlsReportDelivery.Result result = dispatch.result().join();
    TlsReportDelivery.Composed composed = dispatch.messages().get(0);
    composed.message()[0] = 'X';
    assertThat(composed.message()[0]).isEqualTo((byte) 'D');
  }
}
