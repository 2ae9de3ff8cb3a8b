package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * Checks whether a client may send mail for a domain: SPF's check_host() (RFC 7208 §4), with the
 * MAIL FROM and HELO identities (§2.3, §2.4), macros (§7), and the processing limits of §4.6.4: 10
 * DNS-querying terms, 10 MX names per {@code mx}, 10 PTR names per {@code ptr}, 2 void lookups,
 * each configurable, and a wall-clock budget (20 seconds by default) for the whole check.
 *
 * <p>Every result is an {@link SpfOutcome} with the term that decided, the explanation of a {@code
 * fail}, and a trace of every DNS lookup; DNS failures and broken records are results, never
 * exceptions. Instances are immutable and thread-safe; build one and share it.
 *
 * <pre>{@code
 * SpfVerifier spf = SpfVerifier.builder(dns).receiver("mx.example.org").build();
 * SpfOutcome outcome = spf.check(clientIp, "mail.example.com", "alice@example.com");
 * message.prepend(outcome.receivedSpf()); // receiver=mx.example.org
 * }</pre>
 */
public final class SpfVerifier {
  private static final System.Logger LOG = System.getLogger(SpfVerifier.class.getName());

  private final DnsResolver dns;
  private final Clock clock;
  private final int maxDnsLookups;
  private final int maxVoidLookups;
  private final int maxMxNames;
  private final int maxPtrNames;
  private final Duration timeout;
  private final String receiver;
  private final int recordCacheSize;

  /**
   * Records parsed before, by their text, or the syntax error they gave: the same few records
   * (large providers' includes above all) come up in check after check. Bounded; when full it is
   * emptied and fills again.
   */
  private final ConcurrentHashMap<String, Object> parsedRecords = new ConcurrentHashMap<>();

  private SpfVerifier(Builder b) {
    this.dns = b.dns;
    this.clock = b.clock;
    this.maxDnsLookups = b.maxDnsLookups;
    this.maxVoidLookups = b.maxVoidLookups;
    this.maxMxNames = b.maxMxNames;
    this.maxPtrNames = b.maxPtrNames;
    this.timeout = b.timeout;
    this.receiver = b.receiver;
    this.recordCacheSize = b.recordCacheSize;
  }

  /**
   * Starts configuring a verifier.
   *
   * @param dns where records are looked up
   * @return a builder with the RFC defaults
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(requireNonNull(dns, "dns"));
  }

  /**
   * Checks the MAIL FROM identity (RFC 7208 §2.4): may {@code ip} send for the domain of {@code
   * mailFrom}? For a null reverse-path ({@code ""} or {@code <>}), the identity is {@code
   * postmaster@} and the HELO domain.
   *
   * @param ip the client's address
   * @param helo the HELO or EHLO name the client gave
   * @param mailFrom the MAIL FROM address, without angle brackets, or empty
   * @return a future of the outcome; it always completes normally
   */
  public CompletableFuture<SpfOutcome> checkAsync(InetAddress ip, String helo, String mailFrom) {
    requireNonNull(mailFrom, "mailFrom");
    String from = mailFrom.equals("<>") ? "" : mailFrom;
    String sender = from.isEmpty() ? "postmaster@" + requireNonNull(helo, "helo") : from;
    return run(ip, helo, sender, SpfIdentity.MAILFROM);
  }

  /**
   * Checks the HELO identity (RFC 7208 §2.3): may {@code ip} use the name it gave in HELO? Names
   * that are not multi-label domain names, such as address literals, give {@code none}.
   *
   * @param ip the client's address
   * @param helo the HELO or EHLO name
   * @return a future of the outcome; it always completes normally
   */
  public CompletableFuture<SpfOutcome> checkHeloAsync(InetAddress ip, String helo) {
    return run(ip, requireNonNull(helo, "helo"), "postmaster@" + helo, SpfIdentity.HELO);
  }

