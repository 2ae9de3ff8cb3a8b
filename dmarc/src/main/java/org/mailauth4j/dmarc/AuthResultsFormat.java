package org.mailauth4j.dmarc;

import java.util.List;

/**
 * The lexical rules of Authentication-Results that rendering needs: which text is a keyword, a
 * token or an address, how a value is quoted, how text from a message is made safe, and how the
 * field is folded.
 *
 * <pre>
 * value       = token / quoted-string                     ; RFC 2045 §5.1, RFC 5322 §3.2.4
 * token       = 1*&lt;any CHAR except SPACE, CTLs, or tspecials&gt;
 * tspecials   = "(" / ")" / "&lt;" / "&gt;" / "@" / "," / ";" / ":" / "\" / DQUOTE / "/" / "[" / "]"
 *               / "?" / "="
 * pvalue      = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]   ; RFC 8601 §2.2
 * </pre>
 */
final class AuthResultsFormat {
  /** The most characters a keyword (method, result, ptype, property) may have. */
  static final int MAX_KEYWORD = 64;

  /**
   * The most characters a text (authserv-id, value, reason, comment) keeps: 256, which no real one
   * reaches (an SMTP path is at most 256 octets, RFC 5321 §4.5.3.1.3), and short enough that a
   * value of three-octet UTF-8 characters, escaped and with its property name, stays within the 998
   * octets of a line (RFC 5322 §2.1.1) when it cannot be folded.
   */
  static final int MAX_TEXT = 256;

  /** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters. */
  static final int LINE = 78;

  /** The field name and colon that start {@link AuthenticationResults#field()}. */
  static final String FIELD_NAME = "Authentication-Results:";

  private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private AuthResultsFormat() {}

