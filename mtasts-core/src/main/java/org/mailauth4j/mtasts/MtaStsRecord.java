package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code _mta-sts.<domain>} TXT record (RFC 8461 §3.1): that the domain has a policy, and the
 * {@code id} of its current version. Senders compare ids only for equality, to tell when to fetch
 * the policy again. Immutable.
 *
 * <p>A record, since its components are the fields of the TXT record (RFC 8461 §3.1), which later
 * versions do not change.
 *
 * @param id the policy instance, 1 to 32 letters and digits ({@code id=})
 * @param extensions unknown fields, in the order written; kept, but without meaning here
 */
public record MtaStsRecord(String id, Map<String, String> extensions) {

  /**
   * Creates a record.
   *
   * @param id 1 to 32 ASCII letters and digits
   * @param extensions unknown fields by name: names as {@code sts-ext-name}, other than {@code v}
   *     and {@code id}; values as {@code sts-ext-value}
   * @throws IllegalArgumentException if a field could not be written into the record and read back
   */
  public MtaStsRecord {
    requireNonNull(id, "id");
    if (!isId(id)) {
      throw new IllegalArgumentException("id must be 1 to 32 letters and digits: " + id);
    }
    Map<String, String> copy = new LinkedHashMap<>();
    extensions.forEach(
        (name, value) -> {
          if (!isExtensionName(name) || name.equals("v") || name.equals("id")) {
            throw new IllegalArgumentException("not an extension field name: " + name);
          }
          if (value.isEmpty() || !value.chars().allMatch(c -> isValueChar((char) c))) {
            throw new IllegalArgumentException("not an extension field value: " + value);
          }
          copy.put(name, value);
        });
    extensions = Collections.unmodifiableMap(copy);
  }

  /**
   * Parses the text of the record, its character-strings joined without spaces.
   *
   * <pre>
   * sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]
   * sts-version     = %s"v=STSv1"
   * sts-field-delim = *WSP ";" *WSP
   * sts-field       = sts-id / sts-extension
   * sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
   * sts-extension   = sts-ext-name "=" sts-ext-value
   * sts-ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
   * sts-ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
   * </pre>
   *
   * <p>RFC 8461 §3.2 (last paragraph, for TXT records and policy files alike): if a field is
   * repeated, "all entries except for the first SHALL be ignored". A later {@code id=} or {@code
   * v=} is ignored whatever its value, so long as it is a field at all; the first {@code id=}
   * counts even when it is invalid.
   *
   * @param text such as {@code v=STSv1; id=20160831085700Z;}
   * @return the record; if a field appears twice, the first counts
   * @throws MtaStsSyntaxException with the index of the first character that does not fit
   */
  public static MtaStsRecord parse(CharSequence text) {
    String s = text.toString();
    if (!s.startsWith("v=STSv1")) {
      throw new MtaStsSyntaxException(s, 0, "an MTA-STS record starts with v=STSv1");
    }
    int i = 7;
    String id = null;
    Map<String, String> extensions = new LinkedHashMap<>();
    boolean fields = false;
    while (true) {
      int delim = skipWsp(s, i);
      if (delim == s.length() && i == s.length()) {
        break;
      }
      if (delim == s.length() || s.charAt(delim) != ';') {
        throw new MtaStsSyntaxException(s, delim, "expected ';' between fields");
      }
      i = skipWsp(s, delim + 1);
      if (i == s.length()) {
        break; // a final delimiter
      }
      int nameStart = i;
      while (i < s.length() && isNameChar(s.charAt(i))) {
        i++;
      }
      int nameLength = i - nameStart;
      if (nameLength == 0 || !isAlnum(s.charAt(nameStart))) {
        throw new MtaStsSyntaxException(s, nameStart, "expected a field name");
      }
      if (nameLength > 32) {
        throw new MtaStsSyntaxException(
            s, nameStart + 32, "a field name has at most 32 characters");
      }
      if (i == s.length() || s.charAt(i) != '=') {
        throw new MtaStsSyntaxException(s, i, "expected '=' after the field name");
      }
      String name = s.substring(nameStart, i);
      int valueStart = ++i;
      while (i < s.length() && isValueChar(s.charAt(i))) {
        i++;
      }
      if (i == valueStart) {
        throw new MtaStsSyntaxException(s, i, "field " + name + " has no value");
      }
      String value = s.substring(valueStart, i);
      if (name.equals("v")) {
        // RFC 8461 §3.2: the record began with v=STSv1; a later v= is ignored.
      } else if (name.equals("id")) {
        if (id == null) {
          if (!isId(value)) {
            int bad = valueStart;
            while (bad < i && isAlnum(s.charAt(bad)) && bad - valueStart < 32) {
              bad++;
            }
            throw new MtaStsSyntaxException(s, bad, "id is 1 to 32 letters and digits");
          }
          id = value;
        }
        // RFC 8461 §3.2: all entries but the first SHALL be ignored, whatever their value.
      } else {
        extensions.putIfAbsent(name, value); // RFC 8461 §3.2: the first counts
      }
      fields = true;
    }
    if (!fields || id == null) {
      throw new MtaStsSyntaxException(s, s.length(), "the record has no id field");
    }
    return new MtaStsRecord(id, extensions);
  }

  /**
   * Tells whether a TXT record is meant as an MTA-STS record: it begins {@code v=STSv1;} (RFC 8461
   * §3.1). Records that do not are discarded before the count of records is taken.
   *
   * @param text the joined character-strings of a TXT record
   * @return {@code true} if it begins with the version and a field delimiter
   */
  public static boolean isMtaStsRecord(CharSequence text) {
    String s = text.toString();
    if (!s.startsWith("v=STSv1")) {
      return false;
    }
    int i = skipWsp(s, 7);
    return i < s.length() && s.charAt(i) == ';';
  }

  /**
   * Writes the record as it goes into DNS, such as {@code v=STSv1; id=20260101T000000;}.
   *
   * @return the record text
   */
  public String toRecordText() {
    StringBuilder sb = new StringBuilder("v=STSv1; id=").append(id).append(';');
    extensions.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v).append(';'));
    return sb.toString();
  }

  static boolean isId(String s) {
    if (s.isEmpty() || s.length() > 32) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isAlnum(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static int skipWsp(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".") */
  private static boolean isExtensionName(String name) {
    if (name.isEmpty() || name.length() > 32 || !isAlnum(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  static boolean isNameChar(char c) {
    return isAlnum(c) || c == '_' || c == '-' || c == '.';
  }

  private static boolean isValueChar(char c) {
    return c >= 0x21 && c <= 0x7E && c != ';' && c != '=';
  }
}
