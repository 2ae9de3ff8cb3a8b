package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.PublicSuffixList;
import org.mailauth4j.dmarc.ReportUri;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;

/**
 * Checks, before any report is sent, that each {@code rua} (or {@code ruf}) destination outside the
 * policy domain's organization has agreed to receive that domain's reports: the external
 * destination check of RFC 9990 §4 (RFC 7489 §7.1).
 *
 * <p>For each URI with a destination host in another organizational domain than the policy
 * domain's, it asks for TXT records at {@code <policy-domain>._report._dmarc.<destination-host>}
 * (both names in A-labels): {@code example.com} with {@code rua=mailto:d@rep.example.net} asks
 * {@code example.com._report._dmarc.rep.example.net}. At least one record starting with {@code
 * v=DMARC1} authorizes the destination; a wildcard ({@code *._report._dmarc.rep.example.net}) is
 * answered by DNS itself. Such a record may carry its own {@code rua} ({@code ruf}), which replaces
 * the URI, but only with URIs on the same destination host; others are ignored, so that an override
 * never leads to another host. A name over DNS limits stops the check (RFC 9990 §4). A DNS failure
 * or timeout leaves the URI unusable for now ({@link ReportDestinations.Status#TEMPORARY_FAILURE}).
 *
 * <p>Organizational domains are found as the {@link DmarcProfile} says: under RFC 9989 (the
 * default) by the DNS tree walk (§4.10.2), at most {@link Builder#maxWalkQueries(int) 8} queries
 * per domain, each name asked once per call; under RFC 7489 with the public suffix list (§3.2),
 * without DNS. Give it the resolver, with its cache, that the {@code DmarcVerifier} uses: the
 * policy domain's walk is then mostly answered from the cache, and so is the check of each host
 * (standards: one cached check per host).
 *
 * <p>Only the first {@link Builder#maxUris(int) five} distinct URIs are checked and used; RFC 7489
 * §6.2 asks receivers to support at least two, and a record of a hundred URIs must not make a
 * reporter send a hundred queries or copies.
 *
 * <p>Immutable and thread-safe: build one and share it.
 *
 * <pre>{@code
 * ReportDestinationVerifier destinations = ReportDestinationVerifier.builder(dns).build();
 * ReportDestinations checked = destinations.verify(policyDomain, record.aggregateReportUris());
 * for (String address : checked.mailboxes()) { ... compose and send the report ... }
 * }</pre>
 */
public final class ReportDestinationVerifier {
  /** URIs checked and used per policy domain (standards §7.5). */
  public static final int DEFAULT_MAX_URIS = 5;

  /** How long the lookups of one call may take together. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** Queries per tree walk, RFC 9989 §4.10. */
  public static final int DEFAULT_MAX_WALK_QUERIES = 8;

  /** Which kind of reports the URIs are for: it says which tag of a verifying record replaces. */
  public enum ReportType {
    /** Aggregate reports, {@code rua} (RFC 9990). */
    AGGREGATE("rua"),
    /** Failure reports, {@code ruf} (RFC 9991). */
    FAILURE("ruf");

    private final String tag;

    ReportType(String tag) {
      this.tag = tag;
    }

    /**
     * Returns the record tag that lists this kind's URIs.
     *
     * @return {@code rua} or {@code ruf}
     */
    public String tag() {
      return tag;
    }
  }

  final DnsResolver dns;
  final DmarcProfile profile;
  final Supplier<PublicSuffixList> publicSuffixList;
  final int maxUris;
  final int maxWalkQueries;
  final Duration timeout;

  private ReportDestinationVerifier(Builder b) {
    this.dns = b.dns;
    this.profile = b.profile;
    this.publicSuffixList = b.publicSuffixList;
    this.maxUris = b.maxUris;
    this.maxWalkQueries = b.maxWalkQueries;
    this.timeout = b.timeout;
  }

  /**
   * Starts a builder.
   *
   * @param dns the resolver; the one (with its cache) that DMARC evaluation uses
   * @return a builder with the RFC 9989 profile and the default limits
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(dns);
  }

  /**
   * Returns how many distinct URIs are checked and used per call.
   *
   * @return the limit
   */
  public int maxUris() {
    return maxUris;
  }

