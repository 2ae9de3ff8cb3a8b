package org.mailauth4j.dkim;

import org.mailauth4j.dns.DomainName;

/**
 * What could be read of one DKIM-Signature, tag by tag: {@code d=}, {@code s=}, {@code i=}, {@code
 * a=} and the start of {@code b=}. Authentication-Results ({@code header.d}, {@code header.s}, ...,
 * RFC 8601 §2.7.1) and DMARC aggregate reports need them for every signature, also one that does
 * not parse as a whole; so each tag is read on its own, with the same rules as {@link
 * DkimSignature#parse(CharSequence)}, and left out (null) only if it does not parse itself, is
 * absent, or appears twice. Immutable.
 */
record SignatureEvidence(
    DomainName domain,
    String selector,
    String identity,
    DkimAlgorithm algorithm,
    String signaturePrefix) {

  /** Nothing read: the message was refused before its signatures were looked at. */
  static final SignatureEvidence NONE = new SignatureEvidence(null, null, null, null, null);

  private static final int ABSENT = -1;
  private static final int TWICE = -2;

  /** The evidence of a signature that parsed. */
  static SignatureEvidence of(DkimSignature signature) {
    return new SignatureEvidence(
        signature.domain(),
        signature.selector(),
        signature.identity(),
        signature.algorithm(),
        signature.signaturePrefix());
  }

  /**
   * Reads the tags of a field value whose tag-list did not scan: from the tag-specs that do fit the
   * grammar, at most {@code maxTags} of them.
   */
  static SignatureEvidence read(String value, int maxTags) {
    return read(TagList.scanLenient(value, maxTags));
  }

  /** Reads the tags of a tag-list that scanned but is not a valid signature. */
  static SignatureEvidence read(TagList tags) {
    int a = ABSENT;
    int b = ABSENT;
    int d = ABSENT;
    int i = ABSENT;
    int s = ABSENT;
    for (int tag = 0; tag < tags.size(); tag++) {
      switch (tags.name(tag)) {
        case "a":
          a = once(a, tag);
          break;
        case "b":
          b = once(b, tag);
          break;
        case "d":
          d = once(d, tag);
          break;
        case "i":
          i = once(i, tag);
          break;
        case "s":
          s = once(s, tag);
          break;
        default:
          break;
      }
    }
    DomainName domain = null;
    String selector = null;
    String identity = null;
    DkimAlgorithm algorithm = null;
    String prefix = null;
    // Each tag on its own: a problem elsewhere in the signature does not hide this one.
    try {
      domain = d >= 0 ? DkimSignature.domain(tags, d) : null;
    } catch (DkimSyntaxException e) {
      // not a valid d=
    }
    try {
      selector = s >= 0 ? DkimSignature.selector(tags, s) : null;
    } catch (DkimSyntaxException e) {
      // not a valid s=
    }
    try {
      // RFC 6376 §3.5: i= defaults to "@" and d=. An i= outside d= is reported as claimed.
      identity =
          i >= 0
              ? DkimSignature.identity(tags, i)
              : i == ABSENT && domain != null ? "@" + domain : null;
    } catch (DkimSyntaxException e) {
      // not a valid i=
    }
    try {
      algorithm = a >= 0 ? DkimSignature.algorithm(tags, a) : null;
    } catch (DkimSyntaxException e) {
      // not a known a=
    }
    try {
      prefix = b >= 0 ? prefix(DkimSignature.nonEmptyBase64(tags, b)) : null;
    } catch (DkimSyntaxException e) {
      // not base64
    }
    return new SignatureEvidence(domain, selector, identity, algorithm, prefix);
  }

  /** RFC 6376 §3.2: a tag that appears twice has no value one could trust. */
  private static int once(int seen, int tag) {
    return seen == ABSENT ? tag : TWICE;
  }

  /** The start of {@code b=} that tells signatures apart in {@code header.b} (RFC 6008). */
  static String prefix(String signature) {
    return signature.substring(0, Math.min(8, signature.length()));
  }
}
