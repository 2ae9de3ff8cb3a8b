package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.mailauth4j.dkim.HeaderField;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dns.DomainName;

/**
 * The Author Domains of a message: the domains of the mailboxes in its one From field (RFC 5322
 * §3.6.2), which DMARC evaluates (RFC 9989 §4.4, §5.3.1; RFC 7489 §6.6.1). Either they were all
 * found, or a {@link Status} says why DMARC cannot run on the message.
 *
 * <p>The field is read as RFC 5322 §3.4 {@code mailbox-list}, or {@code address-list} since RFC
 * 6854 allows groups in From, with the obsolete forms of RFC 5322 §4.4 that real mail uses: display
 * names with dots ({@code J. Doe <j@example.com>}), comments and folding anywhere CFWS may stand
 * (around the {@code @} too), routes ({@code <@relay:user@example.com>}), empty list elements. RFC
 * 6532 UTF-8 is read as such, and U-label domains become A-labels (RFC 9989 §5.3.1). Display names
 * are skipped, never decoded: an RFC 2047 encoded word never yields an address.
 *
 * <p>The reading is strict wherever a lenient one could differ from what a mail reader shows, since
 * a domain left out of the evaluation is a domain a sender could hide: one mailbox whose domain is
 * missing or not a host name refuses the whole field, as does any syntax error, control character
 * or two addresses without a comma between them.
 *
 * <p>The work is bounded: a field longer than {@link #MAX_FIELD_LENGTH} is refused before it is
 * read; otherwise it is read once, in time linear in its length, without recursion. Reading stops
 * at the first mailbox that would add a domain beyond {@code maxDomains} (RFC 9989 §11.5), which
 * {@link #truncated()} then tells.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * AuthorDomains authors = AuthorDomains.of(header, AuthorDomains.DEFAULT_MAX_DOMAINS);
 * if (authors.isFound()) {
 *   for (DomainName domain : authors.domains()) { ... }
 * }
 * }</pre>
 */
public final class AuthorDomains {
  /**
   * The default number of distinct Author Domains evaluated, beyond which the evaluation is capped
   * (RFC 9989 §11.5).
   */
  public static final int DEFAULT_MAX_DOMAINS = 10;

  /**
   * The longest From value read, in characters (1 MiB, as the DKIM verifier's default limit for a
   * whole header). A longer one is {@link Status#UNPARSEABLE} without being read.
   */
  public static final int MAX_FIELD_LENGTH = 1 << 20;

  /** Why the Author Domains were or were not found. */
  public enum Status {
    /**
     * One From field, with at least one mailbox, each with a domain that is a valid host name;
     * {@link #domains()} lists them.
     */
    FOUND,
    /**
     * The message has no From field, which RFC 5322 §3.6 requires; DMARC cannot run (RFC 7489
     * §6.6.1).
     */
    NO_FROM_FIELD,
    /**
     * The message has more than one From field: RFC 5322 §3.6 allows exactly one, and RFC 9989 §4.4
     * and §11.5 leave such messages out of the evaluation (they are typically rejected).
     */
    SEVERAL_FROM_FIELDS,
    /**
     * The field holds no mailbox: it is empty, holds only comments or commas, or only empty groups
     * such as {@code undisclosed-recipients:;} (RFC 6854 §2.1).
     */
    NO_MAILBOX,
    /**
     * A mailbox has no domain: {@code user}, {@code <user>}, {@code user@} or the null address
     * {@code <>}.
     */
    MAILBOX_WITHOUT_DOMAIN,
    /**
     * A mailbox's domain is not a DNS host name, so no DMARC policy can be looked up for it: a
     * domain literal such as {@code [192.0.2.1]}, an empty or over-long label, characters other
     * than letters, digits and inner hyphens, an internationalized name that does not convert to
     * A-labels, or a numeric top-level label. The whole field is refused, not only that mailbox: a
     * mailbox skipped is a domain left out of the evaluation.
     */
    INVALID_DOMAIN,
    /**
     * The field is not a mailbox list or address list (RFC 5322 §3.4, RFC 6854): an unterminated
     * quoted string, comment, angle address, domain literal or group; a control character; two
     * addresses without a comma between them; a display name without an address; or a field longer
     * than {@link #MAX_FIELD_LENGTH}.
     */
    UNPARSEABLE
  }

  private final Status status;
  private final List<DomainName> domains;
  private final List<String> addresses;
  private final boolean truncated;
  private final int errorIndex;
  private final String detail;

  private AuthorDomains(
      Status status,
      List<DomainName> domains,
      List<String> addresses,
      boolean truncated,
      int errorIndex,
      String detail) {
    this.status = status;
    this.domains = List.copyOf(domains);
    this.addresses = List.copyOf(addresses);
    this.truncated = truncated;
    this.errorIndex = errorIndex;
    this.detail = detail;
  }

  static AuthorDomains found(
      List<DomainName> domains, List<String> addresses, boolean truncated, String detail) {
    return new AuthorDomains(Status.FOUND, domains, addresses, truncated, -1, detail);
  }

  static AuthorDomains refused(Status status, int errorIndex, String detail) {
    return new AuthorDomains(status, List.of(), List.of(), false, errorIndex, detail);
  }