  /**
   * Runs check_host() itself (RFC 7208 §4.1) for a domain and sender of your choosing. The
   * arguments come in the order of the other checks: the client, its HELO name, then the identity.
   *
   * @param ip the client's address
   * @param helo the HELO name, for the {@code h} macro
   * @param domain the domain whose policy is checked
   * @param sender the sender address for macros, such as {@code postmaster@example.com}
   * @return a future of the outcome, for the MAIL FROM identity; it always completes normally
   */
  public CompletableFuture<SpfOutcome> checkHostAsync(
      InetAddress ip, String helo, DomainName domain, String sender) {
    return run(ip, helo, requireNonNull(sender, "sender"), SpfIdentity.MAILFROM, domain);
  }

  /**
   * Checks the MAIL FROM identity and waits for the result. This only joins {@link
   * #checkAsync(InetAddress, String, String)}.
   *
   * @param ip the client's address
   * @param helo the HELO or EHLO name
   * @param mailFrom the MAIL FROM address, or empty
   * @return the outcome
   */
  public SpfOutcome check(InetAddress ip, String helo, String mailFrom) {
    return checkAsync(ip, helo, mailFrom).join();
  }

  /**
   * Checks the HELO identity and waits for the result. This only joins {@link
   * #checkHeloAsync(InetAddress, String)}.
   *
   * @param ip the client's address
   * @param helo the HELO or EHLO name
   * @return the outcome
   */
  public SpfOutcome checkHelo(InetAddress ip, String helo) {
    return checkHeloAsync(ip, helo).join();
  }

  /**
   * Runs check_host() and waits for the result. This only joins {@link #checkHostAsync(InetAddress,
   * String, DomainName, String)}.
   *
   * @param ip the client's address
   * @param helo the HELO name
   * @param domain the domain whose policy is checked
   * @param sender the sender address for macros
   * @return the outcome
   */
  public SpfOutcome checkHost(InetAddress ip, String helo, DomainName domain, String sender) {
    return checkHostAsync(ip, helo, domain, sender).join();
  }

  private CompletableFuture<SpfOutcome> run(
      InetAddress ip, String helo, String sender, SpfIdentity identity) {
    String domainText = sender.substring(sender.lastIndexOf('@') + 1);
    DomainName domain = identityDomain(domainText);
    // RFC 7208 §4.3: a malformed or single-label domain is "none", without a lookup.
    if (domain == null) {
      InetAddress client = normalize(requireNonNull(ip, "ip"));
      return CompletableFuture.completedFuture(
          SpfOutcome.builder()
              .result(SpfResult.NONE)
              .identity(identity)
              .clientIp(client)
              .sender(sender)
              .helo(Optional.ofNullable(helo))
              .problem(Optional.of(SpfProblem.INVALID_DOMAIN))
              .detail("'" + domainText + "' is not a multi-label domain name (RFC 7208 §4.3)")
              .receiver(receiver)
              .build());
    }
    return run(ip, helo, sender, identity, domain);
  }

  /**
   * The domain of an identity (RFC 7208 §4.3), or null when it is malformed or has one label. The
   * MAIL FROM domain and the HELO name are RFC 5321 {@code Domain}s: letters, digits and inner
   * hyphens, here also underscores, which real HELO names carry. Address literals such as {@code
   * [192.0.2.1]} and other text are no domain, although DNS could look some of them up.
   */
  static DomainName identityDomain(String text) {
    if (text.indexOf('\\') >= 0) {
      return null; // no escapes: an identity is plain text
    }
    DomainName domain;
    try {
      domain = DomainName.parse(text);
    } catch (DnsSyntaxException e) {
      return null;
    }
    for (String label : domain.labels()) {
      // After IDNA mapping too, which can turn a fullwidth "／" into "/".
      if (label.startsWith("-") || label.endsWith("-") || !label.matches("[a-z0-9_-]+")) {
        return null;
      }
    }
    return domain.labelCount() < 2 ? null : domain;
  }

