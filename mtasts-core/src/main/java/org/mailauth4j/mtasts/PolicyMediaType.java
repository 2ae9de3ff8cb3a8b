package org.mailauth4j.mtasts;

import java.util.List;
import java.util.Locale;

/**
 * Checks the media type a policy is served with (RFC 8461 §3.2). Only the type and subtype decide;
 * every parameter is ignored, as the RFC says, and the body is read as UTF-8 whatever {@code
 * charset} claims. Stateless.
 *
 * <pre>
 * Content-Type = media-type                                      ; RFC 9110 §8.3
 * media-type   = type "/" subtype parameters                     ; RFC 9110 §8.3.1
 * parameters   = *( OWS ";" OWS [ parameter ] )                  ; RFC 9110 §5.6.6
 * parameter    = parameter-name "=" ( token / quoted-string )
 * type, subtype, parameter-name = token                          ; case-insensitive
 * </pre>
 */
final class PolicyMediaType {
  private PolicyMediaType() {}

  /**
   * What the Content-Type says.
   *
   * @param refusal why the response is not {@code text/plain}, or null if it is
   * @param note something worth a warning that does not change the verdict, or null
   */
  record Verdict(String refusal, String note) {}

  static Verdict check(List<String> contentTypes) {
    if (contentTypes.isEmpty()) {
      return new Verdict(
          "the response has no Content-Type; RFC 8461 §3.2 asks for text/plain", null);
    }
    if (contentTypes.stream().distinct().count() > 1) {
      // RFC 9110 §5.3: Content-Type is a singleton field; several different ones say nothing.
      return new Verdict(
          "the response has " + contentTypes.size() + " different Content-Type fields", null);
    }
    String value = strip(contentTypes.get(0));
    int slash = token(value, 0);
    int end = slash < value.length() && value.charAt(slash) == '/' ? token(value, slash + 1) : -1;
    if (slash == 0 || end <= slash + 1) {
      return new Verdict(
          "Content-Type \""
              + printable(value)
              + "\" is not a media type; RFC 8461 §3.2 asks for"
              + " text/plain",
          null);
    }
    int rest = skipOws(value, end);
    if (rest < value.length() && value.charAt(rest) != ';') {
      return new Verdict(
          "Content-Type \""
              + printable(value)
              + "\" is not a media type; RFC 8461 §3.2 asks for"
              + " text/plain",
          null);
    }
    String type = value.substring(0, slash);
    String subtype = value.substring(slash + 1, end);
    // RFC 8461 §3.2: "When fetching a policy, senders SHOULD validate that the media type is
    // "text/plain" [...]. All parameters other than charset=utf-8 or charset=us-ascii are
    // ignored. Additional "Content-Type" parameters are also ignored." Type and subtype compare
    // case-insensitively (RFC 9110 §8.3.1); no parameter, charset included, can refuse a policy.
    if (!type.equalsIgnoreCase("text") || !subtype.equalsIgnoreCase("plain")) {
      return new Verdict(
          "the media type is "
              + printable(type + "/" + subtype)
              + ", not text/plain (RFC 8461 §3.2)",
          null);
    }
    String charset = charset(value, rest);
    if (charset != null && !charset.equals("utf-8") && !charset.equals("us-ascii")) {
      return new Verdict(
          null,
          "charset="
              + printable(charset)
              + " is ignored (RFC 8461 §3.2): the policy is read as UTF-8");
    }
    return new Verdict(null, null);
  }

  /** The value of the first well-formed charset parameter, lower-cased, or null. */
  private static String charset(String value, int i) {
    while (i < value.length()) {
      // here value.charAt(i) == ';'
      i = skipOws(value, i + 1);
      if (i == value.length() || value.charAt(i) == ';') {
        continue; // an empty parameter
      }
      int nameEnd = token(value, i);
      if (nameEnd == i || nameEnd == value.length() || value.charAt(nameEnd) != '=') {
        return null; // malformed: the remaining parameters are ignored anyway
      }
      String name = value.substring(i, nameEnd);
      int valueStart = nameEnd + 1;
      int valueEnd;
      String parameterValue;
      if (valueStart < value.length() && value.charAt(valueStart) == '"') {
        StringBuilder sb = new StringBuilder();
        int k = valueStart + 1;
        while (k < value.length() && value.charAt(k) != '"') {
          if (value.charAt(k) == '\\' && k + 1 < value.length()) {
            k++;
          }
          sb.append(value.charAt(k));
          k++;
        }
        if (k == value.length()) {
          return null; // an unterminated quoted-string
        }
        valueEnd = k + 1;
        parameterValue = sb.toString();
      } else {
        valueEnd = token(value, valueStart);
        parameterValue = value.substring(valueStart, valueEnd);
      }
      if (name.equalsIgnoreCase("charset")) {
        return parameterValue.toLowerCase(Locale.ROOT);
      }
      i = skipOws(value, valueEnd);
      if (i < value.length() && value.charAt(i) != ';') {
        return null;
      }
    }
    return null;
  }

  /** The end of the token starting at {@code i} (RFC 9110 §5.6.2 tchar). */
  private static int token(String s, int i) {
    while (i < s.length() && isTchar(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isTchar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static int skipOws(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static String strip(String s) {
    int start = skipOws(s, 0);
    int end = s.length();
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(start, end);
  }

  /** A server's text quoted in a message: abridged, control characters made visible. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(s.length(), 80); i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return s.length() > 80 ? sb + "..." : sb.toString();
  }
}
