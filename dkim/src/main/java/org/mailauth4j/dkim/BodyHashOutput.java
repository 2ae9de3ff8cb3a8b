package org.mailauth4j.dkim;

import java.security.MessageDigest;

/**
 * Receives canonicalized body octets and feeds them to the digests that need them, each up to its
 * own {@code l=} limit, while counting the whole canonicalized length. One per canonicalization, so
 * that signatures sharing it share the work (RFC 6376 §3.7).
 */
final class BodyHashOutput {
  private final MessageDigest[] digests;
  private final long[] limits;
  private final long[] fed;
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

  MessageDigest digest(int index) {
    return digests[index];
  }
}
