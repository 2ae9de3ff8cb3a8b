package org.mailauth4j.dkim;

/**
 * The "relaxed" body canonicalization (RFC 6376 §3.4.4), streaming:
 *
 * <ol>
 *   <li>whitespace at the end of each line is ignored, and every other run of WSP becomes one SP;
 *   <li>empty lines at the end of the body are ignored;
 *   <li>a non-empty body that does not end with a line break gets one.
 * </ol>
 *
 * <p>Bytes that need no change are handed to the output as runs of the input, without copying; for
 * ordinary text a whole chunk is one run. Only trailing or repeated whitespace, tabs, bare LF line
 * ends and empty lines interrupt a run.
 */
final class RelaxedBodyCanonicalizer implements BodyCanonicalizer {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] SP = {' '};
  private static final byte[] CR = {'\r'};

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
    while (i < end) {
      byte c = b[i];
      if (c > ' ' || c < 0 || c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        if (runStart < 0) {
          beginContent();
          runStart = i;
        }
        lineHasContent = true;
        i++;
      } else if (c == ' ' && runStart >= 0 && i + 1 < end && isOrdinary(b[i + 1])) {
        i++; // a single space between content stays as it is
      } else if (c == ' ' || c == '\t') {
        if (runStart >= 0) {
          out.write(b, runStart, i - runStart);
          runStart = -1;
        }
        pendingSpace = true;
        i++;
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
          i++;
        }
      } else if (c == '\r' && i + 1 < end && b[i + 1] != '\n') {
        // A CR that does not start a line break is ordinary content.
        if (runStart < 0) {
          beginContent();
          runStart = i;
        }
        lineHasContent = true;
        i++;
      } else if (c == '\r' && i + 1 == end) {
        if (runStart >= 0) {
          out.write(b, runStart, i - runStart);
          runStart = -1;
        }
        pendingCr = true;
        i++;
      } else if (c == '\r' && lineHasContent && runStart >= 0) {
        // CRLF after content is always written: keep it in the run.
        i += 2;
        pendingSpace = false;
        lineHasContent = false;
      } else {
        if (runStart >= 0) {
          out.write(b, runStart, i - runStart);
          runStart = -1;
        }
        lineEnd();
        i += c == '\r' ? 2 : 1;
      }
    }
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

  private static boolean isOrdinary(byte c) {
    return c != ' ' && c != '\t' && c != '\r' && c != '\n';
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
  }
}
