package org.mailauth4j.dkim;

import java.security.MessageDigest;

/**
 * Receives canonicalized body octets and feeds them to the digests that need them, each up to its
 * own {@code l=} limit, while counting the whole canonicalized length. One per canonicalization, so
 * that signatures sharing it share the work (RFC 6376 §3.7).
 *
 * <p>Short writes (the pieces between runs of unchanged input) are gathered in a buffer, so that
 * the digests see long updates; long runs go to them directly.
 */
final class BodyHashOutput {
  /** Writes at least this long skip the buffer. */
  private static final int DIRECT = 256;

  private final MessageDigest[] digests;
  private final long[] limits;
  private final long[] fed;
  private final byte[] buffer = new byte[1024];
  private int buffered;
  private long length;

  /**
   * @param digests one per distinct (hash, l=) combination
   * @param limits the l= of each, or {@link Long#MAX_VALUE} for the whole body
   */
  BodyHashOutput(MessageDigest[] digests, long[] limits) {
    this.digests = digests;
    this.limits = limits;
    this.fed = new long[digests.length];
  }

  void write(byte[] b, int off, int len) {
    length += len;
    if (len >= DIRECT) {
      flush();
      feed(b, off, len);
    } else {
      if (buffered + len > buffer.length) {
        flush();
      }
      System.arraycopy(b, off, buffer, buffered, len);
      buffered += len;
    }
  }

  /** Hands buffered octets to the digests; canonicalizers call it when the body ends. */
  void flush() {
    if (buffered > 0) {
      feed(buffer, 0, buffered);
      buffered = 0;
    }
  }

  private void feed(byte[] b, int off, int len) {
    for (int d = 0; d < digests.length; d++) {
      long room = limits[d] - fed[d];
      if (room >= len) {
        digests[d].update(b, off, len);
        fed[d] += len;
      } else if (room > 0) {
        digests[d].update(b, off, (int) room);
        fed[d] = limits[d];
      }
    }
  }

  /** The length of the whole canonicalized body, whatever the limits. */
  long length() {
    return length;
  }

  /** A digest, with everything written so far fed to it. */
  MessageDigest digest(int index) {
    flush();
    return digests[index];
  }
}
