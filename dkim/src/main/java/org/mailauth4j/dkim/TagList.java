package org.mailauth4j.dkim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A scanned DKIM tag-list (RFC 6376 §3.2), with the position of every tag so that a verifier can
 * empty the value of {@code b=} in the exact bytes it hashes.
 *
 * <pre>
 * tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
 * tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 * tag-name  =  ALPHA *ALNUMPUNC
 * tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
 * tval      =  1*VALCHAR            ; VALCHAR = %x21-3A / %x3C-7E
 * </pre>
 *
 * <p>The text is scanned as characters; callers that hold octets decode them as ISO-8859-1 first,
 * so that an index is also an octet offset. Duplicate tags are a syntax error; unknown tags are
 * kept for the caller to ignore.
 */
final class TagList {
  /** No limit on the number of tags, for the public parse methods. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  private final String text;
  private final DkimProblem syntaxProblem;
  private final int maxTags;
  private String[] names = new String[12];

  /** Per tag: index after '=', value start, value end, end of the tag-spec (';' or text end). */
  private int[] spans = new int[48];

  private int size;
  private String[] values;

  /** The one-letter lower-case names seen so far, a bit per letter, and bit 26 for {@code bh}. */
  private int seenShortNames;

  /** The other names seen so far; made only for tag-lists that have such names. */
  private Set<String> seenOtherNames;

  private TagList(String text, DkimProblem syntaxProblem, int maxTags) {
    this.text = text;
    this.syntaxProblem = syntaxProblem;
    this.maxTags = maxTags;
  }

  /**
   * Scans a tag-list.
   *
   * @param syntaxProblem the problem a syntax error is: {@link DkimProblem#SIGNATURE_SYNTAX} or
   *     {@link DkimProblem#KEY_SYNTAX}
   * @param maxTags the most tags accepted; scanning stops at the next one with {@link
   *     DkimProblem#TOO_MANY_TAGS}, so that the work done is bounded by the limit
   * @throws DkimSyntaxException at the first character that does not fit the grammar
   */
  static TagList scan(String text, DkimProblem syntaxProblem, int maxTags) {
    TagList list = new TagList(text, syntaxProblem, maxTags);
    list.scanAll(false);
    return list;
  }

  /**
   * Scans as much of a tag-list as fits the grammar, for the evidence of a DKIM-Signature that does
   * not parse: a tag-spec that does not fit is skipped up to the next ';', which no tag value can
   * hold; duplicate tags are kept, for the caller to judge; scanning stops after {@code maxTags}
   * tags. Never throws, and takes time linear in the text as {@link #scan} does.
   */
  static TagList scanLenient(String text, int maxTags) {
    TagList list = new TagList(text, DkimProblem.SIGNATURE_SYNTAX, maxTags);
    list.scanAll(true);
    return list;
  }

  // Where and why the last tag-spec failed to scan; set by spec() when it returns -1.
  private int failIndex;
  private DkimProblem failProblem;
  private String failReason;

  private void scanAll(boolean lenient) {
    int n = text.length();
    int i = skipFws(0);
    if (i == n) {
      return; // an empty tag-list
    }
    while (true) {
      int end = spec(i, lenient);
      if (end < 0) {
        if (!lenient) {
          throw error(failIndex, failProblem, failReason);
        }
        if (failProblem == DkimProblem.TOO_MANY_TAGS) {
          return;
        }
        end = text.indexOf(';', failIndex); // resynchronize at the next tag-spec
        if (end < 0) {
          return;
        }
      }
      if (end >= n) {
        return;
      }
      i = skipFws(end + 1); // past ';'
      if (i >= n) {
        return; // a trailing ';' is allowed
      }
    }
  }

