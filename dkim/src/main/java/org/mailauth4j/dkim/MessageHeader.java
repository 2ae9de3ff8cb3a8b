package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The header block of a message (RFC 5322 §2.2), parsed at the octet level: each field's exact
 * octets are kept, so that signatures can be checked over them, and nothing is decoded or
 * re-encoded. Line ends may be CRLF or bare LF.
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
  /** The octets holding the header; may be the whole message array, which is not modified. */
  private final byte[] bytes;

  private final int offset;
  private final int headerEnd;
  private final int bodyStart;
  private final int[] starts;
  private final int[] ends;

  /** Index of the colon of each field, or -1 for a line that is not a field. */
  private final int[] colons;

  /** Lower-case name of each field, or null for a line that is not a field. */
  private final String[] names;

  private MessageHeader(byte[] bytes, int offset, int headerEnd, int bodyStart, Fields f) {
    this.bytes = bytes;
    this.offset = offset;
    this.headerEnd = headerEnd;
    this.bodyStart = bodyStart;
    this.starts = Arrays.copyOf(f.starts, f.count);
    this.ends = Arrays.copyOf(f.ends, f.count);
    this.colons = Arrays.copyOf(f.colons, f.count);
    this.names = Arrays.copyOf(f.names, f.count);
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

  /** Limits applied while scanning; exceeding one throws {@link HeaderLimitException}. */
  record Limits(int maxHeaderBytes, int maxFields, int maxFieldBytes) {
    static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
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
    long enough = (long) limits.maxHeaderBytes() + 3;
    // Search only what is new (and the two octets before it): no rescans on slow streams.
    while (bodyStart(buf, 0, Math.max(0, searched - 2), filled) < 0 && filled <= enough) {
      searched = filled;
      if (filled == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int read = in.read(buf, filled, buf.length - filled);
      if (read < 0) {
        break;
      }
      filled += read;
    }
    return new Streamed(scan(buf, 0, filled, limits), filled);
  }

  /**
   * Finds where the header of a message starting at {@code off} ends: the offset just after the
   * blank line, searching line breaks in {@code b[from, end)}; or -1 if there is none there.
   */
  static int bodyStart(byte[] b, int off, int from, int end) {
    if (from == off) {
      if (end - off >= 1 && b[off] == '\n') {
        return off + 1;
      }
      if (end - off >= 2 && b[off] == '\r' && b[off + 1] == '\n') {
        return off + 2;
      }
    }
    for (int i = Math.max(from, off); i < end - 1; i++) {
      if (b[i] == '\n') {
        if (b[i + 1] == '\n') {
          return i + 2;
        }
        if (b[i + 1] == '\r' && i + 2 < end && b[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  /**
   * Scans the header at the start of {@code b[off, off+len)}. If there is no blank line, all of it
   * is header and the body is empty.
   */
  static MessageHeader scan(byte[] b, int off, int len, Limits limits) throws HeaderLimitException {
    int end = off + len;
    // Look for the blank line only as far as the limit allows, however long the message.
    int searchEnd = (int) Math.min(end, (long) off + limits.maxHeaderBytes() + 3);
    int body = bodyStart(b, off, off, searchEnd);
    int headerEnd;
    if (body < 0) {
      if (searchEnd < end) {
        throw new HeaderLimitException(
            "no end of header within " + limits.maxHeaderBytes() + " octets");
      }
      headerEnd = end;
      body = end;
    } else {
      // Before the blank line, which is CRLF or a bare LF.
      headerEnd = body - (body - 2 >= off && b[body - 2] == '\r' ? 2 : 1);
    }
    if (headerEnd - off > limits.maxHeaderBytes()) {
      throw new HeaderLimitException(
          "header of " + (headerEnd - off) + " octets; the limit is " + limits.maxHeaderBytes());
    }
    Fields fields = new Fields();
    int i = off;
    while (i < headerEnd) {
      int lineEnd = indexOf(b, '\n', i, headerEnd);
      int next = lineEnd < 0 ? headerEnd : lineEnd + 1;
      int contentEnd = lineEnd < 0 ? headerEnd : lineEnd;
      if (contentEnd > i && b[contentEnd - 1] == '\r') {
        contentEnd--;
      }
      boolean continuation = b[i] == ' ' || b[i] == '\t';
      if (continuation && fields.count > 0) {
        fields.ends[fields.count - 1] = contentEnd;
      } else {
        if (fields.count == limits.maxFields()) {
          throw new HeaderLimitException("more than " + limits.maxFields() + " header fields");
        }
        int colon = indexOf(b, ':', i, contentEnd);
        fields.add(i, contentEnd, colon, colon < 0 ? null : name(b, i, colon));
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

  /** The field name in lower case, trailing WSP removed; null if it is not a valid name. */
  private static String name(byte[] b, int start, int colon) {
    int end = colon;
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
      end--;
    }
    if (end == start) {
      return null;
    }
    char[] chars = new char[end - start];
    for (int k = start; k < end; k++) {
      int c = b[k] & 0xFF;
      // field-name = 1*ftext; ftext = %d33-57 / %d59-126 (RFC 5322 §3.6.8)
      if (c < 33 || c > 126) {
        return null;
      }
      chars[k - start] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return new String(chars);
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
    String[] names = new String[32];
    int count;

    void add(int start, int end, int colon, String name) {
      if (count == starts.length) {
        int n = count * 2;
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
        colons = Arrays.copyOf(colons, n);
        names = Arrays.copyOf(names, n);
      }
      starts[count] = start;
      ends[count] = end;
      colons[count] = colon;
      names[count] = name;
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

  /** The lower-case name, or null for a line that is not a field. */
  String lowerName(int field) {
    return names[field];
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
    String lower = requireNonNull(name, "name").toLowerCase(Locale.ROOT);
    List<HeaderField> matching = new ArrayList<>();
    for (int f = 0; f < starts.length; f++) {
      if (lower.equals(names[f])) {
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
   * Returns the number of octets before the body: the fields and the blank line after them.
   *
   * @return the offset of the body in the message
   */
  public int length() {
    return bodyStart - offset;
  }

  private HeaderField field(int f) {
    byte[] raw = Arrays.copyOfRange(bytes, starts[f], ends[f]);
    if (names[f] == null) {
      return new HeaderField("", "", raw); // a line that is not a field
    }
    int nameEnd = colons[f];
    while (nameEnd > starts[f] && (bytes[nameEnd - 1] == ' ' || bytes[nameEnd - 1] == '\t')) {
      nameEnd--;
    }
    String name = new String(bytes, starts[f], nameEnd - starts[f], ISO_8859_1);
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
