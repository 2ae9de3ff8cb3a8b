package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Submits TLS reports to the {@code https:} endpoints of a policy domain's {@code rua} (RFC 8460
 * §3, §5.4): a {@code POST} of the report as gzip-compressed JSON, {@code Content-Type:
 * application/tlsrpt+gzip} ({@code application/tlsrpt+json} when built uncompressed), with the
 * JDK's {@link HttpClient}. Any 2xx answer means the endpoint accepted the report (§5.4: the
 * receiver MUST return a "successful" response, typically 200 or 201).
 *
 * <p>Other answers are the sender's policy to judge (§5.4: "may be retried as per local sender
 * policy"), and this is the one chosen here:
 *
 * <ul>
 *   <li>redirects are not followed: the report goes only to the URI published in the policy
 *       domain's DNS, never to a host a redirect names (the same rule RFC 8461 §3.3 sets for
 *       MTA-STS policies, and a POST turned into a GET would lose the report anyway); a 3xx is a
 *       final {@link TlsReportSubmission.Failure#REDIRECT};
 *   <li>4xx other than 429 is final ({@link TlsReportSubmission.Failure#REJECTED}), and so is a
 *       failed TLS handshake;
 *   <li>5xx, 429, time-outs, DNS and connection failures are retried with exponential back-off and
 *       jitter, waiting at least what a {@code Retry-After} of seconds asks, up to a number of
 *       attempts and a total time. The defaults, 30 attempts within 24 hours, back-off from one
 *       minute doubling up to one hour, follow §5.5: "a sender SHOULD attempt redelivery for up to
 *       24 hours", "with exponential backoff".
 * </ul>
 *
 * <p>The retries run inside the returned future, on timers, without holding a thread. A sender that
 * keeps its own schedule, for example a persistent queue that survives restarts, builds the
 * submitter with {@code maxAttempts(1)} and submits again later when {@link
 * TlsReportSubmission#isRetryable()} says so.
 *
 * <p>Certificates are validated with PKIX and the endpoint's host name. RFC 8460 §3 lets a
 * submitter ignore certificate errors; this one does not, unless given an {@link SSLContext} that
 * does. Nothing about the network is thrown: every outcome is a {@link TlsReportSubmission}.
 * Immutable and thread-safe; one instance holds one {@code HttpClient} and serves all threads.
 *
 * <pre>{@code
 * TlsReportSubmitter submitter = TlsReportSubmitter.builder().build();
 * TlsReportSubmission s = submitter.submit(URI.create("https://tlsrpt.example.com/v1"), report);
 * if (!s.isDelivered()) {
 *   log.warning(s.toString());
 * }
 * }</pre>
 */
public final class TlsReportSubmitter {
  /** RFC 8460 §6: the media type of a compressed report. */
  static final String GZIP_TYPE = "application/tlsrpt+gzip";

  /** RFC 8460 §6: the media type of an uncompressed report. */
  static final String JSON_TYPE = "application/tlsrpt+json";

  private static final int MAX_DETAIL_CHARS = 200;

  private final HttpClient client;
  private final Duration requestTimeout;
  private final boolean compress;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration maxElapsed;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  private TlsReportSubmitter(Builder b) {
    this.client = b.client != null ? b.client : newClient(b);
    this.requestTimeout = b.requestTimeout;
    this.compress = b.compress;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
    this.maxElapsed = b.maxElapsed;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
  }

  private static HttpClient newClient(Builder b) {
    SSLParameters tls = new SSLParameters();
    tls.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"}); // RFC 8996: not TLS 1.0 or 1.1
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(b.connectTimeout)
            .sslParameters(tls);
    try {
      http.sslContext(b.sslContext != null ? b.sslContext : SSLContext.getDefault());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
    return http.build();
  }

  /**
   * Starts configuring a submitter.
   *
   * @return a builder with the defaults described on its methods
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Submits a report to an HTTPS endpoint, retrying as configured.
   *
   * @param endpoint an {@code https:} URI from a policy domain's {@code rua}
   * @param report the report
   * @return a future of the submission; it always completes normally
   * @throws IllegalArgumentException if the URI is not an absolute {@code https:} URI with a host
   *     and without a fragment
   */
  public CompletableFuture<TlsReportSubmission> submitAsync(URI endpoint, TlsReport report) {
    requireNonNull(report, "report");
    checkEndpoint(endpoint);
    byte[] body = compress ? TlsReportJson.toGzip(report) : TlsReportJson.toJson(report);
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(requestTimeout) // until the answer's status and header arrive
            .header("Content-Type", compress ? GZIP_TYPE : JSON_TYPE) // RFC 8460 §5.4
            .build();
    return attempt(request, clock.instant(), 1);
  }

  /**
   * Submits a report and waits until it is delivered or the retries are over. This only joins
   * {@link #submitAsync(URI, TlsReport)}; with the default retry settings it may wait for a day.
   *
   * @param endpoint an {@code https:} URI
   * @param report the report
   * @return the submission
   * @throws IllegalArgumentException if the URI is not an {@code https:} URI
   */
  public TlsReportSubmission submit(URI endpoint, TlsReport report) {
    return submitAsync(endpoint, report).join();
  }

  /** RFC 8460 §3: {@code rua} schemes are mailto and https; this door takes https only. */
  static void checkEndpoint(URI endpoint) {
    requireNonNull(endpoint, "endpoint");
    if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
      throw new IllegalArgumentException("not an https URI: " + endpoint.getScheme());
    }
    if (endpoint.isOpaque() || endpoint.getHost() == null) {
      throw new IllegalArgumentException("an https URI needs a host: " + endpoint);
    }
    if (endpoint.getRawFragment() != null) {
      throw new IllegalArgumentException("an endpoint URI has no fragment: " + endpoint);
    }
  }

  /** What one attempt came to: a status, or a failure without one. */
  private record Attempt(
      OptionalInt status,
      TlsReportSubmission.Failure failure,
      String detail,
      Optional<Duration> retryAfter) {}

  private CompletableFuture<TlsReportSubmission> attempt(
      HttpRequest request, Instant start, int number) {
    CompletableFuture<HttpResponse<Void>> sent;
    try {
      sent = client.sendAsync(request, STATUS_ONLY);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((response, error) -> error != null ? failure(error) : answer(response))
        .thenCompose(a -> next(request, start, number, a));
  }

  private CompletableFuture<TlsReportSubmission> next(
      HttpRequest request, Instant start, int number, Attempt a) {
    URI uri = request.uri();
    Duration elapsed = Duration.between(start, clock.instant());
    if (a.failure() == null) {
      return CompletableFuture.completedFuture(
          TlsReportSubmission.delivered(uri, a.status().getAsInt(), number, elapsed));
    }
    if (!a.failure().isTransient()) {
      return done(uri, a, number, a.detail(), elapsed);
    }
    if (number >= maxAttempts) {
      return done(uri, a, number, a.detail() + "; gave up after " + number + " attempts", elapsed);
    }
    Duration wait = backoff(number, a.retryAfter());
    if (elapsed.plus(wait).compareTo(maxElapsed) > 0) {
      // RFC 8460 §5.5: redelivery is attempted for a bounded time (24 hours by default).
      return done(
          uri,
          a,
          number,
          a.detail() + "; gave up after " + number + " attempts, no time left to retry",
          elapsed);
    }
    CompletableFuture<Void> timer;
    try {
      timer = delay(wait);
    } catch (RejectedExecutionException e) {
      return done(uri, a, number, a.detail() + "; the scheduler refused the retry", elapsed);
    }
    return timer.thenCompose(ignored -> attempt(request, start, number + 1));
  }

  private static CompletableFuture<TlsReportSubmission> done(
      URI uri, Attempt a, int number, String detail, Duration elapsed) {
    return CompletableFuture.completedFuture(
        TlsReportSubmission.failed(uri, a.status(), number, a.failure(), detail, elapsed));
  }

  /**
   * The wait after the given failed attempt: the initial back-off doubled per attempt, capped,
   * shortened by a random part of up to {@code jitter} of itself so that senders spread out, and
   * never shorter than a {@code Retry-After} the endpoint gave.
   */
  Duration backoff(int failedAttempts, Optional<Duration> retryAfter) {
    int doublings = Math.min(failedAttempts - 1, 40);
    Duration wait = maxBackoff;
    if (initialBackoff.toNanos() <= (maxBackoff.toNanos() >> doublings)) {
      wait = initialBackoff.multipliedBy(1L << doublings);
    }
    if (jitter > 0) {
      double keep = 1 - jitter * ThreadLocalRandom.current().nextDouble();
      wait = Duration.ofNanos((long) (wait.toNanos() * keep));
    }
    if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
      wait = retryAfter.get();
    }
    return wait;
  }

  private CompletableFuture<Void> delay(Duration wait) {
    CompletableFuture<Void> timer = new CompletableFuture<>();
    Runnable fire = () -> timer.complete(null);
    if (scheduler != null) {
      scheduler.schedule(fire, wait.toNanos(), TimeUnit.NANOSECONDS);
    } else {
      CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS).execute(fire);
    }
    return timer;
  }

  private static Attempt answer(HttpResponse<Void> response) {
    int status = response.statusCode();
    OptionalInt code = OptionalInt.of(status);
    if (status >= 200 && status < 300) {
      return new Attempt(code, null, "HTTP " + status, Optional.empty()); // RFC 8460 §5.4
    }
    if (status >= 300 && status < 400) {
      String location = response.headers().firstValue("Location").orElse("nowhere");
      return new Attempt(
          code,
          TlsReportSubmission.Failure.REDIRECT,
          "HTTP " + status + " to " + printable(location) + "; redirects are not followed",
          Optional.empty());
    }
    Optional<Duration> retryAfter = retryAfter(response);
    if (status == 429) {
      return new Attempt(
          code, TlsReportSubmission.Failure.THROTTLED, "HTTP 429 Too Many Requests", retryAfter);
    }
    if (status >= 400 && status < 500) {
      return new Attempt(
          code, TlsReportSubmission.Failure.REJECTED, "HTTP " + status, Optional.empty());
    }
    if (status >= 500 && status < 600) {
      return new Attempt(
          code, TlsReportSubmission.Failure.SERVER_ERROR, "HTTP " + status, retryAfter);
    }
    return new Attempt(
        code, TlsReportSubmission.Failure.UNEXPECTED_STATUS, "HTTP " + status, Optional.empty());
  }

  /** {@code Retry-After} as delay-seconds (RFC 9110 §10.2.3); an HTTP-date is not used. */
  private static Optional<Duration> retryAfter(HttpResponse<Void> response) {
    Optional<String> value = response.headers().firstValue("Retry-After");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String seconds = value.get().trim();
    if (seconds.isEmpty()
        || seconds.length() > 9
        || !seconds.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Long.parseLong(seconds)));
  }

  private static Attempt failure(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof HttpTimeoutException) {
        return failed(TlsReportSubmission.Failure.TIMEOUT, c);
      }
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
        return failed(TlsReportSubmission.Failure.DNS, c);
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return failed(TlsReportSubmission.Failure.TLS, c);
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof IOException) {
        return failed(TlsReportSubmission.Failure.CONNECTION, c);
      }
    }
    return failed(TlsReportSubmission.Failure.CONNECTION, t);
  }

  private static Attempt failed(TlsReportSubmission.Failure kind, Throwable cause) {
    String message = cause.getMessage();
    String detail =
        cause.getClass().getSimpleName() + (message == null ? "" : ": " + printable(message));
    return new Attempt(OptionalInt.empty(), kind, detail, Optional.empty());
  }

  /** Text from the network, made safe for a log line: short, controls replaced. */
  private static String printable(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_DETAIL_CHARS));
    for (int i = 0; i < text.length() && sb.length() < MAX_DETAIL_CHARS; i++) {
      char c = text.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return text.length() > MAX_DETAIL_CHARS ? sb + "…" : sb.toString();
  }

  /**
   * The status is all that matters: the body is not read, so an endpoint that answers and then
   * trickles a body cannot hold the submission.
   */
  private static final HttpResponse.BodyHandler<Void> STATUS_ONLY =
      info ->
          new HttpResponse.BodySubscriber<Void>() {
            private final CompletableFuture<Void> body = new CompletableFuture<>();

            @Override
            public CompletionStage<Void> getBody() {
              return body;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
              subscription.cancel();
              body.complete(null);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {}

            @Override
            public void onError(Throwable throwable) {
              body.complete(null);
            }

            @Override
            public void onComplete() {
              body.complete(null);
            }
          };

  /**
   * Configures a {@link TlsReportSubmitter}. Not thread-safe; build once, then share the result.
   */
  public static final class Builder {
    private HttpClient client;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private boolean connectTimeoutSet;
    private SSLContext sslContext;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private boolean compress = true;
    private int maxAttempts = 30;
    private Duration initialBackoff = Duration.ofMinutes(1);
    private Duration maxBackoff = Duration.ofHours(1);
    private double jitter = 0.5;
    private Duration maxElapsed = Duration.ofHours(24);
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;

    private Builder() {}

    /**
     * Uses this HTTP client instead of one built from {@link #connectTimeout} and {@link
     * #sslContext}, which must then not be set. It must not follow redirects.
     *
     * @param client a client built with {@code followRedirects(HttpClient.Redirect.NEVER)}
     * @return this builder
     * @throws IllegalArgumentException if the client follows redirects
     */
    public Builder httpClient(HttpClient client) {
      if (requireNonNull(client, "client").followRedirects() != HttpClient.Redirect.NEVER) {
        throw new IllegalArgumentException(
            "the client follows redirects; reports go only to the published endpoint");
      }
      this.client = client;
      return this;
    }

    /**
     * Sets how long connecting may take. Default 30 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      this.connectTimeoutSet = true;
      return this;
    }

    /**
     * Sets the TLS context for the endpoints: the trust anchors, and any client certificate.
     * Default the JDK's default context, which trusts the JDK's CAs. RFC 8460 §3 allows ignoring
     * certificate errors on report endpoints; a context whose trust manager accepts everything does
     * that, on the caller's explicit choice.
     *
     * @param context the context
     * @return this builder
     */
    public Builder sslContext(SSLContext context) {
      this.sslContext = requireNonNull(context, "context");
      return this;
    }

    /**
     * Sets how long one attempt may wait for the answer's status once the request is sent. Default
     * 60 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * Sets whether the report is sent gzip-compressed, as {@code application/tlsrpt+gzip}, or as
     * plain {@code application/tlsrpt+json}. Default compressed, as RFC 8460 §5.2 says both
     * transports SHOULD.
     *
     * @param compress whether to gzip the report
     * @return this builder
     */
    public Builder compress(boolean compress) {
      this.compress = compress;
      return this;
    }

    /**
     * Sets how many times a report is sent at most, the first time included. Default 30; 1 turns
     * retrying off, for callers with their own schedule.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxAttempts(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + max);
      }
      this.maxAttempts = max;
      return this;
    }

    /**
     * Sets the back-off: the wait after the first failed attempt, doubled after each further one up
     * to the maximum. Default one minute, at most one hour.
     *
     * @param initial a positive duration
     * @param max a duration not shorter than {@code initial}
     * @return this builder
     */
    public Builder backoff(Duration initial, Duration max) {
      positive(initial, "initial");
      positive(max, "max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max back-off " + max + " below initial " + initial);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Sets how much of each back-off wait may be cut at random, so that many senders do not retry
     * in step. Default 0.5: a wait is drawn between half and all of its back-off.
     *
     * @param fraction from 0 (no jitter) to 1
     * @return this builder
     */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1: " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /**
     * Sets the time after the first attempt past which no retry starts. Default 24 hours, the
     * period of RFC 8460 §5.5.
     *
     * @param max a positive duration
     * @return this builder
     */
    public Builder maxElapsed(Duration max) {
      this.maxElapsed = positive(max, "maxElapsed");
      return this;
    }

    /**
     * Sets the clock the total time is measured with. Default the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets where back-off waits are timed. Default the JDK's shared delayed executor of {@link
     * CompletableFuture}. The scheduler is not shut down by the submitter.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Builds the submitter.
     *
     * @return the submitter
     * @throws IllegalStateException if an HTTP client was given together with settings for the
     *     client this builder would make
     */
    public TlsReportSubmitter build() {
      if (client != null && (connectTimeoutSet || sslContext != null)) {
        throw new IllegalStateException(
            "connectTimeout and sslContext configure the built-in client; set them on the given"
                + " HTTP client instead");
      }
      return new TlsReportSubmitter(this);
    }

    private static Duration positive(Duration d, String what) {
      if (requireNonNull(d, what).isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
