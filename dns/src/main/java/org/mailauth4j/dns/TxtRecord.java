package org.mailauth4j.dns;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One TXT resource record: a sequence of character-strings of at most 255 octets each (RFC 1035
 * §3.3.14).
 *
 * <p>SPF, DKIM and DMARC read a record as the concatenation of its strings with nothing between
 * them (RFC 7208 §3.3, RFC 6376 §3.6.2.2): that is {@link #text()}. The strings themselves are kept
 * for callers that need them. Each record at a name is a separate {@code TxtRecord}, because two
 * SPF records at one name is an error while one record split into two strings is not.
 *
 * <p>Records hold octets, and a record may contain bytes that are not UTF-8. {@link #text()}
 * decodes as UTF-8 with replacement characters; {@link #bytes()} gives the exact octets and {@link
 * #isAscii()} tells protocols that require ASCII (RFC 7208 §3.1) whether it is.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class TxtRecord {
  /** The most octets in one character-string. */
  public static final int MAX_STRING_LENGTH = 255;

  private final byte[] octets;

  /** ends[i] is the exclusive end offset of string i in {@link #octets}. */
  private final int[] ends;

  private String text;

  private TxtRecord(byte[] octets, int[] ends) {
    this.octets = octets;
    this.ends = ends;
  }

  /**
   * Creates a record from its character-strings as octets.
   *
   * @param strings the character-strings in order, each at most 255 octets
   * @return the record; the arrays are copied
   */
  public static TxtRecord ofBytes(List<byte[]> strings) {
    requireNonNull(strings, "strings");
    int total = 0;
    for (byte[] s : strings) {
      if (requireNonNull(s, "string").length > MAX_STRING_LENGTH) {
        throw new IllegalArgumentException(
            "TXT character-string of " + s.length + " octets; at most 255 fit");
      }
      total += s.length;
    }
    byte[] octets = new byte[total];
    int[] ends = new int[strings.size()];
    int offset = 0;
    for (int i = 0; i < ends.length; i++) {
      byte[] s = strings.get(i);
      System.arraycopy(s, 0, octets, offset, s.length);
      offset += s.length;
      ends[i] = offset;
    }
    return new TxtRecord(octets, ends);
  }

  /**
   * Creates a record from character-strings given as text, each encoded in UTF-8.
   *
   * @param strings the character-strings in order, each at most 255 octets once encoded
   * @return the record
   */
  public static TxtRecord of(String... strings) {
    List<byte[]> encoded = new ArrayList<>(strings.length);
    for (String s : strings) {
      encoded.add(s.getBytes(UTF_8));
    }
    return ofBytes(encoded);
  }

  /**
   * Creates a record holding a text of any length, cut into character-strings of 255 octets as a
   * DNS operator publishing it would.
   *
   * @param text the whole text, encoded in UTF-8
   * @return the record
   */
  public static TxtRecord split(String text) {
    byte[] all = text.getBytes(UTF_8);
    List<byte[]> strings = new ArrayList<>();
    for (int i = 0; i < all.length || strings.isEmpty(); i += MAX_STRING_LENGTH) {
      strings.add(Arrays.copyOfRange(all, i, Math.min(all.length, i + MAX_STRING_LENGTH)));
    }
    return ofBytes(strings);
  }

  /**
   * Returns the character-strings joined with nothing between them, decoded as UTF-8 (malformed
   * sequences become U+FFFD). This is the record as SPF, DKIM and DMARC read it.
   *
   * @return the joined text
   */
  public String text() {
    String t = text;
    if (t == null) {
      t = new String(octets, UTF_8);
      text = t;
    }
    return t;
  }

  /**
   * Returns the character-strings one by one, each decoded as UTF-8.
   *
   * @return an immutable list with one entry per character-string
   */
  public List<String> strings() {
    List<String> strings = new ArrayList<>(ends.length);
    int start = 0;
    for (int end : ends) {
      strings.add(new String(octets, start, end - start, UTF_8));
      start = end;
    }
    return List.copyOf(strings);
  }

  /**
   * Returns the character-strings one by one as octets.
   *
   * @return an immutable list of fresh copies
   */
  public List<byte[]> rawStrings() {
    List<byte[]> strings = new ArrayList<>(ends.length);
    int start = 0;
    for (int end : ends) {
      strings.add(Arrays.copyOfRange(octets, start, end));
      start = end;
    }
    return List.copyOf(strings);
  }

  /**
   * Returns the joined octets, exactly as received.
   *
   * @return a fresh copy
   */
  public byte[] bytes() {
    return octets.clone();
  }

  /**
   * Returns the number of octets in all strings together.
   *
   * @return the length of {@link #bytes()}
   */
  public int length() {
    return octets.length;
  }

  /**
   * Returns the number of character-strings.
   *
   * @return at least 1 for a record received from DNS
   */
  public int stringCount() {
    return ends.length;
  }

  /**
   * Tells whether every octet is 7-bit ASCII, as SPF (RFC 7208 §3.1) and DKIM key records need.
   *
   * @return {@code true} if no octet has its high bit set
   */
  public boolean isAscii() {
    for (byte b : octets) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** Records are equal when they have the same strings with the same octets. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TxtRecord
        && Arrays.equals(((TxtRecord) o).octets, octets)
        && Arrays.equals(((TxtRecord) o).ends, ends);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(octets) + Arrays.hashCode(ends);
  }

  /**
   * Returns the record in zone-file presentation form: each string quoted, with quotes, backslashes
   * and non-printable octets escaped, such as {@code "v=spf1 " "-all"}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(octets.length + 4 * ends.length);
    int start = 0;
    for (int end : ends) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append('"');
      for (int i = start; i < end; i++) {
        int b = octets[i] & 0xFF;
        if (b == '"' || b == '\\') {
          sb.append('\\').append((char) b);
        } else if (b < 0x20 || b >= 0x7F) {
          sb.append('\\').append(String.format("%03d", b));
        } else {
          sb.append((char) b);
        }
      }
      sb.append('"');
      start = end;
    }
    return sb.toString();
  }
}
