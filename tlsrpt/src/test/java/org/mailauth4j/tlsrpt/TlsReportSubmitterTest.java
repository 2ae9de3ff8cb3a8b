package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.gunzip;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.report;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailauth4j.testkit.MutableClock;

class TlsReportSubmitterTest {
  private static ReportReceiver receiver;

  @BeforeAll
  static void start() throws IOException {
    receiver = new ReportReceiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  /**
   * Runs every back-off wait at once, keeping the waits asked for and moving the clock on by them,
   * so that retries are counted and timed without anyone sleeping.
   */
  private static final class InstantRetries extends ScheduledThreadPoolExecutor {
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-05-02T00:00:00Z"));

    InstantRetries() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      Duration wait = Duration.ofNanos(unit.toNanos(delay));
      waits.add(wait);
      clock.advance(wait);
      return super.schedule(command, 0, TimeUnit.NANOSECONDS);
    }
  }

  private static TlsReportSubmitter.Builder trusting() {
    return TlsReportSubmitter.builder().sslContext(receiver.pki.trustingOnlyThis());
  }

  private static ReportReceiver.Request onlyRequestTo(String path) {
    List<ReportReceiver.Request> matching =
        receiver.requests().stream().filter(r -> r.path().equals(path)).toList();
    assertThat(matching).as(path).hasSize(1);
    return matching.get(0);
  }

