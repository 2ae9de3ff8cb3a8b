package org.mailauth4j.mtasts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;

/**
 * Reads a policy file line by line (RFC 8461 §3.2), collecting every problem rather than stopping
 * at the first. Not thread-safe; one per file.
 *
 * <pre>
 * sts-policy-record   = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP)
 *                       [sts-policy-term]
 * sts-policy-term     = LF / CRLF
 * sts-policy-field    = key ":" *WSP value       ; version, mode, max_age once; mx 0*
 * sts-policy-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 * sts-policy-ext-value = sts-policy-vchar *(*WSP sts-policy-vchar)   ; UTF-8 without CTLs
 * </pre>
 */
final class PolicyParser {
  static final Set<String> KNOWN_KEYS = Set.of("version", "mode", "mx", "max_age");

  /**
   * More problems than this in one file are counted in a last one. Errors go first: past the cap,
   * an error takes the place of the latest warning listed, so that a refused policy always lists
   * its errors.
   */
  private static final int MAX_FINDINGS = 100;

  private final String text;
  private final PolicyLeniency leniency;

  /** Whether a key in another case ("Mode") is read as the known key: lenient, second reading. */
  private final boolean foldKeyCase;

  /** Whether a key in another case was met, read as the known key or not. */
  private boolean keyInOtherCase;

  private final List<PolicyFinding> problems = new ArrayList<>();
  private int listedWarnings;
  private int unlistedErrors;
  private int unlistedWarnings;
  private int firstErrorIndex = -1;

  private String version;
  private MtaStsMode mode;
  private Duration maxAge;
  private final List<MxPattern> mx = new ArrayList<>();
  private final Map<String, String> extensions = new LinkedHashMap<>();

  /** Known fields present, valid or not: a field that is there but wrong is not "missing". */
  private final Set<String> seen = new HashSet<>();

  /** Fields other than mx met once: later entries of them are ignored. */
  private final Set<String> counted = new HashSet<>();

  /** A parser that reads keys as written, as strict reading does. */
  PolicyParser(String text, PolicyLeniency leniency) {
    this(text, leniency, false);
  }

  private PolicyParser(String text, PolicyLeniency leniency, boolean foldKeyCase) {
    this.text = text;
    this.leniency = leniency;
    this.foldKeyCase = foldKeyCase;
  }

  /**
   * Reads a file. Lenient reading takes a key in another case ("Mode") for the known key ("mode")
   * only if the file gives no policy with its keys read as written. Strict reading keeps such a
   * field as an extension, so lenient reading, which makes no other deviation an error, never
   * refuses a file that strict reading accepts, nor reads it as another policy: "Mx: et" beside
   * "mx: mail.example.com" stays an extension, and "mode: enforce" wins over "Mode: testing".
   */
  static PolicyParseResult read(String text, PolicyLeniency leniency) {
    PolicyParser asWritten = new PolicyParser(text, leniency);
    PolicyParseResult result = asWritten.parse();
    if (leniency == PolicyLeniency.LENIENT
        && result.policy().isEmpty()
        && asWritten.keyInOtherCase) {
      return new PolicyParser(text, leniency, true).parse();
    }
    return result;
  }

  int firstErrorIndex() {
    return Math.max(firstErrorIndex, 0);
  }