  /**
   * Checks a policy domain's aggregate report URIs ({@code rua}).
   *
   * @param policyDomain the domain whose DMARC record lists the URIs: the report's {@code
   *     policy_published/domain}
   * @param uris the URIs, in the record's order; repeats are checked once
   * @return a future of the verdicts; it always completes normally
   */
  public CompletableFuture<ReportDestinations> verifyAsync(
      DomainName policyDomain, List<ReportUri> uris) {
    return verifyAsync(policyDomain, uris, ReportType.AGGREGATE);
  }

  /**
   * Checks a policy domain's report URIs of either kind.
   *
   * @param policyDomain the domain whose DMARC record lists the URIs
   * @param uris the URIs, in the record's order; repeats are checked once
   * @param type which tag they came from, and so which tag of a verifying record replaces them
   * @return a future of the verdicts; it always completes normally
   */
  public CompletableFuture<ReportDestinations> verifyAsync(
      DomainName policyDomain, List<ReportUri> uris, ReportType type) {
    requireNonNull(policyDomain, "policyDomain");
    requireNonNull(type, "type");
    List<ReportUri> given = List.copyOf(uris);
    return new DestinationCheck(this, policyDomain, type).run(given);
  }

  /**
   * Checks aggregate report URIs and waits. This only joins {@link #verifyAsync(DomainName, List)}.
   *
   * @param policyDomain the domain whose DMARC record lists the URIs
   * @param uris the URIs
   * @return the verdicts
   */
  public ReportDestinations verify(DomainName policyDomain, List<ReportUri> uris) {
    return verifyAsync(policyDomain, uris).join();
  }

  /**
   * Checks report URIs of either kind and waits. This only joins {@link #verifyAsync(DomainName,
   * List, ReportType)}.
   *
   * @param policyDomain the domain whose DMARC record lists the URIs
   * @param uris the URIs
   * @param type which tag they came from
   * @return the verdicts
   */
  public ReportDestinations verify(DomainName policyDomain, List<ReportUri> uris, ReportType type) {
    return verifyAsync(policyDomain, uris, type).join();
  }

  /** Builds a {@link ReportDestinationVerifier}. Not thread-safe; the verifier it builds is. */
  public static final class Builder {
    private final DnsResolver dns;
    private DmarcProfile profile = DmarcProfile.RFC9989;
    private Supplier<PublicSuffixList> publicSuffixList = PublicSuffixList::bundled;
    private int maxUris = DEFAULT_MAX_URIS;
    private int maxWalkQueries = DEFAULT_MAX_WALK_QUERIES;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder(DnsResolver dns) {
      this.dns = requireNonNull(dns, "dns");
    }

    /**
     * Chooses how organizational domains are found: by the DNS tree walk ({@link
     * DmarcProfile#RFC9989}, the default) or the public suffix list ({@link DmarcProfile#RFC7489}).
     * Use the profile the receiver's {@code DmarcVerifier} follows.
     *
     * @param profile the profile
     * @return this builder
     */
    public Builder profile(DmarcProfile profile) {
      this.profile = requireNonNull(profile, "profile");
      return this;
    }

    /**
     * Sets where the RFC 7489 profile gets its public suffix list; asked once per call.
     *
     * @param source the list's source; {@link PublicSuffixList#bundled()} by default
     * @return this builder
     */
    public Builder publicSuffixList(Supplier<PublicSuffixList> source) {
      this.publicSuffixList = requireNonNull(source, "source");
      return this;
    }

    /**
     * Limits how many distinct URIs are checked and used per call; later ones are {@link
     * ReportDestinations.Status#OVER_LIMIT}.
     *
     * @param max at least 1; 5 by default
     * @return this builder
     */
    public Builder maxUris(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxUris must be at least 1: " + max);
      }
      this.maxUris = max;
      return this;
    }

    /**
     * Limits the queries of one tree walk (RFC 9989 §4.10 says 8).
     *
     * @param max at least 1; 8 by default
     * @return this builder
     */
    public Builder maxWalkQueries(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxWalkQueries must be at least 1: " + max);
      }
      this.maxWalkQueries = max;
      return this;
    }

    /**
     * Limits how long the lookups of one call may take together; a lookup still unanswered then
     * counts as a temporary failure.
     *
     * @param timeout positive; 20 seconds by default
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
     * Builds the verifier.
     *
     * @return the verifier
     */
    public ReportDestinationVerifier build() {
      return new ReportDestinationVerifier(this);
    }
  }
}
