package org.mailauth4j.mtasts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;

/**
 * Fetches MTA-STS policies over HTTPS (RFC 8461 §3.2, §3.3, §7): {@code GET
 * https://mta-sts.<domain>/.well-known/mta-sts.txt} with the JDK's {@link HttpClient}, TLS 1.2 or
 * later, PKIX validation of the server's certificate for the name {@code mta-sts.<domain>}, no
 * redirects followed, status 200 only, media type {@code text/plain} (its parameters, {@code
 * charset} among them, ignored as §3.2 says; the body is read as UTF-8), and limits on size (64
 * KiB) and time (10 seconds to connect, 60 in all). It asks for {@code Accept-Encoding: identity};
 * a server that gzips anyway is decoded, the decoded bytes counting against the size limit, and any
 * other content coding is a {@link FetchFailure.Kind#CONTENT_ENCODING} failure. Where the domains
 * come from untrusted users, {@link Builder#publicAddressesOnly(boolean)} refuses policy hosts that
 * resolve to loopback, private or other non-public addresses. Every failure comes back as a {@link
 * FetchFailure} classified for TLS-RPT; nothing is thrown.
 *
 * <p>Immutable and thread-safe; one instance holds one {@code HttpClient} and serves all threads.
 */
public final class MtaStsPolicyFetcher {
  /** Threads resolving policy hosts for {@link Builder#publicAddressesOnly(boolean)}. */
  private static final int ADDRESS_CHECK_THREADS = 8;

  private final HttpClient client;
  private final Duration timeout;
  private final int maxPolicyBytes;
  private final PolicyLeniency leniency;
  private final int port;

  /** Resolves policy hosts for the address check; null unless public addresses only. */
  private final Executor addressCheck;

  private final OperatorLog log;

  private MtaStsPolicyFetcher(Builder b) {
    SSLParameters tls = new SSLParameters();
    tls.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"}); // RFC 8461 §7.1: TLS 1.2 or later
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER) // RFC 8461 §3.3
            .connectTimeout(b.connectTimeout)
            .sslParameters(tls)
            .version(HttpClient.Version.HTTP_1_1);
    try {
      http.sslContext(b.sslContext != null ? b.sslContext : SSLContext.getDefault());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
    this.client = http.build();
    this.timeout = b.timeout;
    this.maxPolicyBytes = b.maxPolicyBytes;
    this.leniency = b.leniency;
    this.port = b.port;
    this.addressCheck = b.publicAddressesOnly ? addressCheckPool() : null;
    this.log = b.log;
  }

