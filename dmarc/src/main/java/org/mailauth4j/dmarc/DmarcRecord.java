package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailauth4j.dns.Severity;

/**
 * A DMARC policy record, the TXT record at {@code _dmarc.<domain>} (RFC 9989 §4.7, with RFC 7489
 * §6.3 for {@code pct}, {@code rf} and {@code ri}). Immutable and thread-safe; RFC defaults are
 * applied by the accessors.
 *
 * <pre>
 * dmarc-record = dmarc-version *( dmarc-sep dmarc-tag ) [ dmarc-sep ]   ; RFC 9989 §4.8
 * dmarc-version = "v" *WSP "=" *WSP %s"DMARC1"
 * dmarc-sep     = *WSP ";" *WSP
 * tag-spec      = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]        ; RFC 6376 §3.2
 * tag-name      = ALPHA *( ALPHA / DIGIT / "_" )
 * </pre>
 *
 * <p>Parsing is lenient, as RFC 9989 §4.7 and RFC 7489 §6.3 ask: only a record whose first tag is
 * not {@code v=DMARC1} is refused, because receivers discard it. Everything else is read as far as
 * it goes, and what is wrong becomes a {@link DmarcRecordFinding}: a tag-spec that is not {@code
 * name=value} is skipped; a tag that appeared before is ignored (the first counts); an unknown tag
 * is ignored; an invalid value means the default applies (an invalid {@code p} leaves {@link
 * #policy()} empty).
 *
 * <p><b>Case.</b> Tag names are matched ignoring ASCII case, as the record grammar's strings are
 * (RFC 5234 §2.3), and are kept in lower case; a name written otherwise is a {@link
 * DmarcRecordProblem#TAG_NAME_CASE} warning, because RFC 6376 §3.2 tag names are case-sensitive and
 * some receivers ignore {@code P=reject}. The values of {@code p}, {@code sp}, {@code np}, {@code
 * adkim}, {@code aspf}, {@code psd}, {@code t}, {@code fo} and {@code rf} are read ignoring ASCII
 * case, as receivers do ({@code p=Reject} is common); only {@code DMARC1} is case-sensitive (RFC
 * 9989 §4.7).
 *
 * <p><b>Equality and text.</b> Two records are equal when they hold the same tags with the same
 * meaning: the valid value of each known tag (however written), the text of a known tag whose value
 * is invalid, and the text of each unknown tag; not their order, spelling, whitespace, duplicates
 * or problems. {@link #text()} writes that content, so that {@code parse(r.text()).equals(r)}.
 *
 * <p><b>Limits.</b> Parsing takes time linear in the text, whatever it holds. At most {@value
 * #MAX_URIS} URIs of each of {@code rua} and {@code ruf} are read ({@link
 * DmarcRecordProblem#TOO_MANY_URIS} past that). At most {@value #MAX_FINDINGS_PER_KIND} errors and
 * {@value #MAX_FINDINGS_PER_KIND} other findings are listed, plus one {@link
 * DmarcRecordProblem#TOO_MANY_PROBLEMS} counting the rest, so that a megabyte of junk does not make
 * a problem per tag.
 */
public final class DmarcRecord {
  /** The most URIs read from each of {@code rua} and {@code ruf}. */
  public static final int MAX_URIS = 100;

  /** The most errors listed, and the most warnings and advice listed, in {@link #findings()}. */
  public static final int MAX_FINDINGS_PER_KIND = 50;

  /** RFC 7489 §6.3: ri is a 32-bit unsigned integer. */
  private static final long MAX_INTERVAL = 0xFFFF_FFFFL;

  private static final long DEFAULT_INTERVAL = 86_400;
  private static final int DEFAULT_PERCENT = 100;
  private static final String VERSION = "DMARC1";
  private static final Set<FailureOption> DEFAULT_FAILURE_OPTIONS =
      Collections.unmodifiableSet(EnumSet.of(FailureOption.ALL));
  private static final List<String> DEFAULT_FORMATS = List.of("afrf");
  private static final Set<String> KNOWN_FORMATS = Set.of("afrf", "iodef");

