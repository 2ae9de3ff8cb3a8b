package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/**
 * Something a report e-mail says that disagrees with its report, or that RFC 8460 §5.3 requires and
 * the e-mail lacks. None stops the report from being read: RFC 8460 §5.6 says the JSON wins over
 * the subject and the file name. A monitoring product shows them; a strict receiver may refuse the
 * e-mail for some. It has no public constructor, so that later versions can add fields without
 * breaking callers. Immutable and thread-safe; equal when all their fields are.
 */
public final class ReportMessageFinding {

  /** The kinds of finding. */
  public enum Kind {
    /**
     * The message is not {@code multipart/report} with {@code report-type="tlsrpt"} (RFC 8460
     * §5.3).
     */
    NOT_TLSRPT_MESSAGE,
    /** The {@code TLS-Report-Domain} header field, which RFC 8460 §5.3 requires, is absent. */
    MISSING_REPORT_DOMAIN,
    /** The {@code TLS-Report-Submitter} header field, which RFC 8460 §5.3 requires, is absent. */
    MISSING_SUBMITTER,
    /** {@code TLS-Report-Domain} names none of the report's policy domains. */
    REPORT_DOMAIN_MISMATCH,
    /**
     * {@code TLS-Report-Submitter} is not the domain of the report's {@code contact-info}, as RFC
     * 8460 §5.3 requires it to be.
     */
    SUBMITTER_NOT_CONTACT_DOMAIN,
    /** The subject's report domain, submitter or report id disagrees with the report. */
    SUBJECT_MISMATCH,
    /**
     * The file name ({@code sender!policy-domain!begin!end[!unique-id].json[.gz]}, RFC 8460 §5.1)
     * disagrees with the report: its sender, policy domain, or times.
     */
    FILENAME_MISMATCH,
    /** The part's media type says gzip and it is JSON, or the other way round. */
    MEDIA_TYPE_MISMATCH,
    /** The message has more than one report part; the first was read. */
    SEVERAL_REPORT_PARTS
  }

  private final Kind kind;
  private final String detail;

  ReportMessageFinding(Kind kind, String detail) {
    requireNonNull(kind, "kind");
    requireNonNull(detail, "detail");
    this.kind = kind;
    this.detail = detail;
  }

  /**
   * Returns what kind of disagreement.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns what disagrees with what, in words; values quoted and escaped.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code ReportMessageFinding} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof ReportMessageFinding o && kind == o.kind && detail.equals(o.detail);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(kind, detail);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "ReportMessageFinding[kind=" + kind + ", detail=" + detail + "]";
  }
}