  /**
   * Reads the Author Domains from a message's header: the values of its From fields, however many.
   *
   * @param header the parsed header; field values are UTF-8 (RFC 6532), as {@link
   *     HeaderField#value()} gives them
   * @param maxDomains the most distinct domains to read, at least 1; usually {@link
   *     #DEFAULT_MAX_DOMAINS}
   * @return what was found; never throws for bad input
   * @throws IllegalArgumentException if {@code maxDomains} is less than 1
   */
  public static AuthorDomains of(MessageHeader header, int maxDomains) {
    requireNonNull(header, "header");
    checkMaxDomains(maxDomains);
    return parse(header.fields("From").stream().map(HeaderField::value).toList(), maxDomains);
  }

  /**
   * Reads the Author Domains from the values of every From field of a message.
   *
   * @param fromFieldValues each From field's value, after the colon, as Unicode text (UTF-8 octets
   *     decoded, RFC 6532; {@link HeaderField#value()} gives that). Folding (CRLF followed by
   *     whitespace) may be left in: CR and LF are read as whitespace. No octet encoding is guessed:
   *     a value whose octets were decoded as ISO-8859-1 keeps its non-ASCII domain as mojibake,
   *     which then fails as {@link Status#INVALID_DOMAIN} or names another domain.
   * @param maxDomains the most distinct domains to read, at least 1; usually {@link
   *     #DEFAULT_MAX_DOMAINS}
   * @return what was found; never throws for bad input
   * @throws IllegalArgumentException if {@code maxDomains} is less than 1
   */
  public static AuthorDomains parse(List<String> fromFieldValues, int maxDomains) {
    requireNonNull(fromFieldValues, "fromFieldValues");
    checkMaxDomains(maxDomains);
    fromFieldValues.forEach(v -> requireNonNull(v, "a From value"));
    // RFC 5322 §3.6: exactly one From field; RFC 7489 §6.6.1, RFC 9989 §4.4: otherwise no DMARC.
    if (fromFieldValues.isEmpty()) {
      return refused(Status.NO_FROM_FIELD, -1, "no From field");
    }
    if (fromFieldValues.size() > 1) {
      return refused(
          Status.SEVERAL_FROM_FIELDS,
          -1,
          fromFieldValues.size() + " From fields, where RFC 5322 §3.6 allows one");
    }
    return AddressListParser.read(fromFieldValues.get(0), maxDomains);
  }

  private static void checkMaxDomains(int maxDomains) {
    if (maxDomains < 1) {
      throw new IllegalArgumentException("maxDomains must be at least 1: " + maxDomains);
    }
  }

  /**
   * Returns why the domains were or were not found.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Tells whether the Author Domains were found, so that DMARC can evaluate them.
   *
   * @return {@code true} for {@link Status#FOUND}
   */
  public boolean isFound() {
    return status == Status.FOUND;
  }

  /**
   * Returns the Author Domains in lower-case A-label form, each once (compared without regard to
   * case), in the order they first appear, at most {@code maxDomains} of them.
   *
   * @return an immutable list; empty unless {@link #isFound()}
   */
  public List<DomainName> domains() {
    return domains;
  }

  /**
   * Returns, for diagnostics, the first address found with each of {@link #domains()}, at the same
   * position: the addr-spec as written, with comments and folding left out, such as {@code "J.
   * Doe"@Bücher.example}.
   *
   * @return an immutable list as long as {@link #domains()}
   */
  public List<String> addresses() {
    return addresses;
  }

  /**
   * Tells whether the field held more distinct domains than {@code maxDomains}, so that reading
   * stopped at the first domain beyond them: an evaluation of {@link #domains()} alone is
   * incomplete (RFC 9989 §11.5).
   *
   * @return {@code true} if the domains were capped; never for a status other than {@code FOUND}
   */
  public boolean truncated() {
    return truncated;
  }

  /**
   * Returns where in the From value the problem was found, for {@link
   * Status#MAILBOX_WITHOUT_DOMAIN}, {@link Status#INVALID_DOMAIN} and {@link Status#UNPARSEABLE}.
   *
   * @return the zero-based index of the character, or empty when the problem is not in a value
   */
  public OptionalInt errorIndex() {
    return errorIndex < 0 ? OptionalInt.empty() : OptionalInt.of(errorIndex);
  }

  /**
   * Returns an account for people and logs: what was found, or what is wrong and where. Text taken
   * from the message is shortened and has control and format characters escaped as {@code \\uXXXX},
   * so the detail is safe to log.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /** Equal when status, domains, addresses, truncation, error index and detail are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AuthorDomains a
        && status == a.status
        && truncated == a.truncated
        && errorIndex == a.errorIndex
        && domains.equals(a.domains)
        && addresses.equals(a.addresses)
        && detail.equals(a.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, domains, addresses, truncated, errorIndex, detail);
  }

  /** Returns the status and the domains or the detail, such as {@code FOUND [example.com]}. */
  @Override
  public String toString() {
    return "AuthorDomains["
        + status
        + (isFound() ? " " + domains + (truncated ? " truncated" : "") : ": " + detail)
        + "]";
  }
}
