package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.PolicyLookup;

/**
 * The sending MTA's transport decision for one recipient domain: its MX hosts in the order to try
 * them, and for each how TLS is required and judged (DANE, MTA-STS or opportunistic, RFC 8461 §2
 * and RFC 7672 §2). Made by {@link TransportPolicyResolver}. Immutable and thread-safe.
 */
public final class TransportPolicy {

  /** Whether the domain can be delivered to at all. */
  public enum Status {
    /**
     * The MX hosts are known; each says how to treat it. When every one is {@link
     * MxTransport.Security#UNREACHABLE} ({@link TransportPolicy#deliverable()} is false), no host
     * is to be tried and delivery is deferred as for {@link #TEMP_FAIL}, after recording each
     * host's {@link MxTransport#refusal()}.
     */
    RESOLVED,
    /** The domain publishes a null MX (RFC 7505): it accepts no mail. */
    NULL_MX,
    /** The domain does not exist (NXDOMAIN): mail to it bounces. */
    NO_SUCH_DOMAIN,
    /**
     * The MX lookup failed or was bogus (RFC 7672 §2.1.1): delivery is deferred, as for any
     * temporary failure.
     */
    TEMP_FAIL
  }

  private final DomainName recipientDomain;
  private final Status status;
  private final boolean mxAuthenticated;
  private final boolean implicitMx;
  private final List<MxTransport> mxHosts;
  private final Optional<PolicyLookup> mtaSts;
  private final Optional<DnsFailure> failure;
  private final String detail;

  TransportPolicy(
      DomainName recipientDomain,
      Status status,
      boolean mxAuthenticated,
      boolean implicitMx,
      List<MxTransport> mxHosts,
      Optional<PolicyLookup> mtaSts,
      Optional<DnsFailure> failure,
      String detail) {
    this.recipientDomain = requireNonNull(recipientDomain, "recipientDomain");
    this.status = requireNonNull(status, "status");
    this.mxAuthenticated = mxAuthenticated;
    this.implicitMx = implicitMx;
    this.mxHosts = List.copyOf(mxHosts);
    this.mtaSts = requireNonNull(mtaSts, "mtaSts");
    this.failure = requireNonNull(failure, "failure");
    this.detail = requireNonNull(detail, "detail");
    if ((status == Status.RESOLVED) == this.mxHosts.isEmpty()) {
      throw new IllegalArgumentException("MX hosts go with RESOLVED, and only with it");
    }
    if ((status == Status.TEMP_FAIL) != failure.isPresent()) {
      throw new IllegalArgumentException("a DNS failure goes with TEMP_FAIL, and only with it");
    }
  }

  /**
   * Returns the recipient domain.
   *
   * @return the domain asked about
   */
  public DomainName recipientDomain() {
    return recipientDomain;
  }

  /**
   * Returns whether and how the domain can be delivered to.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Tells whether the MX records were DNSSEC-validated. Only then are TLSA records looked up for
   * the MX hosts (RFC 7672 §2.2.1).
   *
   * @return true for an authenticated MX RRset, or an authenticated denial of one
   */
  public boolean mxAuthenticated() {
    return mxAuthenticated;
  }

  /**
   * Tells whether the domain has no MX records, so that the domain itself is the one host (RFC 5321
   * §5.1).
   *
   * @return true for the implicit MX
   */
  public boolean implicitMx() {
    return implicitMx;
  }

  /**
   * Returns the MX hosts in order of preference, each with how to treat it.
   *
   * @return an immutable list, empty unless {@link Status#RESOLVED}
   */
  public List<MxTransport> mxHosts() {
    return mxHosts;
  }

  /**
   * Returns the recipient domain's MTA-STS lookup.
   *
   * @return the lookup, or empty when the resolver was built without an MTA-STS resolver
   */
  public Optional<PolicyLookup> mtaSts() {
    return mtaSts;
  }

  /**
   * Returns the DNS failure that deferred delivery.
   *
   * @return the failure, for {@link Status#TEMP_FAIL}
   */
  public Optional<DnsFailure> failure() {
    return failure;
  }

  /**
   * Returns a human-readable account of the decision.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Tells whether any MX host is to be authenticated by DANE.
   *
   * @return true if one host's security is {@link MxTransport.Security#DANE}
   */
  public boolean usesDane() {
    return mxHosts.stream().anyMatch(mx -> mx.security() == MxTransport.Security.DANE);
  }

  /**
   * Tells whether at least one host may be tried.
   *
   * @return true if some host is not {@link MxTransport.Security#UNREACHABLE}
   */
  public boolean deliverable() {
    return mxHosts.stream().anyMatch(mx -> mx.security() != MxTransport.Security.UNREACHABLE);
  }

  @Override
  public String toString() {
    return "TransportPolicy["
        + recipientDomain
        + " "
        + status
        + (mxAuthenticated ? " mx-authenticated" : "")
        + (mxHosts.isEmpty() ? "" : " " + mxHosts)
        + ", "
        + detail
        + "]";
  }
}
