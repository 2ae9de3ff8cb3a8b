package org.mailauth4j.tlsrpt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailauth4j.dns.Severity;

/**
 * Reads the text of a {@code _smtp._tls} TXT record (RFC 8460 §3) in one pass with an index, so
 * that it takes time linear in the text whatever it holds.
 *
 * <pre>
 * tlsrpt-record    = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
 * field-delim      = *WSP ";" *WSP
 * tlsrpt-field     = tlsrpt-rua / tlsrpt-extension
 * tlsrpt-version   = %s"v=TLSRPTv1"
 * tlsrpt-rua       = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
 * tlsrpt-extension = tlsrpt-ext-name "=" tlsrpt-ext-value
 * tlsrpt-ext-name  = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 * tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
 * </pre>
 *
 * <p>Not thread-safe; one parser per text.
 */
final class TlsRptRecordParser {
  static final String VERSION = "v=TLSRPTv1";

  /** What parsing gave: a record, or the error that refuses the text; the findings either way. */
  record Result(
      TlsRptRecord record, TlsRptRecordFinding error, List<TlsRptRecordFinding> findings) {
    /** The record, or the exception that refuses the text. */
    TlsRptRecord orThrow(String input) {
      if (record == null) {
        throw new TlsRptSyntaxException(input, error.position(), error.problem(), error.message());
      }
      return record;
    }
  }

  private final String s;
  private final int n;
  private final List<TlsRptUri> uris = new ArrayList<>();
  private final Map<String, String> extensions = new LinkedHashMap<>();
  private final List<TlsRptRecordFinding> problems = new ArrayList<>();
  private int unlisted;
  private int ruaStart = -1;
  private int skippedUris;
  private boolean tooManyExtensions;
  private int caseVariant = -1;

  private TlsRptRecordParser(String s) {
    this.s = s;
    this.n = s.length();
  }

  static Result parse(String text) {
    return new TlsRptRecordParser(text).run();
  }

  /**
   * Tells where the version ends when the text begins with {@code v=TLSRPTv1} followed by {@code
   * ;}, whitespace or the end (RFC 8460 §3: records not beginning with the version are discarded;
   * the grammar allows whitespace before the {@code ;}).
   *
   * @return the index after the version, or {@code ~index} of the first character that does not fit
   */
  static int versionEnd(CharSequence s) {
    int n = s.length();
    int common = 0;
    while (common < VERSION.length() && common < n && s.charAt(common) == VERSION.charAt(common)) {
      common++;
    }
    if (common < VERSION.length()) {
      return ~common;
    }
    if (common < n && !isWsp(s.charAt(common)) && s.charAt(common) != ';') {
      return ~common; // such as v=TLSRPTv10
    }
    return common;
  }

