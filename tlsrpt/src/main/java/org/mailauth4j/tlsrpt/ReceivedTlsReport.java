package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A TLS report as it arrived by e-mail (RFC 8460 §5.3): the report, what the message says of it in
 * its header fields, subject and file name, and where those disagree with the report. {@link
 * TlsReportReader#readMessage(byte[])} makes it.
 *
 * <p>RFC 8460 §3 has receivers ignore report e-mails without a valid DKIM signature of the
 * reporting domain. The reader does not check it; {@link #message()} keeps the exact bytes read so
 * that a caller's DKIM verifier checks the same message the report came from, and a later version
 * may carry that verification here too (this is a class, not a record, so that it can grow).
 *
 * <p>Immutable.
 */
public final class ReceivedTlsReport {
  private final TlsReport report;
  private final Optional<String> reportDomain;
  private final Optional<String> submitter;
  private final Optional<String> subject;
  private final Optional<String> filename;
  private final String mediaType;
  private final List<ReportMessageFinding> findings;
  private final byte[] message;

  ReceivedTlsReport(
      TlsReport report,
      Optional<String> reportDomain,
      Optional<String> submitter,
      Optional<String> subject,
      Optional<String> filename,
      String mediaType,
      List<ReportMessageFinding> findings,
      byte[] message) {
    this.report = requireNonNull(report, "report");
    this.reportDomain = requireNonNull(reportDomain, "reportDomain");
    this.submitter = requireNonNull(submitter, "submitter");
    this.subject = requireNonNull(subject, "subject");
    this.filename = requireNonNull(filename, "filename");
    this.mediaType = requireNonNull(mediaType, "mediaType");
    this.findings = List.copyOf(findings);
    this.message = requireNonNull(message, "message");
  }

  /**
   * Returns the report, as its JSON says: where the message disagrees, the JSON wins (RFC 8460
   * §5.6).
   *
   * @return the report
   */
  public TlsReport report() {
    return report;
  }

  /**
   * Returns the {@code TLS-Report-Domain} header field (RFC 8460 §5.3): the policy domain the
   * report is about.
   *
   * @return the value, trimmed, or empty if the field is absent
   */
  public Optional<String> reportDomain() {
    return reportDomain;
  }

  /**
   * Returns the {@code TLS-Report-Submitter} header field (RFC 8460 §5.3): the reporting domain.
   *
   * @return the value, trimmed, or empty if the field is absent
   */
  public Optional<String> submitter() {
    return submitter;
  }

  /**
   * Returns the subject, unfolded, encoded words decoded.
   *
   * @return the subject, or empty if the message has none
   */
  public Optional<String> subject() {
    return subject;
  }

  /**
   * Returns the report part's file name, from {@code Content-Disposition} or the {@code name}
   * parameter of {@code Content-Type}.
   *
   * @return the file name, or empty if the part has none
   */
  public Optional<String> filename() {
    return filename;
  }

  /**
   * Returns the report part's media type, without parameters.
   *
   * @return the type in lower case, such as {@code application/tlsrpt+gzip}
   */
  public String mediaType() {
    return mediaType;
  }

  /**
   * Returns where the message disagrees with the report, or lacks what RFC 8460 §5.3 requires.
   *
   * @return the findings, empty for a message that agrees in everything
   */
  public List<ReportMessageFinding> findings() {
    return findings;
  }

  /**
   * Returns the whole message as it was read, for a DKIM verifier ({@code
   * DkimVerifier.verify(ByteBuffer)}): RFC 8460 §3 requires a valid signature of the reporting
   * domain, without {@code l=}.
   *
   * @return a read-only view of the bytes, positioned at their start
   */
  public ByteBuffer message() {
    return ByteBuffer.wrap(message).asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return "ReceivedTlsReport[reportId="
        + report.reportId()
        + ", reportDomain="
        + reportDomain
        + ", submitter="
        + submitter
        + ", mediaType="
        + mediaType
        + ", findings="
        + findings.size()
        + ", "
        + message.length
        + " bytes]";
  }
}
