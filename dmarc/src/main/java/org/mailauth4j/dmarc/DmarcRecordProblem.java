package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One thing wrong with, or worth knowing about, a DMARC record: a problem found while parsing it
 * ({@link DmarcRecord#problems()}) or a finding about the posture it publishes ({@link
 * DmarcRecord#lint(DmarcProfile)}). Immutable.
 *
 * @param position the zero-based index in the record text where the tag, or the part of its value,
 *     that the problem is about starts; {@code -1} for a finding about the record as a whole (such
 *     as a missing tag). For a record made with {@link DmarcRecord#builder()}, indexes refer to
 *     {@link DmarcRecord#text()}.
 * @param severity how serious
 * @param code what kind of problem, for tooling to switch on
 * @param tag the tag concerned, lower case, such as {@code rua}; empty when none is
 * @param message what was found and, where something should change, a fix after {@code Fix:}
 */
public record DmarcRecordProblem(
    int position, Severity severity, Code code, Optional<String> tag, String message) {

  /** How serious a problem is. */
  public enum Severity {
    /** A tag or a value that receivers ignore, so that a default applies instead. */
    ERROR,
    /** The record works as written, but its posture is a risk: weaker or less visible. */
    WARNING,
    /** Advice: nothing is wrong. */
    INFO
  }

  /** What kind of problem; one constant per kind, so that tooling can switch on it. */
  public enum Code {
    // Parse problems (RFC 9989 §4.7, RFC 6376 §3.2 tag-list syntax).

    /** Whitespace before {@code v=DMARC1}, which some receivers do not skip (WARNING). */
    LEADING_WHITESPACE,
    /** A tag name not in lower case; RFC 6376 §3.2 names are case-sensitive (WARNING). */
    TAG_NAME_CASE,
    /** A tag-spec that is not {@code name=value}; skipped up to the next {@code ;} (ERROR). */
    MALFORMED_TAG,
    /** A value character outside printable ASCII (ERROR). */
    INVALID_CHARACTER,
    /** A tag that appeared before; the first occurrence counts (ERROR). */
    DUPLICATE_TAG,
    /** A tag DMARC does not define, which receivers ignore (INFO). */
    UNKNOWN_TAG,
    /** A value that the tag does not allow; the default applies (ERROR). */
    INVALID_VALUE,
    /** An element of {@code rua} or {@code ruf} that is not a report URI; dropped (ERROR). */
    INVALID_URI,
    /**
     * More URIs in {@code rua} or {@code ruf} than this library reads; the rest dropped (ERROR).
     */
    TOO_MANY_URIS,
    /** An {@code fo} option other than {@code 0}, {@code 1}, {@code d}, {@code s} (ERROR). */
    UNKNOWN_FAILURE_OPTION,
    /** An {@code rf} element that is not a format name (ERROR). */
    INVALID_REPORT_FORMAT,
    /** An {@code rf} format other than {@code afrf} and {@code iodef} (INFO). */
    UNKNOWN_REPORT_FORMAT,
    /** More problems than are listed; the count is in the message (WARNING). */
    TOO_MANY_PROBLEMS,

    // Posture findings of lint().

    /** No {@code p} tag (WARNING). */
    MISSING_POLICY,
    /** {@code p=none}: receivers act on nothing (WARNING). */
    MONITORING_ONLY,
    /** No valid {@code rua}: nobody learns of failing mail (WARNING). */
    NO_AGGREGATE_REPORTS,
    /** {@code pct} below 100 (WARNING). */
    PARTIAL_PERCENT,
    /** {@code sp} or {@code np} weaker than the policy it refines (WARNING). */
    WEAKER_SUBDOMAIN_POLICY,
    /** {@code t=y}: receivers apply one step less than the policy (WARNING). */
    TESTING_MODE,
    /**
     * A report URI whose scheme is not {@code mailto}, which receivers need not support (WARNING).
     */
    NON_MAILTO_URI,
    /** More than two URIs, of which RFC 7489 receivers need only use two (WARNING). */
    EXTRA_REPORT_URIS,
    /** A tag RFC 9989 removed ({@code pct}, {@code rf}, {@code ri}) (INFO). */
    REMOVED_TAG,
    /** A tag RFC 7489 receivers do not know ({@code np}, {@code psd}, {@code t}) (INFO). */
    IGNORED_TAG,
    /** A {@code !size} suffix on a report URI, obsolete under RFC 9989 §4.8 (INFO). */
    OBSOLETE_SIZE_LIMIT,
    /** {@code ruf}: failure reports carry message content and are rarely sent (INFO). */
    FAILURE_REPORTS,
    /** {@code fo} without {@code ruf}, where it means nothing (INFO). */
    FAILURE_OPTIONS_WITHOUT_RUF,
    /** {@code p} not right after {@code v}, where the RFC 7489 §6.4 grammar puts it (INFO). */
    POLICY_NOT_SECOND
  }

  /**
   * Creates a problem.
   *
   * @param position the index, or -1
   * @param severity the severity
   * @param code the kind
   * @param tag the tag, or empty
   * @param message the description
   */
  public DmarcRecordProblem {
    if (position < -1) {
      throw new IllegalArgumentException("position " + position);
    }
    requireNonNull(severity, "severity");
    requireNonNull(code, "code");
    requireNonNull(tag, "tag");
    requireNonNull(message, "message");
  }

  /** Returns the problem for a log line, such as {@code ERROR INVALID_VALUE at 12 (p): ...}. */
  @Override
  public String toString() {
    return severity
        + " "
        + code
        + (position >= 0 ? " at " + position : "")
        + tag.map(t -> " (" + t + ")").orElse("")
        + ": "
        + message;
  }
}
