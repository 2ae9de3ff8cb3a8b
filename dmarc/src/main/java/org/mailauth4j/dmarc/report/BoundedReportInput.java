package org.mailauth4j.dmarc.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;

/**
 * The streams between a caller's input and the XML parser: one that counts and caps what is read
 * from the caller, and one that caps what a decompressor yields, by size and by ratio to the
 * compressed bytes consumed. Their exceptions travel through the JDK's inflater and StAX parser as
 * {@link IOException}s and are told apart again by {@link AggregateReportReader}: a limit crossed
 * (carrying its refusal), a failure of the caller's stream, or corrupt compressed data.
 */
final class BoundedReportInput {
  /**
   * Below this many decompressed bytes the ratio is not checked: small reports compress by very
   * different ratios, and a few KiB never hurt anyone.
   */
  static final long RATIO_FLOOR = 1 << 20;

  private BoundedReportInput() {}

  /** A limit was crossed, or the input was refused; carries the refusal to throw. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    /** The refusal for the caller. */
    final transient DmarcReportException refusal;

    Refused(DmarcReportException refusal) {
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

  /** The compressed data could not be decompressed; the JDK's exception is the cause. */
  static final class CorruptData extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptData(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  static Refused tooLarge(String detail) {
    return new Refused(new DmarcReportException(Reason.TOO_LARGE, null, detail));
  }

  /** Whether an exception is one of ours, to be passed on rather than reinterpreted. */
  static boolean ours(IOException e) {
    return e instanceof Refused || e instanceof SourceFailure || e instanceof CorruptData;
  }

  /**
   * The caller's stream, counted: it refuses to go beyond a limit, marks the stream's own failures,
   * can look ahead at the first bytes, and is never closed here (the caller owns it).
   */
  static final class Source extends InputStream {
    private final InputStream in;
    private long limit;
    private String what;
    private long count;
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

    /** Reads up to {@code n} bytes ahead, once, before any other read; keeps them for the reads. */
    byte[] peek(int n) throws IOException {
      byte[] ahead = new byte[n];
      int got = 0;
      while (got < n) {
        int r = readSource(ahead, got, n - got);
        if (r < 0) {
          break;
        }
        got += r;
      }
      head = Arrays.copyOf(ahead, got);
      headPos = 0;
      return head.clone();
    }

    /**
     * What can be read without blocking: {@link GZIPInputStream} asks before it looks for another
     * member (RFC 1952 §2.2), so the caller's answer is passed on.
     */
    @Override
    public int available() throws IOException {
      int ahead = head.length - headPos;
      try {
        return (int) Math.min((long) ahead + in.available(), Math.max(0, limit - count + ahead));
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }

    /** The bytes read from the caller's stream so far. */
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
      return readSource(b, off, len);
    }

    private int readSource(byte[] b, int off, int len) throws IOException {
      // Never more than one byte past the limit is read from the caller's stream.
      int ask = (int) Math.min(len, limit - count + 1);
      int n;
      try {
        n = in.read(b, off, ask);
      } catch (IOException e) {
        throw ours(e) ? e : new SourceFailure(e);
      }
      if (n > 0) {
        count += n;
        if (count > limit) {
          throw tooLarge(what + " is larger than the limit of " + limit + " bytes");
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
   * The decompressed bytes, counted over every member or entry read: refuses once they pass a size,
   * or, past {@link #RATIO_FLOOR}, a multiple of the compressed bytes consumed, so that a bomb is
   * stopped after about the limit, never expanded whole.
   */
  static final class Expansion {
    private final Source source;
    private final long maxBytes;
    private final int maxRatio;
    private final String what;
    private long count;

    Expansion(Source source, long maxBytes, int maxRatio, String what) {
      this.source = source;
      this.maxBytes = maxBytes;
      this.maxRatio = maxRatio;
      this.what = what;
    }

    /** How many bytes the next read may ask for: one past the limit at most. */
    int ask(int len) {
      return (int) Math.min(len, maxBytes - count + 1);
    }

    void add(int n) throws Refused {
      if (n <= 0) {
        return;
      }
      count += n;
      if (count > maxBytes) {
        throw tooLarge(what + " decompresses to more than the limit of " + maxBytes + " bytes");
      }
      // A bomb can stay under the size cap for long; the ratio stops it early.
      if (count > RATIO_FLOOR && count > (double) maxRatio * source.count()) {
        throw tooLarge(
            what
                + " expands more than "
                + maxRatio
                + " times: "
                + source.count()
                + " bytes to more than "
                + count);
      }
    }

    long count() {
      return count;
    }
  }

  /** A decompressing stream under an {@link Expansion}; its own failures become corrupt data. */
  static final class Inflated extends InputStream {
    private final InputStream inflater;
    private final Expansion expansion;

    Inflated(InputStream inflater, Expansion expansion) {
      this.inflater = inflater;
      this.expansion = expansion;
    }

    /** Gzip (RFC 1952, any number of members) from a source. */
    static Inflated gzip(Source source, Expansion expansion) throws IOException {
      try {
        return new Inflated(new GZIPInputStream(source, 8192), expansion);
      } catch (IOException e) {
        throw ours(e) ? e : new CorruptData(e);
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
        n = inflater.read(b, off, expansion.ask(len));
      } catch (IOException e) {
        throw ours(e) ? e : new CorruptData(e); // truncated, a bad header, a bad CRC or length
      }
      expansion.add(n);
      return n;
    }

    /** Ends the inflater; the caller's stream stays open (the source does not close it). */
    @Override
    public void close() throws IOException {
      inflater.close();
    }
  }
}
