package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;

/**
 * Evaluates DMARC for messages (RFC 9989, or RFC 7489 with {@link DmarcProfile#RFC7489}): finds the
 * author domain's policy, checks whether the domain SPF authorized or a DKIM signature's {@code d=}
 * aligns with it, and says what the policy asks for.
 *
 * <p>It takes the SPF and DKIM outcomes the caller already has ({@code spf} and {@code dkim}
 * modules, or {@link MessageAuthenticator} for all three in one call), and the From field's author
 * domains. Under RFC 9989 policies and organizational domains are found with the DNS tree walk
 * (§4.10): at most {@link Builder#maxWalkQueries(int) 8} queries per walk, each name asked once per
 * message, so that discovery and the walks of the author, the SPF domain and each DKIM {@code d=}
 * share their answers, and the resolver's cache shares them across messages.
 *
 * <p>Thread-safe: build one and use it for every message. Its settings never change; it keeps a
 * bounded cache of the records it has parsed.
 *
 * <pre>{@code
 * DmarcVerifier dmarc = DmarcVerifier.builder(dns).build();
 * DmarcOutcome outcome = dmarc.evaluate(header, spfOutcome, dkimVerification);
 * if (outcome.result() == DmarcResult.FAIL && outcome.appliedPolicy() == DmarcPolicy.REJECT) { ... }
 * }</pre>
 */
public final class DmarcVerifier {
  /** Queries per tree walk, RFC 9989 §4.10. */
  public static final int DEFAULT_MAX_WALK_QUERIES = 8;

  /** Distinct DNS lookups per message, enough for discovery and the walks of several domains. */
  public static final int DEFAULT_MAX_LOOKUPS = 100;

  /** How long the lookups of one message may take together. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  final DnsResolver dns;
  final DmarcProfile profile;
  final Clock clock;
  final Supplier<PublicSuffixList> publicSuffixList;
  final RandomGenerator random;
  final int maxAuthorDomains;
  final int maxWalkQueries;
  final int maxLookups;
  final Duration timeout;
  private final int recordCacheSize;

  /** Longer record texts are parsed each time: real records are a few hundred characters. */
  private static final int MAX_CACHED_RECORD_LENGTH = 512;

  /**
   * Records parsed before, by their text: the same records (large senders' and the public suffix
   * domains') come up in message after message. Bounded; when full it is emptied and fills again.
   */
  private final ConcurrentHashMap<String, DmarcRecord> parsedRecords = new ConcurrentHashMap<>();

  private DmarcVerifier(Builder b) {
    this.dns = b.dns;
    this.profile = b.profile;
    this.clock = b.clock;
    this.publicSuffixList = b.publicSuffixList;
    this.random = b.random;
    this.maxAuthorDomains = b.maxAuthorDomains;
    this.maxWalkQueries = b.maxWalkQueries;
    this.maxLookups = b.maxLookups;
    this.timeout = b.timeout;
    this.recordCacheSize = b.recordCacheSize;
  }

  /**
   * Parses a record that {@link DmarcRecord#isDmarcRecord} accepted, or returns it parsed before.
   */
  DmarcRecord parse(String text) {
    DmarcRecord parsed = parsedRecords.get(text);
    if (parsed == null) {
      parsed = DmarcRecord.parse(text);
      if (recordCacheSize > 0 && text.length() <= MAX_CACHED_RECORD_LENGTH) {
        if (parsedRecords.size() >= recordCacheSize) {
          parsedRecords.clear();
        }
        parsedRecords.put(text, parsed);
      }
    }
    return parsed;
  }

  /**
   * Starts a builder.
   *
   * @param dns the resolver for the {@code _dmarc} lookups; give it the one SPF and DKIM use, so
   *     that they share its cache
   * @return a builder with the RFC 9989 profile and RFC-default limits
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(dns);
  }

  /**
   * Returns the profile this verifier follows.
   *
   * @return the profile
   */
  public DmarcProfile profile() {
    return profile;
  }