  PolicyParseResult parse() {
    int start = 0;
    if (text.startsWith("\uFEFF")) {
      deviation(1, 0, PolicyProblem.BYTE_ORDER_MARK, "the file starts with a byte-order mark");
      start = 1;
    }
    boolean lfOnly = false;
    int line = 1;
    while (start < text.length()) {
      int lf = text.indexOf('\n', start);
      int end = lf < 0 ? text.length() : lf;
      if (lf >= 0 && (end == start || text.charAt(end - 1) != '\r')) {
        lfOnly = true;
      } else if (lf >= 0) {
        end--; // the CR of CRLF
      }
      line(line, start, end);
      if (lf < 0) {
        break;
      }
      start = lf + 1;
      line++;
    }
    if (lfOnly) {
      // RFC 8461 §3.2's prose says CRLF; its grammar allows LF. Both are read.
      warning(
          0, PolicyProblem.LF_LINE_ENDINGS, "lines end in LF alone; RFC 8461 §3.2 asks for CRLF");
    }
    if (!seen.contains("version")) {
      error(
          0,
          text.length(),
          PolicyProblem.MISSING_VERSION,
          "no version field; a policy needs \"version: STSv1\"");
    }
    if (!seen.contains("mode")) {
      error(
          0,
          text.length(),
          PolicyProblem.MISSING_MODE,
          "no mode field; a policy needs mode enforce, testing or none");
    }
    if (!seen.contains("max_age")) {
      error(0, text.length(), PolicyProblem.MISSING_MAX_AGE, "no max_age field");
    }
    if (mode != null && mode != MtaStsMode.NONE && !seen.contains("mx")) {
      error(
          0,
          text.length(),
          PolicyProblem.MISSING_MX,
          "no mx field; mode " + mode.token() + " needs at least one");
    } else if (mode != null && mode != MtaStsMode.NONE && mx.isEmpty() && firstErrorIndex < 0) {
      // Only when lenient reading left every mx value out.
      error(
          0,
          text.length(),
          PolicyProblem.MISSING_MX,
          "no usable mx pattern; mode " + mode.token() + " needs at least one");
    }
    if (unlistedErrors + unlistedWarnings > 0) {
      problems.add(
          new PolicyFinding(
              0,
              PolicyProblem.MORE_NOT_LISTED,
              Severity.WARNING,
              (unlistedErrors + unlistedWarnings)
                  + " more problems are not listed: "
                  + unlistedErrors
                  + " errors, "
                  + unlistedWarnings
                  + " warnings"));
    }
    boolean valid = firstErrorIndex < 0;
    return new PolicyParseResult(
        valid ? Optional.of(new MtaStsPolicy(mode, mx, maxAge, extensions)) : Optional.empty(),
        problems);
  }

  private void line(int line, int start, int end) {
    int i = start;
    while (i < end && isWsp(text.charAt(i))) {
      i++;
    }
    if (i == end) {
      deviation(line, start, PolicyProblem.BLANK_LINE, "a blank line");
      return;
    }
    if (i > start) {
      deviation(line, start, PolicyProblem.LEADING_WHITE_SPACE, "the line starts with white space");
    }
    int keyStart = i;
    // Every search and copy stays within the line: one that ran on to the end of the file would
    // make a file of many lines take quadratic time.
    int colon = keyStart;
    while (colon < end && text.charAt(colon) != ':') {
      colon++;
    }
    if (colon == end) {
      error(line, keyStart, PolicyProblem.MALFORMED_LINE, "expected \"key: value\"");
      return;
    }
    if (!isKeyName(text, keyStart, colon)) {
      error(
          line,
          keyStart,
          PolicyProblem.INVALID_KEY,
          "\"" + printable(text, keyStart, colon) + "\" is not a field name");
      return;
    }
    String key = text.substring(keyStart, colon);
    String known = key;
    if (!KNOWN_KEYS.contains(key) && KNOWN_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
      // RFC 8461 §3.2: keys are case-sensitive, so "Mode" is an unknown field.
      keyInOtherCase = true;
      if (foldKeyCase) {
        warning(
            line,
            PolicyProblem.KEY_CASE,
            "key \"" + key + "\" read as \"" + key.toLowerCase(Locale.ROOT) + "\"");
        known = key.toLowerCase(Locale.ROOT);
      } else {
        warning(
            line,
            PolicyProblem.KEY_CASE,
            "key \""
                + key
                + "\" is not \""
                + key.toLowerCase(Locale.ROOT)
                + "\" (keys are case-sensitive) and is ignored");
      }
    }
    seen.add(known);
    int valueStart = colon + 1;
    while (valueStart < end && isWsp(text.charAt(valueStart))) {
      valueStart++;
    }
    int valueEnd = end;
    while (valueEnd > valueStart && isWsp(text.charAt(valueEnd - 1))) {
      valueEnd--;
    }
    for (int k = valueStart; k < valueEnd; k++) {
      char c = text.charAt(k);
      if (c < 0x20 && c != '\t' || c == 0x7F) {
        error(
            line,
            k,
            PolicyProblem.CONTROL_CHARACTER,
            "control character " + String.format("U+%04X", (int) c) + " in " + key);
        return;
      }
    }
    String value = text.substring(valueStart, valueEnd);
    if (value.isEmpty()) {
      error(line, valueStart, PolicyProblem.EMPTY_VALUE, "field " + key + " has no value");
      return;
    }
    if (!known.equals("mx") && !counted.add(known)) {
      // RFC 8461 §3.2: "If any non-repeated field -- i.e., all fields excepting "mx" -- is
      // duplicated, all entries except for the first SHALL be ignored", whatever their value.
      if (KNOWN_KEYS.contains(known)) {
        warning(
            line,
            PolicyProblem.DUPLICATE_FIELD,
            known + " appears again; the first one counts (RFC 8461 §3.2)");
      }
      return;
    }
    switch (known) {
      case "version":
        version(line, valueStart, value);
        break;
      case "mode":
        mode(line, valueStart, value);
        break;
      case "mx":
        mx(line, valueStart, value);
        break;
      case "max_age":
        maxAge(line, valueStart, value);
        break;
      default:
        extensions.put(key, value); // RFC 8461 §3.2: unknown fields are ignored
    }
  }