  /**
   * Scans the tag-spec at {@code i} and adds its tag, returning where it ends (at its ';' or the
   * end of the text); or -1 with {@link #failIndex}, {@link #failProblem} and {@link #failReason}
   * set, so that lenient scanning costs no exception per bad tag-spec.
   */
  private int spec(int i, boolean keepDuplicates) {
    int n = text.length();
    int nameStart = i;
    if (i >= n || !isAlpha(text.charAt(i))) {
      return fail(i, syntaxProblem, "expected a tag name");
    }
    i++;
    while (i < n && isAlnumPunc(text.charAt(i))) {
      i++;
    }
    if (size == maxTags) {
      // A local limit (RFC 6376 §3.2 sets none): no tag-list needs thousands of tags.
      return fail(nameStart, DkimProblem.TOO_MANY_TAGS, "more than " + maxTags + " tags");
    }
    String name = name(nameStart, i);
    i = skipFws(i);
    if (i >= n || text.charAt(i) != '=') {
      return fail(i, syntaxProblem, "expected '=' after tag " + name);
    }
    int afterEquals = ++i;
    i = skipFws(i);
    int valueStart = i;
    int valueEnd = i;
    while (i < n && text.charAt(i) != ';') {
      char c = text.charAt(i);
      if (c >= 0x21 && c <= 0x7E) {
        i++;
        while (i < n && (c = text.charAt(i)) >= 0x21 && c <= 0x7E && c != ';') {
          i++; // the common case: a run of value characters
        }
        valueEnd = i;
      } else {
        int next = skipFws(i);
        if (next == i) {
          return fail(
              i,
              syntaxProblem,
              "character " + describe(c) + " not allowed in the value of " + name);
        }
        i = next;
      }
    }
    if (!firstOccurrence(name) && !keepDuplicates) {
      // RFC 6376 §3.2: a tag that appears twice makes the whole tag-list invalid.
      return fail(nameStart, syntaxProblem, "duplicate tag " + name);
    }
    add(name, afterEquals, valueStart, valueEnd, i);
    return i;
  }

  private int fail(int index, DkimProblem problem, String reason) {
    failIndex = index;
    failProblem = problem;
    failReason = reason;
    return -1;
  }

