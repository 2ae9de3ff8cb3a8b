package org.mailauth4j.dkim;

import java.util.Arrays;

/** A growable byte buffer for canonicalized header data; reused within one verification. */
final class ByteSink {
  /** The largest array every JVM allocates, as the JDK's own growable buffers assume. */
  static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private byte[] buf;
  private int size;

  ByteSink(int capacity) {
    buf = new byte[capacity];
  }

  void write(int b) {
    if (size == buf.length) {
      grow(1);
    }
    buf[size++] = (byte) b;
  }

  void write(byte[] src, int off, int len) {
    if (len > buf.length - size) {
      grow(len);
    }
    System.arraycopy(src, off, buf, size, len);
    size += len;
  }

  void writeAscii(String s) {
    int len = s.length();
    if (len > buf.length - size) {
      grow(len);
    }
    for (int i = 0; i < len; i++) {
      buf[size++] = (byte) s.charAt(i);
    }
  }

  private void grow(int needed) {
    // In long: past 1 GiB, doubling overflows int, and growing by what is needed alone is
    // quadratic.
    long least = (long) size + needed;
    if (least > MAX_ARRAY) {
      throw new OutOfMemoryError("more than " + MAX_ARRAY + " octets");
    }
    buf = Arrays.copyOf(buf, (int) Math.min(Math.max(2L * buf.length, least), MAX_ARRAY));
  }

  /** Makes room for {@code n} more octets and returns the array to write them into. */
  byte[] reserve(int n) {
    if (n > buf.length - size) {
      grow(n);
    }
    return buf;
  }

  /** Sets the size after writing into {@link #reserve(int)}'s array. */
  void setSize(int size) {
    this.size = size;
  }

  byte[] array() {
    return buf;
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