  private Result run() {
    int end = versionEnd(s);
    if (end < 0) {
      // RFC 8460 §3: the version MUST be first and is case-sensitive (%s).
      return error(
          ~end,
          TlsRptRecordProblem.NOT_TLSRPT_RECORD,
          "not a TLS-RPT record: it must begin with v=TLSRPTv1");
    }
    int i = end;
    while (true) {
      int delim = skipWsp(i);
      if (delim == n) {
        if (delim > i) {
          return error(
              i,
              TlsRptRecordProblem.TRAILING_WHITESPACE,
              "whitespace at the end of the record; RFC 8460 §3 allows it only around ';'");
        }
        break;
      }
      if (s.charAt(delim) != ';') {
        return error(
            delim,
            TlsRptRecordProblem.MISSING_DELIMITER,
            "expected ';' between fields, found " + TlsRptUri.describe(s.charAt(delim)));
      }
      i = skipWsp(delim + 1);
      if (i == n) {
        break; // RFC 8460 §3: a final field-delim is allowed
      }
      int nameStart = i;
      while (i < n && isNameChar(s.charAt(i))) {
        i++;
      }
      if (i == nameStart || !TlsRptUri.isAlphaNum(s.charAt(nameStart))) {
        return error(
            nameStart,
            TlsRptRecordProblem.INVALID_FIELD_NAME,
            "expected a field name (a letter or digit, then letters, digits, '_', '-', '.'), found "
                + TlsRptUri.describe(s.charAt(nameStart)));
      }
      if (i - nameStart > 32) {
        // RFC 8460 §3: tlsrpt-ext-name has at most 32 characters.
        return error(
            nameStart + 32,
            TlsRptRecordProblem.INVALID_FIELD_NAME,
            "a field name has at most 32 characters");
      }
      if (i == n || s.charAt(i) != '=') {
        return error(
            i,
            TlsRptRecordProblem.INVALID_FIELD_NAME,
            "expected '=' after the field name"
                + (i == n ? "" : ", found " + TlsRptUri.describe(s.charAt(i))));
      }
      String name = s.substring(nameStart, i);
      i++;
      if (name.equals("rua")) {
        i = rua(nameStart, i);
        continue;
      }
      int valueStart = i;
      while (i < n && isValueChar(s.charAt(i))) {
        i++;
      }
      if (i == valueStart) {
        return error(
            i,
            TlsRptRecordProblem.INVALID_FIELD_VALUE,
            "field "
                + name
                + " has no value"
                + (i == n || isWsp(s.charAt(i)) || s.charAt(i) == ';'
                    ? ""
                    : ": " + TlsRptUri.describe(s.charAt(i)) + " is not allowed in a value"));
      }
      if (i < n && !isWsp(s.charAt(i)) && s.charAt(i) != ';') {
        // RFC 8460 §3: tlsrpt-ext-value excludes '=', ';', space, controls and non-ASCII.
        return error(
            i,
            TlsRptRecordProblem.INVALID_FIELD_VALUE,
            TlsRptUri.describe(s.charAt(i)) + " is not allowed in the value of field " + name);
      }
      extension(nameStart, name, s.substring(valueStart, i));
    }
    if (ruaStart < 0) {
      return error(
          caseVariant >= 0 ? caseVariant : n,
          TlsRptRecordProblem.MISSING_RUA,
          "no rua field, which RFC 8460 §3 requires"
              + (caseVariant >= 0 ? " (field names are case-sensitive: write rua=)" : ""));
    }
    if (uris.isEmpty()) {
      return error(
          ruaStart,
          TlsRptRecordProblem.NO_USABLE_RUA,
          "rua holds no usable mailto: or https: URI, so reports have nowhere to go (RFC 8460 §3)");
    }
    if (skippedUris > 0) {
      problem(
          ruaStart,
          Severity.WARNING,
          TlsRptRecordProblem.TOO_MANY_URIS,
          skippedUris + " more URIs in rua than the " + TlsRptRecord.MAX_URIS + " read; skipped");
    }
    finishProblems();
    return new Result(new TlsRptRecord(uris, extensions, problems), null, List.copyOf(problems));
  }

  /**
   * Reads the value of {@code rua} from {@code i}: URIs separated by commas with optional
   * whitespace, up to the next {@code ;} or the end, where a URI ends because commas and semicolons
   * in it must be encoded (RFC 8460 §3).
   *
   * @return the index after the value, before any whitespace of the next field-delim
   */
  private int rua(int fieldStart, int i) {
    boolean duplicate = ruaStart >= 0;
    if (duplicate) {
      // As for the fields of MTA-STS (RFC 8461 §3.2): the first counts.
      problem(
          fieldStart,
          Severity.WARNING,
          TlsRptRecordProblem.DUPLICATE_FIELD,
          "a second rua field, ignored");
    } else {
      ruaStart = fieldStart;
    }
    int valueEnd = i;
    while (valueEnd < n && s.charAt(valueEnd) != ';') {
      valueEnd++;
    }
    int end = valueEnd;
    while (end > i && isWsp(s.charAt(end - 1))) {
      end--; // whitespace before ';' belongs to field-delim; at the text's end it is an error
    }
    if (duplicate) {
      return end;
    }
    int start = i;
    while (true) {
      int comma = start;
      while (comma < end && s.charAt(comma) != ',') {
        comma++;
      }
      int a = start;
      int b = comma;
      while (a < b && isWsp(s.charAt(a))) {
        a++;
      }
      while (b > a && isWsp(s.charAt(b - 1))) {
        b--;
      }
      uri(a, b);
      if (comma == end) {
        return end;
      }
      start = comma + 1;
    }
  }