  /** One-letter tag names, indexed by letter, so that scanning makes no string per tag name. */
  private static final String[] LETTERS = new String[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      LETTERS[c] = String.valueOf(c);
    }
  }

  private String name(int start, int end) {
    char c = text.charAt(start);
    if (end - start == 1 && c < 128 && LETTERS[c] != null) {
      return LETTERS[c];
    }
    if (end - start == 2 && c == 'b' && text.charAt(start + 1) == 'h') {
      return "bh";
    }
    return text.substring(start, end);
  }

  /** Skips FWS: WSP, and a line break only where WSP follows it (RFC 5322 §3.2.2). */
  private int skipFws(int i) {
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '\r'
          && i + 2 < n
          && text.charAt(i + 1) == '\n'
          && isWsp(text.charAt(i + 2))) {
        i += 3;
      } else if (c == '\n' && i + 1 < n && isWsp(text.charAt(i + 1))) {
        i += 2; // a bare LF fold, as in messages stored with LF line ends
      } else {
        break;
      }
    }
    return i;
  }

  private void add(String name, int afterEquals, int valueStart, int valueEnd, int end) {
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      spans = Arrays.copyOf(spans, size * 8);
    }
    names[size] = name;
    spans[4 * size] = afterEquals;
    spans[4 * size + 1] = valueStart;
    spans[4 * size + 2] = valueEnd;
    spans[4 * size + 3] = end;
    size++;
  }

  /**
   * Records a name, telling whether it is new. Constant time per tag, so that a tag-list of tens of
   * thousands of tags is checked in linear time rather than by comparing every pair.
   */
  private boolean firstOccurrence(String name) {
    int bit = shortNameBit(name);
    if (bit >= 0) {
      int mask = 1 << bit;
      boolean first = (seenShortNames & mask) == 0;
      seenShortNames |= mask;
      return first;
    }
    if (seenOtherNames == null) {
      seenOtherNames = new HashSet<>();
    }
    return seenOtherNames.add(name);
  }

  /** The bit of {@link #seenShortNames} for a name, or -1 if it has none. */
  private static int shortNameBit(String name) {
    if (name.length() == 1) {
      char c = name.charAt(0);
      return c >= 'a' && c <= 'z' ? c - 'a' : -1;
    }
    return name.equals("bh") ? 26 : -1;
  }

  String text() {
    return text;
  }

  int size() {
    return size;
  }

  String name(int tag) {
    return names[tag];
  }

  /** The value as written, FWS inside it kept, FWS around it removed. */
  String value(int tag) {
    if (values == null) {
      values = new String[size];
    }
    String v = values[tag];
    if (v == null) {
      v = text.substring(spans[4 * tag + 1], spans[4 * tag + 2]);
      values[tag] = v;
    }
    return v;
  }

  int valueStart(int tag) {
    return spans[4 * tag + 1];
  }

  /** Where the value and its surrounding FWS begin: right after '='. */
  int afterEquals(int tag) {
    return spans[4 * tag];
  }

  /** Where the tag-spec ends: at its ';' or at the end of the text. */
  int specEnd(int tag) {
    return spans[4 * tag + 3];
  }

  /** The index of a tag, or -1 if absent. */
  int indexOf(String name) {
    for (int t = 0; t < size; t++) {
      if (names[t].equals(name)) {
        return t;
      }
    }
    return -1;
  }

  DkimSyntaxException error(int index, String reason) {
    return new DkimSyntaxException(text, index, syntaxProblem, reason);
  }

  DkimSyntaxException error(int index, DkimProblem problem, String reason) {
    return new DkimSyntaxException(text, index, problem, reason);
  }

  private static boolean isAlpha(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isAlnumPunc(char c) {
    return isAlpha(c) || c >= '0' && c <= '9' || c == '_';
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  static String describe(char c) {
    return c >= 0x21 && c <= 0x7E ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  /**
   * The index of the first character in {@code text[start, start+len)} that cannot be in base64
   * with FWS, or {@code start} if they all can (the problem is then padding or length).
   */
  static int firstNonBase64(String text, int start, int len) {
    for (int i = start; i < start + len; i++) {
      char c = text.charAt(i);
      boolean ok =
          c >= 'A' && c <= 'Z'
              || c >= 'a' && c <= 'z'
              || c >= '0' && c <= '9'
              || c == '+'
              || c == '/'
              || c == '='
              || c == ' '
              || c == '\t'
              || c == '\r'
              || c == '\n';
      if (!ok) {
        return i;
      }
    }
    return start;
  }

  /**
   * Tells whether a whitespace-free string is valid base64 (RFC 4648 §4): alphabet characters, then
   * at most two '=' padding characters completing a multiple of four. Decoding is left for when the
   * octets are needed.
   */
  static boolean isBase64(String s) {
    int n = s.length();
    int pad = 0;
    while (pad < 2 && pad < n && s.charAt(n - 1 - pad) == '=') {
      pad++;
    }
    for (int i = 0; i < n - pad; i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || c == '+'
          || c == '/')) {
        return false;
      }
    }
    // Unpadded input is accepted as decoders do, except a lone trailing character.
    return pad == 0 ? n % 4 != 1 : n % 4 == 0;
  }

  /** Removes all whitespace, as base64 values (b=, bh=, p=) need before decoding. */
  static String withoutWhitespace(String value) {
    int n = value.length();
    int i = 0;
    while (i < n && value.charAt(i) > ' ') {
      i++;
    }
    if (i == n) {
      return value;
    }
    // Tag values are ASCII (VALCHAR and FWS), so octets hold them exactly.
    byte[] kept = new byte[n];
    int k = 0;
    for (int j = 0; j < n; j++) {
      char c = value.charAt(j);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        kept[k++] = (byte) c;
      }
    }
    return new String(kept, 0, k, StandardCharsets.ISO_8859_1);
  }
}
