package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * Something {@link AggregateReportReader} met in a received report and read past rather than
 * refused: an element it does not know, a value it could not use, a required element left empty, a
 * record it dropped, or, for a report e-mail, a subject or file name that disagrees with the
 * report. Received reports differ from RFC 9990 and RFC 7489 in many small ways, so a monitoring
 * product reads them anyway and shows these. Immutable.
 */
public final class ReportWarning {
  /** The kinds of warning. */
  public enum Kind {
    /** An element the reader does not know was skipped, with everything in it. */
    UNKNOWN_ELEMENT,
    /**
     * An element appeared more often than its schema allows (such as two {@code p}); the first was
     * kept.
     */
    DUPLICATE_ELEMENT,
    /** An element the schemas require is absent or empty; the value was left empty or filled. */
    MISSING_ELEMENT,
    /**
     * A token of no known value (a disposition, a result, a policy, a reason type); the value was
     * left empty, or the result or reason it belonged to was left out.
     */
    UNKNOWN_VALUE,
    /** A value that is not of its type (a {@code pct} that is not 0 to 100); left empty. */
    BAD_VALUE,
    /**
     * A record was dropped: its source address is not an IP address, or its count or {@code
     * header_from} is missing or unusable. {@link AggregateReport#records()} lacks it.
     */
    DROPPED_RECORD,
    /** An archive entry that holds no report was skipped, or a second report in it was. */
    IGNORED_ENTRY,
    /** More warnings than the reader keeps; the rest were counted, not kept. */
    TOO_MANY_WARNINGS,
    /**
     * The report e-mail's subject ({@code Report Domain: … Submitter: … Report-ID: …}, RFC 9990
     * §3.5.2) names another policy domain or report id than the report.
     */
    SUBJECT_MISMATCH,
    /**
     * The report file's name ({@code receiver!policy-domain!begin!end[!unique-id].xml.gz}, RFC 9990
     * §3.5.1) names another policy domain or period than the report.
     */
    FILENAME_MISMATCH,
    /** The part's media type or file name says one of XML, gzip or zip and it holds another. */
    MEDIA_TYPE_MISMATCH,
    /** The e-mail has more than one report part; the first was read. */
    SEVERAL_REPORT_PARTS
  }

  private final Kind kind;
  private final Optional<String> location;
  private final String detail;

  private ReportWarning(Kind kind, Optional<String> location, String detail) {
    this.kind = requireNonNull(kind, "kind");
    this.location = requireNonNull(location, "location");
    this.detail = requireNonNull(detail, "detail");
  }

  /**
   * Makes a warning.
   *
   * @param kind what kind
   * @param location the element path, such as {@code /feedback/record[3]/row/source_ip}, or empty
   *     where it is not inside the XML
   * @param detail what was met, in words; untrusted values quoted and escaped
   * @return the warning
   */
  public static ReportWarning of(Kind kind, Optional<String> location, String detail) {
    return new ReportWarning(kind, location, detail);
  }

  /**
   * Returns the kind.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns where in the XML: an element path with records counted from 1.
   *
   * @return the path, or empty for the archive or the e-mail
   */
  public Optional<String> location() {
    return location;
  }

  /**
   * Returns what was met, in words.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportWarning w
        && w.kind == kind
        && w.location.equals(location)
        && w.detail.equals(detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, location, detail);
  }

  @Override
  public String toString() {
    return kind + location.map(l -> " at " + l).orElse("") + ": " + detail;
  }
}