  /** The tags DMARC defines (RFC 9989 §4.7, RFC 7489 §6.3), in the order {@link #text()} writes. */
  private static final List<String> KNOWN =
      List.of(
          "v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "fo", "rua", "ruf", "pct", "rf", "ri");

  private static final Set<String> KNOWN_SET = Set.copyOf(KNOWN);

  private final Map<String, String> tags;
  private final Map<String, Integer> positions;
  private final Map<String, String> content;
  private final int hash;
  private final String text;
  private final List<DmarcRecordFinding> problems;
  private final DmarcPolicy policy;
  private final DmarcPolicy subdomainPolicy;
  private final DmarcPolicy nonexistentDomainPolicy;
  private final boolean usable;
  private final PsdFlag psd;
  private final boolean testing;
  private final AlignmentMode dkimAlignment;
  private final AlignmentMode spfAlignment;
  private final List<ReportUri> aggregateReportUris;
  private final List<ReportUri> failureReportUris;
  private final Set<FailureOption> failureOptions;
  private final int percent;
  private final List<String> failureReportFormats;
  private final long reportInterval;

  private DmarcRecord(Parser p) {
    this.tags = Collections.unmodifiableMap(p.tags);
    this.positions = p.positions;
    this.content = p.content;
    this.hash = content.hashCode();
    this.text = write(content);
    this.problems = p.problems.list();
    this.policy = p.policy;
    this.subdomainPolicy = p.subdomainPolicy;
    this.nonexistentDomainPolicy = p.nonexistentDomainPolicy;
    // RFC 9989 §4.10.1: a record with an invalid p, sp or np has no usable policy.
    this.usable =
        p.policy != null
            && (p.subdomainPolicy != null || !p.tags.containsKey("sp"))
            && (p.nonexistentDomainPolicy != null || !p.tags.containsKey("np"));
    this.psd = p.psd == null ? PsdFlag.UNSPECIFIED : p.psd;
    this.testing = p.testing != null && p.testing;
    this.dkimAlignment = p.dkimAlignment == null ? AlignmentMode.RELAXED : p.dkimAlignment;
    this.spfAlignment = p.spfAlignment == null ? AlignmentMode.RELAXED : p.spfAlignment;
    this.aggregateReportUris = List.copyOf(p.aggregateReportUris);
    this.failureReportUris = List.copyOf(p.failureReportUris);
    this.failureOptions =
        p.failureOptions.isEmpty()
            ? DEFAULT_FAILURE_OPTIONS
            : Collections.unmodifiableSet(EnumSet.copyOf(p.failureOptions));
    this.percent = p.percent == null ? DEFAULT_PERCENT : p.percent;
    this.failureReportFormats =
        p.failureReportFormats.isEmpty() ? DEFAULT_FORMATS : List.copyOf(p.failureReportFormats);
    this.reportInterval = p.reportInterval == null ? DEFAULT_INTERVAL : p.reportInterval;
  }

  /**
   * Parses the text of a TXT record (its character-strings joined), such as {@code v=DMARC1;
   * p=reject; rua=mailto:dmarc@example.com}. Never throws for text that {@link #isDmarcRecord}
   * accepts: what is wrong inside it is in {@link #findings()}.
   *
   * @param text the record text
   * @return the record
   * @throws DmarcSyntaxException if the first tag is not {@code v=DMARC1}: RFC 9989 §4.7 has
   *     receivers discard such a record; the index is the first character that does not fit
   */
  public static DmarcRecord parse(CharSequence text) {
    String input = requireNonNull(text, "text").toString();
    int end = versionEnd(input);
    if (end < 0) {
      throw new DmarcSyntaxException(
          input, ~end, "not a DMARC record: the first tag must be v=DMARC1 (RFC 9989 §4.7)");
    }
    Parser parser = new Parser(input);
    parser.run(end);
    return new DmarcRecord(parser);
  }

  /**
   * Tells whether text starts with the tag {@code v=DMARC1}: {@code v}, optional whitespace, {@code
   * =}, optional whitespace, {@code DMARC1} in exactly that case, then {@code ;}, whitespace or the
   * end. This is the test by which RFC 9989 §4.10 (and RFC 7489 §6.6.3) discards other TXT records
   * at a {@code _dmarc} name; it reads no further than the version. Leading whitespace is allowed,
   * as the tag-list grammar allows it (RFC 6376 §3.2), and {@link #parse} reports it as a warning.
   *
   * @param text a TXT record's text
   * @return {@code true} if {@link #parse} reads it as a record
   */
  public static boolean isDmarcRecord(CharSequence text) {
    return versionEnd(requireNonNull(text, "text")) >= 0;
  }

  /**
   * Starts a record from scratch; the builder writes {@code v=DMARC1} itself.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder(new LinkedHashMap<>());
  }

  /**
   * Starts a builder holding this record's tags, to derive a variant.
   *
   * @return a builder that builds a record equal to this one until changed
   */
  public Builder newBuilder() {
    return new Builder(new LinkedHashMap<>(content));
  }

  /**
   * Returns the policy for the domain itself ({@code p}).
   *
   * @return the policy; empty when the tag is absent or its value invalid
   */
  public Optional<DmarcPolicy> policy() {
    return Optional.ofNullable(policy);
  }

  /**
   * Returns the policy for existing subdomains ({@code sp}); receivers fall back to {@link
   * #policy()} without it (RFC 9989 §4.10.1).
   *
   * @return the policy; empty when the tag is absent or its value invalid
   */
  public Optional<DmarcPolicy> subdomainPolicy() {
    return Optional.ofNullable(subdomainPolicy);
  }

  /**
   * Returns the policy for subdomains that do not exist ({@code np}, RFC 9989 §4.7); receivers fall
   * back to {@code sp}, then {@code p}, without it. RFC 7489 receivers ignore it.
   *
   * @return the policy; empty when the tag is absent or its value invalid
   */
  public Optional<DmarcPolicy> nonexistentDomainPolicy() {
    return Optional.ofNullable(nonexistentDomainPolicy);
  }

  /**
   * Tells whether the record states a policy receivers can apply (RFC 9989 §4.10.1): {@code p}
   * present and valid, and {@code sp} and {@code np} valid where present. Without one, RFC 9989
   * §4.10.1 and RFC 7489 §6.6.3 apply {@code p=none} if {@code rua} holds a valid URI, and no DMARC
   * otherwise.
   *
   * @return {@code true} if the policy is usable
   */
  public boolean hasUsablePolicy() {
    return usable;
  }

  /**
   * Returns what the record says about being a public suffix domain ({@code psd}, RFC 9989 §4.7).
   *
   * @return the flag; {@link PsdFlag#UNSPECIFIED} when absent or invalid
   */
  public PsdFlag psd() {
    return psd;
  }

  /**
   * Tells whether the domain owner is testing the policy ({@code t=y}, RFC 9989 §4.7): receivers
   * then apply quarantine as none and reject as quarantine ({@link DmarcPolicy#relaxed()}).
   *
   * @return {@code true} for {@code t=y}; {@code false} for {@code t=n}, absent or invalid
   */
  public boolean testing() {
    return testing;
  }

  /**
   * Returns the DKIM alignment mode ({@code adkim}).
   *
   * @return the mode; {@link AlignmentMode#RELAXED} when absent or invalid
   */
  public AlignmentMode dkimAlignment() {
    return dkimAlignment;
  }

  /**
   * Returns the SPF alignment mode ({@code aspf}).
   *
   * @return the mode; {@link AlignmentMode#RELAXED} when absent or invalid
   */
  public AlignmentMode spfAlignment() {
    return spfAlignment;
  }

  /**
   * Returns where aggregate reports go ({@code rua}).
   *
   * @return the valid URIs in the order written, at most {@value #MAX_URIS}; unmodifiable
   */
  public List<ReportUri> aggregateReportUris() {
    return aggregateReportUris;
  }

  /**
   * Returns where failure reports go ({@code ruf}).
   *
   * @return the valid URIs in the order written, at most {@value #MAX_URIS}; unmodifiable
   */
  public List<ReportUri> failureReportUris() {
    return failureReportUris;
  }

  /**
   * Returns when failure reports are wanted ({@code fo}).
   *
   * @return the valid options, iterated in declaration order; {@code {ALL}} when absent or none is
   *     valid; unmodifiable
   */
  public Set<FailureOption> failureOptions() {
    return failureOptions;
  }

  /**
   * Returns the share of failing mail the policy applies to ({@code pct}, RFC 7489 §6.3). RFC 9989
   * removed the tag: its receivers apply the policy to all mail.
   *
   * @return 0 to 100; 100 when absent or invalid
   */
  public int percent() {
    return percent;
  }

  /**
   * Returns the failure report formats asked for ({@code rf}, RFC 7489 §6.3), removed by RFC 9989.
   *
   * @return the valid format names in lower case, in the order written; {@code [afrf]} when absent
   *     or none is valid; unmodifiable
   */
  public List<String> failureReportFormats() {
    return failureReportFormats;
  }

  /**
   * Returns the interval between aggregate reports asked for ({@code ri}, RFC 7489 §6.3), removed
   * by RFC 9989.
   *
   * @return seconds, 0 to 4294967295; 86400 when absent or invalid
   */
  public long reportInterval() {
    return reportInterval;
  }

  /**
   * Returns every tag of the record, {@code v} included: names in lower case, values as written
   * without the whitespace around them, valid or not, in the order written. A tag written twice
   * appears once, with its first value; malformed tag-specs do not appear.
   *
   * @return the tags; unmodifiable
   */
  public Map<String, String> tags() {
    return tags;
  }

  /**
   * Returns what parsing found wrong, in the order of the text. A record made by {@link #builder()}
   * has problems only for unknown tags it was given.
   *
   * @return the findings, at most {@code 2 * MAX_FINDINGS_PER_KIND + 1}; unmodifiable
   */
  public List<DmarcRecordFinding> findings() {
    return problems;
  }

  /**
   * Checks the posture the record publishes, as domain-checking tools such as checkdmarc do: the
   * {@link #findings()}, then findings such as a missing {@code p}, {@code p=none}, no {@code rua},
   * {@code pct} below 100, {@code sp} weaker than {@code p}, {@code t=y}, non-{@code mailto} report
   * URIs, {@code ruf}, and tags the profile's receivers ignore ({@code pct}, {@code rf}, {@code ri}
   * and the {@code !size} suffix under RFC 9989; {@code np}, {@code psd}, {@code t} and more than
   * two report URIs under RFC 7489). Each finding's message ends in a fix where one applies.
   *
   * @param profile the generation of receivers to judge for
   * @return the findings of parsing and of the posture; unmodifiable
   */
  public List<DmarcRecordFinding> lint(DmarcProfile profile) {
    requireNonNull(profile, "profile");
    return new Lint(this, profile).findings();
  }

  /**
   * Writes the record: {@code v=DMARC1}, then the known tags in a fixed order ({@code p sp np psd t
   * adkim aspf fo rua ruf pct rf ri}), valid values in canonical form (such as {@code p=reject} for
   * {@code p=Reject}), invalid ones as written, then unknown tags as written, separated by {@code
   * "; "}. Defaults are written only where the record states them.
   *
   * @return record text that parses to an equal record
   */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DmarcRecord other && hash == other.hash && content.equals(other.content);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Returns {@link #text()}. */
  @Override
  public String toString() {
    return text;
  }

  /** Where a tag's name starts in the parsed text, or -1. */
  int position(String tag) {
    Integer at = positions.get(tag);
    return at == null ? -1 : at;
  }

  private static String write(Map<String, String> content) {
    StringBuilder sb = new StringBuilder("v=").append(VERSION);
    for (String name : KNOWN) {
      String value = content.get(name);
      if (value != null) {
        sb.append("; ").append(name).append('=').append(value);
      }
    }
    for (Map.Entry<String, String> e : content.entrySet()) {
      if (!KNOWN_SET.contains(e.getKey())) {
        sb.append("; ").append(e.getKey()).append('=').append(e.getValue());
      }
    }
    return sb.toString();
  }

  /**
   * The index right after {@code DMARC1} if the text starts with the version tag, or the bitwise
   * complement of the index of the first character that does not fit.
   */
  private static int versionEnd(CharSequence s) {
    int n = s.length();
    int i = skipWhitespace(s, 0);
    // RFC 5234 §2.3: the quoted "v" of the grammar matches either case; %s"DMARC1" only this one.
    if (i >= n || (s.charAt(i) != 'v' && s.charAt(i) != 'V')) {
      return ~i;
    }
    i = skipWhitespace(s, i + 1);
    if (i >= n || s.charAt(i) != '=') {
      return ~i;
    }
    i = skipWhitespace(s, i + 1);
    for (int k = 0; k < VERSION.length(); k++, i++) {
      if (i >= n || s.charAt(i) != VERSION.charAt(k)) {
        return ~i;
      }
    }
    if (i < n && s.charAt(i) != ';' && !isWhitespace(s.charAt(i))) {
      return ~i; // such as v=DMARC10
    }
    return i;
  }

  /** Whitespace as the tag-list allows it: WSP, and CR and LF of folding (RFC 6376 §3.2 FWS). */
  static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  static int skipWhitespace(CharSequence s, int i) {
    int n = s.length();
    while (i < n && isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isAlpha(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** RFC 6376 §3.2 ALNUMPUNC. */
  private static boolean isNameChar(char c) {
    return isAlpha(c) || isDigit(c) || c == '_';
  }

  /** A value abridged and with controls escaped, for a message. */
  static String quote(String value) {
    int limit = 40;
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < Math.min(value.length(), limit); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append(value.length() > limit ? "...'" : "'").toString();
  }

  /** Collects problems up to the caps, errors apart from the rest so that junk cannot hide them. */
  private static final class Problems {
    private final List<DmarcRecordFinding> errors = new ArrayList<>();
    private final List<DmarcRecordFinding> others = new ArrayList<>();
    private int omitted;

    void add(int position, Severity severity, DmarcRecordProblem code, String tag, String message) {
      List<DmarcRecordFinding> list = severity == Severity.ERROR ? errors : others;
      if (list.size() < MAX_FINDINGS_PER_KIND) {
        list.add(
            new DmarcRecordFinding(position, severity, code, Optional.ofNullable(tag), message));
      } else {
        omitted++;
      }
    }

    List<DmarcRecordFinding> list() {
      List<DmarcRecordFinding> all = new ArrayList<>(errors.size() + others.size() + 1);
      all.addAll(errors);
      all.addAll(others);
      all.sort((a, b) -> Integer.compare(a.position(), b.position())); // stable
      if (omitted > 0) {
        all.add(
            new DmarcRecordFinding(
                -1,
                Severity.WARNING,
                DmarcRecordProblem.TOO_MANY_PROBLEMS,
                Optional.empty(),
                omitted
                    + " more problems not listed: only the first "
                    + MAX_FINDINGS_PER_KIND
                    + " errors and "
                    + MAX_FINDINGS_PER_KIND
                    + " others are"));
      }
      return List.copyOf(all);
    }
  }

  /** Scans the tag-list and reads the known tags; linear in the text. */
  private static final class Parser {
    final String text;
    final Map<String, String> tags = new LinkedHashMap<>();
    final Map<String, Integer> positions = new HashMap<>();

    /** Per tag, the valid value in canonical form, or the text of an invalid or unknown one. */
    final Map<String, String> content = new LinkedHashMap<>();

    final Problems problems = new Problems();
    DmarcPolicy policy;
    DmarcPolicy subdomainPolicy;
    DmarcPolicy nonexistentDomainPolicy;
    PsdFlag psd;
    Boolean testing;
    AlignmentMode dkimAlignment;
    AlignmentMode spfAlignment;
    List<ReportUri> aggregateReportUris = List.of();
    List<ReportUri> failureReportUris = List.of();
    Set<FailureOption> failureOptions = Set.of();
    Integer percent;
    List<String> failureReportFormats = List.of();
    Long reportInterval;

    Parser(String text) {
      this.text = text;
    }

    void run(int versionEnd) {
      int n = text.length();
      int vAt = skipWhitespace(text, 0);
      if (vAt > 0) {
        problems.add(
            0,
            Severity.WARNING,
            DmarcRecordProblem.LEADING_WHITESPACE,
            "v",
            "whitespace before v=DMARC1: receivers that look for a record starting with v= discard"
                + " it. Fix: start the record with v=DMARC1.");
      }
      if (text.charAt(vAt) == 'V') {
        problems.add(
            vAt,
            Severity.WARNING,
            DmarcRecordProblem.TAG_NAME_CASE,
            "v",
            nameCaseMessage("V", "v"));
      }
      tags.put("v", VERSION);
      positions.put("v", vAt);
      int i = skipWhitespace(text, versionEnd);
      if (i < n && text.charAt(i) != ';') {
        // RFC 9989 §4.8: the version is followed by dmarc-sep.
        problems.add(
            i,
            Severity.ERROR,
            DmarcRecordProblem.MALFORMED_TAG,
            "v",
            "expected ';' after v=DMARC1; the text up to the next ';' is ignored. Fix: separate"
                + " tags with ';'.");
        i = nextSemicolon(i);
      }
      while (i < n) {
        // Here text[i] is ';' or the start of a tag-spec.
        if (text.charAt(i) == ';') {
          i = skipWhitespace(text, i + 1); // RFC 6376 §3.2: empty tag-specs and a trailing ';'
          continue;
        }
        i = tagSpec(i);
      }
    }

    private int nextSemicolon(int from) {
      int semicolon = text.indexOf(';', from);
      return semicolon < 0 ? text.length() : semicolon;
    }

    /** Reads the tag-spec at {@code start}, returning the index of its ';' or the text's end. */
    private int tagSpec(int start) {
      int n = text.length();
      if (!isAlpha(text.charAt(start))) {
        problems.add(
            start,
            Severity.ERROR,
            DmarcRecordProblem.MALFORMED_TAG,
            null,
            "expected a tag name at "
                + ReportUri.describe(text.charAt(start))
                + "; the text up to the next ';' is ignored. Fix: write tags as name=value.");
        return nextSemicolon(start);
      }
      int i = start + 1;
      while (i < n && isNameChar(text.charAt(i))) {
        i++;
      }
      String written = text.substring(start, i);
      String name = written.toLowerCase(Locale.ROOT);
      i = skipWhitespace(text, i);
      if (i >= n || text.charAt(i) != '=') {
        problems.add(
            start,
            Severity.ERROR,
            DmarcRecordProblem.MALFORMED_TAG,
            null,
            "expected '=' after the tag name "
                + quote(written)
                + "; the text up to the next ';' is ignored. Fix: write tags as name=value.");
        return nextSemicolon(i);
      }
      int valueStart = skipWhitespace(text, i + 1);
      int end = nextSemicolon(valueStart);
      int valueEnd = end;
      while (valueEnd > valueStart && isWhitespace(text.charAt(valueEnd - 1))) {
        valueEnd--;
      }
      if (tags.containsKey(name)) {
        // RFC 6376 §3.2 makes a duplicate tag fatal; DMARC receivers take the first (lenient).
        problems.add(
            start,
            Severity.ERROR,
            DmarcRecordProblem.DUPLICATE_TAG,
            name,
            "tag "
                + name
                + " appears again; receivers use its first value, or discard the record. Fix:"
                + " remove the repetition.");
        return end;
      }
      if (!written.equals(name)) {
        problems.add(
            start,
            Severity.WARNING,
            DmarcRecordProblem.TAG_NAME_CASE,
            name,
            nameCaseMessage(written, name));
      }
      String value = text.substring(valueStart, valueEnd);
      tags.put(name, value);
      positions.put(name, start);
      if (KNOWN_SET.contains(name)) {
        known(name, value, valueStart);
      } else {
        unknown(name, value, start, valueStart);
      }
      return end;
    }

    private static String nameCaseMessage(String written, String name) {
      return "tag name "
          + written
          + " is not in lower case; tag names are case-sensitive (RFC 6376 §3.2) and some receivers"
          + " ignore it. Fix: write "
          + name
          + ".";
    }

    private void unknown(String name, String value, int start, int valueStart) {
      // RFC 9989 §4.7: unknown tags MUST be ignored. They are kept, so text() loses nothing.
      content.put(name, value);
      problems.add(
          start,
          Severity.INFO,
          DmarcRecordProblem.UNKNOWN_TAG,
          name,
          "unknown tag " + quote(name) + ", which receivers ignore. Fix: check its spelling.");
      for (int k = 0; k < value.length(); k++) {
        char c = value.charAt(k);
        if (c < 0x20 && !isWhitespace(c) || c >= 0x7F) {
          // RFC 6376 §3.2 tag-value: VALCHAR is printable ASCII except ';'.
          problems.add(
              valueStart + k,
              Severity.ERROR,
              DmarcRecordProblem.INVALID_CHARACTER,
              name,
              "character " + ReportUri.describe(c) + " is not allowed in a tag value.");
          break;
        }
      }
    }

    private void known(String name, String value, int at) {
      String canonical =
          switch (name) {
            case "v" -> null; // not reached: v is always first, so a second one is a duplicate
            case "p" -> {
              policy = policyValue(name, value, at);
              yield policy == null ? null : policy.token();
            }
            case "sp" -> {
              subdomainPolicy = policyValue(name, value, at);
              yield subdomainPolicy == null ? null : subdomainPolicy.token();
            }
            case "np" -> {
              nonexistentDomainPolicy = policyValue(name, value, at);
              yield nonexistentDomainPolicy == null ? null : nonexistentDomainPolicy.token();
            }
            case "psd" -> {
              psd = PsdFlag.fromToken(value).orElse(null);
              yield psd == null ? invalid(name, value, at, "y, n or u") : psd.token();
            }
            case "t" -> {
              testing = yesNo(value);
              yield testing == null ? invalid(name, value, at, "y or n") : testing ? "y" : "n";
            }
            case "adkim" -> {
              dkimAlignment = alignment(value);
              yield dkimAlignment == null
                  ? invalid(name, value, at, "r or s")
                  : dkimAlignment.token();
            }
            case "aspf" -> {
              spfAlignment = alignment(value);
              yield spfAlignment == null
                  ? invalid(name, value, at, "r or s")
                  : spfAlignment.token();
            }
            case "fo" -> failureOptions(value, at);
            case "rua" -> {
              aggregateReportUris = uris(name, value, at);
              yield uriText(aggregateReportUris);
            }
            case "ruf" -> {
              failureReportUris = uris(name, value, at);
              yield uriText(failureReportUris);
            }
            case "pct" -> {
              long number = number(value, DEFAULT_PERCENT);
              // RFC 7489 §6.3: an integer from 0 to 100.
              percent = number < 0 ? null : (int) number;
              yield percent == null
                  ? invalid(name, value, at, "an integer from 0 to 100")
                  : percent.toString();
            }
            case "rf" -> formats(value, at);
            case "ri" -> {
              long number = number(value, MAX_INTERVAL);
              reportInterval = number < 0 ? null : number;
              yield reportInterval == null
                  ? invalid(name, value, at, "a number of seconds from 0 to 4294967295")
                  : reportInterval.toString();
            }
            default -> throw new AssertionError(name);
          };
      // An invalid value is kept as written, so that text() keeps the record unusable if it was.
      content.put(name, canonical == null ? value : canonical);
    }

    /** Reports an invalid value; returns null so that the caller yields the text as written. */
    private String invalid(String name, String value, int at, String expected) {
      problems.add(
          at,
          Severity.ERROR,
          DmarcRecordProblem.INVALID_VALUE,
          name,
          name
              + "="
              + quote(value)
              + " is not "
              + expected
              + ": receivers use the default. Fix: write one of those.");
      return null;
    }

    private DmarcPolicy policyValue(String name, String value, int at) {
      // RFC 9989 §4.7: none, quarantine or reject; read ignoring case, as receivers do.
      Optional<DmarcPolicy> parsed = DmarcPolicy.fromToken(value);
      if (parsed.isEmpty()) {
        problems.add(
            at,
            Severity.ERROR,
            DmarcRecordProblem.INVALID_VALUE,
            name,
            name
                + "="
                + quote(value)
                + " is not none, quarantine or reject, so the record has no usable policy (RFC"
                + " 9989 §4.10.1): receivers apply p=none if rua holds a valid URI, and no DMARC"
                + " otherwise. Fix: "
                + name
                + "=none, "
                + name
                + "=quarantine or "
                + name
                + "=reject.");
      }
      return parsed.orElse(null);
    }

    private static Boolean yesNo(String value) {
      return value.equalsIgnoreCase("y")
          ? Boolean.TRUE
          : value.equalsIgnoreCase("n") ? false : null;
    }

    private static AlignmentMode alignment(String value) {
      for (AlignmentMode mode : AlignmentMode.values()) {
        if (mode.token().equalsIgnoreCase(value)) {
          return mode;
        }
      }
      return null;
    }

    /** A decimal number up to {@code max}, leading zeros allowed; -1 if it is none or too big. */
    private static long number(String value, long max) {
      if (value.isEmpty()) {
        return -1;
      }
      long result = 0;
      for (int k = 0; k < value.length(); k++) {
        char c = value.charAt(k);
        if (!isDigit(c)) {
          return -1;
        }
        result = result * 10 + (c - '0');
        if (result > max) {
          return -1; // stops before any overflow
        }
      }
      return result;
    }

    /** RFC 7489 §6.4: fo = option *( *WSP ":" *WSP option ). */
    private String failureOptions(String value, int at) {
      EnumSet<FailureOption> options = EnumSet.noneOf(FailureOption.class);
      int k = 0;
      while (k <= value.length()) {
        int colon = value.indexOf(':', k);
        int end = colon < 0 ? value.length() : colon;
        String token = value.substring(k, end).strip();
        Optional<FailureOption> option = FailureOption.fromToken(token);
        if (option.isPresent()) {
          options.add(option.get());
        } else {
          problems.add(
              at + k,
              Severity.ERROR,
              DmarcRecordProblem.UNKNOWN_FAILURE_OPTION,
              "fo",
              "fo option "
                  + quote(token)
                  + " is not 0, 1, d or s; receivers ignore it. Fix: use only those, separated"
                  + " by ':'.");
        }
        k = end + 1;
      }
      failureOptions = options;
      return options.isEmpty()
          ? null
          : options.stream().map(FailureOption::token).collect(Collectors.joining(":"));
    }

    /** RFC 7489 §6.4: rf = Keyword *( *WSP ":" Keyword ), Keyword as in RFC 5321 §4.1.2. */
    private String formats(String value, int at) {
      Set<String> formats = new LinkedHashSet<>();
      int k = 0;
      while (k <= value.length()) {
        int colon = value.indexOf(':', k);
        int end = colon < 0 ? value.length() : colon;
        String token = value.substring(k, end).strip().toLowerCase(Locale.ROOT);
        if (!isKeyword(token)) {
          problems.add(
              at + k,
              Severity.ERROR,
              DmarcRecordProblem.INVALID_REPORT_FORMAT,
              "rf",
              "rf element "
                  + quote(token)
                  + " is not a format name; receivers ignore it. Fix: rf=afrf.");
        } else if (formats.add(token) && !KNOWN_FORMATS.contains(token)) {
          problems.add(
              at + k,
              Severity.INFO,
              DmarcRecordProblem.UNKNOWN_REPORT_FORMAT,
              "rf",
              "rf format "
                  + quote(token)
                  + " is neither afrf nor iodef; receivers are unlikely to know it.");
        }
        k = end + 1;
      }
      failureReportFormats = List.copyOf(formats);
      return formats.isEmpty() ? null : String.join(":", formats);
    }

    /** Reads a comma-separated list of report URIs (RFC 7489 §6.4: *WSP "," *WSP). */
    private List<ReportUri> uris(String name, String value, int at) {
      List<ReportUri> uris = new ArrayList<>();
      int k = 0;
      int count = 0;
      while (k <= value.length()) {
        int comma = value.indexOf(',', k);
        int end = comma < 0 ? value.length() : comma;
        if (++count > MAX_URIS) {
          problems.add(
              at + k,
              Severity.ERROR,
              DmarcRecordProblem.TOO_MANY_URIS,
              name,
              name
                  + " holds more than "
                  + MAX_URIS
                  + " URIs; the rest are ignored. Fix: list a few destinations.");
          break;
        }
        int from = skipWhitespace(value, k);
        int to = end;
        while (to > from && isWhitespace(value.charAt(to - 1))) {
          to--;
        }
        ReportUri.Parsed parsed = ReportUri.read(value.substring(from, to));
        if (parsed.uri() != null) {
          uris.add(parsed.uri());
        } else {
          problems.add(
              at + from + Math.min(parsed.errorIndex(), to - from),
              Severity.ERROR,
              DmarcRecordProblem.INVALID_URI,
              name,
              name
                  + " element "
                  + quote(value.substring(from, to))
                  + " is not a report URI ("
                  + parsed.reason()
                  + "); it is ignored. Fix: write URIs such as mailto:dmarc@example.com,"
                  + " separated by commas.");
        }
        k = end + 1;
      }
      return uris;
    }

    private static String uriText(List<ReportUri> uris) {
      if (uris.isEmpty()) {
        return null;
      }
      return uris.stream().map(ReportUri::text).collect(Collectors.joining(","));
    }
  }

  /** RFC 5321 §4.1.2 Ldh-str as a keyword: letters, digits, inner hyphens. */
  private static boolean isKeyword(String s) {
    if (s.isEmpty() || s.charAt(s.length() - 1) == '-') {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (!(isAlpha(c) || isDigit(c) || c == '-' && k > 0)) {
        return false;
      }
    }
    return true;
  }

  /** The posture findings of {@link #lint(DmarcProfile)}. */
  private static final class Lint {
    private final DmarcRecord r;
    private final DmarcProfile profile;
    private final List<DmarcRecordFinding> out;

    Lint(DmarcRecord r, DmarcProfile profile) {
      this.r = r;
      this.profile = profile;
      this.out = new ArrayList<>(r.problems);
    }

    private void add(String tag, Severity severity, DmarcRecordProblem code, String message) {
      out.add(
          new DmarcRecordFinding(
              tag == null ? -1 : r.position(tag),
              severity,
              code,
              Optional.ofNullable(tag),
              message));
    }

    List<DmarcRecordFinding> findings() {
      boolean rfc9989 = profile == DmarcProfile.RFC9989;
      policy(rfc9989);
      reports(rfc9989);
      profileTags(rfc9989);
      return List.copyOf(out);
    }

    private void policy(boolean rfc9989) {
      if (!r.tags.containsKey("p")) {
        add(
            null,
            Severity.WARNING,
            DmarcRecordProblem.MISSING_POLICY,
            (rfc9989
                    ? "no p tag: RFC 9989 §4.10.1 applies p=none if rua holds a valid URI, and no"
                        + " DMARC otherwise."
                    : "no p tag, which RFC 7489 §6.3 requires: receivers apply p=none if rua holds"
                        + " a valid URI (§6.6.3), and no DMARC otherwise.")
                + " Fix: add p=none to monitor, then p=quarantine or p=reject.");
      }
      if (r.policy == DmarcPolicy.NONE) {
        add(
            "p",
            Severity.WARNING,
            DmarcRecordProblem.MONITORING_ONLY,
            "p=none only monitors: receivers do nothing with mail that fails DMARC, so the domain"
                + " can be spoofed. Fix: once reports show legitimate mail passes, move to"
                + " p=quarantine, then p=reject.");
      }
      DmarcPolicy p = r.policy;
      if (p != null && r.subdomainPolicy != null && r.subdomainPolicy.compareTo(p) < 0) {
        add(
            "sp",
            Severity.WARNING,
            DmarcRecordProblem.WEAKER_SUBDOMAIN_POLICY,
            "sp="
                + r.subdomainPolicy.token()
                + " is weaker than p="
                + p.token()
                + ": subdomains can be spoofed more easily than the domain. Fix: sp="
                + p.token()
                + ", or remove sp.");
      }
      DmarcPolicy above = r.subdomainPolicy != null ? r.subdomainPolicy : p;
      if (rfc9989
          && above != null
          && r.nonexistentDomainPolicy != null
          && r.nonexistentDomainPolicy.compareTo(above) < 0) {
        add(
            "np",
            Severity.WARNING,
            DmarcRecordProblem.WEAKER_SUBDOMAIN_POLICY,
            "np="
                + r.nonexistentDomainPolicy.token()
                + " is weaker than the policy for existing subdomains: names that do not exist,"
                + " which send no legitimate mail, are the easiest to spoof. Fix: np=reject.");
      }
      if (r.tags.containsKey("pct") && r.percent < 100) {
        add(
            "pct",
            Severity.WARNING,
            DmarcRecordProblem.PARTIAL_PERCENT,
            rfc9989
                ? "pct="
                    + r.percent
                    + " is ignored by RFC 9989 receivers, which apply the policy to all failing"
                    + " mail, while RFC 7489 receivers apply it to "
                    + r.percent
                    + "% only. Fix: use t=y while testing, and remove pct."
                : "pct="
                    + r.percent
                    + ": the policy applies to "
                    + r.percent
                    + "% of failing mail only (RFC 7489 §6.6.4). Fix: raise it to 100.");
      }
      if (rfc9989 && r.testing) {
        add(
            "t",
            Severity.WARNING,
            DmarcRecordProblem.TESTING_MODE,
            "t=y: receivers apply quarantine as none and reject as quarantine (RFC 9989 §4.7)."
                + " Fix: remove t, or set t=n, once testing is over.");
      }
    }

    private void reports(boolean rfc9989) {
      if (r.aggregateReportUris.isEmpty()) {
        add(
            null,
            Severity.WARNING,
            DmarcRecordProblem.NO_AGGREGATE_REPORTS,
            (r.policy == DmarcPolicy.QUARANTINE || r.policy == DmarcPolicy.REJECT
                    ? "no valid rua: nobody learns which mail fails, and legitimate mail that"
                        + " fails is lost unnoticed."
                    : "no valid rua: the record neither protects the domain nor brings reports.")
                + " Fix: add rua=mailto:<a mailbox that reads aggregate reports>.");
      }
      if (!r.failureReportUris.isEmpty()) {
        add(
            "ruf",
            Severity.INFO,
            DmarcRecordProblem.FAILURE_REPORTS,
            "ruf asks for failure reports, which carry message content (a privacy matter, RFC 9991)"
                + " and which few receivers send. Fix: keep it only if the mailbox can take them.");
      } else if (r.tags.containsKey("fo")) {
        add(
            "fo",
            Severity.INFO,
            DmarcRecordProblem.FAILURE_OPTIONS_WITHOUT_RUF,
            "fo has no effect without ruf. Fix: remove fo, or add ruf.");
      }
      for (String tag : List.of("rua", "ruf")) {
        List<ReportUri> uris = tag.equals("rua") ? r.aggregateReportUris : r.failureReportUris;
        if (uris.stream().anyMatch(u -> !u.scheme().equals("mailto"))) {
          add(
              tag,
              Severity.WARNING,
              DmarcRecordProblem.NON_MAILTO_URI,
              tag
                  + " holds a URI that is not mailto:, the only scheme receivers must support (RFC"
                  + " 9989 §4.7). Fix: use mailto: URIs.");
        }
        if (rfc9989 && uris.stream().anyMatch(u -> u.sizeLimit().isPresent())) {
          add(
              tag,
              Severity.INFO,
              DmarcRecordProblem.OBSOLETE_SIZE_LIMIT,
              tag
                  + " holds a !size suffix, which RFC 9989 §4.8 makes obsolete: reporters ignore"
                  + " it. Fix: remove the suffix.");
        }
        if (!rfc9989 && uris.size() > 2) {
          add(
              tag,
              Severity.WARNING,
              DmarcRecordProblem.EXTRA_REPORT_URIS,
              tag
                  + " holds "
                  + uris.size()
                  + " URIs, but RFC 7489 §6.2 receivers need only send to two. Fix: list the two"
                  + " that matter most first, or forward reports from one mailbox.");
        }
      }
    }

    private void profileTags(boolean rfc9989) {
      if (rfc9989) {
        for (String tag : List.of("pct", "rf", "ri")) {
          if (r.tags.containsKey(tag)) {
            add(
                tag,
                Severity.INFO,
                DmarcRecordProblem.REMOVED_TAG,
                tag
                    + " was removed by RFC 9989 (Appendix C.5.2), whose receivers ignore it; RFC"
                    + " 7489 receivers still read it. Fix: remove it once RFC 7489 receivers no"
                    + " longer matter.");
          }
        }
        return;
      }
      for (String tag : List.of("np", "psd", "t")) {
        if (r.tags.containsKey(tag)) {
          add(
              tag,
              Severity.INFO,
              DmarcRecordProblem.IGNORED_TAG,
              tag + " is defined by RFC 9989 only; RFC 7489 receivers ignore it.");
        }
      }
      Object[] names = r.tags.keySet().toArray();
      if (r.tags.containsKey("p") && names.length > 1 && !names[1].equals("p")) {
        add(
            "p",
            Severity.INFO,
            DmarcRecordProblem.POLICY_NOT_SECOND,
            "p is not the tag after v, where the RFC 7489 §6.4 grammar puts it; strict RFC 7489"
                + " parsers may miss it. Fix: write v=DMARC1; p=... first.");
      }
    }
  }

  /**
   * Makes a record tag by tag; {@link #build()} writes it and reads it back, so that a built record
   * is exactly what a receiver would read from its {@link DmarcRecord#text()}. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, String> content;

    private Builder(Map<String, String> content) {
      this.content = content;
    }

    private Builder put(String name, String value) {
      content.put(name, value);
      return this;
    }

    /**
     * Sets the policy for the domain ({@code p}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(DmarcPolicy policy) {
      return put("p", requireNonNull(policy, "policy").token());
    }

    /**
     * Sets the policy for existing subdomains ({@code sp}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder subdomainPolicy(DmarcPolicy policy) {
      return put("sp", requireNonNull(policy, "policy").token());
    }

    /**
     * Sets the policy for subdomains that do not exist ({@code np}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder nonexistentDomainPolicy(DmarcPolicy policy) {
      return put("np", requireNonNull(policy, "policy").token());
    }

    /**
     * Sets the public suffix domain flag ({@code psd}).
     *
     * @param psd the flag
     * @return this builder
     */
    public Builder psd(PsdFlag psd) {
      return put("psd", requireNonNull(psd, "psd").token());
    }

    /**
     * Sets testing mode ({@code t=y} or {@code t=n}).
     *
     * @param testing {@code true} for {@code t=y}
     * @return this builder
     */
    public Builder testing(boolean testing) {
      return put("t", testing ? "y" : "n");
    }

    /**
     * Sets the DKIM alignment mode ({@code adkim}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder dkimAlignment(AlignmentMode mode) {
      return put("adkim", requireNonNull(mode, "mode").token());
    }

    /**
     * Sets the SPF alignment mode ({@code aspf}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder spfAlignment(AlignmentMode mode) {
      return put("aspf", requireNonNull(mode, "mode").token());
    }

    /**
     * Sets where aggregate reports go ({@code rua}); an empty list removes the tag.
     *
     * @param uris the URIs, in the order receivers should use them
     * @return this builder
     * @throws IllegalArgumentException for more than {@value DmarcRecord#MAX_URIS} URIs
     */
    public Builder aggregateReportUris(List<ReportUri> uris) {
      return uris("rua", uris);
    }

    /**
     * Sets where failure reports go ({@code ruf}); an empty list removes the tag.
     *
     * @param uris the URIs, in the order receivers should use them
     * @return this builder
     * @throws IllegalArgumentException for more than {@value DmarcRecord#MAX_URIS} URIs
     */
    public Builder failureReportUris(List<ReportUri> uris) {
      return uris("ruf", uris);
    }

    private Builder uris(String name, List<ReportUri> uris) {
      List<ReportUri> copy = List.copyOf(uris);
      if (copy.size() > MAX_URIS) {
        throw new IllegalArgumentException(copy.size() + " URIs, more than " + MAX_URIS);
      }
      if (copy.isEmpty()) {
        return remove(name);
      }
      return put(name, Parser.uriText(copy));
    }

    /**
     * Sets when failure reports are wanted ({@code fo}).
     *
     * @param options the options, at least one
     * @return this builder
     * @throws IllegalArgumentException if the set is empty
     */
    public Builder failureOptions(Set<FailureOption> options) {
      if (options.isEmpty()) {
        throw new IllegalArgumentException("no failure options");
      }
      return put(
          "fo",
          EnumSet.copyOf(options).stream()
              .map(FailureOption::token)
              .collect(Collectors.joining(":")));
    }

    /**
     * Sets the share of mail the policy applies to ({@code pct}, RFC 7489 only).
     *
     * @param percent 0 to 100
     * @return this builder
     * @throws IllegalArgumentException outside 0 to 100
     */
    public Builder percent(int percent) {
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("pct " + percent + " outside 0 to 100");
      }
      return put("pct", Integer.toString(percent));
    }

    /**
     * Sets the failure report formats ({@code rf}, RFC 7489 only).
     *
     * @param formats format names such as {@code afrf}
     * @return this builder
     * @throws IllegalArgumentException if the list is empty or holds something other than a format
     *     name (letters, digits, inner hyphens)
     */
    public Builder failureReportFormats(List<String> formats) {
      Set<String> names = new LinkedHashSet<>();
      for (String format : formats) {
        String name = format.toLowerCase(Locale.ROOT);
        if (!isKeyword(name)) {
          throw new IllegalArgumentException("not a format name: " + quote(format));
        }
        names.add(name);
      }
      if (names.isEmpty()) {
        throw new IllegalArgumentException("no formats");
      }
      return put("rf", String.join(":", names));
    }

    /**
     * Sets the aggregate report interval ({@code ri}, RFC 7489 only).
     *
     * @param seconds the interval
     * @return this builder
     * @throws IllegalArgumentException outside 0 to 4294967295 seconds
     */
    public Builder reportInterval(long seconds) {
      if (seconds < 0 || seconds > MAX_INTERVAL) {
        throw new IllegalArgumentException("ri " + seconds + " outside 0 to 4294967295");
      }
      return put("ri", Long.toString(seconds));
    }

    /**
     * Adds a tag DMARC does not define, such as an extension being tried out; receivers ignore it.
     *
     * @param name a tag name (a letter, then letters, digits or {@code _}), not one DMARC defines
     * @param value printable ASCII without {@code ;}; whitespace around it is dropped
     * @return this builder
     * @throws IllegalArgumentException if the name or the value cannot be written
     */
    public Builder tag(String name, String value) {
      String lower = requireNonNull(name, "name").toLowerCase(Locale.ROOT);
      if (lower.isEmpty()
          || !isAlpha(lower.charAt(0))
          || !lower.chars().allMatch(c -> isNameChar((char) c))) {
        throw new IllegalArgumentException("not a tag name: " + quote(name));
      }
      if (KNOWN_SET.contains(lower)) {
        throw new IllegalArgumentException("tag " + lower + " has its own setter");
      }
      String stripped = requireNonNull(value, "value").strip();
      if (!stripped.chars().allMatch(c -> c >= 0x20 && c <= 0x7E && c != ';')) {
        throw new IllegalArgumentException("not a tag value: " + quote(value));
      }
      return put(lower, stripped);
    }

    /**
     * Removes a tag, so that its default applies again.
     *
     * @param name the tag name, such as {@code pct}
     * @return this builder
     */
    public Builder remove(String name) {
      content.remove(requireNonNull(name, "name").toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record, equal to {@code DmarcRecord.parse(record.text())}
     */
    public DmarcRecord build() {
      return parse(write(content));
    }
  }
}