  /**
   * Returns how many distinct author domains of one From field are evaluated.
   *
   * @return the limit
   */
  public int maxAuthorDomains() {
    return maxAuthorDomains;
  }

  /**
   * Evaluates a message from its header and the results of SPF and DKIM.
   *
   * @param header the message's header; its From field gives the author domains
   * @param spf the SPF outcome of the MAIL FROM identity (or of HELO for a null reverse-path)
   * @param dkim the DKIM verification of the message
   * @return a future of the outcome; it always completes normally
   */
  public CompletableFuture<DmarcOutcome> evaluateAsync(
      MessageHeader header, SpfOutcome spf, DkimVerification dkim) {
    return evaluateAsync(
        AuthorDomains.of(requireNonNull(header, "header"), maxAuthorDomains),
        List.of(requireNonNull(spf, "spf")),
        dkim.outcomes());
  }

  /**
   * Evaluates author domains the caller has read, against SPF and DKIM outcomes.
   *
   * @param author the From field's author domains, such as from {@link AuthorDomains#parse(List,
   *     int)}
   * @param spf SPF outcomes: the one for the MAIL FROM identity is used, else the one for HELO (RFC
   *     9989 §4.4.2); empty if SPF was not checked
   * @param dkim the outcome of every DKIM signature of the message
   * @return a future of the outcome; it always completes normally
   */
  public CompletableFuture<DmarcOutcome> evaluateAsync(
      AuthorDomains author, List<SpfOutcome> spf, List<DkimOutcome> dkim) {
    requireNonNull(author, "author");
    Optional<SpfOutcome> chosen = chooseSpf(List.copyOf(spf));
    List<DkimOutcome> signatures = List.copyOf(dkim);
    return new Evaluation(this, author, chosen, signatures).run();
  }

  /**
   * Evaluates a message and waits. This only joins {@link #evaluateAsync(MessageHeader, SpfOutcome,
   * DkimVerification)}.
   *
   * @param header the message's header
   * @param spf the SPF outcome
   * @param dkim the DKIM verification
   * @return the outcome
   */
  public DmarcOutcome evaluate(MessageHeader header, SpfOutcome spf, DkimVerification dkim) {
    return evaluateAsync(header, spf, dkim).join();
  }

  /**
   * Evaluates author domains and waits. This only joins {@link #evaluateAsync(AuthorDomains, List,
   * List)}.
   *
   * @param author the author domains
   * @param spf the SPF outcomes
   * @param dkim the DKIM outcomes
   * @return the outcome
   */
  public DmarcOutcome evaluate(AuthorDomains author, List<SpfOutcome> spf, List<DkimOutcome> dkim) {
    return evaluateAsync(author, spf, dkim).join();
  }

  /** RFC 9989 §4.4.2: the MAIL FROM domain, or the HELO domain when MAIL FROM was null. */
  private static Optional<SpfOutcome> chooseSpf(List<SpfOutcome> outcomes) {
    for (SpfOutcome o : outcomes) {
      if (o.identity() == SpfIdentity.MAILFROM) {
        return Optional.of(o);
      }
    }
    return outcomes.stream().filter(o -> o.identity() == SpfIdentity.HELO).findFirst();
  }

  /** Builds a {@link DmarcVerifier}. Not thread-safe; the verifier it builds is. */
  public static final class Builder {
    private final DnsResolver dns;
    private DmarcProfile profile = DmarcProfile.RFC9989;
    private Clock clock = Clock.systemUTC();
    private Supplier<PublicSuffixList> publicSuffixList = PublicSuffixList::bundled;
    private RandomGenerator random; // null: ThreadLocalRandom, at the point of use
    private int maxAuthorDomains = AuthorDomains.DEFAULT_MAX_DOMAINS;
    private int maxWalkQueries = DEFAULT_MAX_WALK_QUERIES;
    private int maxLookups = DEFAULT_MAX_LOOKUPS;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int recordCacheSize = 1_000;

    private Builder(DnsResolver dns) {
      this.dns = requireNonNull(dns, "dns");
    }