  private void version(int line, int at, String value) {
    if (value.equals("STSv1")) {
      version = value;
    } else if (value.equalsIgnoreCase("STSv1")) {
      deviation(
          line,
          at,
          PolicyProblem.VERSION_CASE,
          "version \"" + value + "\" is not written \"STSv1\"");
      version = "STSv1";
    } else {
      error(
          line,
          at,
          PolicyProblem.INVALID_VERSION,
          "version \"" + printable(value) + "\" is not STSv1");
    }
  }

  private void mode(int line, int at, String value) {
    MtaStsMode m = MtaStsMode.of(value);
    if (m == null) {
      m = MtaStsMode.of(value.toLowerCase(Locale.ROOT));
      if (m == null) {
        error(
            line,
            at,
            PolicyProblem.INVALID_MODE,
            "mode \"" + printable(value) + "\" is not enforce, testing or none");
        return;
      }
      deviation(
          line,
          at,
          PolicyProblem.MODE_CASE,
          "mode \"" + value + "\" is not written \"" + m.token() + "\"");
      if (leniency == PolicyLeniency.STRICT) {
        return;
      }
    }
    mode = m;
  }

  private void mx(int line, int at, String value) {
    try {
      mx.add(MxPattern.parse(value));
      return;
    } catch (MtaStsSyntaxException e) {
      if (leniency == PolicyLeniency.LENIENT && lenientMx(line, value, e)) {
        return;
      }
      // RFC 8461 §3.2: sts-policy-mx-value = ["*."] Domain, a host name (RFC 5321 §4.1.2).
      error(
          line,
          at + e.errorIndex(),
          PolicyProblem.INVALID_MX,
          "mx \"" + printable(value) + "\": " + e.reason());
    }
  }

