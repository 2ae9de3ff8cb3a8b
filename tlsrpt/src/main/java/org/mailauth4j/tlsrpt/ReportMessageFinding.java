package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

/**
 * Something a report e-mail says that disagrees with its report, or that RFC 8460 §5.3 requires and
 * the e-mail lacks. None stops the report from being read: RFC 8460 §5.6 says the JSON wins over
 * the subject and the file name. A monitoring product shows them; a strict receiver may refuse the
 * e-mail for some. Immutable.
 *
 * @param kind what kind of disagreement
 * @param detail what disagrees with what, in words; values quoted and escaped
 */
public record ReportMessageFinding(Kind kind, String detail) {

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

  /**
   * Creates a finding.
   *
   * @param kind the kind
   * @param detail the detail
   */
  public ReportMessageFinding {
    requireNonNull(kind, "kind");
    requireNonNull(detail, "detail");
  }
}