  /**
   * A few daemon threads for the blocking JDK name lookup, so that no caller's thread and no shared
   * pool waits on DNS; idle threads end after a minute.
   */
  private static Executor addressCheckPool() {
    ThreadFactory daemons =
        task -> {
          Thread t = new Thread(task, "mtasts-policy-host-check");
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            ADDRESS_CHECK_THREADS,
            ADDRESS_CHECK_THREADS,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            daemons);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Starts configuring a fetcher.
   *
   * @return a builder with the defaults above
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the address the policy of a domain is fetched from.
   *
   * @param policyDomain the recipient domain, such as {@code example.com}
   * @return {@code https://mta-sts.example.com/.well-known/mta-sts.txt}
   * @throws DnsSyntaxException if {@code mta-sts.<domain>} is longer than a name may be
   */
  public URI policyUri(DomainName policyDomain) {
    String host = policyDomain.prepend("mta-sts").toString();
    return port == 443
        ? standardPolicyUri(policyDomain)
        : URI.create("https://" + host + ":" + port + "/.well-known/mta-sts.txt");
  }

  /** The well-known address on the standard port (RFC 8461 §3.2). */
  static URI standardPolicyUri(DomainName policyDomain) {
    return URI.create("https://mta-sts." + policyDomain + "/.well-known/mta-sts.txt");
  }

  /**
   * Fetches the policy of a domain.
   *
   * @param policyDomain the recipient domain
   * @return a future of the result; it always completes normally
   */
  public CompletableFuture<PolicyFetchResult> fetchAsync(DomainName policyDomain) {
    return fetchWithoutLog(policyDomain)
        .thenApply(
            r -> {
              logResult(policyDomain, r);
              return r;
            });
  }

  /**
   * A single domain's broken policy host is nothing to alarm anyone about: failures, refused input
   * among them, go to DEBUG, with the domain, the kind and sizes, never the body. The resolver
   * warns when a failure matters, such as a cached policy that cannot be refreshed.
   */
  private void logResult(DomainName domain, PolicyFetchResult r) {
    if (r.isSuccess()) {
      log.debug(
          () ->
              "MTA-STS policy of "
                  + OperatorLog.safe(domain)
                  + " fetched from "
                  + OperatorLog.safe(r.uri())
                  + " ("
                  + r.findings().size()
                  + " warnings)");
      return;
    }
    FetchFailure failure = r.failure().orElseThrow();
    log.debug(
        () ->
            "MTA-STS policy fetch for "
                + OperatorLog.safe(domain)
                + " failed: "
                + failure.kind()
                + " ("
                + failure.resultType().token()
                + "): "
                + loggableDetail(failure, r.findings()));
  }

  /** The detail of a failure, without anything of the policy body. */
  private static String loggableDetail(FetchFailure failure, List<PolicyFinding> problems) {
    if (failure.kind() != FetchFailure.Kind.INVALID_POLICY) {
      return OperatorLog.safe(failure.detail()); // statuses, sizes, media types, TLS errors
    }
    // Problem messages quote the file: only count them and give the first line.
    List<PolicyFinding> errors =
        problems.stream().filter(p -> p.severity() == Severity.ERROR).toList();
    if (errors.isEmpty()) {
      return "the policy file is invalid";
    }
    int line = errors.get(0).line();
    return errors.size()
        + (errors.size() == 1 ? " error" : " errors")
        + " in the policy file, the first "
        + (line == 0 ? "about the file as a whole" : "on line " + line);
  }

  private CompletableFuture<PolicyFetchResult> fetchWithoutLog(DomainName policyDomain) {
    URI uri;
    try {
      uri = policyUri(requireNonNull(policyDomain, "policyDomain"));
    } catch (DnsSyntaxException e) {
      return CompletableFuture.completedFuture(
          PolicyFetchResult.failed(
              standardPolicyUri(policyDomain),
              FetchFailure.Kind.DNS,
              "mta-sts." + policyDomain + " is too long a name: " + e.reason()));
    }
    if (addressCheck == null) {
      return send(uri, timeout);
    }
    long start = System.nanoTime();
    CompletableFuture<PolicyFetchResult> refusal;
    try {
      refusal = CompletableFuture.supplyAsync(() -> checkAddresses(uri), addressCheck);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          PolicyFetchResult.failed(uri, FetchFailure.Kind.DNS, e.toString()));
    }
    return refusal
        .completeOnTimeout(
            PolicyFetchResult.failed(
                uri, FetchFailure.Kind.TIMEOUT, uri.getHost() + " did not resolve in time"),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS)
        .thenCompose(
            r -> {
              if (r != null) {
                return CompletableFuture.completedFuture(r);
              }
              // The look-up counts against the time limit of the whole fetch.
              Duration left = timeout.minusNanos(System.nanoTime() - start);
              return left.compareTo(Duration.ofMillis(1)) < 0
                  ? CompletableFuture.completedFuture(
                      PolicyFetchResult.failed(
                          uri, FetchFailure.Kind.TIMEOUT, "no time left after resolving the host"))
                  : send(uri, left);
            });
  }

  /**
   * Resolves the policy host as the HTTP client will, and refuses it if any of its addresses is not
   * public.
   *
   * @return the failure, or null to go on
   */
  private static PolicyFetchResult checkAddresses(URI uri) {
    String host = uri.getHost();
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return PolicyFetchResult.failed(uri, FetchFailure.Kind.DNS, host + " does not resolve");
    } catch (RuntimeException e) {
      return PolicyFetchResult.failed(uri, FetchFailure.Kind.DNS, e.toString());
    }
    for (InetAddress address : addresses) {
      String reason = PublicAddresses.nonPublicReason(address);
      if (reason != null) {
        // Every address counts: the client may connect to any of them.
        return PolicyFetchResult.failed(
            uri,
            FetchFailure.Kind.NON_PUBLIC_ADDRESS,
            host
                + " resolves to "
                + address.getHostAddress()
                + ", "
                + reason
                + "; this fetcher contacts public addresses only");
      }
    }
    return null;
  }

