package org.mailauth4j.tlsrpt;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.mailauth4j.tlsrpt.TlsReportException.Reason;

/**
 * The streams between a caller's input and the JSON parser: one that counts and caps what is read
 * from the caller, and one that decompresses gzip under a size and a ratio cap. Their own
 * exceptions travel through the JDK's and Jackson's readers as {@link IOException}s and are told
 * apart again by {@link TlsReportReader}: a limit crossed, a failure of the caller's stream, or
 * corrupt gzip.
 */
final class BoundedInput {
  /**
   * Below this many decompressed bytes the ratio is not checked: small reports compress by very
   * different ratios, and a few KiB never hurt anyone.
   */
  static final long RATIO_FLOOR = 1 << 20;

  private BoundedInput() {}

  /** A limit was crossed; carries the refusal to throw. */
  static final class LimitExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    /** The refusal for the caller. */
    final transient TlsReportException refusal;

    LimitExceeded(TlsReportException refusal) {
      super(refusal.getMessage());
      this.refusal = refusal;
    }
  }

  /** The caller's stream failed; its exception is the cause. */
  static final class SourceFailure extends IOException {
    private static final long serialVersionUID = 1L;

    SourceFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** The gzip data could not be decompressed; the JDK's exception is the cause. */
  static final class CorruptGzip extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptGzip(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * The caller's stream, counted: it refuses to go beyond a limit, marks the stream's own failures,
   * and is never closed here (the caller owns it).
   */
  static final class Source extends InputStream {
    private final InputStream in;
    private long limit;
    private String what;
    private long count;

    /** Bytes read ahead by {@link #peek(int)}, returned before the rest. */
    private byte[] head = new byte[0];

    private int headPos;

    Source(InputStream in, long limit, String what) {
      this.in = in;
      this.limit = limit;
      this.what = what;
    }

    /** Sets the limit once it is known what the input is. */
    void limit(long limit, String what) {
      this.limit = limit;
      this.what = what;
    }

    /**
     * Reads up to {@code n} bytes ahead, to tell gzip from JSON, and keeps them for the reads that
     * follow.
     *
     * @return the bytes, fewer at the end of the stream
     */
    byte[] peek(int n) throws IOException {
      byte[] ahead = new byte[n];
      int got = 0;
      while (got < n) {
        int r = read(ahead, got, n - got);
        if (r < 0) {
          break;
        }
        got += r;
      }
      head = java.util.Arrays.copyOf(ahead, got);
      headPos = 0;
      return head.clone();
    }

    /** The bytes read so far. */
    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (headPos < head.length) {
        int n = Math.min(len, head.length - headPos);
        System.arraycopy(head, headPos, b, off, n);
        headPos += n;
        return n;
      }
      // Never more than one byte past the limit is read from the caller's stream.
      int ask = (int) Math.min(len, limit - count + 1);
      int n;
      try {
        n = in.read(b, off, ask);
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
      if (n > 0) {
        count += n;
        if (count > limit) {
          throw new LimitExceeded(
              new TlsReportException(
                  Reason.TOO_LARGE,
                  null,
                  what + " is larger than the limit of " + limit + " bytes"));
        }
      }
      return n;
    }

    @Override
    public void close() {
      // the caller's stream: the caller closes it
    }
  }

  /**
   * Decompresses gzip (RFC 1952, several members too) and refuses once the output passes a size,
   * or, past {@link #RATIO_FLOOR}, a multiple of the compressed bytes consumed: a gzip bomb is
   * stopped after about the limit, never expanded whole.
   */
  static final class Gunzip extends InputStream {
    private final Source source;
    private final GZIPInputStream gzip;
    private final long maxBytes;
    private final int maxRatio;
    private long count;

    Gunzip(Source source, long maxBytes, int maxRatio) throws IOException {
      this.source = source;
      this.maxBytes = maxBytes;
      this.maxRatio = maxRatio;
      try {
        this.gzip = new GZIPInputStream(source, 8192);
      } catch (LimitExceeded | SourceFailure e) {
        throw e;
      } catch (IOException e) {
        throw new CorruptGzip(e);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n;
      try {
        n = gzip.read(b, off, (int) Math.min(len, maxBytes - count + 1));
      } catch (LimitExceeded | SourceFailure e) {
        throw e;
      } catch (IOException e) {
        throw new CorruptGzip(e); // truncated, a bad header, a bad CRC or length
      }
      if (n > 0) {
        count += n;
        if (count > maxBytes) {
          throw new LimitExceeded(
              new TlsReportException(
                  Reason.TOO_LARGE,
                  null,
                  "the gzip data decompresses to more than the limit of " + maxBytes + " bytes"));
        }
        // A bomb can stay under the size cap for long; the ratio stops it early.
        if (count > RATIO_FLOOR && count > (double) maxRatio * source.count()) {
          throw new LimitExceeded(
              new TlsReportException(
                  Reason.TOO_LARGE,
                  null,
                  "the gzip data expands more than "
                      + maxRatio
                      + " times: "
                      + source.count()
                      + " bytes to more than "
                      + count));
        }
      }
      return n;
    }

    /** Ends the inflater; the caller's stream stays open. */
    @Override
    public void close() throws IOException {
      gzip.close();
    }
  }
}
