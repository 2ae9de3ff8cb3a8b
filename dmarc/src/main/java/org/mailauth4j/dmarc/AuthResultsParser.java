package org.mailauth4j.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an Authentication-Results field, leniently, in one pass (what is looked ahead at, to tell
 * an authserv-id, a version or an empty value, is read again at most once), without recursion:
 * nested comments are counted, not descended into.
 *
 * <pre>
 * authres-header = "Authentication-Results:" [CFWS] authserv-id
 *                  [ CFWS authres-version ] ( no-result / 1*resinfo ) [CFWS] CRLF
 * authres-version = 1*DIGIT [CFWS]
 * no-result      = [CFWS] ";" [CFWS] "none"
 * resinfo        = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
 * methodspec     = [CFWS] method [CFWS] "=" [CFWS] result
 * method         = Keyword [ [CFWS] "/" [CFWS] method-version ]
 * reasonspec     = "reason" [CFWS] "=" [CFWS] value
 * propspec       = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
 * pvalue         = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]
 * </pre>
 *
 * <p>Beyond RFC 8601 §2.2, it takes: no {@code ;} between results (a known method name then starts
 * a new result), a property without {@code ptype.} (kept with an empty type), tspecials such as
 * {@code =} and {@code /} in unquoted values (base64 in {@code header.b}), and no authserv-id when
 * the field starts with {@code method=result}, as Microsoft 365 writes it (an empty id, which no
 * {@link AuthenticationResults#isFrom} matches). Anything else that does not fit is skipped.
 */
final class AuthResultsParser {
  /**
   * Method names, registered (IANA Email Authentication Methods) and common, that start a new
   * result even where the {@code ;} before them is missing. Not {@code x-} names: receivers use
   * those for properties without a type too ({@code x-bits=2048}).
   */
  private static final Set<String> METHODS =
      Set.of(
          "arc",
          "auth",
          "bimi",
          "compauth",
          "dkim",
          "dkim-adsp",
          "dkim-atps",
          "dmarc",
          "dnswl",
          "domainkeys",
          "iprev",
          "rrvs",
          "sender-id",
          "smime",
          "spf",
          "vbr");

  private static final String FIELD_NAME = "authentication-results";
  private static final int NO_NUMBER = -1;
  private static final int BAD_NUMBER = -2;

  private final String s;
  private final int n;
  private int pos;

  /** The full decoded length of the last value read, also past what was kept of it. */
  private int valueLength;

  AuthResultsParser(String s) {
    this.s = s;
    this.n = s.length();
  }

  AuthenticationResults parse() {
    skipFieldName();
    skipCfws(null);
    String id = authservId();
    skipCfws(null);
    int version = version();
    List<AuthResult> results = new ArrayList<>();
    AuthResult.Builder current = null;
    while (true) {
      skipCfws(null);
      if (pos >= n) {
        break;
      }
      char c = s.charAt(pos);
      if (c == ';') {
        current = finish(current, results);
        pos++;
        continue;
      }
      String word = keyword(false);
      if (word.isEmpty()) {
        skipJunk(c);
        continue;
      }
      skipCfws(null);
      String ptype = null;
      String name = word;
      int methodVersion = NO_NUMBER;
      if (peek() == '.') {
        pos++;
        skipCfws(null);
        name = keyword(true);
        if (name.isEmpty()) {
          continue; // "header." and nothing: skip
        }
        ptype = word;
        skipCfws(null);
      } else if (peek() == '/') {
        pos++;
        skipCfws(null);
        methodVersion = number();
        if (methodVersion == NO_NUMBER) {
          methodVersion = BAD_NUMBER;
        }
        skipCfws(null);
      }
      if (peek() != '=') {
        continue; // a word on its own, such as "none": nothing to keep
      }
      pos++;
      int afterEquals = pos;
      skipCfws(null);
      // "header.d= header.s=sel": an empty value, not one that swallows the next property
      String value = pos > afterEquals && looksLikeKey() ? "" : value();
      if (ptype != null) {
        if (current != null
            && AuthResultsFormat.isKeyword(ptype, false)
            && AuthResultsFormat.isKeyword(name, true)) {
          current.add(new AuthProperty(ptype, name, value));
        }
      } else if (current != null
          && methodVersion == NO_NUMBER
          && word.equalsIgnoreCase("reason")
          && !current.hasReason()) {
        current.reason(value);
      } else if (current == null || methodVersion != NO_NUMBER || isMethod(word)) {
        current = finish(current, results);
        current = result(word, methodVersion, value);
      } else if (AuthResultsFormat.isKeyword(word, false)) {
        current.add(new AuthProperty("", word, value)); // such as Microsoft's action=none
      }
    }
    finish(current, results);
    return AuthenticationResults.of(id, version, results);
  }

  private static boolean isMethod(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    return METHODS.contains(lower);
  }

  /** A new result after its {@code method=result}, with the comment that follows it. */
  private AuthResult.Builder result(String method, int methodVersion, String result) {
    int end = 0;
    while (end < result.length() && AuthResultsFormat.isKeywordChar(result.charAt(end))) {
      end++;
    }
    if (methodVersion == BAD_NUMBER
        || !AuthResultsFormat.isKeyword(method, false)
        || !AuthResultsFormat.isKeyword(result.substring(0, end), false)) {
      return null; // not a result: its properties are dropped up to the next ";"
    }
    AuthResult.Builder b = AuthResult.builder(method, result.substring(0, end));
    if (methodVersion >= 0) {
      b.methodVersion(methodVersion);
    }
    StringBuilder comment = new StringBuilder();
    if (skipCfws(comment)) {
      b.comment(comment.toString());
    }
    return b;
  }

  private static AuthResult.Builder finish(AuthResult.Builder b, List<AuthResult> results) {
    if (b != null) {
      results.add(b.build());
    }
    return null;
  }

  /** The field name and colon, if the whole field was given. */
  private void skipFieldName() {
    int i = 0;
    while (i < n && isWsp(s.charAt(i))) {
      i++;
    }
    if (!s.regionMatches(true, i, FIELD_NAME, 0, FIELD_NAME.length())) {
      return;
    }
    i += FIELD_NAME.length();
    while (i < n && isWsp(s.charAt(i))) {
      i++;
    }
    if (i < n && s.charAt(i) == ':') {
      pos = i + 1;
    }
  }

  /**
   * RFC 8601 §2.2 {@code authserv-id = value}; empty when the field starts with {@code
   * method=result} instead.
   */
  private String authservId() {
    int start = pos;
    if (startsWithResult()) {
      pos = start;
      return "";
    }
    pos = start;
    if (peek() == '"') {
      String id = quoted();
      if (valueLength > AuthResultsFormat.MAX_TEXT) {
        throw new AuthResultsSyntaxException(s, start, "authserv-id longer than 256 characters");
      }
      return id;
    }
    while (pos < n && !isSpace(s.charAt(pos)) && "\";()=".indexOf(s.charAt(pos)) < 0) {
      pos++;
    }
    if (pos == start) {
      throw new AuthResultsSyntaxException(
          s, start, pos < n ? "expected an authserv-id" : "no authserv-id");
    }
    if (pos - start > AuthResultsFormat.MAX_TEXT) {
      throw new AuthResultsSyntaxException(s, start, "authserv-id longer than 256 characters");
    }
    return s.substring(start, pos);
  }

  /** Whether the text at the position is {@code method [/version] =}: no authserv-id. */
  private boolean startsWithResult() {
    if (keyword(false).isEmpty()) {
      return false;
    }
    skipCfws(null);
    if (peek() == '/') {
      pos++;
      skipCfws(null);
      number();
      skipCfws(null);
    }
    return peek() == '=';
  }

  /** Whether {@code keyword [. keyword] =} follows, without moving past it. */
  private boolean looksLikeKey() {
    int start = pos;
    boolean key = !keyword(false).isEmpty();
    if (key && peek() == '.') {
      pos++;
      key = !keyword(true).isEmpty();
    }
    key = key && peek() == '=';
    pos = start;
    return key;
  }

  /** RFC 8601 §2.2 {@code authres-version}: digits followed by the {@code ;} or the end. */
  private int version() {
    int start = pos;
    int version = number();
    if (version == NO_NUMBER) {
      return NO_NUMBER;
    }
    skipCfws(null);
    if (version == BAD_NUMBER || pos < n && s.charAt(pos) != ';') {
      pos = start; // not a version: read it as part of the results
      return NO_NUMBER;
    }
    return version;
  }

  /** Digits: their value, {@link #NO_NUMBER} for none, {@link #BAD_NUMBER} for more than nine. */
  private int number() {
    int start = pos;
    while (pos < n && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      return NO_NUMBER;
    }
    return pos - start > 9 ? BAD_NUMBER : Integer.parseInt(s, start, pos, 10);
  }

  /** Letters, digits, hyphens and underscores (and dots after the first, for a property name). */
  private String keyword(boolean dots) {
    int start = pos;
    while (pos < n
        && (AuthResultsFormat.isKeywordChar(s.charAt(pos))
            || dots && pos > start && s.charAt(pos) == '.')) {
      pos++;
    }
    return s.substring(start, pos);
  }

  /**
   * A value: a quoted-string, which may be the local-part of an address ({@code "a b"@example.com},
   * kept quoted), or an unquoted run up to white space, {@code ;}, {@code (} or {@code "}.
   */
  private String value() {
    if (peek() == '"') {
      String text = quoted();
      if (peek() != '@') {
        return text;
      }
      StringBuilder sb = new StringBuilder();
      AuthResultsFormat.appendQuoted(sb, text);
      return sb.append(bare()).toString();
    }
    return bare();
  }

  private String bare() {
    int start = pos;
    while (pos < n && !isSpace(s.charAt(pos)) && "\";(".indexOf(s.charAt(pos)) < 0) {
      pos++;
    }
    valueLength = pos - start;
    return s.substring(start, Math.min(pos, start + AuthResultsFormat.MAX_TEXT + 1));
  }

  /**
   * RFC 5322 §3.2.4 quoted-string, decoded: quoted-pairs unescaped, folding CRLFs dropped. An
   * unterminated one runs to the end. Only the first 257 characters are kept; the rest is scanned.
   */
  private String quoted() {
    pos++; // the opening quote
    StringBuilder sb = new StringBuilder();
    int length = 0;
    while (pos < n) {
      char c = s.charAt(pos++);
      if (c == '"') {
        break;
      }
      if (c == '\r' || c == '\n') {
        continue; // RFC 5322 §3.2.4: the CRLF of FWS is not part of the content
      }
      if (c == '\\' && pos < n) {
        c = s.charAt(pos++);
      }
      if (length++ <= AuthResultsFormat.MAX_TEXT) {
        sb.append(c);
      }
    }
    valueLength = length;
    return sb.toString();
  }

  /**
   * Skips white space and comments (RFC 5322 §3.2.2 CFWS), nested to any depth, counting rather
   * than recursing. An unterminated comment runs to the end.
   *
   * @param capture where to put the text of the first comment, or null
   * @return whether a comment was captured
   */
  private boolean skipCfws(StringBuilder capture) {
    boolean captured = false;
    while (pos < n) {
      char c = s.charAt(pos);
      if (isSpace(c)) {
        pos++;
        continue;
      }
      if (c != '(') {
        break;
      }
      StringBuilder into = capture != null && !captured ? capture : null;
      captured |= into != null;
      pos++;
      int depth = 1;
      while (pos < n && depth > 0) {
        c = s.charAt(pos++);
        if (c == '\\' && pos < n) {
          c = s.charAt(pos++);
        } else if (c == '(') {
          depth++;
        } else if (c == ')' && --depth == 0) {
          break;
        } else if (c == '\r' || c == '\n') {
          continue;
        }
        if (into != null && into.length() <= AuthResultsFormat.MAX_TEXT) {
          into.append(c);
        }
      }
    }
    return captured;
  }

  /**
   * Skips what cannot start a clause: a quoted-string whole (its ";" is no separator), else one.
   */
  private void skipJunk(char c) {
    if (c == '"') {
      quoted();
    } else {
      pos++;
    }
  }

  private char peek() {
    return pos < n ? s.charAt(pos) : '\0';
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  /** White space as it reaches us: WSP, and the CR and LF of folding or of a careless caller. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