  private CompletableFuture<PolicyFetchResult> send(URI uri, Duration timeLeft) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(timeLeft) // until the response head arrives
            .header("Accept", "text/plain")
            // The policy as it is: a coded body would only have to be undone, within the limit.
            .header("Accept-Encoding", "identity")
            .build();
    CappedBodyHandler handler = new CappedBodyHandler(maxPolicyBytes);
    CompletableFuture<HttpResponse<Body>> sent;
    try {
      sent = client.sendAsync(request, handler);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          PolicyFetchResult.failed(uri, FetchFailure.Kind.CONNECTION, e.toString()));
    }
    // The body too must arrive within the time limit: a server may stall half-way. The timer
    // is cancelled, and lets go of the handler, as soon as the exchange is over.
    CompletableFuture<Void> deadline = new CompletableFuture<>();
    deadline
        .completeOnTimeout(null, timeLeft.toMillis(), TimeUnit.MILLISECONDS)
        .thenRun(handler::timeOut);
    sent.whenComplete((response, error) -> deadline.cancel(false));
    return sent.handle(
        (response, error) ->
            error != null ? failure(uri, error) : result(uri, response.statusCode(), response));
  }

  /**
   * Fetches the policy of a domain and waits. This only joins {@link #fetchAsync(DomainName)}.
   *
   * @param policyDomain the recipient domain
   * @return the result
   */
  public PolicyFetchResult fetch(DomainName policyDomain) {
    return fetchAsync(policyDomain).join();
  }

  private PolicyFetchResult result(URI uri, int status, HttpResponse<Body> response) {
    if (status >= 300 && status < 400) {
      String location = response.headers().firstValue("Location").orElse("nowhere");
      return PolicyFetchResult.failed(
          uri,
          FetchFailure.Kind.REDIRECT,
          "HTTP " + status + " to " + location + "; RFC 8461 §3.3 forbids following redirects");
    }
    if (status != 200) {
      return PolicyFetchResult.failed(
          uri, FetchFailure.Kind.HTTP_STATUS, "HTTP " + status + "; only 200 is valid");
    }
    Body body = response.body();
    if (body.tooLarge()) {
      return PolicyFetchResult.failed(
          uri,
          FetchFailure.Kind.TOO_LARGE,
          "the policy is larger than " + maxPolicyBytes + " bytes");
    }
    PolicyContentCoding.Decoded decoded =
        PolicyContentCoding.decode(
            response.headers().allValues("Content-Encoding"), body.bytes(), maxPolicyBytes);
    if (decoded.failure() != null) {
      return new PolicyFetchResult(
          uri, Optional.empty(), Optional.of(decoded.failure()), List.of());
    }
    List<PolicyFinding> problems = new ArrayList<>();
    // RFC 8461 §3.2: text/plain, every parameter ignored; see PolicyMediaType.
    PolicyMediaType.Verdict media =
        PolicyMediaType.check(response.headers().allValues("Content-Type"));
    String mediaProblem = media.refusal();
    if (media.note() != null) {
      problems.add(new PolicyFinding(0, PolicyProblem.MEDIA_TYPE, Severity.WARNING, media.note()));
    }
    if (mediaProblem != null) {
      if (leniency == PolicyLeniency.STRICT) {
        return new PolicyFetchResult(
            uri,
            Optional.empty(),
            Optional.of(new FetchFailure(FetchFailure.Kind.MEDIA_TYPE, mediaProblem)),
            List.of(new PolicyFinding(0, PolicyProblem.MEDIA_TYPE, Severity.ERROR, mediaProblem)));
      }
      problems.add(new PolicyFinding(0, PolicyProblem.MEDIA_TYPE, Severity.WARNING, mediaProblem));
    }
    String text;
    try {
      text =
          UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(decoded.bytes()))
              .toString();
    } catch (CharacterCodingException e) {
      String detail = "the policy is not UTF-8";
      return new PolicyFetchResult(
          uri,
          Optional.empty(),
          Optional.of(new FetchFailure(FetchFailure.Kind.INVALID_POLICY, detail)),
          List.of(new PolicyFinding(0, PolicyProblem.NOT_UTF8, Severity.ERROR, detail)));
    }
    PolicyParseResult parsed = MtaStsPolicy.parseWithFindings(text, leniency);
    problems.addAll(parsed.findings());
    if (parsed.policy().isEmpty()) {
      List<PolicyFinding> errors = parsed.errors();
      return new PolicyFetchResult(
          uri,
          Optional.empty(),
          Optional.of(
              new FetchFailure(
                  FetchFailure.Kind.INVALID_POLICY,
                  errors.get(0)
                      + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""))),
          problems);
    }
    return new PolicyFetchResult(uri, parsed.policy(), Optional.empty(), problems);
  }

  private static PolicyFetchResult failure(URI uri, Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof HttpTimeoutException || c instanceof BodyTimeout) {
        return PolicyFetchResult.failed(uri, FetchFailure.Kind.TIMEOUT, c.getMessage());
      }
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
        return PolicyFetchResult.failed(
            uri, FetchFailure.Kind.DNS, uri.getHost() + " does not resolve");
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        Optional<CertificateProblem> problem = CertificateProblem.of(c);
        return problem.isPresent()
            ? PolicyFetchResult.failed(
                uri,
                FetchFailure.Kind.CERTIFICATE,
                problem.get().describe(uri.getHost()) + ": " + c.getMessage())
            : PolicyFetchResult.failed(uri, FetchFailure.Kind.TLS, c.toString());
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return PolicyFetchResult.failed(uri, FetchFailure.Kind.CONNECTION, c.toString());
      }
    }
    return PolicyFetchResult.failed(uri, FetchFailure.Kind.CONNECTION, t.toString());
  }

  /** The body as far as it was read. */
  record Body(byte[] bytes, boolean tooLarge) {}

  /** The body took longer than the time limit. */
  static final class BodyTimeout extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTimeout(String message) {
      super(message);
    }
  }

  /**
   * Reads a body up to a size cap, stopping early for answers whose body does not matter, and gives
   * up when told the time is up. Content-Length is checked before a byte is read.
   */
  private static final class CappedBodyHandler implements HttpResponse.BodyHandler<Body> {
    private final int max;
    private volatile CappedBody current;
    private volatile boolean timedOut;

    CappedBodyHandler(int max) {
      this.max = max;
    }

    @Override
    public HttpResponse.BodySubscriber<Body> apply(HttpResponse.ResponseInfo info) {
      OptionalLong length = info.headers().firstValueAsLong("Content-Length");
      boolean skip = info.statusCode() != 200;
      boolean tooLarge = !skip && length.isPresent() && length.getAsLong() > max;
      CappedBody body = new CappedBody(max, skip || tooLarge, tooLarge);
      current = body;
      if (timedOut) {
        body.timeOut();
      }
      return body;
    }

    void timeOut() {
      timedOut = true;
      CappedBody body = current;
      if (body != null) {
        body.timeOut();
      }
    }
  }

  private static final class CappedBody implements HttpResponse.BodySubscriber<Body> {
    private final int max;
    private final boolean stopAtOnce;
    private final boolean tooLarge;
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;

    CappedBody(int max, boolean stopAtOnce, boolean tooLarge) {
      this.max = max;
      this.stopAtOnce = stopAtOnce;
      this.tooLarge = tooLarge;
    }

    @Override
    public CompletionStage<Body> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (stopAtOnce) {
        s.cancel();
        result.complete(new Body(new byte[0], tooLarge));
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        if (bytes.size() + b.remaining() > max) {
          subscription.cancel();
          result.complete(new Body(new byte[0], true));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(new Body(bytes.toByteArray(), false));
    }

    void timeOut() {
      if (!result.isDone()) {
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        }
        result.completeExceptionally(new BodyTimeout("the policy did not arrive in time"));
      }
    }
  }

  /**
   * Configures an {@link MtaStsPolicyFetcher}. Not thread-safe; build once and share the result.
   */
  public static final class Builder {
    private SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofMinutes(1);
    private int maxPolicyBytes = 64 * 1024;
    private PolicyLeniency leniency = PolicyLeniency.STRICT;
    private int port = 443;
    private boolean publicAddressesOnly;
    private OperatorLog log = OperatorLog.of(MtaStsPolicyFetcher.class);

    private Builder() {}

    /**
     * Sets the TLS context, for its trust store: the certificate authorities a policy host's
     * certificate must chain to. Default: the JDK's default context, with its trust store.
     *
     * @param sslContext an initialized context
     * @return this builder
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Sets how long connecting may take. Default 10 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Sets how long the whole fetch may take, the body included. Default 1 minute, as RFC 8461 §3.3
     * suggests.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * Sets the largest policy accepted, in bytes. Default 64 KiB, as RFC 8461 §3.3 suggests.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxPolicyBytes(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPolicyBytes must be positive: " + max);
      }
      this.maxPolicyBytes = max;
      return this;
    }

    /**
     * Sets how strictly responses and policies are read. Default {@link PolicyLeniency#STRICT}.
     *
     * @param leniency the leniency
     * @return this builder
     */
    public Builder leniency(PolicyLeniency leniency) {
      this.leniency = requireNonNull(leniency, "leniency");
      return this;
    }

    /**
     * Sets the TCP port the policy host is asked on. Default 443, the port of {@code https} that
     * RFC 8461 §3.2 implies; only private deployments and test set-ups serve policies elsewhere.
     * With another port, the address becomes {@code https://mta-sts.<domain>:<port>/...}; the
     * certificate must still name {@code mta-sts.<domain>}.
     *
     * @param port from 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException if the port is out of range
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be from 1 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets whether policy hosts must resolve to public addresses only. Off by default: a mail
     * server fetches the policies of the domains it sends to, and its own network is none of them.
     *
     * <p>Turn it on where the domains come from untrusted users, as in a service that checks the
     * MTA-STS set-up of any domain it is given: otherwise {@code mta-sts.<domain>} can point at the
     * service's own network (server-side request forgery). Then the policy host is resolved first,
     * with the JDK's resolver as the HTTP client does, and if any of its addresses is loopback,
     * private (RFC 1918, RFC 4193), link-local, shared (carrier-grade NAT, RFC 6598), multicast,
     * unspecified, for documentation or benchmarks, reserved, or otherwise not globally reachable
     * (RFC 6890; for IPv6 anything outside 2000::/3), the fetch fails with {@link
     * FetchFailure.Kind#NON_PUBLIC_ADDRESS} and nothing is sent.
     *
     * <p>Residual risk (DNS rebinding): the JDK's {@code HttpClient} in Java 17 cannot be told to
     * connect to an address already checked while it still names and verifies the host, so it
     * resolves the name again itself. The JDK caches lookups (by default 30 seconds, {@code
     * networkaddress.cache.ttl}), so the second lookup normally returns the addresses checked; but
     * a name whose answer changes between the two lookups, with the cache expiring or disabled, can
     * still reach an address this check would refuse. Where that matters, also refuse such traffic
     * at the network level (an egress firewall or proxy).
     *
     * @param publicOnly {@code true} to refuse policy hosts with non-public addresses
     * @return this builder
     */
    public Builder publicAddressesOnly(boolean publicOnly) {
      this.publicAddressesOnly = publicOnly;
      return this;
    }

    /** Logs somewhere else than {@code System.getLogger}, for tests. */
    Builder logger(System.Logger logger) {
      this.log = new OperatorLog(requireNonNull(logger, "logger"));
      return this;
    }

    /**
     * Builds the fetcher.
     *
     * @return the fetcher
     */
    public MtaStsPolicyFetcher build() {
      return new MtaStsPolicyFetcher(this);
    }

    private static Duration positive(Duration d, String what) {
      if (requireNonNull(d, what).isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