  /** One element of {@code rua}, from {@code a} to {@code b}: kept if usable, else a problem. */
  private void uri(int a, int b) {
    if (uris.size() >= TlsRptRecord.MAX_URIS) {
      skippedUris++;
      return;
    }
    TlsRptUri.Parsed parsed = TlsRptUri.read(s.substring(a, b));
    if (parsed.uri() != null) {
      uris.add(parsed.uri());
      return;
    }
    // RFC 8460 §3 leaves an unusable element undefined; a reporter MAY use each supported rua,
    // so the others still serve, and the record fails only when none remains (NO_USABLE_RUA).
    problem(
        a + parsed.errorIndex(), Severity.WARNING, parsed.code(), parsed.reason() + "; skipped");
  }

  private void extension(int position, String name, String value) {
    if (name.equals("v")) {
      problem(
          position,
          Severity.WARNING,
          TlsRptRecordProblem.DUPLICATE_FIELD,
          "a second v field, ignored");
      return;
    }
    if (name.equalsIgnoreCase("rua") || name.equalsIgnoreCase("v")) {
      if (caseVariant < 0 && name.equalsIgnoreCase("rua")) {
        caseVariant = position;
      }
      problem(
          position,
          Severity.WARNING,
          TlsRptRecordProblem.FIELD_NAME_CASE,
          "field "
              + name
              + " is not "
              + name.toLowerCase(Locale.ROOT)
              + ": RFC 8460 §3 field names are case-sensitive, so it is read as an unknown field");
    }
    if (extensions.containsKey(name)) {
      problem(
          position,
          Severity.WARNING,
          TlsRptRecordProblem.DUPLICATE_FIELD,
          "a second " + name + " field, ignored");
      return;
    }
    if (extensions.size() >= TlsRptRecord.MAX_EXTENSIONS) {
      if (!tooManyExtensions) {
        tooManyExtensions = true;
        problem(
            position,
            Severity.WARNING,
            TlsRptRecordProblem.TOO_MANY_EXTENSIONS,
            "more than " + TlsRptRecord.MAX_EXTENSIONS + " extension fields; the rest are dropped");
      }
      return;
    }
    extensions.put(name, value);
    // RFC 8460 §3: unknown fields SHALL be ignored.
    problem(
        position,
        Severity.INFO,
        TlsRptRecordProblem.UNKNOWN_FIELD,
        "field " + name + " is not defined by RFC 8460; ignored");
  }

  private void problem(int position, Severity severity, TlsRptRecordProblem code, String message) {
    if (problems.size() < TlsRptRecord.MAX_FINDINGS) {
      problems.add(new TlsRptRecordFinding(position, severity, code, message));
    } else {
      unlisted++;
    }
  }

  private void finishProblems() {
    if (unlisted > 0) {
      problems.add(
          new TlsRptRecordFinding(
              n,
              Severity.WARNING,
              TlsRptRecordProblem.TOO_MANY_PROBLEMS,
              unlisted + " more problems not listed"));
      unlisted = 0;
    }
  }

  private Result error(int position, TlsRptRecordProblem code, String message) {
    finishProblems();
    TlsRptRecordFinding error = new TlsRptRecordFinding(position, Severity.ERROR, code, message);
    problems.add(error);
    return new Result(null, error, List.copyOf(problems));
  }

  private int skipWsp(int i) {
    while (i < n && isWsp(s.charAt(i))) {
      i++;
    }
    return i;
  }

  static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  static boolean isNameChar(char c) {
    return TlsRptUri.isAlphaNum(c) || c == '_' || c == '-' || c == '.';
  }

  /** tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E) */
  static boolean isValueChar(char c) {
    return c >= 0x21 && c <= 0x7E && c != ';' && c != '=';
  }
}