    /**
     * Chooses the DMARC generation to follow.
     *
     * @param profile {@link DmarcProfile#RFC9989} (the default) or {@link DmarcProfile#RFC7489}
     * @return this builder
     */
    public Builder profile(DmarcProfile profile) {
      this.profile = requireNonNull(profile, "profile");
      return this;
    }

    /**
     * Sets the clock that stamps {@link DmarcOutcome#evaluatedAt()}.
     *
     * @param clock the clock, the system UTC clock by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets where the RFC 7489 profile gets its public suffix list. The supplier is asked once per
     * message, so a receiver that reloads its list only has to make the supplier return the new one
     * (an {@code AtomicReference::get}).
     *
     * @param source the list's source; {@link PublicSuffixList#bundled()} by default
     * @return this builder
     */
    public Builder publicSuffixList(Supplier<PublicSuffixList> source) {
      this.publicSuffixList = requireNonNull(source, "source");
      return this;
    }

    /**
     * Sets the random source of RFC 7489's {@code pct} sampling (§6.6.4), for tests that need a
     * fixed sequence. By default each thread uses its {@code ThreadLocalRandom}.
     *
     * @param random the source; it is called from every thread that evaluates messages, so it must
     *     be thread-safe
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Limits how many distinct domains of one From field are evaluated (RFC 9989 §11.5); the
     * outcome of a From with more is {@link DmarcOutcome#incomplete() incomplete}.
     *
     * @param max at least 1; 10 by default
     * @return this builder
     */
    public Builder maxAuthorDomains(int max) {
      this.maxAuthorDomains = atLeast(1, max, "maxAuthorDomains");
      return this;
    }

    /**
     * Limits the queries of one tree walk (RFC 9989 §4.10 says 8).
     *
     * @param max at least 1; 8 by default
     * @return this builder
     */
    public Builder maxWalkQueries(int max) {
      this.maxWalkQueries = atLeast(1, max, "maxWalkQueries");
      return this;
    }

    /**
     * Limits the DNS lookups that the organizational-domain walks of a message's identifiers (its
     * SPF domain and DKIM {@code d=} domains) may add, so that a message with many signatures of
     * different domains cannot make a receiver send hundreds of queries (RFC 9989 §11.5). Policy
     * discovery and the author domains' own walks are bounded by {@link #maxAuthorDomains(int)}
     * instead and never count. An identifier whose walk reaches the limit does not align ({@link
     * IdentifierAlignment.Status#LIMIT_REACHED}).
     *
     * @param max at least the walk limit; 100 by default
     * @return this builder
     */
    public Builder maxLookups(int max) {
      this.maxLookups = atLeast(1, max, "maxLookups");
      return this;
    }

    /**
     * Limits how long the lookups of one message may take together; a lookup still unanswered then
     * counts as a temporary failure.
     *
     * @param timeout positive; 20 seconds by default
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets how many distinct records are kept parsed, so that records seen before are not parsed
     * again. Default 1,000; 0 turns it off. Records over 512 characters (real ones are shorter) are
     * never kept, so a DNS server that answers with large records cannot fill memory.
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
     * @throws IllegalArgumentException if the lookup limit is below the walk limit
     */
    public DmarcVerifier build() {
      if (maxLookups < maxWalkQueries) {
        throw new IllegalArgumentException(
            "maxLookups " + maxLookups + " is below maxWalkQueries " + maxWalkQueries);
      }
      return new DmarcVerifier(this);
    }

    private static int atLeast(int min, int value, String what) {
      if (value < min) {
        throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
      }
      return value;
    }
  }

  /** The names a tree walk asks, from the start up (RFC 9989 §4.10): the 8-label jump included. */
  static List<DomainName> walkNames(DomainName start, int maxQueries) {
    List<DomainName> names = new ArrayList<>();
    names.add(start);
    DomainName current = start;
    while (current.labelCount() > 1 && names.size() < maxQueries) {
      // §4.10 step 6: below 8 labels drop one; from 8 on, drop down to 7
      current = start.suffix(Math.min(current.labelCount() - 1, 7));
      names.add(current);
    }
    return names;
  }
}
