package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * Whether one authenticated identifier aligned with the author domain (RFC 9989 §4.4): the domain
 * SPF authorized, or the {@code d=} of one DKIM signature. Only identifiers that passed can align
 * (§4.4.1, §4.4.2); for the others this says why not.
 *
 * <p>Made by {@link DmarcVerifier}; immutable.
 */
public final class IdentifierAlignment {
  /** Which identifier this is. */
  public enum Kind {
    /** The RFC5321.MailFrom domain that SPF checked. */
    SPF_MAILFROM,
    /** The HELO domain that SPF checked, for a message with a null reverse-path. */
    SPF_HELO,
    /** The {@code d=} domain of a DKIM signature. */
    DKIM
  }

  /** Why the identifier aligned or did not. */
  public enum Status {
    /** It passed and its domain aligned. */
    ALIGNED,
    /** Its check did not pass (only passing identifiers count, RFC 9989 §4.4). */
    NOT_AUTHENTICATED,
    /** It passed, but its domain does not align in the record's mode. */
    DOMAIN_MISMATCH,
    /**
     * A temporary failure left it open: its check returned {@code temperror} for a domain that
     * aligns, or a lookup of an organizational domain failed temporarily. When nothing aligned
     * passed, this makes the DMARC result {@code temperror}.
     */
    TEMPORARY_FAILURE,
    /** The organizational domain was not looked for: the verifier's lookup limit was reached. */
    LIMIT_REACHED
  }

  private final Kind kind;
  private final Optional<DomainName> domain;
  private final Optional<String> selector;
  private final String result;
  private final AlignmentMode mode;
  private final Optional<DomainName> organizationalDomain;
  private final Status status;

  IdentifierAlignment(
      Kind kind,
      Optional<DomainName> domain,
      Optional<String> selector,
      String result,
      AlignmentMode mode,
      Optional<DomainName> organizationalDomain,
      Status status) {
    this.kind = requireNonNull(kind, "kind");
    this.domain = requireNonNull(domain, "domain");
    this.selector = requireNonNull(selector, "selector");
    this.result = requireNonNull(result, "result");
    this.mode = requireNonNull(mode, "mode");
    this.organizationalDomain = requireNonNull(organizationalDomain, "organizationalDomain");
    this.status = requireNonNull(status, "status");
  }

  /**
   * Returns which identifier this is.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the identifier's domain.
   *
   * @return the SPF domain or the signature's {@code d=}; empty when the check had none (an SPF
   *     identity that was no domain name, an unparseable signature)
   */
  public Optional<DomainName> domain() {
    return domain;
  }

  /**
   * Returns the DKIM selector, for reports.
   *
   * @return the {@code s=} of a signature; empty for SPF
   */
  public Optional<String> selector() {
    return selector;
  }

  /**
   * Returns the underlying check's result token, such as {@code pass} or {@code temperror}.
   *
   * @return the SPF or DKIM result
   */
  public String result() {
    return result;
  }

  /**
   * Returns the mode the record asked for ({@code aspf} or {@code adkim}).
   *
   * @return the alignment mode applied
   */
  public AlignmentMode mode() {
    return mode;
  }

  /**
   * Returns the identifier's organizational domain, when relaxed alignment had to find it.
   *
   * @return the organizational domain, or empty when it was not needed or not found
   */
  public Optional<DomainName> organizationalDomain() {
    return organizationalDomain;
  }

  /**
   * Returns why it aligned or did not.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Tells whether this identifier makes the message pass DMARC.
   *
   * @return whether it passed and aligned
   */
  public boolean isAligned() {
    return status == Status.ALIGNED;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentifierAlignment a
        && a.kind == kind
        && a.domain.equals(domain)
        && a.selector.equals(selector)
        && a.result.equals(result)
        && a.mode == mode
        && a.organizationalDomain.equals(organizationalDomain)
        && a.status == status;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, domain, selector, result, mode, organizationalDomain, status);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT)
        + " "
        + domain.map(DomainName::toString).orElse("(no domain)")
        + selector.map(s -> " s=" + s).orElse("")
        + " "
        + result
        + " "
        + mode.name().toLowerCase(Locale.ROOT)
        + ": "
        + status;
  }
}