  /**
   * A keyword as RFC 8601 §2.2 uses it ({@code Keyword = ldh-str}), also allowing {@code _}, which
   * real receivers use: 1 to 64 letters, digits, hyphens and underscores, and dots in a property
   * name (never first) when {@code dots} is set.
   */
  static boolean isKeyword(CharSequence s, boolean dots) {
    int n = s.length();
    if (n == 0 || n > MAX_KEYWORD) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!isKeywordChar(c) && !(dots && c == '.' && i > 0)) {
        return false;
      }
    }
    return true;
  }

  static boolean isKeywordChar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '-'
        || c == '_';
  }

  /**
   * Makes text safe for a header field. Control characters (C0, DEL, C1) and U+2028, U+2029 become
   * spaces: a CR or LF would end the field and let the text start one of its own, and some software
   * takes NEL or the separators for line breaks. Bidirectional controls become spaces too, so that
   * a value cannot make a reader see its text in another order than the field holds it. An unpaired
   * surrogate becomes U+FFFD, which UTF-8 can carry. Text past {@link #MAX_TEXT} characters is cut,
   * never inside a surrogate pair.
   */
  static String safeText(String s) {
    int n = Math.min(s.length(), MAX_TEXT);
    if (n < s.length() && Character.isHighSurrogate(s.charAt(n - 1))) {
      n--; // cut before the pair rather than through it
    }
    StringBuilder sb = null;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      char safe = c;
      if (c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029' || isBidi(c)) {
        safe = ' ';
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          if (sb != null) {
            sb.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
        safe = '\uFFFD';
      } else if (Character.isLowSurrogate(c)) {
        safe = '\uFFFD';
      }
      if (safe != c && sb == null) {
        sb = new StringBuilder(n).append(s, 0, i);
      }
      if (sb != null) {
        sb.append(safe);
      }
    }
    if (sb != null) {
      return sb.toString();
    }
    return n == s.length() ? s : s.substring(0, n);
  }

  /** The bidirectional embedding, override, isolate and mark characters (Unicode UAX #9). */
  static boolean isBidi(char c) {
    return c >= '\u202A' && c <= '\u202E'
        || c >= '\u2066' && c <= '\u2069'
        || c == '\u200E'
        || c == '\u200F'
        || c == '\u061C';
  }

  /** RFC 2045 §5.1 token: printable ASCII except SPACE and tspecials; not empty. */
  static boolean isToken(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7F || TSPECIALS.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Appends a {@code value}: the token as it is, anything else as a quoted-string. */
  static void appendValue(StringBuilder sb, String value) {
    if (isToken(value)) {
      sb.append(value);
    } else {
      appendQuoted(sb, value);
    }
  }

  /**
   * Appends a {@code pvalue}: a token or an address ({@code local@domain}, {@code @domain}) as it
   * is, anything else as a quoted-string. RFC 8601 §2.2 allows a quoted local-part before the
   * {@code @}; such an address is quoted whole instead, which every reader takes as a {@code
   * value}.
   */
  static void appendPvalue(StringBuilder sb, String value) {
    if (isToken(value) || isAddress(value)) {
      sb.append(value);
    } else {
      appendQuoted(sb, value);
    }
  }

  /**
   * RFC 8601 §2.2 {@code [ [ local-part ] "@" ] domain-name}, with an unquoted (dot-atom)
   * local-part: what may stay unquoted although {@code @} is a tspecial.
   */
  static boolean isAddress(String s) {
    int at = s.lastIndexOf('@');
    if (at < 0) {
      return false;
    }
    return (at == 0 || isDotAtom(s, 0, at)) && isDomainName(s, at + 1, s.length());
  }

  /** RFC 5322 §3.2.3 dot-atom-text: atext with single dots inside. */
  private static boolean isDotAtom(String s, int from, int to) {
    if (from == to || s.charAt(from) == '.' || s.charAt(to - 1) == '.') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (s.charAt(i - 1) == '.') {
          return false;
        }
      } else if (!(isKeywordChar(c) || ATEXT_SPECIALS.indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  /** RFC 6376 §3.5 domain-name: labels of letters, digits, hyphens (and underscores) with dots. */
  private static boolean isDomainName(String s, int from, int to) {
    if (from == to || s.charAt(from) == '.' || s.charAt(to - 1) == '.') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '.' ? s.charAt(i - 1) == '.' : !isKeywordChar(c)) {
        return false;
      }
    }
    return true;
  }

  /** RFC 5322 §3.2.4 quoted-string: DQUOTE and backslash become quoted-pairs. */
  static void appendQuoted(StringBuilder sb, String text) {
    sb.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  /**
   * Appends a comment (RFC 5322 §3.2.2) as space-separated pieces, so that the field can fold at
   * its spaces: parentheses and backslashes become quoted-pairs, so the text cannot close it early.
   */
  static void addComment(List<String> atoms, String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8).append('(');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ') {
        atoms.add(sb.toString());
        sb.setLength(0);
        continue;
      }
      if (c == '(' || c == ')' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    atoms.add(sb.append(')').toString());
  }

  /** The atoms joined by single spaces: the unfolded value. */
  static String join(List<String> atoms) {
    return String.join(" ", atoms);
  }

  /**
   * Folds the field (RFC 5322 §2.1.1, §3.2.2): a CRLF goes before a space between two atoms where
   * the line would grow past 78 characters, so that unfolding (removing each CRLF) gives back the
   * value exactly. An atom is never split; one longer than a line stands alone on its own. Empty
   * atoms (from runs of spaces in a comment) go with the atom after them, so that no line is only
   * white space and no line grows past 78 with spaces.
   */
  static String fold(List<String> atoms) {
    StringBuilder sb = new StringBuilder(FIELD_NAME.length() + atoms.size() * 16);
    sb.append(FIELD_NAME);
    int lineStart = 0;
    boolean lineHasAtom = false;
    int spaces = 0; // the empty atoms waiting for the next one
    for (String atom : atoms) {
      spaces++;
      if (atom.isEmpty()) {
        continue;
      }
      if (lineHasAtom && sb.length() - lineStart + spaces + atom.length() > LINE) {
        sb.append("\r\n");
        lineStart = sb.length();
      }
      sb.append(" ".repeat(spaces)).append(atom);
      spaces = 0;
      lineHasAtom = true;
    }
    sb.append(" ".repeat(spaces)); // a value cannot end in empty atoms, but stay exact
    return sb.toString();
  }

  /** Text for an exception message: at most 120 characters, control characters escaped. */
  static String quote(CharSequence input) {
    StringBuilder sb = new StringBuilder("\"");
    int end = Math.min(input.length(), 120);
    for (int i = 0; i < end; i++) {
      char c = input.charAt(i);
      if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append(input.length() > 120 ? "...\"" : "\"").toString();
  }
}
