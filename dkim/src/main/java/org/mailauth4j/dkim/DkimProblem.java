package org.mailauth4j.dkim;

/**
 * Why a DKIM signature did not pass, in machine-readable form, each with the {@link DkimResult} it
 * leads to. The human-readable detail is in {@link DkimOutcome#detail()}.
 */
public enum DkimProblem {
  // --- the message ---

  /** The header block is larger, or has more or larger fields, than the verifier allows. */
  HEADER_LIMIT_EXCEEDED(DkimResult.PERMERROR),

  /** The message could not be read (an I/O error from the stream). */
  MESSAGE_UNREADABLE(DkimResult.TEMPERROR),

  // --- the DKIM-Signature field (RFC 6376 §6.1.1) ---

  /** The tag-list or a tag value does not follow the grammar of RFC 6376 §3.5. */
  SIGNATURE_SYNTAX(DkimResult.PERMERROR),

  /** {@code v=} is not {@code 1}. */
  UNSUPPORTED_VERSION(DkimResult.PERMERROR),

  /** One of v, a, b, bh, d, h, s is missing. */
  MISSING_REQUIRED_TAG(DkimResult.PERMERROR),

  /** {@code a=} names an algorithm DKIM does not define. */
  UNSUPPORTED_ALGORITHM(DkimResult.PERMERROR),

  /** {@code c=} names an unknown canonicalization. */
  UNSUPPORTED_CANONICALIZATION(DkimResult.PERMERROR),

  /** {@code q=} does not offer {@code dns/txt}. */
  UNSUPPORTED_QUERY_METHOD(DkimResult.PERMERROR),

  /** {@code h=} does not include From (RFC 6376 §5.4). */
  FROM_NOT_SIGNED(DkimResult.PERMERROR),

  /** {@code h=} has more entries than the verifier allows. */
  TOO_MANY_SIGNED_HEADERS(DkimResult.PERMERROR),

  /**
   * The DKIM-Signature, or the key record it needs, has more tags than the verifier allows (RFC
   * 6376 §3.2 sets no limit; the verifier's default is 64).
   */
  TOO_MANY_TAGS(DkimResult.PERMERROR),

  /** The domain of {@code i=} is neither {@code d=} nor below it (RFC 6376 §3.5). */
  IDENTITY_OUTSIDE_DOMAIN(DkimResult.PERMERROR),

  /** {@code x=} is not after {@code t=} (RFC 6376 §3.5). */
  EXPIRATION_NOT_AFTER_TIMESTAMP(DkimResult.PERMERROR),

  /** {@code x=} has passed, beyond the allowed clock skew (RFC 6376 §6.1.1). */
  SIGNATURE_EXPIRED(DkimResult.PERMERROR),

  /** {@code l=} is longer than the canonicalized body, which a signer must not do (§3.5). */
  BODY_LENGTH_EXCEEDS_BODY(DkimResult.PERMERROR),

  // --- local policy ---

  /** The algorithm is refused: rsa-sha1 (RFC 8301 §3.1) unless allowed explicitly. */
  INSECURE_ALGORITHM(DkimResult.POLICY),

  /** An RSA key under the minimum size (1024 bits, RFC 8301 §3.2) or over the maximum. */
  KEY_SIZE_NOT_ALLOWED(DkimResult.POLICY),

  /**
   * {@code l=} leaves part of the body unsigned, so anyone could have appended to it (RFC 6376
   * §8.2); refused unless allowed explicitly.
   */
  BODY_PARTLY_SIGNED(DkimResult.POLICY),

  /** The message has more signatures than the verifier evaluates; this one was not evaluated. */
  SIGNATURE_LIMIT_REACHED(DkimResult.POLICY),

  /** Evaluating this signature would need more distinct key lookups than allowed. */
  KEY_LOOKUP_LIMIT_REACHED(DkimResult.POLICY),

  // --- the key (RFC 6376 §6.1.2) ---

  /** The key could not be fetched now: a DNS timeout or server failure. */
  KEY_UNAVAILABLE(DkimResult.TEMPERROR),

  /** There is no key record at the selector (NXDOMAIN, no TXT, or no DKIM record among them). */
  KEY_NOT_FOUND(DkimResult.PERMERROR),

  /** The key record does not follow RFC 6376 §3.6.1. */
  KEY_SYNTAX(DkimResult.PERMERROR),

  /** More than one usable key record at the selector; which one applies is undefined. */
  KEY_AMBIGUOUS(DkimResult.PERMERROR),

  /** The key record's {@code p=} is empty: the key was revoked. */
  KEY_REVOKED(DkimResult.PERMERROR),

  /** {@code p=} does not decode to a key of the declared type. */
  KEY_MALFORMED(DkimResult.PERMERROR),

  /** The key type ({@code k=}) does not match the signature's algorithm. */
  KEY_TYPE_MISMATCH(DkimResult.PERMERROR),

  /** The key record's {@code h=} does not allow the signature's hash. */
  KEY_HASH_NOT_ALLOWED(DkimResult.PERMERROR),

  /**
   * The key record's {@code s=} does not allow the service verified for: e-mail, unless the
   * verifier was built for another {@link DkimVerifier.Builder#serviceType service type}.
   */
  KEY_SERVICE_NOT_ALLOWED(DkimResult.PERMERROR),

  /** The key record says {@code t=s}, but {@code i=} is in a subdomain of {@code d=}. */
  KEY_STRICT_IDENTITY_MISMATCH(DkimResult.PERMERROR),

  // --- the cryptography (RFC 6376 §6.1.3) ---

  /** The body hash does not match {@code bh=}: the body changed. */
  BODY_HASH_MISMATCH(DkimResult.FAIL),

  /** The signature does not verify over the signed header fields. */
  SIGNATURE_MISMATCH(DkimResult.FAIL);

  private final DkimResult result;

  DkimProblem(DkimResult result) {
    this.result = result;
  }

  /**
   * Returns the result a signature with this problem gets.
   *
   * @return never {@link DkimResult#PASS} or {@link DkimResult#NONE}
   */
  public DkimResult result() {
    return result;
  }
}
