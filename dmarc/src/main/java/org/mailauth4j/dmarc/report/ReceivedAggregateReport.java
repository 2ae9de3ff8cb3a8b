package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An aggregate report as it was received, read by {@link AggregateReportReader}: the report, and
 * what reading it found: the XML namespace it used, how it was packed, the warnings met in reading
 * past what RFC 9990 or RFC 7489 would not allow, and, for a report e-mail, the report part's file
 * name and media type, the subject's fields (RFC 9990 §3.5.2) and where the e-mail disagrees with
 * the report. The XML wins where they disagree.
 *
 * <p>The DKIM signature of a report e-mail is not checked here: verify the message's bytes with the
 * {@code dkim} module before trusting its report. Immutable.
 */
public final class ReceivedAggregateReport {
  /** How the report's XML was packed. */
  public enum Packing {
    /** Plain XML. */
    XML,
    /** gzip-compressed XML ({@code .xml.gz}, RFC 9990 §3.5.1's {@code application/gzip}). */
    GZIP,
    /** A zip archive with the XML in one entry, as many reporters send. */
    ZIP
  }

  private final AggregateReport report;
  private final Optional<String> namespace;
  private final Packing packing;
  private final Optional<String> archiveEntry;
  private final List<ReportWarning> warnings;
  private final Optional<String> filename;
  private final Optional<String> mediaType;
  private final Optional<String> subject;
  private final Optional<String> subjectReportDomain;
  private final Optional<String> subjectSubmitter;
  private final Optional<String> subjectReportId;
  private final List<ReportWarning> findings;

  private ReceivedAggregateReport(
      ReceivedAggregateReport read,
      Optional<String> filename,
      Optional<String> mediaType,
      Optional<String> subject,
      Optional<String> subjectReportDomain,
      Optional<String> subjectSubmitter,
      Optional<String> subjectReportId,
      List<ReportWarning> findings) {
    this.report = read.report;
    this.namespace = read.namespace;
    this.packing = read.packing;
    this.archiveEntry = read.archiveEntry;
    this.warnings = read.warnings;
    this.filename = requireNonNull(filename, "filename");
    this.mediaType = requireNonNull(mediaType, "mediaType");
    this.subject = requireNonNull(subject, "subject");
    this.subjectReportDomain = requireNonNull(subjectReportDomain, "subjectReportDomain");
    this.subjectSubmitter = requireNonNull(subjectSubmitter, "subjectSubmitter");
    this.subjectReportId = requireNonNull(subjectReportId, "subjectReportId");
    this.findings = List.copyOf(findings);
  }

  /** A report read from a file or stream, not an e-mail. */
  ReceivedAggregateReport(
      AggregateReport report,
      Optional<String> namespace,
      Packing packing,
      Optional<String> archiveEntry,
      List<ReportWarning> warnings) {
    this.report = requireNonNull(report, "report");
    this.namespace = requireNonNull(namespace, "namespace");
    this.packing = requireNonNull(packing, "packing");
    this.archiveEntry = requireNonNull(archiveEntry, "archiveEntry");
    this.warnings = List.copyOf(warnings);
    this.filename = Optional.empty();
    this.mediaType = Optional.empty();
    this.subject = Optional.empty();
    this.subjectReportDomain = Optional.empty();
    this.subjectSubmitter = Optional.empty();
    this.subjectReportId = Optional.empty();
    this.findings = List.of();
  }

  /** This report as found in an e-mail. */
  ReceivedAggregateReport inMessage(
      Optional<String> filename,
      String mediaType,
      Optional<String> subject,
      Optional<String> subjectReportDomain,
      Optional<String> subjectSubmitter,
      Optional<String> subjectReportId,
      List<ReportWarning> findings) {
    return new ReceivedAggregateReport(
        this,
        filename,
        Optional.of(mediaType),
        subject,
        subjectReportDomain,
        subjectSubmitter,
        subjectReportId,
        findings);
  }

  /**
   * Returns the report.
   *
   * @return the report, with the records that could be read
   */
  public AggregateReport report() {
    return report;
  }

  /**
   * Returns the namespace of the report's {@code feedback} element: {@code
   * urn:ietf:params:xml:ns:dmarc-2.0} (RFC 9990), {@code http://dmarc.org/dmarc-xml/0.1} (RFC
   * 7489), another, or none, as many reporters write it.
   *
   * @return the namespace URI, or empty for none
   */
  public Optional<String> namespace() {
    return namespace;
  }

  /**
   * Returns how the XML was packed, as told by its first bytes.
   *
   * @return the packing
   */
  public Packing packing() {
    return packing;
  }

  /**
   * Returns the name of the zip entry the report was read from.
   *
   * @return the name, or empty when the input was not a zip archive
   */
  public Optional<String> archiveEntry() {
    return archiveEntry;
  }

  /**
   * Returns what was read past in the XML and the archive, in the order met.
   *
   * @return the warnings, empty for a report that follows its schema
   */
  public List<ReportWarning> warnings() {
    return warnings;
  }

  /**
   * Returns the report part's file name, from {@code Content-Disposition} or the {@code name}
   * parameter of {@code Content-Type}.
   *
   * @return the name, or empty when the part has none or the report was not read from an e-mail
   */
  public Optional<String> filename() {
    return filename;
  }

  /**
   * Returns the report part's media type, without parameters.
   *
   * @return the type in lower case, such as {@code application/gzip}, or empty when the report was
   *     not read from an e-mail
   */
  public Optional<String> mediaType() {
    return mediaType;
  }

  /**
   * Returns the e-mail's subject, unfolded, encoded words decoded.
   *
   * @return the subject, or empty
   */
  public Optional<String> subject() {
    return subject;
  }

  /**
   * Returns the subject's {@code Report Domain:} (RFC 9990 §3.5.2): the policy domain.
   *
   * @return the value, or empty when the subject has none
   */
  public Optional<String> subjectReportDomain() {
    return subjectReportDomain;
  }

  /**
   * Returns the subject's {@code Submitter:}: the reporting organization's domain.
   *
   * @return the value, or empty when the subject has none
   */
  public Optional<String> subjectSubmitter() {
    return subjectSubmitter;
  }

  /**
   * Returns the subject's {@code Report-ID:}.
   *
   * @return the value, or empty when the subject has none
   */
  public Optional<String> subjectReportId() {
    return subjectReportId;
  }

  /**
   * Returns where the e-mail disagrees with its report, or holds more than one.
   *
   * @return the findings, empty for an e-mail that agrees or a report not read from one
   */
  public List<ReportWarning> findings() {
    return findings;
  }

  @Override
  public String toString() {
    return "ReceivedAggregateReport["
        + report
        + ", namespace="
        + namespace.orElse("none")
        + ", "
        + packing
        + ", warnings="
        + warnings.size()
        + mediaType.map(t -> ", mediaType=" + t).orElse("")
        + (findings.isEmpty() ? "" : ", findings=" + findings.size())
        + "]";
  }
}