  private CompletableFuture<SpfOutcome> run(
      InetAddress ip, String helo, String sender, SpfIdentity identity, DomainName domain) {
    InetAddress client = normalize(requireNonNull(ip, "ip"));
    if (sender.isEmpty()) {
      sender = "postmaster@" + domain; // check_host() without a sender: the domain's postmaster
    }
    int at = sender.lastIndexOf('@');
    // RFC 7208 §4.3: a sender without a local-part uses "postmaster".
    String local = at <= 0 ? "postmaster" : sender.substring(0, at);
    String senderDomain = at < 0 ? sender : sender.substring(at + 1);
    String fullSender = local + "@" + senderDomain;
    MacroExpander.Values values =
        new MacroExpander.Values(
            fullSender,
            local,
            senderDomain,
            domain.toString(),
            client,
            null,
            helo == null ? "" : helo,
            receiver,
            clock.instant().getEpochSecond());
    Evaluation evaluation = new Evaluation(this, client, values);
    // Every lookup gives up at the deadline, so the future completes within the time budget.
    CompletableFuture<SpfOutcome> outcome =
        evaluation
            .checkHost(domain, 0, "record")
            .thenCompose(
                step ->
                    step.result() == SpfResult.FAIL
                        ? evaluation
                            .explanation(step, 0)
                            .thenApply(
                                exp ->
                                    outcome(
                                        step,
                                        exp,
                                        evaluation,
                                        identity,
                                        client,
                                        fullSender,
                                        helo,
                                        domain))
                        : CompletableFuture.completedFuture(
                            outcome(
                                step,
                                Optional.empty(),
                                evaluation,
                                identity,
                                client,
                                fullSender,
                                helo,
                                domain)));
    return outcome;
  }

  /**
   * Logs what operators need to see, at DEBUG: which domain ended in an error and why. The detail
   * names domains and terms only; message contents never reach the log.
   */
  private static SpfOutcome logged(SpfOutcome o) {
    if ((o.result() == SpfResult.TEMPERROR || o.result() == SpfResult.PERMERROR)
        && LOG.isLoggable(Level.DEBUG)) {
      LOG.log(
          Level.DEBUG,
          "SPF "
              + o.result().token()
              + " for "
              + o.domain().map(DomainName::toString).orElse("?")
              + " ("
              + o.problem().map(Enum::name).orElse("?")
              + "): "
              + o.detail());
    }
    return o;
  }

  private SpfOutcome outcome(
      Evaluation.Step step,
      Optional<String> explanation,
      Evaluation evaluation,
      SpfIdentity identity,
      InetAddress client,
      String sender,
      String helo,
      DomainName domain) {
    return logged(
        SpfOutcome.builder()
            .result(step.result())
            .identity(identity)
            .clientIp(client)
            .sender(sender)
            .helo(Optional.ofNullable(helo))
            .domain(Optional.of(domain))
            .mechanism(Optional.ofNullable(step.mechanism()))
            .explanation(explanation)
            .problem(Optional.ofNullable(step.problem()))
            .detail(step.detail())
            .dnsLookups(evaluation.dnsTerms())
            .voidLookups(evaluation.voidLookups())
            .trace(evaluation.trace())
            .receiver(receiver)
            .build());
  }

