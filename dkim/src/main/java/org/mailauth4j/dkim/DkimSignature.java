package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * The value of a DKIM-Signature header field (RFC 6376 §3.5), parsed and checked. Immutable; RFC
 * defaults are applied ({@code c=simple/simple}, {@code i=@d}).
 *
 * <p>A parsed signature is well-formed: all required tags are present, the algorithm and
 * canonicalizations are known, {@code h=} includes From, the domain of {@code i=} is within {@code
 * d=}, and {@code x=} is after {@code t=}. Whether it verifies is for {@link DkimVerifier} to find
 * out.
 *
 * <p>A record, since its components are the tags of the DKIM-Signature field (RFC 6376 §3.5), which
 * later versions do not change.
 *
 * @param algorithm {@code a=}
 * @param signature {@code b=}, base64 with whitespace removed
 * @param bodyHash {@code bh=}, base64 with whitespace removed
 * @param headerCanonicalization the header part of {@code c=}; simple by default
 * @param bodyCanonicalization the body part of {@code c=}; simple by default
 * @param domain {@code d=}, the signing domain (SDID)
 * @param signedHeaders {@code h=}, the names of the signed header fields as written, in order
 * @param identity {@code i=}, the agent or user identifier (AUID); {@code @} and {@code d=} by
 *     default
 * @param bodyLength {@code l=}, the number of canonicalized body octets signed; empty for all
 * @param selector {@code s=}, as written
 * @param timestamp {@code t=}, when it was signed; {@link Instant#MAX} for a value of more than 12
 *     digits, which RFC 6376 §3.5 allows to be treated as infinite
 * @param expiration {@code x=}, when it expires; {@link Instant#MAX} likewise
 * @param copiedHeaders {@code z=}, copied header fields for diagnostics, as written (never used in
 *     verification)
 */
public record DkimSignature(
    DkimAlgorithm algorithm,
    String signature,
    String bodyHash,
    Canonicalization headerCanonicalization,
    Canonicalization bodyCanonicalization,
    DomainName domain,
    List<String> signedHeaders,
    String identity,
    OptionalLong bodyLength,
    String selector,
    Optional<Instant> timestamp,
    Optional<Instant> expiration,
    Optional<String> copiedHeaders) {

  /**
   * Creates a signature value, copying the header list.
   *
   * @param algorithm {@code a=}
   * @param signature {@code b=}
   * @param bodyHash {@code bh=}
   * @param headerCanonicalization header part of {@code c=}
   * @param bodyCanonicalization body part of {@code c=}
   * @param domain {@code d=}
   * @param signedHeaders {@code h=}
   * @param identity {@code i=}
   * @param bodyLength {@code l=}
   * @param selector {@code s=}
   * @param timestamp {@code t=}
   * @param expiration {@code x=}
   * @param copiedHeaders {@code z=}
   */
  public DkimSignature {
    requireNonNull(algorithm, "algorithm");
    requireNonNull(signature, "signature");
    requireNonNull(bodyHash, "bodyHash");
    requireNonNull(headerCanonicalization, "headerCanonicalization");
    requireNonNull(bodyCanonicalization, "bodyCanonicalization");
    requireNonNull(domain, "domain");
    signedHeaders = List.copyOf(signedHeaders);
    requireNonNull(identity, "identity");
    requireNonNull(bodyLength, "bodyLength");
    requireNonNull(selector, "selector");
    requireNonNull(timestamp, "timestamp");
    requireNonNull(expiration, "expiration");
    requireNonNull(copiedHeaders, "copiedHeaders");
  }

  /**
   * Parses the value of a DKIM-Signature header field: what follows {@code DKIM-Signature:}.
   *
   * @param value the field value, possibly folded
   * @return the checked signature
   * @throws DkimSyntaxException with the problem and the index where it is
   */
  public static DkimSignature parse(CharSequence value) {
    return fromTags(
        TagList.scan(value.toString(), DkimProblem.SIGNATURE_SYNTAX, TagList.UNLIMITED));
  }

  /*
   * sig-v-tag = %x76 [FWS] "=" [FWS] 1*DIGIT          ; must be "1"
   * sig-a-tag = %x61 [FWS] "=" [FWS] sig-a-tag-k "-" sig-a-tag-h
   * sig-c-tag = %x63 [FWS] "=" [FWS] sig-c-tag-alg ["/" sig-c-tag-alg]
   * sig-h-tag = %x68 [FWS] "=" [FWS] hdr-name *( [FWS] ":" [FWS] hdr-name )
   * sig-i-tag = %x69 [FWS] "=" [FWS] [ Local-part ] "@" domain-name
   * sig-l-tag = %x6c [FWS] "=" [FWS] 1*76DIGIT
   * sig-q-tag = %x71 [FWS] "=" [FWS] sig-q-tag-method *([FWS] ":" [FWS] sig-q-tag-method)
   * sig-t-tag = %x74 [FWS] "=" [FWS] 1*12DIGIT        ; x= likewise
   */
  static DkimSignature fromTags(TagList tags) {
    String text = tags.text();
    int v = -1;
    int a = -1;
    int b = -1;
    int bh = -1;
    int c = -1;
    int d = -1;
    int h = -1;
    int i = -1;
    int l = -1;
    int q = -1;
    int s = -1;
    int t = -1;
    int x = -1;
    int z = -1;
    for (int tag = 0; tag < tags.size(); tag++) {
      switch (tags.name(tag)) {
        case "v":
          v = tag;
          break;
        case "a":
          a = tag;
          break;
        case "b":
          b = tag;
          break;
        case "bh":
          bh = tag;
          break;
        case "c":
          c = tag;
          break;
        case "d":
          d = tag;
          break;
        case "h":
          h = tag;
          break;
        case "i":
          i = tag;
          break;
        case "l":
          l = tag;
          break;
        case "q":
          q = tag;
          break;
        case "s":
          s = tag;
          break;
        case "t":
          t = tag;
          break;
        case "x":
          x = tag;
          break;
        case "z":
          z = tag;
          break;
        default:
          break; // RFC 6376 §3.2: unknown tags are ignored
      }
    }
    // RFC 6376 §6.1.1: v, a, b, bh, d, h and s are required.
    String missing =
        v < 0
            ? "v"
            : a < 0
                ? "a"
                : b < 0 ? "b" : bh < 0 ? "bh" : d < 0 ? "d" : h < 0 ? "h" : s < 0 ? "s" : null;
    if (missing != null) {
      throw tags.error(
          text.length(), DkimProblem.MISSING_REQUIRED_TAG, "required tag " + missing + " missing");
    }
    if (!tags.value(v).equals("1")) {
      throw tags.error(tags.valueStart(v), DkimProblem.UNSUPPORTED_VERSION, "version must be 1");
    }
    DkimAlgorithm algorithm = algorithm(tags, a);
    String signature = nonEmptyBase64(tags, b);
    String bodyHash = nonEmptyBase64(tags, bh);

    Canonicalization headerCanon = Canonicalization.SIMPLE;
    Canonicalization bodyCanon = Canonicalization.SIMPLE;
    if (c >= 0) {
      String value = tags.value(c);
      int slash = value.indexOf('/');
      headerCanon = canonicalization(tags, c, slash < 0 ? value : value.substring(0, slash));
      if (slash >= 0) {
        bodyCanon = canonicalization(tags, c, value.substring(slash + 1));
      }
    }

    DomainName domain = domain(tags, d, tags.value(d));
    List<String> signedHeaders = headerNames(tags, h);
    boolean fromSigned = false;
    for (String name : signedHeaders) {
      fromSigned |= name.equalsIgnoreCase("from");
    }
    if (!fromSigned) {
      // RFC 6376 §5.4: the From header field MUST be signed.
      throw tags.error(tags.valueStart(h), DkimProblem.FROM_NOT_SIGNED, "h= does not include From");
    }

    String identity = "@" + domain;
    if (i >= 0) {
      identity = identity(tags, i);
      DomainName identityDomain = domainOf(identity);
      // RFC 6376 §3.5: the AUID's domain must be the SDID or a subdomain of it.
      if (!identityDomain.isWithin(domain)) {
        throw tags.error(
            tags.valueStart(i),
            DkimProblem.IDENTITY_OUTSIDE_DOMAIN,
            "i= domain " + identityDomain + " is not within d=" + domain);
      }
    }

    OptionalLong bodyLength =
        l < 0 ? OptionalLong.empty() : OptionalLong.of(digits(tags, l, Long.MAX_VALUE));

    if (q >= 0 && !offersDnsTxt(tags.value(q))) {
      throw tags.error(
          tags.valueStart(q),
          DkimProblem.UNSUPPORTED_QUERY_METHOD,
          "q= does not offer dns/txt: " + tags.value(q));
    }

    String selector = selector(tags, s);

    Optional<Instant> timestamp = t < 0 ? Optional.empty() : Optional.of(instant(tags, t));
    Optional<Instant> expiration = x < 0 ? Optional.empty() : Optional.of(instant(tags, x));
    if (timestamp.isPresent()
        && expiration.isPresent()
        && !expiration.get().isAfter(timestamp.get())) {
      throw tags.error(
          tags.valueStart(x), DkimProblem.EXPIRATION_NOT_AFTER_TIMESTAMP, "x= must be after t=");
    }
    Optional<String> copied = z < 0 ? Optional.empty() : Optional.of(tags.value(z));

    return new DkimSignature(
        algorithm,
        signature,
        bodyHash,
        headerCanon,
        bodyCanon,
        domain,
        signedHeaders,
        identity,
        bodyLength,
        selector,
        timestamp,
        expiration,
        copied);
  }

  // --- each tag on its own, for the parse above and for SignatureEvidence ---

  /** {@code a=}: a known algorithm (RFC 6376 §3.5, RFC 8463 §4.1). */
  static DkimAlgorithm algorithm(TagList tags, int a) {
    return DkimAlgorithm.fromToken(tags.value(a))
        .orElseThrow(
            () ->
                tags.error(
                    tags.valueStart(a),
                    DkimProblem.UNSUPPORTED_ALGORITHM,
                    "unknown algorithm " + tags.value(a)));
  }

  /** {@code d=}: the signing domain. */
  static DomainName domain(TagList tags, int d) {
    return domain(tags, d, tags.value(d));
  }

  /** {@code s=}: RFC 6376 §3.5 sub-domain *("." sub-domain), underscores allowed as for d=. */
  static String selector(TagList tags, int s) {
    String selector = tags.value(s);
    if (nameViolation(selector) >= 0 || selector.endsWith(".") || !DomainName.isValid(selector)) {
      throw tags.error(tags.valueStart(s), "selector is not a valid DNS name: " + selector);
    }
    return selector;
  }

  /**
   * {@code i=}, decoded from dkim-quoted-printable (RFC 6376 §3.5), with an {@code @} and a valid
   * domain after it; whether that domain is within {@code d=} is checked by the caller.
   */
  static String identity(TagList tags, int i) {
    String identity = quotedPrintable(tags, i);
    int at = identity.lastIndexOf('@');
    if (at < 0) {
      throw tags.error(tags.valueStart(i), "i= has no '@'");
    }
    domain(tags, i, identity.substring(at + 1));
    return identity;
  }

  /** The domain of a checked identity. */
  static DomainName domainOf(String identity) {
    return DomainName.parse(identity.substring(identity.lastIndexOf('@') + 1));
  }

  /** {@code b=} or {@code bh=}: base64, FWS removed, not empty. */
  static String nonEmptyBase64(TagList tags, int tag) {
    String value = base64(tags, tag);
    if (value.isEmpty()) {
      throw tags.error(tags.valueStart(tag), "empty base64 value");
    }
    return value;
  }

  private static String base64(TagList tags, int tag) {
    String value = TagList.withoutWhitespace(tags.value(tag));
    if (!TagList.isBase64(value)) {
      throw tags.error(
          TagList.firstNonBase64(tags.text(), tags.valueStart(tag), tags.value(tag).length()),
          "malformed base64 in " + tags.name(tag) + "=");
    }
    return value;
  }

  /**
   * Decodes dkim-quoted-printable (RFC 6376 §2.11): {@code =XX} is an octet, whitespace is ignored.
   * Decoded octets are read as UTF-8 (RFC 8616 §4).
   */
  private static String quotedPrintable(TagList tags, int tag) {
    String value = tags.value(tag);
    if (value.indexOf('=') < 0 && TagList.withoutWhitespace(value).equals(value)) {
      return value;
    }
    ByteSink octets = new ByteSink(value.length());
    for (int k = 0; k < value.length(); k++) {
      char ch = value.charAt(k);
      if (ch == '=') {
        int hi = k + 2 < value.length() ? Character.digit(value.charAt(k + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(value.charAt(k + 2), 16);
        if (lo < 0) {
          throw tags.error(tags.valueStart(tag) + k, "'=' not followed by two hex digits in i=");
        }
        octets.write(hi << 4 | lo);
        k += 2;
      } else if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
        octets.write(ch);
      }
    }
    return new String(octets.array(), 0, octets.size(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Canonicalization canonicalization(TagList tags, int tag, String name) {
    return Canonicalization.fromToken(name)
        .orElseThrow(
            () ->
                tags.error(
                    tags.valueStart(tag),
                    DkimProblem.UNSUPPORTED_CANONICALIZATION,
                    "unknown canonicalization " + name));
  }

  /*
   * sig-d-tag   = %x64 [FWS] "=" [FWS] domain-name
   * domain-name = sub-domain 1*("." sub-domain)     ; RFC 5321 §4.1.2, as RFC 6376 §3.5 says
   * sub-domain  = Let-dig [Ldh-str]                 ; letters, digits, inner hyphens
   *
   * Underscores are accepted too, wherever a letter is: RFC 6376 does not allow them, but
   * deployed signers and selectors use them, and verifiers accept them. DomainName accepts any
   * octet DNS allows (RFC 2181 §11), so this character set is checked here, for d=, s= and the
   * domain of i=. A trailing dot is accepted (and dropped) in d= and i=, as it always has been.
   */
  private static DomainName domain(TagList tags, int tag, String name) {
    if (nameViolation(name) >= 0) {
      throw tags.error(
          tags.valueStart(tag),
          tags.name(tag)
              + "= is not a valid domain: only letters, digits, inner hyphens and"
              + " underscores are allowed in a label");
    }
    DomainName domain;
    try {
      domain = DomainName.parse(name);
    } catch (DnsSyntaxException e) {
      throw tags.error(
          tags.valueStart(tag), tags.name(tag) + "= is not a valid domain: " + e.reason());
    }
    // An internationalized i= domain (dkim-quoted-printable UTF-8) is checked in A-label form.
    if (nameViolation(domain.toString()) >= 0) {
      throw tags.error(
          tags.valueStart(tag),
          tags.name(tag) + "= is not a valid domain: " + domain + " is not letters-digits-hyphen");
    }
    return domain;
  }

  /**
   * Tells whether a name, as written, is what DKIM accepts for {@code d=} and {@code s=}: labels of
   * letters, digits, hyphens and underscores, not starting or ending with a hyphen, separated by
   * single dots, with an optional trailing dot. Characters beyond ASCII are left for the IDNA
   * conversion of {@link DomainName#parse(CharSequence)} to judge.
   *
   * @return the index of the first character that does not fit, or -1 if none
   */
  static int nameViolation(CharSequence name) {
    int n = name.length();
    if (n == 0) {
      return 0;
    }
    int labelStart = 0;
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (i == labelStart) {
          return i; // an empty label (a trailing dot after a label is not one)
        }
        if (name.charAt(i - 1) == '-') {
          return i - 1; // RFC 5321 §4.1.2: no hyphen at the end of a label
        }
        labelStart = i + 1;
      } else if (c == '-') {
        if (i == labelStart) {
          return i; // RFC 5321 §4.1.2: no hyphen at the start of a label
        }
      } else if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '_'
          || c >= 0x80)) {
        return i;
      }
    }
    return name.charAt(n - 1) == '-' ? n - 1 : -1;
  }

  private static List<String> headerNames(TagList tags, int tag) {
    String value = tags.value(tag);
    List<String> names = new ArrayList<>();
    int start = 0;
    while (true) {
      int colon = value.indexOf(':', start);
      String name =
          TagList.withoutWhitespace(
              colon < 0 ? value.substring(start) : value.substring(start, colon));
      if (name.isEmpty()) {
        throw tags.error(tags.valueStart(tag) + start, "empty header field name in h=");
      }
      for (int k = 0; k < name.length(); k++) {
        char ch = name.charAt(k);
        // field-name = 1*ftext; ftext = %d33-57 / %d59-126 (RFC 5322 §3.6.8)
        if (ch < 33 || ch > 126) {
          throw tags.error(
              tags.valueStart(tag) + start, "header field name with " + TagList.describe(ch));
        }
      }
      names.add(name);
      if (colon < 0) {
        return names;
      }
      start = colon + 1;
    }
  }

  private static boolean offersDnsTxt(String methods) {
    for (String method : methods.split(":", -1)) {
      String m = TagList.withoutWhitespace(method).toLowerCase(Locale.ROOT);
      if (m.equals("dns/txt") || m.startsWith("dns/txt/")) {
        return true;
      }
    }
    return false;
  }

  private static long digits(TagList tags, int tag, long saturated) {
    String value = tags.value(tag);
    if (value.isEmpty()) {
      throw tags.error(tags.valueStart(tag), "expected digits in " + tags.name(tag) + "=");
    }
    for (int k = 0; k < value.length(); k++) {
      if (value.charAt(k) < '0' || value.charAt(k) > '9') {
        throw tags.error(tags.valueStart(tag) + k, "expected digits in " + tags.name(tag) + "=");
      }
    }
    return value.length() > 18 ? saturated : Long.parseLong(value);
  }

  private static Instant instant(TagList tags, int tag) {
    long seconds = digits(tags, tag, Long.MAX_VALUE);
    // RFC 6376 §3.5: values of more than 12 digits may be treated as infinite.
    return tags.value(tag).length() > 12 ? Instant.MAX : Instant.ofEpochSecond(seconds);
  }

  /**
   * Returns the domain of {@link #identity()}.
   *
   * @return {@link #domain()} unless {@code i=} names a subdomain
   */
  public DomainName identityDomain() {
    return domainOf(identity);
  }

  /**
   * Returns the name where the key lives: {@code <selector>._domainkey.<domain>} (RFC 6376
   * §3.6.2.1).
   *
   * @return the key's DNS name
   * @throws DnsSyntaxException if selector and domain together exceed the DNS name limits
   */
  public DomainName keyName() {
    return domain.prepend(selector + "._domainkey");
  }

  /**
   * Returns the start of {@code b=} that Authentication-Results reports as {@code header.b} to tell
   * signatures apart (RFC 6008): the first eight characters.
   *
   * @return up to eight base64 characters
   */
  public String signaturePrefix() {
    return SignatureEvidence.prefix(signature);
  }

  /**
   * Decodes {@code b=}.
   *
   * @return a fresh array
   */
  public byte[] signatureBytes() {
    return Base64.getDecoder().decode(signature);
  }

  /**
   * Decodes {@code bh=}.
   *
   * @return a fresh array
   */
  public byte[] bodyHashBytes() {
    return Base64.getDecoder().decode(bodyHash);
  }
}
