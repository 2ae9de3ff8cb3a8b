package org.mailauth4j.dkim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
   * Above this many (names in {@code h=}) × (fields in the header), fields are selected through an
   * index by name, in time linear in names and fields; up to it, by scanning, which makes no string
   * per field and is faster for the 20-odd names of an over-signing signer in a header of 30
   * fields.
   */
  static final int INDEXED_SELECTION_ABOVE = 4096;

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
    int[] selected =
        (long) names.size() * header.fieldCount() > INDEXED_SELECTION_ABOVE
            ? selectIndexed(header, names, exclude)
            : selectByScanning(header, names, exclude);
    for (int found : selected) {
      if (found >= 0) {
        append(c, b, header.start(found), header.colon(found), header.end(found), -1, -1, out);
        out.write(CRLF, 0, 2);
      }
    }
  }

  /**
   * The field each name in {@code h=} selects, or -1 for none, scanning the header for each name:
   * time in names × (names + fields), for the short lists of almost every signature.
   */
  static int[] selectByScanning(MessageHeader header, List<String> names, int exclude) {
    int[] selected = new int[names.size()];
    for (int k = 0; k < selected.length; k++) {
      String name = names.get(k);
      // Start above the instance that the previous entry with this name took, if any.
      int from = header.fieldCount();
      for (int j = k - 1; j >= 0; j--) {
        if (names.get(j).equalsIgnoreCase(name)) {
          from = selected[j] < 0 ? 0 : selected[j];
          break;
        }
      }
      int found = -1;
      for (int f = from - 1; f >= 0; f--) {
        if (f != exclude && header.hasName(f, name)) {
          found = f;
          break;
        }
      }
      selected[k] = found;
    }
    return selected;
  }

  /**
   * The same selection through an index: the instances of every name in {@code h=}, bottom up,
   * collected in one pass over the fields. Time linear in names plus fields, however long a hostile
   * {@code h=} (up to the verifier's limit) or header is.
   */
  static int[] selectIndexed(MessageHeader header, List<String> names, int exclude) {
    Map<String, Instances> byName = new HashMap<>();
    Instances[] wanted = new Instances[names.size()];
    for (int k = 0; k < wanted.length; k++) {
      // Field names are printable ASCII (RFC 5322 §3.6.8), so folding ASCII letters suffices.
      wanted[k] = byName.computeIfAbsent(lowerCaseAscii(names.get(k)), n -> new Instances());
    }
    for (int f = header.fieldCount() - 1; f >= 0; f--) {
      if (f != exclude && header.isField(f)) {
        Instances instances = byName.get(header.lowerCaseName(f));
        if (instances != null) {
          instances.add(f);
        }
      }
    }
    int[] selected = new int[wanted.length];
    for (int k = 0; k < selected.length; k++) {
      selected[k] = wanted[k].next();
    }
    return selected;
  }

  /** The fields with one name, bottom up, and how many of them h= has taken. */
  private static final class Instances {
    private int[] fields = new int[2];
    private int count;
    private int taken;

    void add(int field) {
      if (count == fields.length) {
        fields = Arrays.copyOf(fields, count * 2);
      }
      fields[count++] = field;
    }

    int next() {
      return taken < count ? fields[taken++] : -1;
    }
  }

  static String lowerCaseAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] = (char) (chars[j] + ('a' - 'A'));
          }
        }
        return new String(chars);
      }
    }
    return s;
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
    // The result is never longer than the field, so the array is made big enough once.
    byte[] dst = out.reserve(end - start + 1);
    int o = out.size();
    int nameEnd = colon;
    while (nameEnd > start && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
      nameEnd--;
    }
    for (int i = start; i < nameEnd; i++) {
      byte ch = b[i];
      dst[o++] = ch >= 'A' && ch <= 'Z' ? (byte) (ch + 32) : ch;
    }
    dst[o++] = ':';
    // The value, in up to two ranges around the hole. The hole starts right after "b=", so the
    // second range continues after content and with no whitespace pending.
    if (holeStart < 0) {
      o = relaxedValue(b, colon + 1, end, dst, o, false);
    } else {
      o = relaxedValue(b, colon + 1, holeStart, dst, o, false);
      o = relaxedValue(b, holeEnd, end, dst, o, true);
    }
    out.setSize(o);
  }

  /**
   * Writes {@code b[from, to)} relaxed into {@code dst} at {@code o}, returning the new position. A
   * space is written only when content follows it, which drops whitespace after the colon and at
   * the end of the value.
   */
  private static int relaxedValue(
      byte[] b, int from, int to, byte[] dst, int o, boolean contentBefore) {
    boolean content = contentBefore;
    boolean space = false;
    int i = from;
    while (i < to) {
      byte ch = b[i];
      if (ch > ' ' || ch < 0) {
        if (space) {
          dst[o++] = ' ';
          space = false;
        }
        dst[o++] = ch;
        i++;
        // The common case: a run of visible octets.
        while (i < to && ((ch = b[i]) > ' ' || ch < 0)) {
          dst[o++] = ch;
          i++;
        }
        content = true;
      } else if (ch == ' ' || ch == '\t') {
        space = content; // whitespace before the first content is dropped
        i++;
      } else if (ch == '\n' || ch == '\r' && i + 1 < to && b[i + 1] == '\n') {
        i++; // unfold: the line break goes, the whitespace around it collapses
      } else {
        if (space) {
          dst[o++] = ' ';
          space = false;
        }
        dst[o++] = ch; // other control octets are content
        content = true;
        i++;
      }
    }
    return o;
  }
}
