package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The header block of a message (RFC 5322 §2.2), parsed at the octet level: each field's exact
 * octets are kept, so that signatures can be checked over them, and nothing is decoded or
 * re-encoded. Line ends may be CRLF or bare LF. The header ends at the first empty line (RFC 5322
 * §2.1), by whichever method it is read: a line of CR CR LF is not empty, as a CR precedes its
 * CRLF.
 *
 * <p>A line that does not start a field with {@code name:} (and is not a continuation) is kept as a
 * field without a name; it is never selected by name. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * MessageHeader header = MessageHeader.parse(messageBytes);
 * Optional<String> from = header.first("From").map(HeaderField::value);
 * }</pre>
 */
public final class MessageHeader {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The octets holding the header; may be the whole message array, which is not modified. */
  private final byte[] bytes;

  private final int offset;
  private final int headerEnd;
  private final int bodyStart;
  private final int[] starts;
  private final int[] ends;

  /** Index of the colon of each field, or -1 for a line that is not a field. */
  private final int[] colons;

  /** End of each field's name (before WSP and colon), or -1 for a line that is not a field. */
  private final int[] nameEnds;

  private MessageHeader(byte[] bytes, int offset, int headerEnd, int bodyStart, Fields f) {
    this.bytes = bytes;
    this.offset = offset;
    this.headerEnd = headerEnd;
    this.bodyStart = bodyStart;
    this.starts = Arrays.copyOf(f.starts, f.count);
    this.ends = Arrays.copyOf(f.ends, f.count);
    this.colons = Arrays.copyOf(f.colons, f.count);
    this.nameEnds = Arrays.copyOf(f.nameEnds, f.count);
  }

  /**
   * Parses the header of a message held in memory, without limits on its size.
   *
   * @param message the raw message
   * @return the header; the array is copied
   */
  public static MessageHeader parse(byte[] message) {
    byte[] copy = message.clone();
    try {
      return scan(copy, 0, copy.length, Limits.NONE);
    } catch (HeaderLimitException e) {
      throw new AssertionError("no limits to exceed", e);
    }
  }

  /**
   * Parses the header of a message in a buffer, from its position to its limit, without changing
   * the buffer's position.
   *
   * @param message the raw message
   * @return the header; its octets are copied
   */
  public static MessageHeader parse(ByteBuffer message) {
    ByteBuffer copy = message.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return parse(bytes);
  }

