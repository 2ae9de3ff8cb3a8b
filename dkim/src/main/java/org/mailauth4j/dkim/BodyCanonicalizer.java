package org.mailauth4j.dkim;

/**
 * Canonicalizes a message body as it streams past (RFC 6376 §3.4.3, §3.4.4), in chunks of any size,
 * writing to a {@link BodyHashOutput}. Line ends may be CRLF or bare LF; both come out as CRLF.
 */
interface BodyCanonicalizer {

  /** Processes the next chunk of the body. */
  void update(byte[] b, int off, int len);

  /** Ends the body: applies the end-of-body rules. */
  void finish();

  static BodyCanonicalizer of(Canonicalization c, BodyHashOutput out) {
    return c == Canonicalization.RELAXED
        ? new RelaxedBodyCanonicalizer(out)
        : new SimpleBodyCanonicalizer(out);
  }
}