  /** An IPv4-mapped IPv6 address is checked as the IPv4 address it maps. */
  static InetAddress normalize(InetAddress ip) {
    if (ip instanceof Inet6Address) {
      byte[] b = ip.getAddress();
      boolean mapped = true;
      for (int k = 0; k < 10; k++) {
        mapped &= b[k] == 0;
      }
      if (mapped && b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) {
        try {
          return (Inet4Address) InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
    }
    return ip;
  }

  /** Parses a record, or returns it parsed before; throws the syntax error it gave. */
  SpfRecord parse(String text) {
    Object parsed = parsedRecords.get(text);
    if (parsed == null) {
      try {
        parsed = SpfRecord.parse(text);
      } catch (SpfSyntaxException e) {
        parsed = e;
      }
      if (recordCacheSize > 0) {
        if (parsedRecords.size() >= recordCacheSize) {
          parsedRecords.clear();
        }
        parsedRecords.put(text, parsed);
      }
    }
    if (parsed instanceof SpfSyntaxException) {
      throw (SpfSyntaxException) parsed;
    }
    return (SpfRecord) parsed;
  }

  // --- settings, for Evaluation ---

  DnsResolver dns() {
    return dns;
  }

  int maxDnsLookups() {
    return maxDnsLookups;
  }

  int maxVoidLookups() {
    return maxVoidLookups;
  }

  int maxMxNames() {
    return maxMxNames;
  }

  int maxPtrNames() {
    return maxPtrNames;
  }

  Duration timeout() {
    return timeout;
  }

  /** Configures an {@link SpfVerifier}. Not thread-safe; build once, then share the result. */
  public static final class Builder {
    private final DnsResolver dns;
    private Clock clock = Clock.systemUTC();
    private int maxDnsLookups = 10;
    private int maxVoidLookups = 2;
    private int maxMxNames = 10;
    private int maxPtrNames = 10;
    private Duration timeout = Duration.ofSeconds(20);
    private String receiver = "unknown";
    private int recordCacheSize = 10_000;

    private Builder(DnsResolver dns) {
      this.dns = dns;
    }

    /**
     * Sets the clock for the {@code t} macro of explanations. Default the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how many DNS-querying terms (include, a, mx, ptr, exists, redirect) one check may
     * evaluate; beyond it the result is {@code permerror}. Default 10 (RFC 7208 §4.6.4).
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxDnsLookups(int max) {
      this.maxDnsLookups = atLeast(1, max, "maxDnsLookups");
      return this;
    }

    /**
     * Sets how many lookups may find nothing (NXDOMAIN or no data) before the result is {@code
     * permerror}. Default 2 (RFC 7208 §4.6.4).
     *
     * @param max at least 0
     * @return this builder
     */
    public Builder maxVoidLookups(int max) {
      this.maxVoidLookups = atLeast(0, max, "maxVoidLookups");
      return this;
    }

    /**
     * Sets how many MX hosts one {@code mx} term may look up, in order of preference; a term that
     * matches none of them and has more is {@code permerror}. Default 10 (RFC 7208 §4.6.4).
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMxNames(int max) {
      this.maxMxNames = atLeast(1, max, "maxMxNames");
      return this;
    }

    /**
     * Sets how many PTR names one {@code ptr} term or {@code %{p}} macro validates; the rest are
     * ignored. Default 10 (RFC 7208 §4.6.4).
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxPtrNames(int max) {
      this.maxPtrNames = atLeast(1, max, "maxPtrNames");
      return this;
    }

    /**
     * Sets the wall-clock budget for one check, on top of each DNS query's own timeout; past it the
     * result is {@code temperror}. Default 20 seconds, the least RFC 7208 §4.6.4 allows.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the name of the host doing the check, for the {@code r} macro of explanations. Default
     * {@code unknown}, as RFC 7208 §7.2 suggests when it is not known.
     *
     * @param receiver such as {@code mx.example.org}
     * @return this builder
     */
    public Builder receiver(String receiver) {
      this.receiver = requireNonNull(receiver, "receiver");
      return this;
    }

    /**
     * Sets how many distinct records are kept parsed, so that records seen before are not parsed
     * again. Default 10,000; 0 turns it off.
     *
     * @param size at least 0
     * @return this builder
     */
    public Builder recordCacheSize(int size) {
      this.recordCacheSize = atLeast(0, size, "recordCacheSize");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return the verifier
     */
    public SpfVerifier build() {
      return new SpfVerifier(this);
    }

    private static int atLeast(int min, int value, String what) {
      if (value < min) {
        throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
      }
      return value;
    }
  }
}
