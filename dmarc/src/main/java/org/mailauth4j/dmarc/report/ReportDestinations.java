package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mailauth4j.dmarc.ReportUri;
import org.mailauth4j.dns.DomainName;

/**
 * What the external destination check (RFC 9990 §4, RFC 7489 §7.1) concluded about a policy
 * domain's report URIs: for each URI, whether reports may go there now, why, and where they go when
 * the destination's own record replaces it. Made by {@link ReportDestinationVerifier}.
 *
 * <p>{@link #usableUris()} and {@link #mailboxes()} are what a reporter sends to; the {@link
 * #destinations()} say why each URI is or is not among them, for logs. A URI refused now is never
 * used; one that met a {@link Status#TEMPORARY_FAILURE} may be checked again later ({@link
 * #hasTemporaryFailure()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ReportDestinations {

  /** What the check found for one URI. */
  public enum Status {
    /**
     * The destination is in the policy domain's organizational domain: no check is needed (RFC 9990
     * §4 applies only to destinations outside it). Usable.
     */
    SAME_ORGANIZATION(true),
    /**
     * The destination published a {@code v=DMARC1} record at {@code
     * <policy-domain>._report._dmarc.<destination-host>} (or a wildcard covering it): it accepts
     * the policy domain's reports. Usable, possibly as replaced by the record's own URIs.
     */
    AUTHORIZED(true),
    /**
     * No {@code v=DMARC1} record at the destination's name (no such name, no TXT, or only other TXT
     * records): the destination has not agreed to receive the reports, and the URI MUST NOT be
     * used.
     */
    NOT_AUTHORIZED(false),
    /**
     * The name to query would exceed DNS limits (over 253 octets): RFC 9990 §4 stops there, and the
     * URI is not used.
     */
    NAME_TOO_LONG(false),
    /**
     * The URI names no domain to check: an IP address, or no host at all. Such a destination cannot
     * be authorized and is not used.
     */
    NO_HOST(false),
    /**
     * A DNS lookup failed or did not answer in time: the destination cannot be used now, and may be
     * checked again later.
     */
    TEMPORARY_FAILURE(false),
    /**
     * The URI came after the verifier's {@linkplain ReportDestinationVerifier.Builder#maxUris(int)
     * limit} and was not checked, nor used.
     */
    OVER_LIMIT(false);

    private final boolean usable;

    Status(boolean usable) {
      this.usable = usable;
    }

    /**
     * Tells whether reports may go to a URI with this status.
     *
     * @return {@code true} for {@link #SAME_ORGANIZATION} and {@link #AUTHORIZED}
     */
    public boolean isUsable() {
      return usable;
    }
  }

  /** The verdict on one report URI, and its evidence. Immutable. */
  public static final class Destination {
    private final ReportUri uri;
    private final Status status;
    private final Optional<DomainName> queriedName;
    private final List<ReportUri> replacements;
    private final String detail;

    Destination(
        ReportUri uri,
        Status status,
        Optional<DomainName> queriedName,
        List<ReportUri> replacements,
        String detail) {
      this.uri = requireNonNull(uri, "uri");
      this.status = requireNonNull(status, "status");
      this.queriedName = requireNonNull(queriedName, "queriedName");
      this.replacements = List.copyOf(replacements);
      this.detail = requireNonNull(detail, "detail");
    }

    /**
     * Returns the URI as the policy domain's record gave it.
     *
     * @return the URI
     */
    public ReportUri uri() {
      return uri;
    }

    /**
     * Returns the verdict.
     *
     * @return the status
     */
    public Status status() {
      return status;
    }

    /**
     * Returns the destination host whose authorization was asked for: {@link ReportUri#host()}, in
     * A-label form.
     *
     * @return the host; empty for {@link Status#NO_HOST}
     */
    public Optional<DomainName> host() {
      return uri.host();
    }

    /**
     * Returns the name whose TXT records were asked for, {@code
     * <policy-domain>._report._dmarc.<destination-host>}.
     *
     * @return the name; empty when no query was made
     */
    public Optional<DomainName> queriedName() {
      return queriedName;
    }

    /**
     * Returns the URIs that the destination's record put in place of {@link #uri()} (RFC 7489
     * §7.1): those of its {@code rua} (or {@code ruf}) on the same destination host. URIs on other
     * hosts are never taken.
     *
     * @return the replacements; empty when the URI is used as it is
     */
    public List<ReportUri> replacements() {
      return replacements;
    }

    /**
     * Returns where reports for this URI go: the replacements if there are any, else the URI
     * itself; nothing if it is not usable.
     *
     * @return the URIs to send to
     */
    public List<ReportUri> effectiveUris() {
      if (!status.isUsable()) {
        return List.of();
      }
      return replacements.isEmpty() ? List.of(uri) : replacements;
    }

    /**
     * Returns a sentence for people: what was asked and what came back.
     *
     * @return the detail
     */
    public String detail() {
      return detail;
    }

    @Override
    public String toString() {
      return uri + ": " + status + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  private final DomainName policyDomain;
  private final List<Destination> destinations;
  private final List<ReportUri> usable;

  ReportDestinations(DomainName policyDomain, List<Destination> destinations, int maxUris) {
    this.policyDomain = requireNonNull(policyDomain, "policyDomain");
    this.destinations = List.copyOf(destinations);
    Set<ReportUri> uris = new LinkedHashSet<>();
    for (Destination d : destinations) {
      for (ReportUri u : d.effectiveUris()) {
        if (uris.size() < maxUris) {
          uris.add(u);
        }
      }
    }
    this.usable = List.copyOf(uris);
  }

  /**
   * Returns the policy domain whose URIs were checked.
   *
   * @return the domain
   */
  public DomainName policyDomain() {
    return policyDomain;
  }

  /**
   * Returns one verdict per distinct URI given, in the order given.
   *
   * @return the verdicts
   */
  public List<Destination> destinations() {
    return destinations;
  }

  /**
   * Returns the URIs reports may be sent to: the {@linkplain Destination#effectiveUris() effective
   * URIs} of every usable destination, in order, without repeats, and no more than the verifier's
   * {@linkplain ReportDestinationVerifier.Builder#maxUris(int) limit} (replacements count against
   * it too). URIs of every scheme are included; e-mail goes only to {@link #mailboxes()}.
   *
   * @return the URIs
   */
  public List<ReportUri> usableUris() {
    return usable;
  }

  /**
   * Returns the addresses of the {@code mailto} URIs among {@link #usableUris()}, the only ones
   * report e-mail goes to: each as {@link ReportUri#mailbox()} with its domain in A-label form, so
   * that {@code mailto:d@b%C3%BCcher.example} gives {@code d@xn--bcher-kva.example}.
   *
   * @return the addresses, without repeats
   */
  public List<String> mailboxes() {
    Set<String> addresses = new LinkedHashSet<>();
    for (ReportUri u : usable) {
      if (u.scheme().equals("mailto") && u.mailbox().isPresent() && u.host().isPresent()) {
        String mailbox = u.mailbox().get();
        addresses.add(mailbox.substring(0, mailbox.lastIndexOf('@') + 1) + u.host().get());
      }
    }
    return List.copyOf(new ArrayList<>(addresses));
  }

  /**
   * Tells whether a URI could not be checked because DNS failed: checking again later may make it
   * usable.
   *
   * @return {@code true} if any destination is {@link Status#TEMPORARY_FAILURE}
   */
  public boolean hasTemporaryFailure() {
    return destinations.stream().anyMatch(d -> d.status() == Status.TEMPORARY_FAILURE);
  }

  @Override
  public String toString() {
    return "report destinations of " + policyDomain + ": " + destinations;
  }
}
