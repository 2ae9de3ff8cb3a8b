package org.mailauth4j.dkim;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header canonicalizations of RFC 6376: "simple" (§3.4.1) keeps a field's octets, and "relaxed"
 * (§3.4.2) lower-cases the name, unfolds, collapses whitespace runs to one SP, and drops whitespace
 * at the end of the value and around the colon.
 *
 * <p>Both write one field without its final CRLF, and may leave out a span of it: the value of
 * {@code b=} in the DKIM-Signature being verified or made (§3.7).
 */
final class HeaderCanonicalizer {
  private static final byte[] CRLF = {'\r', '\n'};

  private HeaderCanonicalizer() {}

  /**
   * Writes the fields named in {@code h=} as RFC 6376 §5.4.2 selects them: each name takes the next
   * instance from the bottom up; a name with no instance left (over-signing, or an absent field)
   * adds nothing. Each field ends with CRLF (§3.7).
   *
   * @param exclude a field never selected: the DKIM-Signature being verified (§3.5 h=), or -1
   */
  static void appendSignedFields(
      Canonicalization c, MessageHeader header, List<String> names, int exclude, ByteSink out) {
    byte[] b = header.bytes();
    Map<String, Integer> below = new HashMap<>();
    for (String name : names) {
      String lower = name.toLowerCase(Locale.ROOT);
      int from = below.getOrDefault(lower, header.fieldCount());
      int found = -1;
      for (int f = from - 1; f >= 0; f--) {
        if (f != exclude && lower.equals(header.lowerName(f))) {
          found = f;
          break;
        }
      }
      below.put(lower, Math.max(found, 0));
      if (found >= 0) {
        append(c, b, header.start(found), header.colon(found), header.end(found), -1, -1, out);
        out.write(CRLF, 0, 2);
      }
    }
  }

  /**
   * Writes a field held in {@code b[start, end)}, its colon at {@code colon}, leaving out {@code
   * b[holeStart, holeEnd)} (pass -1 for none).
   */
  static void append(
      Canonicalization c,
      byte[] b,
      int start,
      int colon,
      int end,
      int holeStart,
      int holeEnd,
      ByteSink out) {
    if (c == Canonicalization.SIMPLE) {
      appendSimple(b, start, end, holeStart, holeEnd, out);
    } else {
      appendRelaxed(b, start, colon, end, holeStart, holeEnd, out);
    }
  }

  private static void appendSimple(
      byte[] b, int start, int end, int holeStart, int holeEnd, ByteSink out) {
    int runStart = start;
    for (int i = start; i < end; i++) {
      if (i == holeStart) {
        out.write(b, runStart, i - runStart);
        i = holeEnd - 1;
        runStart = holeEnd;
      } else if (b[i] == '\n' && (i == start || b[i - 1] != '\r')) {
        // A bare LF fold, as stored with LF line ends, is hashed as CRLF.
        out.write(b, runStart, i - runStart);
        out.write('\r');
        runStart = i;
      }
    }
    out.write(b, runStart, end - runStart);
  }

  private static void appendRelaxed(
      byte[] b, int start, int colon, int end, int holeStart, int holeEnd, ByteSink out) {
    int nameEnd = colon;
    while (nameEnd > start && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
      nameEnd--;
    }
    for (int i = start; i < nameEnd; i++) {
      byte ch = b[i];
      out.write(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    out.write(':');
    boolean content = false;
    boolean space = false;
    for (int i = colon + 1; i < end; i++) {
      if (i == holeStart) {
        i = holeEnd - 1;
        continue;
      }
      byte ch = b[i];
      if (ch == ' ' || ch == '\t') {
        space = content; // whitespace before the first content is dropped
      } else if (ch == '\n' || ch == '\r' && i + 1 < end && b[i + 1] == '\n') {
        continue; // unfold: the line break goes, the whitespace after it collapses
      } else {
        if (space) {
          out.write(' ');
          space = false;
        }
        out.write(ch);
        content = true;
      }
    }
  }
}
