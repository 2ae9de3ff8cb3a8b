package org.mailauth4j.dkim;

import java.util.Arrays;

/** A growable byte buffer for canonicalized header data; reused within one verification. */
final class ByteSink {
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
    if (size + len > buf.length) {
      grow(len);
    }
    System.arraycopy(src, off, buf, size, len);
    size += len;
  }

  void writeAscii(String s) {
    int len = s.length();
    if (size + len > buf.length) {
      grow(len);
    }
    for (int i = 0; i < len; i++) {
      buf[size++] = (byte) s.charAt(i);
    }
  }

  private void grow(int needed) {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + needed));
  }

  /** Makes room for {@code n} more octets and returns the array to write them into. */
  byte[] reserve(int n) {
    if (size + n > buf.length) {
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