  @ParameterizedTest(name = "HTTP {0} is delivery")
  @ValueSource(ints = {200, 201, 202})
  void deliversOnAnyTwoHundredStatus(int status) {
    String path = "/status/" + status;
    TlsReportSubmission s = trusting().build().submit(receiver.uri(path), report());

    assertThat(s.isDelivered()).as(s.toString()).isTrue();
    assertThat(s.statusCode()).hasValue(status);
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.failure()).isEmpty();
    assertThat(s.isRetryable()).isFalse();
    assertThat(s.endpoint()).isEqualTo(receiver.uri(path));
    ReportReceiver.Request request = onlyRequestTo(path);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.contentType()).contains("application/tlsrpt+gzip");
    assertThat(gunzip(request.body())).isEqualTo(TlsReportJson.toJson(report()));
  }

  @Test
  void postsPlainJsonWhenBuiltUncompressed() {
    String path = "/flaky/plain/200";
    TlsReportSubmission s = trusting().compress(false).build().submit(receiver.uri(path), report());

    assertThat(s.isDelivered()).isTrue();
    ReportReceiver.Request request = onlyRequestTo(path);
    assertThat(request.contentType()).contains("application/tlsrpt+json");
    assertThat(request.body()).isEqualTo(TlsReportJson.toJson(report()));
  }

  @ParameterizedTest(name = "HTTP {0} is final")
  @ValueSource(ints = {400, 413})
  void givesUpAtOnceWhenTheEndpointRefuses(int status) {
    String path = "/flaky/refuse-" + status + "/" + status + ",200";
    TlsReportSubmission s =
        trusting()
            .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
            .build()
            .submit(receiver.uri(path), report());

    assertThat(s.isDelivered()).isFalse();
    assertThat(s.failure()).contains(TlsReportSubmission.Failure.REJECTED);
    assertThat(s.statusCode()).hasValue(status);
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.isRetryable()).isFalse();
    assertThat(receiver.count(path)).isEqualTo(1);
  }

  @ParameterizedTest(name = "HTTP {0} is not followed")
  @ValueSource(ints = {301, 307})
  void neverFollowsARedirect(int status) {
    int before = receiver.count("/status/200");
    TlsReportSubmission s = trusting().build().submit(receiver.uri("/status/" + status), report());

    assertThat(s.isDelivered()).isFalse();
    assertThat(s.failure()).contains(TlsReportSubmission.Failure.REDIRECT);
    assertThat(s.statusCode()).hasValue(status);
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.detail()).contains("/status/200", "not followed");
    assertThat(receiver.count("/status/200")).isEqualTo(before);
  }

  @Test
  void retriesServerErrorsWithExponentialBackoffUntilAccepted() {
    InstantRetries retries = new InstantRetries();
    try {
      String path = "/flaky/recovering/500,503,200";
      TlsReportSubmission s =
          trusting()
              .backoff(Duration.ofSeconds(10), Duration.ofHours(1))
              .jitter(0)
              .scheduler(retries)
              .clock(retries.clock)
              .build()
              .submit(receiver.uri(path), report());

      assertThat(s.isDelivered()).as(s.toString()).isTrue();
      assertThat(s.statusCode()).hasValue(200);
      assertThat(s.attempts()).isEqualTo(3);
      assertThat(receiver.count(path)).isEqualTo(3);
      assertThat(retries.waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20));
      assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(30));
      // Every attempt carries the same report.
      assertThat(receiver.requests().stream().filter(r -> r.path().equals(path)))
          .allSatisfy(r -> assertThat(gunzip(r.body())).isEqualTo(TlsReportJson.toJson(report())));
    } finally {
      retries.shutdownNow();
    }
  }

  @Test
  void waitsAtLeastWhatRetryAfterAsksWhenThrottled() {
    InstantRetries retries = new InstantRetries();
    try {
      String path = "/flaky/throttled/429+120,200";
      TlsReportSubmission s =
          trusting()
              .backoff(Duration.ofSeconds(10), Duration.ofHours(1))
              .jitter(0)
              .scheduler(retries)
              .clock(retries.clock)
              .build()
              .submit(receiver.uri(path), report());

      assertThat(s.isDelivered()).isTrue();
      assertThat(s.attempts()).isEqualTo(2);
      assertThat(retries.waits).containsExactly(Duration.ofSeconds(120));
    } finally {
      retries.shutdownNow();
    }
  }

  @Test
  void stopsAfterTheMaximumNumberOfAttempts() {
    InstantRetries retries = new InstantRetries();
    try {
      String path = "/flaky/down/503";
      TlsReportSubmission s =
          trusting()
              .maxAttempts(4)
              .backoff(Duration.ofMinutes(1), Duration.ofMinutes(3))
              .jitter(0)
              .scheduler(retries)
              .clock(retries.clock)
              .build()
              .submit(receiver.uri(path), report());

      assertThat(s.isDelivered()).isFalse();
      assertThat(s.failure()).contains(TlsReportSubmission.Failure.SERVER_ERROR);
      assertThat(s.statusCode()).hasValue(503);
      assertThat(s.attempts()).isEqualTo(4);
      assertThat(s.isRetryable()).isTrue();
      assertThat(s.detail()).contains("gave up after 4 attempts");
      assertThat(receiver.count(path)).isEqualTo(4);
      // 1, 2, then capped at 3 minutes.
      assertThat(retries.waits)
          .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(3));
    } finally {
      retries.shutdownNow();
    }
  }

  @Test
  void startsNoRetryPastTheTotalTime() {
    InstantRetries retries = new InstantRetries();
    try {
      String path = "/flaky/out-of-time/500";
      TlsReportSubmission s =
          trusting()
              .backoff(Duration.ofHours(1), Duration.ofHours(8))
              .jitter(0)
              .maxElapsed(Duration.ofHours(6))
              .scheduler(retries)
              .clock(retries.clock)
              .build()
              .submit(receiver.uri(path), report());

      // Waits of 1, 2 hours fit in 6; the next, 4 hours, would end past it.
      assertThat(s.attempts()).isEqualTo(3);
      assertThat(retries.waits).containsExactly(Duration.ofHours(1), Duration.ofHours(2));
      assertThat(s.detail()).contains("no time left");
      assertThat(s.isRetryable()).isTrue();
    } finally {
      retries.shutdownNow();
    }
  }

  @Test
  void timesOutOnAnEndpointThatNeverAnswersAndRetries() {
    InstantRetries retries = new InstantRetries();
    try {
      TlsReportSubmission s =
          trusting()
              .requestTimeout(Duration.ofMillis(300))
              .maxAttempts(2)
              .scheduler(retries)
              .clock(retries.clock)
              .build()
              .submit(receiver.uri("/stall"), report());

      assertThat(s.isDelivered()).isFalse();
      assertThat(s.failure()).contains(TlsReportSubmission.Failure.TIMEOUT);
      assertThat(s.statusCode()).isEmpty();
      assertThat(s.attempts()).isEqualTo(2);
      assertThat(s.isRetryable()).isTrue();
      assertThat(retries.waits).hasSize(1);
    } finally {
      retries.shutdownNow();
    }
  }

  @Test
  void failsTheHandshakeWithAnEndpointWhoseCaItDoesNotTrust() {
    // The JDK's default trust store does not know the test CA.
    int before = receiver.count("/status/200");
    TlsReportSubmission s =
        TlsReportSubmitter.builder().build().submit(receiver.uri("/status/200"), report());

    assertThat(s.isDelivered()).isFalse();
    assertThat(s.failure()).contains(TlsReportSubmission.Failure.TLS);
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.isRetryable()).isFalse();
    assertThat(s.detail()).contains("SSLHandshakeException");
    assertThat(receiver.count("/status/200")).isEqualTo(before);
  }

  @Test
  void reportsARefusedConnectionAsAValue() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    TlsReportSubmission s =
        trusting()
            .maxAttempts(1)
            .build()
            .submit(URI.create("https://localhost:" + closedPort + "/v1"), report());

    assertThat(s.isDelivered()).isFalse();
    assertThat(s.failure()).contains(TlsReportSubmission.Failure.CONNECTION);
    assertThat(s.isRetryable()).isTrue();
    assertThat(s.detail()).contains("1 attempts");
  }

  @Test
  void usesTheGivenHttpClient() {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(receiver.pki.trustingOnlyThis())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    TlsReportSubmission s =
        TlsReportSubmitter.builder()
            .httpClient(client)
            .build()
            .submitAsync(receiver.uri("/status/202"), report())
            .join();
    assertThat(s.statusCode()).hasValue(202);
  }

  @ParameterizedTest(name = "refuses {0}")
  @ValueSource(
      strings = {
        "http://localhost/v1",
        "mailto:tlsrpt@example.com",
        "ftp://example.com/",
        "//example.com/v1",
        "https:opaque",
        "https://example.com/v1#fragment"
      })
  void refusesAnythingButAnHttpsUri(String uri) {
    TlsReportSubmitter submitter = trusting().build();
    assertThatThrownBy(() -> submitter.submitAsync(URI.create(uri), report()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNonsensicalSettings() {
    HttpClient following =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    assertThatThrownBy(() -> TlsReportSubmitter.builder().httpClient(following))
        .isInstanceOf(IllegalArgumentException.class);
    HttpClient client = HttpClient.newBuilder().build();
    assertThatThrownBy(
            () ->
                TlsReportSubmitter.builder()
                    .httpClient(client)
                    .sslContext(receiver.pki.trustingOnlyThis())
                    .build())
        .isInstanceOf(IllegalStateException.class);
    TlsReportSubmitter.Builder b = TlsReportSubmitter.builder();
    assertThatThrownBy(() -> b.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.jitter(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.jitter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.backoff(Duration.ofMinutes(2), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxElapsed(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void backsOffExponentiallyWithJitterWithinBounds() {
    TlsReportSubmitter exact =
        TlsReportSubmitter.builder()
            .backoff(Duration.ofMinutes(1), Duration.ofHours(1))
            .jitter(0)
            .build();
    assertThat(exact.backoff(1, Optional.empty())).isEqualTo(Duration.ofMinutes(1));
    assertThat(exact.backoff(2, Optional.empty())).isEqualTo(Duration.ofMinutes(2));
    assertThat(exact.backoff(6, Optional.empty())).isEqualTo(Duration.ofMinutes(32));
    assertThat(exact.backoff(7, Optional.empty())).isEqualTo(Duration.ofHours(1));
    assertThat(exact.backoff(1000, Optional.empty())).isEqualTo(Duration.ofHours(1));
    assertThat(exact.backoff(1, Optional.of(Duration.ofMinutes(5))))
        .isEqualTo(Duration.ofMinutes(5));

    TlsReportSubmitter jittered =
        TlsReportSubmitter.builder()
            .backoff(Duration.ofMinutes(1), Duration.ofHours(1))
            .jitter(0.5)
            .build();
    for (int i = 0; i < 1000; i++) {
      assertThat(jittered.backoff(3, Optional.empty()))
          .isBetween(Duration.ofMinutes(2), Duration.ofMinutes(4));
    }
  }
}
