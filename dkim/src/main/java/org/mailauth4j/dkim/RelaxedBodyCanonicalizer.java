package org.mailauth4j.dkim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The "relaxed" body canonicalization (RFC 6376 §3.4.4), streaming:
 *
 * <ol>
 *   <li>whitespace at the end of each line is ignored, and every other run of WSP becomes one SP;
 *   <li>empty lines at the end of the body are ignored;
 *   <li>a non-empty body that does not end with a line break gets one.
 * </ol>
 *
 * <p>This is the hot loop of verification. Bytes that need no change are handed to the output as
 * runs of the input, without copying; a tight inner loop skips over ordinary octets and single
 * spaces between them, so that for ordinary text a whole chunk is one run. Only trailing or
 * repeated whitespace, tabs, bare LF line ends and empty lines interrupt a run.
 */
final class RelaxedBodyCanonicalizer implements BodyCanonicalizer {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] SP = {' '};
  private static final byte[] CR = {'\r'};
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long HIGH = 0x8080808080808080L;

  private final BodyHashOutput out;

  /** The previous chunk ended inside a pass-through run. */
  private boolean inRun;

  /** The current line has had content (not just WSP) written. */
  private boolean lineHasContent;

  /** WSP was seen on this line and not yet written: it becomes one SP if content follows. */
  private boolean pendingSpace;

  /** Line ends of empty lines held back: written only if content follows them. */
  private long pendingLineEnds;

  /** The previous chunk ended with CR, which may be the first half of CRLF. */
  private boolean pendingCr;

  RelaxedBodyCanonicalizer(BodyHashOutput out) {
    this.out = out;
  }

  /**
   * The tight loop, called inside a run on a line with content: returns the index of the first
   * octet from {@code i} that is not ordinary content, where a single SP before an ordinary octet
   * counts as ordinary, and so does CRLF before one. Eight octets are tested at a time with exact
   * per-octet masks (no carries cross octets): an octet is ordinary when it is 0x21 or above, or
   * has its high bit set (as UTF-8 octets do).
   */
  static int skipOrdinary(byte[] b, int i, int end) {
    while (i + 9 <= end) {
      long x = (long) LONGS.get(b, i);
      // High bit set in each octet from 0x00 to 0x20: (x & 0x7f) + 0x5f reaches 0x80 from 0x21,
      // and octets with the high bit set are ordinary.
      long low = ~(((x & LOW7) + 0x5F5F5F5F5F5F5F5FL) | x) & HIGH;
      // The same for the octets one further on (a second, overlapping load), so that a space at
      // the end of a word can see what follows it.
      long next = (long) LONGS.get(b, i + 1);
      long nextLow = ~(((next & LOW7) + 0x5F5F5F5F5F5F5F5FL) | next) & HIGH;
      // Among the octets up to 0x20, SP is the one with bit 5 set: x << 2 moves it to bit 7. An
      // octet stops the run if it is low and either not SP or followed by another low octet.
      long bad = low & (~(x << 2) | nextLow);
      if (bad == 0) {
        i += 8;
        continue;
      }
      i += Long.numberOfTrailingZeros(bad) >>> 3;
      if (b[i] != '\r' || i + 3 > end || b[i + 1] != '\n' || !isContent(b[i + 2])) {
        return i;
      }
      // A line break between content lines, the most common stop, stays in the run: the next
      // line has content too, so the caller's state is the same on either side of it.
      i += 3;
    }
    while (i < end) {
      byte c = b[i];
      if (isContent(c)) {
        i++;
      } else if (c == ' ' && i + 1 < end && isContent(b[i + 1])) {
        i += 2;
      } else {
        break;
      }
    }
    return i;
  }

  /** An octet above SP, or with the high bit set (as UTF-8 octets have). */
  private static boolean isContent(byte c) {
    return c > ' ' || c < 0;
  }

  /** An octet that is neither SP, HTAB, CR nor LF (C0 controls other than those are content). */
  private static boolean isOrdinary(byte c) {
    return isContent(c) || c != ' ' && c != '\t' && c != '\r' && c != '\n';
  }

  @Override
  public void update(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    if (len == 0) {
      return;
    }
    if (pendingCr) {
      pendingCr = false;
      if (b[i] == '\n') {
        lineEnd();
        i++;
      } else {
        beginContent();
        out.write(CR, 0, 1);
        lineHasContent = true;
      }
    }
    int runStart = inRun ? i : -1;
    boolean content = lineHasContent;
    while (i < end) {
      byte c = b[i];
      if (isOrdinary(c) || c == '\r' && i + 1 < end && b[i + 1] != '\n') {
        // Content (a CR that does not start a line break is content too).
        if (runStart < 0) {
          lineHasContent = content;
          beginContent();
          runStart = i;
        }
        content = true;
        i = skipOrdinary(b, i + 1, end);
      } else if (c == ' ' || c == '\t') {
        if (c == ' ' && runStart >= 0 && i + 1 < end && isOrdinary(b[i + 1])) {
          i++; // a single space before other content (a control octet) stays as it is
          continue;
        }
        if (runStart >= 0) {
          out.write(b, runStart, i - runStart);
          runStart = -1;
        }
        int wsp = i;
        i++;
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
          i++;
        }
        if (content && i < end && b[i - 1] == ' ' && isContent(b[i]) && i > wsp) {
          // Inner whitespace ending in SP: the new run starts at that SP, which stands for the
          // whole run (and for whitespace held back at the end of the previous chunk), so nothing
          // needs writing separately.
          runStart = i - 1;
          pendingSpace = false;
          i = skipOrdinary(b, i, end);
        } else {
          pendingSpace = true;
        }
      } else if (c == '\r' && i + 1 == end) {
        if (runStart >= 0) {
          out.write(b, runStart, i - runStart);
          runStart = -1;
        }
        pendingCr = true;
        i++;
      } else if (c == '\r' && content && runStart >= 0) {
        // CRLF after content is always written: keep it in the run.
        i += 2;
        pendingSpace = false;
        content = false;
      } else if (c == '\r' && content) {
        // CRLF after trailing whitespace: the input's CRLF starts the next run.
        runStart = i;
        i += 2;
        pendingSpace = false;
        content = false;
      } else {
        // A line break outside a run: a bare LF, or an empty line.
        if (runStart >= 0) {
          out.write(b, runStart, i - runStart);
          runStart = -1;
        }
        lineHasContent = content;
        lineEnd();
        content = false;
        i += c == '\r' ? 2 : 1;
      }
    }
    lineHasContent = content;
    if (runStart >= 0) {
      out.write(b, runStart, end - runStart);
      inRun = true;
    } else {
      inRun = false;
    }
  }

  /** A line break (CRLF or bare LF) outside a run. */
  private void lineEnd() {
    if (lineHasContent) {
      out.write(CRLF, 0, 2);
    } else {
      pendingLineEnds++; // an empty (or whitespace-only) line: maybe trailing
    }
    pendingSpace = false;
    lineHasContent = false;
  }

  /** Writes what content makes necessary: held-back line ends, then a held-back space. */
  private void beginContent() {
    for (; pendingLineEnds > 0; pendingLineEnds--) {
      out.write(CRLF, 0, 2);
    }
    if (pendingSpace) {
      out.write(SP, 0, 1);
      pendingSpace = false;
    }
  }

  @Override
  public void finish() {
    if (pendingCr) {
      pendingCr = false;
      beginContent();
      out.write(CR, 0, 1);
      lineHasContent = true;
    }
    if (lineHasContent) {
      out.write(CRLF, 0, 2); // RFC 6376 §3.4.4: a non-empty body ends with CRLF
    }
    inRun = false;
    out.flush();
  }
}
