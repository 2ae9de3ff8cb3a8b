package org.mailauth4j.dmarc;

/**
 * What kind of thing a {@link DmarcRecordFinding} reports about a DMARC record, for tooling to
 * switch on: a problem found while parsing it ({@link DmarcRecord#findings()}) or one about the
 * posture it publishes ({@link DmarcRecord#lint(DmarcProfile)}).
 */
public enum DmarcRecordProblem {
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
  /** More URIs in {@code rua} or {@code ruf} than this library reads; the rest dropped (ERROR). */
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