  /**
   * Reads the header of a message from a stream, up to and including the empty line that ends it,
   * so that the stream is left at the start of the body. It reads octet by octet past the last
   * line; wrap a slow stream in a {@link java.io.BufferedInputStream} beforehand.
   *
   * @param message the raw message
   * @param maxHeaderBytes the most octets the fields may take, up to the end of the last one's
   *     text: its line break and the empty line are not counted. {@link Integer#MAX_VALUE} for no
   *     limit.
   * @return the header
   * @throws IOException if the stream cannot be read
   * @throws IllegalArgumentException if the header is longer than {@code maxHeaderBytes}, or that
   *     is negative
   */
  public static MessageHeader read(InputStream message, int maxHeaderBytes) throws IOException {
    if (maxHeaderBytes < 0) {
      throw new IllegalArgumentException("negative maxHeaderBytes: " + maxHeaderBytes);
    }
    Limits limits = new Limits(maxHeaderBytes, Integer.MAX_VALUE, Integer.MAX_VALUE);
    ByteSink header = new ByteSink(4096);
    // Past the span, no header within the limit remains possible, and scan refuses it.
    while (header.size() < limits.maxHeaderSpan()) {
      int c = message.read();
      if (c < 0) {
        break;
      }
      header.write(c);
      if (c == '\n' && endsEmptyLine(header.array(), 0, header.size() - 1)) {
        break; // the body follows
      }
    }
    byte[] bytes = header.toByteArray();
    try {
      return scan(bytes, 0, bytes.length, limits);
    } catch (HeaderLimitException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Limits applied while scanning; exceeding one throws {@link HeaderLimitException}. The header's
   * size is counted up to the end of the last field's text, so that a limit means the same with
   * CRLF and bare LF line ends. Any limit may be {@link Integer#MAX_VALUE}: sums are made in long.
   */
  record Limits(int maxHeaderBytes, int maxFields, int maxFieldBytes) {
    static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    /**
     * The most octets a header within the limit takes with the empty line after it: the last
     * field's CR LF, then the empty line's CR LF. A long, as it exceeds int for the largest limit.
     */
    long maxHeaderSpan() {
      return (long) maxHeaderBytes + 4;
    }
  }

  /** Thrown by {@link #scan} when the header is larger than the limits allow. */
  static final class HeaderLimitException extends Exception {
    private static final long serialVersionUID = 1L;

    HeaderLimitException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A header read from a stream; the buffer ({@link #bytes()}) also holds the first {@code filled -
   * bodyOffset()} octets of the body, read past the header.
   */
  record Streamed(MessageHeader header, int filled) {}

  /** Reads a message's header from a stream, and as much of the body as came with it. */
  static Streamed read(InputStream in, Limits limits) throws IOException, HeaderLimitException {
    byte[] buf = new byte[8192];
    int filled = 0;
    int searched = 0;
    // No more is needed to find the empty line after a header within the limit.
    long enough = Math.min(limits.maxHeaderSpan(), ByteSink.MAX_ARRAY);
    boolean streamEnded = false;
    int bodyStart;
    // Search only the LFs that are new: no rescans on slow streams.
    while ((bodyStart = bodyStart(buf, 0, searched, filled)) < 0 && filled < enough) {
      searched = filled;
      if (filled == buf.length) {
        // In long: doubling an array of 1 GiB overflows int.
        buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, enough));
      }
      int read = in.read(buf, filled, buf.length - filled);
      if (read < 0) {
        streamEnded = true;
        break;
      }
      filled += read;
    }
    if (bodyStart < 0 && !streamEnded && enough < limits.maxHeaderSpan()) {
      // A limit beyond the largest array: the rest of the header would be taken for the body.
      throw new HeaderLimitException("no end of header within " + filled + " octets");
    }
    return new Streamed(scan(buf, 0, filled, limits), filled);
  }

  /**
   * Tells whether the LF at {@code b[lf]} ends the empty line that ends the header of a message
   * starting at {@code off}. This is the one rule for where a header ends: {@link #scan}, {@link
   * #bodyStart} and {@link #read(InputStream, int)} all ask it. It looks back at most two octets.
   */
  static boolean endsEmptyLine(byte[] b, int off, int lf) {
    // RFC 5322 §2.1: the body is "separated from the header by an empty line (i.e., a line with
    // nothing preceding the CRLF)"; a bare LF counts as CRLF. So the line is empty if it holds
    // only the LF or only CR LF: in CR CR LF, a CR precedes the CRLF, and the line is not empty.
    int lineBreak = lf > off && b[lf - 1] == '\r' ? lf - 1 : lf;
    return lineBreak == off || b[lineBreak - 1] == '\n';
  }

  /**
   * Finds where the header of a message starting at {@code off} ends: the offset just after the
   * empty line, searching for the LF ending it in {@code b[from, end)}; or -1 if there is none
   * there.
   */
  static int bodyStart(byte[] b, int off, int from, int end) {
    for (int i = indexOfLineFeed(b, Math.max(from, off), end);
        i >= 0;
        i = indexOfLineFeed(b, i + 1, end)) {
      if (endsEmptyLine(b, off, i)) {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * Scans the header at the start of {@code b[off, off+len)}, in one pass over its lines, and no
   * further than the limit: a message of any length with a huge header costs no more than the
   * limit. If there is no empty line, all of it is header and the body is empty.
   */
  static MessageHeader scan(byte[] b, int off, int len, Limits limits) throws HeaderLimitException {
    int end = off + len;
    // The empty line's LF may be three octets past the largest header allowed (CR LF CR LF).
    int searchEnd = (int) Math.min(end, off + limits.maxHeaderSpan());
    Fields fields = new Fields();
    int headerEnd = end;
    int body = end;
    int i = off;
    while (i < end) {
      int lineEnd = indexOfLineFeed(b, i, searchEnd);
      if (lineEnd < 0 && searchEnd < end) {
        throw new HeaderLimitException(
            "no end of header within " + limits.maxHeaderBytes() + " octets");
      }
      int next = lineEnd < 0 ? end : lineEnd + 1;
      int contentEnd = lineEnd < 0 ? end : lineEnd;
      if (contentEnd > i && b[contentEnd - 1] == '\r') {
        contentEnd--;
      }
      if (lineEnd >= 0 && endsEmptyLine(b, off, lineEnd)) {
        headerEnd = i; // the empty line: the body follows it
        body = next;
        break;
      }
      if (contentEnd - off > limits.maxHeaderBytes()) {
        throw new HeaderLimitException(
            "header of more than " + limits.maxHeaderBytes() + " octets");
      }
      boolean continuation = b[i] == ' ' || b[i] == '\t';
      if (continuation && fields.count > 0) {
        fields.ends[fields.count - 1] = contentEnd;
      } else {
        if (fields.count == limits.maxFields()) {
          throw new HeaderLimitException("more than " + limits.maxFields() + " header fields");
        }
        int colon = indexOf(b, ':', i, contentEnd);
        fields.add(i, contentEnd, colon, colon < 0 ? -1 : nameEnd(b, i, colon));
      }
      if (fields.ends[fields.count - 1] - fields.starts[fields.count - 1]
          > limits.maxFieldBytes()) {
        throw new HeaderLimitException(
            "a header field longer than " + limits.maxFieldBytes() + " octets");
      }
      i = next;
    }
    return new MessageHeader(b, off, headerEnd, body, fields);
  }

  /** The end of the field name, trailing WSP removed; -1 if it is not a valid name. */
  private static int nameEnd(byte[] b, int start, int colon) {
    int end = colon;
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
      end--;
    }
    if (end == start) {
      return -1;
    }
    for (int k = start; k < end; k++) {
      int c = b[k] & 0xFF;
      // field-name = 1*ftext; ftext = %d33-57 / %d59-126 (RFC 5322 §3.6.8)
      if (c < 33 || c > 126) {
        return -1;
      }
    }
    return end;
  }

  /** The index of the next LF in {@code b[from, to)}, or -1; eight octets at a time. */
  private static int indexOfLineFeed(byte[] b, int from, int to) {
    int i = from;
    while (i + 8 <= to) {
      long y = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
      // The lowest octet flagged here is exactly the first LF (higher flags may be spurious).
      long found = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += 8;
    }
    return indexOf(b, '\n', i, to);
  }

  private static int indexOf(byte[] b, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static final class Fields {
    int[] starts = new int[32];
    int[] ends = new int[32];
    int[] colons = new int[32];
    int[] nameEnds = new int[32];
    int count;

    void add(int start, int end, int colon, int nameEnd) {
      if (count == starts.length) {
        int n = count * 2;
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
        colons = Arrays.copyOf(colons, n);
        nameEnds = Arrays.copyOf(nameEnds, n);
      }
      starts[count] = start;
      ends[count] = end;
      colons[count] = colon;
      nameEnds[count] = nameEnd;
      count++;
    }
  }

  // --- for the verifier and signer: offsets into the shared array ---

  byte[] bytes() {
    return bytes;
  }

  int fieldCount() {
    return starts.length;
  }

  int start(int field) {
    return starts[field];
  }

  int end(int field) {
    return ends[field];
  }

  int colon(int field) {
    return colons[field];
  }

  /**
   * Tells whether a field has a name, compared in ASCII without regard to case, on the octets
   * themselves: no string is made for each field of each message.
   */
  boolean hasName(int field, String name) {
    int start = starts[field];
    int end = nameEnds[field];
    if (end - start != name.length()) {
      return false; // also for a line that is not a field (end is -1)
    }
    for (int k = 0; k < name.length(); k++) {
      int a = bytes[start + k] & 0xFF;
      int c = name.charAt(k);
      if (a == c) {
        continue;
      }
      int lower = a | 0x20; // equal without regard to case only for letters differing in 0x20
      if (lower != (c | 0x20) || lower < 'a' || lower > 'z') {
        return false;
      }
    }
    return true;
  }

  /**
   * The field's name in ASCII lower case; only for a line that {@link #isField(int) is a field}.
   */
  String lowerCaseName(int field) {
    byte[] name = Arrays.copyOfRange(bytes, starts[field], nameEnds[field]);
    for (int k = 0; k < name.length; k++) {
      if (name[k] >= 'A' && name[k] <= 'Z') {
        name[k] += 'a' - 'A';
      }
    }
    return new String(name, ISO_8859_1);
  }

  /** Whether a line of the header is a field with a valid name. */
  boolean isField(int field) {
    return nameEnds[field] >= 0;
  }

  /** Where the body starts in {@link #bytes()}. */
  int bodyOffset() {
    return bodyStart;
  }

  /** The field's value (after the colon) as ISO-8859-1, so that indexes are octet offsets. */
  String rawValue(int field) {
    int from = colons[field] + 1;
    return new String(bytes, from, ends[field] - from, ISO_8859_1);
  }

  // --- public view ---

  /**
   * Returns every field in order from the top.
   *
   * @return an immutable list
   */
  public List<HeaderField> fields() {
    List<HeaderField> all = new ArrayList<>(starts.length);
    for (int f = 0; f < starts.length; f++) {
      all.add(field(f));
    }
    return List.copyOf(all);
  }

  /**
   * Returns the fields with a name, in order from the top, comparing names without regard to case.
   *
   * @param name such as {@code Received}
   * @return an immutable list, empty if there is none
   */
  public List<HeaderField> fields(String name) {
    requireNonNull(name, "name");
    List<HeaderField> matching = new ArrayList<>();
    for (int f = 0; f < starts.length; f++) {
      if (hasName(f, name)) {
        matching.add(field(f));
      }
    }
    return List.copyOf(matching);
  }

  /**
   * Returns the topmost field with a name.
   *
   * @param name such as {@code From}
   * @return the field, or empty
   */
  public Optional<HeaderField> first(String name) {
    List<HeaderField> all = fields(name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * Returns the number of octets before the body: the fields and the empty line after them.
   *
   * @return the offset of the body in the message
   */
  public int length() {
    return bodyStart - offset;
  }

  private HeaderField field(int f) {
    byte[] raw = Arrays.copyOfRange(bytes, starts[f], ends[f]);
    if (nameEnds[f] < 0) {
      return new HeaderField("", "", raw); // a line that is not a field
    }
    String name = new String(bytes, starts[f], nameEnds[f] - starts[f], ISO_8859_1);
    return new HeaderField(name, unfold(colons[f] + 1, ends[f]), raw);
  }

  /** The value unfolded (RFC 5322 §2.2.3) and without leading WSP, decoded as UTF-8. */
  private String unfold(int from, int to) {
    ByteSink sink = new ByteSink(to - from);
    int i = from;
    while (i < to && (bytes[i] == ' ' || bytes[i] == '\t')) {
      i++;
    }
    for (; i < to; i++) {
      if (bytes[i] != '\r' && bytes[i] != '\n') {
        sink.write(bytes[i]);
      }
    }
    return new String(sink.array(), 0, sink.size(), UTF_8);
  }

  int headerEnd() {
    return headerEnd;
  }
}
