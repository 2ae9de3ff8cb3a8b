package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One property of an Authentication-Results result: {@code ptype.property=pvalue} (RFC 8601 §2.2,
 * §2.3), such as {@code ("smtp", "mailfrom", "a@example.com")}, {@code ("header", "d",
 * "example.com")} or {@code ("policy", "dmarc", "reject")}. Immutable.
 *
 * <p>The type and name are case-insensitive keywords (RFC 8601 §2.2) and are kept in lower case.
 * The type is empty only for a property read from a field that left it out, as some receivers do
 * ({@code action=none}); {@link AuthResult.Builder#property} always needs one. The value is the
 * decoded text, without quotes or escapes, made safe for a header field: control characters (CR,
 * LF, NUL, the other C0 and C1 controls, DEL) and the Unicode line and paragraph separators become
 * spaces, and text past 256 characters is cut, so that no value can end a line or make one longer
 * than RFC 5322 §2.1.1 allows.
 *
 * <p>A record, since its components are those of a {@code propspec} (RFC 8601 §2.2), which later
 * versions do not change.
 *
 * @param type the property type ({@code ptype}): {@code smtp}, {@code header}, {@code body}, {@code
 *     policy} or another registered one; empty only as read from a non-conforming field
 * @param name the property, such as {@code mailfrom} or {@code d}
 * @param value the value, decoded
 */
public record AuthProperty(String type, String name, String value) {

  /**
   * Checks the names, lower-cases them and makes the value safe.
   *
   * @param type the property type, a keyword or empty
   * @param name the property, a keyword (dots allowed)
   * @param value the value
   * @throws IllegalArgumentException if the type or name is not a keyword of at most 64 characters
   */
  public AuthProperty {
    requireNonNull(type, "type");
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    if (!type.isEmpty() && !AuthResultsFormat.isKeyword(type, false)) {
      throw new IllegalArgumentException("not a property type: " + AuthResultsFormat.quote(type));
    }
    if (!AuthResultsFormat.isKeyword(name, true)) {
      throw new IllegalArgumentException("not a property name: " + AuthResultsFormat.quote(name));
    }
    type = type.toLowerCase(Locale.ROOT);
    name = name.toLowerCase(Locale.ROOT);
    value = AuthResultsFormat.safeText(value);
  }

  /**
   * Returns the property as written in a field: {@code ptype.property=pvalue}, the value quoted
   * when it is neither a token nor an address (RFC 8601 §2.2).
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (!type.isEmpty()) {
      sb.append(type).append('.');
    }
    sb.append(name).append('=');
    AuthResultsFormat.appendPvalue(sb, value);
    return sb.toString();
  }
}