  /** Tolerates an mx value that is off only in spelling or not a host name; false if neither. */
  private boolean lenientMx(int line, String value, MtaStsSyntaxException e) {
    String name = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    boolean wildcard = name.startsWith("*.");
    String rest = wildcard ? name.substring(2) : name;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '*' || c <= 0x20 || c == 0x7F) {
        return false; // a misplaced wildcard or white space: not a matter of spelling
      }
    }
    try {
      // A trailing dot or a U-label: the name is clear, only its spelling is off.
      MxPattern pattern = MxPattern.parse((wildcard ? "*." : "") + DomainName.parseHostName(rest));
      warning(
          line,
          PolicyProblem.MX_SPELLING,
          "mx \"" + printable(value) + "\" read as " + pattern + ": " + e.reason());
      mx.add(pattern);
      return true;
    } catch (DnsSyntaxException | MtaStsSyntaxException again) {
      // not a spelling matter
    }
    if (isNonHostName(rest)) {
      // RFC 8461 §4.1 matches MX hosts, which are host names (RFC 5321 §5.1): such a pattern
      // could never match one, so leaving it out changes nothing but is worth a warning.
      warning(
          line,
          PolicyProblem.MX_NOT_HOST_NAME,
          "mx \""
              + printable(value)
              + "\" is not a host name (RFC 8461 §3.2, RFC 5321 §4.1.2), matches no MX host"
              + " and is ignored");
      return true;
    }
    return false;
  }

  /**
   * Tells whether a name has the shape of a domain name (labels of 1 to 63 characters, 253 in all)
   * with a label that is not letters-digits-hyphen: a name DNS may allow but no host name.
   */
  private static boolean isNonHostName(String name) {
    if (name.isEmpty() || name.length() > DomainName.MAX_LENGTH) {
      return false;
    }
    boolean ldh = true;
    int start = 0;
    while (start <= name.length()) {
      int dot = name.indexOf('.', start);
      int end = dot < 0 ? name.length() : dot;
      if (end == start || end - start > DomainName.MAX_LABEL_LENGTH) {
        return false;
      }
      for (int i = start; i < end; i++) {
        char c = name.charAt(i);
        boolean letDig = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
        if (!letDig && !(c == '-' && i > start && i < end - 1)) {
          ldh = false;
        }
      }
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
    return !ldh;
  }

  private void maxAge(int line, int at, String value) {
    // sts-policy-max-age-value = 1*10(DIGIT)
    if (value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      error(
          line,
          at,
          PolicyProblem.INVALID_MAX_AGE,
          "max_age \"" + printable(value) + "\" is not 1 to 10 digits");
      return;
    }
    long seconds = Long.parseLong(value);
    if (seconds > MtaStsPolicy.MAX_MAX_AGE.getSeconds()) {
      deviation(
          line,
          at,
          PolicyProblem.MAX_AGE_TOO_LARGE,
          "max_age " + seconds + " is above 31557600 seconds (one year)");
      if (leniency == PolicyLeniency.STRICT) {
        return;
      }
      seconds = MtaStsPolicy.MAX_MAX_AGE.getSeconds();
    }
    maxAge = Duration.ofSeconds(seconds);
  }

  /** A deviation: an error when strict, a warning when lenient. */
  private void deviation(int line, int at, PolicyProblem problem, String message) {
    if (leniency == PolicyLeniency.LENIENT) {
      warning(line, problem, message);
    } else {
      error(line, at, problem, message);
    }
  }

  private void error(int line, int at, PolicyProblem problem, String message) {
    if (firstErrorIndex < 0) {
      firstErrorIndex = at;
    }
    add(new PolicyFinding(line, problem, Severity.ERROR, message));
  }

  private void warning(int line, PolicyProblem problem, String message) {
    add(new PolicyFinding(line, problem, Severity.WARNING, message));
  }

  private void add(PolicyFinding problem) {
    boolean error = problem.severity() == Severity.ERROR;
    if (problems.size() == MAX_FINDINGS && error && listedWarnings > 0) {
      // Never an error left out for a warning: the latest warning makes room. This happens at
      // most MAX_FINDINGS times per file, and searches at most MAX_FINDINGS problems.
      int k = problems.size() - 1;
      while (problems.get(k).severity() != Severity.WARNING) {
        k--;
      }
      problems.remove(k);
      listedWarnings--;
      unlistedWarnings++;
    }
    if (problems.size() < MAX_FINDINGS) {
      problems.add(problem);
      if (!error) {
        listedWarnings++;
      }
    } else if (error) {
      unlistedErrors++;
    } else {
      unlistedWarnings++;
    }
  }

  static boolean isKeyName(String key) {
    return isKeyName(key, 0, key.length());
  }

  /**
   * sts-policy-ext-name, from {@code start} to {@code end}: at most 32 characters are looked at.
   */
  private static boolean isKeyName(CharSequence s, int start, int end) {
    if (end == start || end - start > 32 || !MtaStsRecord.isAlnum(s.charAt(start))) {
      return false;
    }
    for (int i = start + 1; i < end; i++) {
      if (!MtaStsRecord.isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** sts-policy-ext-value: visible characters, UTF-8 included, with white space inside only. */
  static boolean isValue(String value) {
    if (value.isEmpty() || isWsp(value.charAt(0)) || isWsp(value.charAt(value.length() - 1))) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  /** A value quoted in a message, abridged and with control characters made visible. */
  private static String printable(String s) {
    return printable(s, 0, s.length());
  }

  /** The same for the text from {@code start} to {@code end}, of which at most 80 are copied. */
  private static String printable(CharSequence s, int start, int end) {
    StringBuilder sb = new StringBuilder();
    for (int i = start; i < Math.min(end, start + 80); i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return end - start > 80 ? sb + "..." : sb.toString();
  }
}
