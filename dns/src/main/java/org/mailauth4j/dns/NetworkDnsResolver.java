package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.WireParseException;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * A {@link DnsResolver} that asks DNS servers over the network: the system's configured resolvers
 * or servers you name. It is a stub resolver: it expects the servers to recurse.
 *
 * <ul>
 *   <li>UDP with EDNS(0) (a 1232-octet payload by default), retried over TCP when a response is
 *       truncated;
 *   <li>a timeout per attempt, a number of attempts per server, and an overall deadline for a
 *       lookup, after which the answer is {@link DnsStatus#TEMP_FAIL} with {@link
 *       DnsFailure.Kind#TIMEOUT};
 *   <li>CNAME chains followed, within the answer and by asking again for the target, up to a limit;
 *       a loop is a {@link DnsFailure.Kind#ALIAS_CHAIN} failure;
 *   <li>only responses whose ID and question match the query are taken (RFC 5452 §9.1): a spoofed
 *       datagram is ignored and the lookup keeps waiting for the real answer;
 *   <li>SERVFAIL, REFUSED, other error codes, malformed responses, answers truncated even over TCP
 *       and network errors each reported as their own {@link DnsFailure.Kind}, and logged at {@code
 *       DEBUG} through {@link System.Logger};
 *   <li>DNSSEC: either trust the AD bit of servers you trust to validate ({@link
 *       Builder#trustAuthenticatedData(boolean)}), or validate here with trust anchors you give
 *       ({@link Builder#dnssecTrustAnchors(String)}); otherwise no answer is marked authenticated.
 * </ul>
 *
 * <p>Queries are sent with non-blocking I/O: one selector thread per resolver waits for all UDP
 * answers (it ends when the resolver has been idle a few seconds), and TCP uses the JDK's
 * asynchronous channels; no thread waits per query. Results are delivered on the configured {@link
 * Builder#executor(Executor) executor}; a lookup that runs into its overall deadline completes on
 * the JDK's timer thread, so dependent stages should not block.
 *
 * <p>Instances are immutable and thread-safe; build one and share it.
 *
 * <pre>{@code
 * DnsResolver dns = NetworkDnsResolver.builder()
 *     .servers(List.of(new InetSocketAddress("192.0.2.53", 53)))
 *     .timeout(Duration.ofSeconds(2))
 *     .build();
 * }</pre>
 */
public final class NetworkDnsResolver implements DnsResolver {
  private static final System.Logger LOG = System.getLogger(NetworkDnsResolver.class.getName());

  private final Resolver resolver;
  private final List<InetSocketAddress> servers;
  private final Executor executor;
  private final Duration lookupTimeout;
  private final int maxAliasChain;
  private final boolean trustAuthenticatedData;
  private final boolean validating;

  private NetworkDnsResolver(Builder b, List<InetSocketAddress> servers) {
    this.servers = servers;
    this.executor = b.executor;
    this.lookupTimeout = b.lookupTimeout;
    this.maxAliasChain = b.maxAliasChain;
    this.trustAuthenticatedData = b.trustAuthenticatedData;
    this.validating = b.trustAnchors != null;

    UdpTransport udp = new UdpTransport("mailauth4j DNS UDP " + servers);
    List<Resolver> perServer = new ArrayList<>(servers.size());
    for (InetSocketAddress server : servers) {
      ServerTransport transport = new ServerTransport(server, udp);
      transport.setTimeout(b.timeout);
      perServer.add(transport);
    }
    ExtendedResolver extended = new ExtendedResolver(perServer);
    extended.setRetries(b.attempts);
    extended.setLoadBalance(false);
    extended.setTimeout(b.lookupTimeout);
    if (validating) {
      ValidatingResolver validator = new ValidatingResolver(extended, b.clock);
      try {
        validator.loadTrustAnchors(
            new ByteArrayInputStream(b.trustAnchors.getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException e) {
        throw new IllegalArgumentException("unreadable DNSSEC trust anchors: " + e.getMessage(), e);
      }
      if (validator.getTrustAnchors().items().isEmpty()) {
        throw new IllegalArgumentException("the DNSSEC trust anchors contain no DS or DNSKEY");
      }
      this.resolver = validator;
    } else {
      this.resolver = extended;
    }
    // Set after the validator, which would otherwise impose its own payload size. The DO bit
    // asks for the RRSIGs a validator needs (RFC 3225).
    if (b.ednsPayloadSize > 0) {
      extended.setEDNS(0, b.ednsPayloadSize, validating ? ExtendedFlags.DO : 0, List.of());
    } else {
      extended.setEDNS(-1, 0, 0, List.of());
    }
  }

  /**
   * Starts configuring a resolver. Without {@link Builder#servers(List)}, it uses the system's
   * resolvers (from {@code /etc/resolv.conf} and the platform's equivalents).
   *
   * @return a builder with the defaults described on its methods
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the servers this resolver asks, in order.
   *
   * @return an immutable list
   */
  public List<InetSocketAddress> servers() {
    return servers;
  }

  @Override
  public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
    requireNonNull(query, "query");
    Chain chain = new Chain(DnsjavaRecords.toName(query.name()));
    return ask(query, chain)
        .completeOnTimeout(null, lookupTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .thenApply(
            answer ->
                answer != null
                    ? answer
                    : tempFail(
                        query,
                        DnsFailure.of(
                            DnsFailure.Kind.TIMEOUT,
                            "no answer for "
                                + query
                                + " within "
                                + lookupTimeout.toMillis()
                                + " ms from "
                                + servers)));
  }

  /** The state of one lookup across the CNAME hops that may need a query each. */
  private static final class Chain {
    final Set<Name> visited = new HashSet<>();
    Name current;
    long ttl = Long.MAX_VALUE;
    boolean authenticated = true;

    Chain(Name start) {
      current = start;
      visited.add(start);
    }
  }

  private <T> CompletableFuture<DnsAnswer<T>> ask(DnsQuery<T> query, Chain chain) {
    Message message = Message.newQuery(Record.newRecord(chain.current, query.type(), DClass.IN));
    if (trustAuthenticatedData && !validating) {
      // RFC 6840 §5.7: setting AD in a query asks a validating server to report it.
      message.getHeader().setFlag(Flags.AD);
    }
    CompletableFuture<Message> sent;
    try {
      sent = resolver.sendAsync(message, executor).toCompletableFuture();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle(
            (response, error) ->
                error != null
                    ? CompletableFuture.completedFuture(
                        tempFail(query, failureOf(query, chain.current, error)))
                    : interpret(query, chain, response))
        .thenCompose(f -> f);
  }

  private <T> CompletableFuture<DnsAnswer<T>> interpret(
      DnsQuery<T> query, Chain chain, Message response) {
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return CompletableFuture.completedFuture(
          tempFail(query, failureOf(query, chain.current, response)));
    }
    if (response.getHeader().getFlag(Flags.TC)) {
      // Truncated even over TCP (dnsjava retries a truncated UDP answer there): what is missing
      // may be the very record asked for, so this is no "no data" answer (RFC 2181 §9).
      return CompletableFuture.completedFuture(
          tempFail(
              query,
              DnsFailure.of(
                  DnsFailure.Kind.TRUNCATED,
                  "truncated response for "
                      + chain.current
                      + " "
                      + query.typeName()
                      + " from "
                      + servers
                      + ", also over TCP")));
    }
    chain.authenticated &=
        response.getHeader().getFlag(Flags.AD) && (validating || trustAuthenticatedData);

    Name asked = chain.current;
    List<Record> answer = response.getSection(Section.ANSWER);
    while (true) {
      List<Record> matching = new ArrayList<>();
      CNAMERecord alias = null;
      for (Record r : answer) {
        if (r.getDClass() != DClass.IN || !r.getName().equals(chain.current)) {
          continue; // a record for another name is not an answer to this question
        }
        if (r.getType() == query.type()) {
          matching.add(r);
          chain.ttl = Math.min(chain.ttl, r.getTTL());
        } else if (DnsjavaRecords.isAlias(r) && alias == null) {
          alias = (CNAMERecord) r;
        }
      }
      if (!matching.isEmpty()) {
        List<T> records = DnsjavaRecords.decode(query, matching);
        Duration ttl = Duration.ofSeconds(chain.ttl);
        return CompletableFuture.completedFuture(
            records.isEmpty()
                ? DnsAnswer.noData(query, ttl, chain.authenticated)
                : DnsAnswer.found(query, records, ttl, chain.authenticated));
      }
      if (alias == null) {
        break;
      }
      DnsFailure loop = follow(query, chain, alias);
      if (loop != null) {
        return CompletableFuture.completedFuture(tempFail(query, loop));
      }
    }

    SOARecord soa = null;
    for (Record r : response.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord && chain.current.subdomain(r.getName())) {
        soa = (SOARecord) r;
        break;
      }
    }
    if (!chain.current.equals(asked) && soa == null && rcode == Rcode.NOERROR) {
      // The server gave the alias but nothing about its target (it is not authoritative for it
      // and does not recurse): ask for the target.
      return ask(query, chain);
    }
    Duration negativeTtl =
        soa == null
            ? Duration.ZERO
            : Duration.ofSeconds(Math.min(chain.ttl, DnsjavaRecords.negativeTtl(soa).toSeconds()));
    // RFC 6604 §3: the RCODE describes the last name of the chain.
    return CompletableFuture.completedFuture(
        rcode == Rcode.NXDOMAIN
            ? DnsAnswer.nxDomain(query, negativeTtl, chain.authenticated)
            : DnsAnswer.noData(query, negativeTtl, chain.authenticated));
  }

  /** A temporary failure, logged: operators need to see DNS trouble, callers get a value. */
  private static <T> DnsAnswer<T> tempFail(DnsQuery<T> query, DnsFailure failure) {
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(
          Level.DEBUG,
          "DNS lookup " + query + " failed: " + failure.kind() + ", " + failure.detail());
    }
    return DnsAnswer.tempFail(query, failure);
  }

  /** Moves the chain to the alias's target; returns a failure for a loop or a too-long chain. */
  private DnsFailure follow(DnsQuery<?> query, Chain chain, CNAMERecord alias) {
    Name target = alias.getTarget();
    if (!chain.visited.add(target)) {
      return DnsFailure.of(
          DnsFailure.Kind.ALIAS_CHAIN, "CNAME loop at " + target + " while resolving " + query);
    }
    if (chain.visited.size() > maxAliasChain + 1) {
      return DnsFailure.of(
          DnsFailure.Kind.ALIAS_CHAIN,
          "more than " + maxAliasChain + " CNAMEs while resolving " + query);
    }
    chain.ttl = Math.min(chain.ttl, alias.getTTL());
    chain.current = target;
    return null;
  }

  private DnsFailure failureOf(DnsQuery<?> query, Name name, Message response) {
    int rcode = response.getRcode();
    String where = " for " + name + " " + query.typeName() + " from " + servers;
    ExtendedErrorCodeOption ede = extendedError(response);
    if (rcode == Rcode.SERVFAIL) {
      if (ede == null) {
        return DnsFailure.of(DnsFailure.Kind.SERVER_FAILURE, "SERVFAIL" + where);
      }
      int code = ede.getErrorCode();
      String explained =
          ExtendedErrorCodeOption.text(code)
              + (ede.getText() == null || ede.getText().isEmpty() ? "" : ": " + ede.getText())
              + where;
      // RFC 8914 §4: codes 1 to 12 and 25 report DNSSEC validation failures.
      boolean dnssec = code >= 1 && code <= 12 || code == 25;
      return dnssec
          ? DnsFailure.of(DnsFailure.Kind.DNSSEC_BOGUS, "DNSSEC validation failed, " + explained)
          : DnsFailure.of(DnsFailure.Kind.SERVER_FAILURE, "SERVFAIL, " + explained);
    }
    if (rcode == Rcode.REFUSED) {
      return DnsFailure.of(DnsFailure.Kind.REFUSED, "REFUSED" + where);
    }
    return DnsFailure.of(
        DnsFailure.Kind.UNEXPECTED_RESPONSE_CODE, "response code " + Rcode.string(rcode) + where);
  }

  /** The first extended DNS error (RFC 8914) of a response, or null. */
  private static ExtendedErrorCodeOption extendedError(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return null;
    }
    List<EDNSOption> options = opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    return options.isEmpty() ? null : (ExtendedErrorCodeOption) options.get(0);
  }

  private DnsFailure failureOf(DnsQuery<?> query, Name name, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String where = name + " " + query.typeName() + " from " + servers;
    String message = String.valueOf(cause.getMessage());
    if (cause instanceof SocketTimeoutException
        || cause instanceof TimeoutException
        || message.startsWith("Timed out")) {
      return DnsFailure.of(DnsFailure.Kind.TIMEOUT, "no answer for " + where, cause);
    }
    if (cause instanceof WireParseException) {
      return DnsFailure.of(
          DnsFailure.Kind.MALFORMED_RESPONSE,
          "malformed response for " + where + ": " + message,
          cause);
    }
    return DnsFailure.of(
        DnsFailure.Kind.NETWORK_ERROR,
        "could not query " + where + ": " + cause.getClass().getSimpleName() + ": " + message,
        cause);
  }

  @Override
  public String toString() {
    return "NetworkDnsResolver" + servers;
  }

  /**
   * Configures a {@link NetworkDnsResolver}. Not thread-safe; build once, then share the result.
   */
  public static final class Builder {
    private List<InetSocketAddress> servers;
    private Duration timeout = Duration.ofSeconds(3);
    private int attempts = 2;
    private Duration lookupTimeout = Duration.ofSeconds(10);
    private int ednsPayloadSize = 1232;
    private int maxAliasChain = 8;
    private boolean trustAuthenticatedData;
    private String trustAnchors;
    private Clock clock = Clock.systemUTC();
    private Executor executor = ForkJoinPool.commonPool();

    private Builder() {}

    /**
     * Names the servers to ask, in order of preference, instead of the system's resolvers.
     *
     * @param servers recursive resolvers, such as {@code 192.0.2.53:53}
     * @return this builder
     */
    public Builder servers(List<InetSocketAddress> servers) {
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("at least one server is needed");
      }
      for (InetSocketAddress s : servers) {
        if (requireNonNull(s, "server").isUnresolved()) {
          throw new IllegalArgumentException("server address must be resolved: " + s);
        }
      }
      this.servers = List.copyOf(servers);
      return this;
    }

    /**
     * Sets how long one attempt (one UDP exchange, or one TCP exchange after truncation) may take.
     * Default 3 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * Sets how many times each server is tried before the next one; default 2.
     *
     * @param attempts at least 1
     * @return this builder
     */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /**
     * Sets the deadline for a whole lookup, across attempts, servers, TCP fallback and CNAME hops.
     * When it passes, the answer is a {@link DnsFailure.Kind#TIMEOUT}. Default 10 seconds.
     *
     * @param lookupTimeout a positive duration
     * @return this builder
     */
    public Builder lookupTimeout(Duration lookupTimeout) {
      this.lookupTimeout = positive(lookupTimeout, "lookupTimeout");
      return this;
    }

    /**
     * Sets the UDP payload size announced with EDNS(0) (RFC 6891); larger answers come over TCP.
     * Default 1232, which avoids IP fragmentation on nearly every path. 0 sends queries without
     * EDNS, limiting UDP answers to 512 octets.
     *
     * @param size 0, or from 512 to 4096
     * @return this builder
     */
    public Builder ednsPayloadSize(int size) {
      if (size != 0 && (size < 512 || size > 4096)) {
        throw new IllegalArgumentException("EDNS payload size must be 0 or 512..4096: " + size);
      }
      this.ednsPayloadSize = size;
      return this;
    }

    /**
     * Sets how many CNAMEs a lookup follows before giving up with {@link
     * DnsFailure.Kind#ALIAS_CHAIN}. Default 8.
     *
     * @param max at least 0
     * @return this builder
     */
    public Builder maxAliasChain(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxAliasChain must not be negative: " + max);
      }
      this.maxAliasChain = max;
      return this;
    }

    /**
     * Trusts the AD bit in responses (RFC 4035 §3.2.3), marking such answers {@link
     * DnsAnswer#authenticated()}. Turn this on only when the servers validate DNSSEC and the path
     * to them is secure (a resolver on the same host, for example): anyone on the path can set the
     * bit. Off by default.
     *
     * @param trust whether to trust the servers' AD bit
     * @return this builder
     */
    public Builder trustAuthenticatedData(boolean trust) {
      this.trustAuthenticatedData = trust;
      return this;
    }

    /**
     * Validates DNSSEC in this process (with dnsjava's validating resolver) from the given trust
     * anchors, marking validated answers {@link DnsAnswer#authenticated()} and failing bogus ones
     * with {@link DnsFailure.Kind#DNSSEC_BOGUS}. The servers must still recurse; they need not
     * validate. Off by default.
     *
     * @param zoneText DS or DNSKEY records in zone-file form, such as the root zone's anchors
     *     published by IANA
     * @return this builder
     */
    public Builder dnssecTrustAnchors(String zoneText) {
      this.trustAnchors = requireNonNull(zoneText, "zoneText");
      return this;
    }

    /**
     * Sets the clock DNSSEC validation checks signature validity against. Default the system clock
     * in UTC.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the executor on which answers are delivered. Default the common fork-join pool.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return the resolver
     * @throws IllegalStateException if no servers were given and none are configured on the system
     * @throws IllegalArgumentException if DNSSEC trust anchors were given but are unusable, or
     *     validation was asked for without EDNS
     */
    public NetworkDnsResolver build() {
      if (trustAnchors != null && ednsPayloadSize == 0) {
        throw new IllegalArgumentException("DNSSEC validation needs EDNS; set a payload size");
      }
      List<InetSocketAddress> chosen = servers;
      if (chosen == null) {
        chosen = ResolverConfig.getCurrentConfig().servers();
        if (chosen.isEmpty()) {
          throw new IllegalStateException("no DNS servers configured on this system");
        }
        chosen = List.copyOf(chosen);
      }
      return new NetworkDnsResolver(this, chosen);
    }

    private static Duration positive(Duration d, String what) {
      if (requireNonNull(d, what).isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
