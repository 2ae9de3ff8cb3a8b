package org.mailauth4j.dkim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The "simple" body canonicalization (RFC 6376 §3.4.3), streaming: empty lines at the end of the
 * body are ignored, and a body that is empty or lacks a final line break gets CRLF. Nothing else
 * changes, except that bare LF line ends are written as CRLF.
 */
final class SimpleBodyCanonicalizer implements BodyCanonicalizer {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] CR = {'\r'};
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final BodyHashOutput out;
  private boolean inRun;
  private boolean lineHasContent;
  private long pendingLineEnds;
  private boolean pendingCr;
  private boolean wroteAnything;

  SimpleBodyCanonicalizer(BodyHashOutput out) {
    this.out = out;
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
      if (c != '\r' && c != '\n' || c == '\r' && i + 1 < end && b[i + 1] != '\n') {
        if (runStart < 0) {
          beginContent();
          runStart = i;
        }
        content = true;
        i = skipToLineBreak(b, i + 1, end);
      } else if (c == '\r' && i + 1 == end) {
        if (runStart >= 0) {
          out.write(b, runStart, i - runStart);
          runStart = -1;
        }
        pendingCr = true;
        i++;
      } else if (c == '\r' && content && runStart >= 0) {
        i += 2; // CRLF after content is always written: keep it in the run
        content = false;
      } else {
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
      wroteAnything = true;
    } else {
      inRun = false;
    }
  }

  /**
   * The tight loop: the index of the first CR or LF from {@code i}. Eight octets are tested at a
   * time for octets below 0x0E (which CR and LF are); the lowest flag is exact.
   */
  static int skipToLineBreak(byte[] b, int i, int end) {
    while (i + 8 <= end) {
      long x = (long) LONGS.get(b, i);
      long below0e = (x - 0x0E0E0E0E0E0E0E0EL) & ~x & 0x8080808080808080L;
      if (below0e == 0) {
        i += 8;
        continue;
      }
      i += Long.numberOfTrailingZeros(below0e) >>> 3;
      if (b[i] == '\r' || b[i] == '\n') {
        return i;
      }
      i++; // another control octet: content
    }
    while (i < end && b[i] != '\r' && b[i] != '\n') {
      i++;
    }
    return i;
  }

  private void lineEnd() {
    if (lineHasContent) {
      out.write(CRLF, 0, 2);
    } else {
      pendingLineEnds++; // an empty line: maybe trailing
    }
    lineHasContent = false;
  }

  private void beginContent() {
    for (; pendingLineEnds > 0; pendingLineEnds--) {
      out.write(CRLF, 0, 2);
    }
    wroteAnything = true;
  }

  @Override
  public void finish() {
    if (pendingCr) {
      pendingCr = false;
      beginContent();
      out.write(CR, 0, 1);
      lineHasContent = true;
    }
    // RFC 6376 §3.4.3: an empty body, or one without a final line break, gets CRLF.
    if (lineHasContent || !wroteAnything) {
      out.write(CRLF, 0, 2);
    }
    inRun = false;
    out.flush();
  }
}
