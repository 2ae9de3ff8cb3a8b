package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.Objects.requireNonNull;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a failure report leaves out of the failed message (RFC 9991 §7: minimize what reports
 * expose): the local parts of e-mail addresses, replaced RFC 6590 style by a fixed token or by a
 * keyed hash; whole header fields, by name; and the body, withheld unless asked for.
 *
 * <p>The default, {@link #defaults()}, replaces every local part by {@code redacted}, removes no
 * field, and withholds the body: the report carries the original's header as {@code
 * text/rfc822-headers}. With a {@linkplain Builder#hashLocalParts(byte[]) keyed hash} the same
 * local part always gives the same token, under the same key, so a domain owner can still tell one
 * recipient from many without learning who they are (RFC 6590 §4).
 *
 * <p>Local parts are found around each {@code @} in the header fields of the original and in the
 * report's address fields ({@code Original-Mail-From}, {@code Original-Rcpt-To}, {@code
 * Authentication-Results}, {@code DKIM-Identity}): the atext and dots before it (or a quoted
 * string), up to a delimiter such as {@code <}, white space or a comma, and, in the tag lists of
 * {@code DKIM-Signature}, {@code ARC-*} and {@code Authentication-Results}, an {@code =}. The
 * message ids of {@code Message-ID}, {@code In-Reply-To}, {@code References} and the like are
 * identifiers, not addresses, and are kept so that a domain owner can find the message. The body,
 * when included, is included as it is.
 *
 * <p>Immutable and thread-safe.
 */
public final class Redaction {
  /** How local parts of addresses are treated. */
  public enum LocalParts {
    /** Kept as they are. */
    KEEP,
    /** Replaced by one fixed token. */
    FIXED_TOKEN,
    /** Replaced by a token derived from the local part with a secret key (HMAC-SHA256). */
    KEYED_HASH
  }

  /** The token {@link #defaults()} puts in place of local parts. */
  public static final String DEFAULT_TOKEN = "redacted";

  /** Characters of a hashed token: 48 bits of the HMAC, in base64url. */
  private static final int HASH_CHARS = 8;

  /** Fields holding message ids rather than addresses (RFC 5322 §3.6.4, RFC 2045 §7). */
  private static final Set<String> MESSAGE_ID_FIELDS =
      Set.of(
          "message-id",
          "in-reply-to",
          "references",
          "resent-message-id",
          "content-id",
          "original-message-id");

  private static final Redaction DEFAULTS = builder().build();

  private final LocalParts localParts;
  private final String token;
  private final byte[] key;
  private final Set<String> removedFields;
  private final boolean includeBody;

  private Redaction(Builder b) {
    this.localParts = b.localParts;
    this.token = b.token;
    this.key = b.key == null ? null : b.key.clone();
    TreeSet<String> removed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    removed.addAll(b.removedFields);
    this.removedFields = java.util.Collections.unmodifiableSet(removed);
    this.includeBody = b.includeBody;
  }

  /**
   * Returns the default redaction: local parts replaced by {@value #DEFAULT_TOKEN}, no field
   * removed, the body withheld.
   *
   * @return the defaults
   */
  public static Redaction defaults() {
    return DEFAULTS;
  }

  /**
   * Starts configuring a redaction, from the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns how local parts are treated.
   *
   * @return the treatment
   */
  public LocalParts localParts() {
    return localParts;
  }

  /**
   * Returns the header fields left out of the original, whole.
   *
   * @return the names, compared without regard to case
   */
  public Set<String> removedFields() {
    return removedFields;
  }

  /**
   * Tells whether the original's body goes into the report ({@code message/rfc822}) or is withheld
   * ({@code text/rfc822-headers}).
   *
   * @return whether the body is included
   */
  public boolean includeBody() {
    return includeBody;
  }

  /** Whether a field of the original is left out. */
  boolean removes(String fieldName) {
    return removedFields.contains(fieldName.trim());
  }

  /**
   * Replaces the local parts of the addresses in a field's text.
   *
   * @param fieldName the field's name, which says whether {@code =} ends a local part and whether
   *     the field holds message ids
   * @param text the field's octets as ISO-8859-1 (so that UTF-8 local parts are replaced whole)
   * @return the text, redacted
   */
  String redactField(String fieldName, String text) {
    String name = fieldName.trim().toLowerCase(Locale.ROOT);
    if (localParts == LocalParts.KEEP || MESSAGE_ID_FIELDS.contains(name)) {
      return text;
    }
    boolean tagList =
        name.equals("dkim-signature")
            || name.startsWith("arc-")
            || name.equals("authentication-results")
            || name.equals("received-spf");
    return redact(text, tagList);
  }

  /** Replaces local parts in text where {@code =} may be part of one (an address field's value). */
  String redactAddress(String text) {
    return localParts == LocalParts.KEEP ? text : redact(text, false);
  }

  private String redact(String text, boolean equalsEnds) {
    if (text.indexOf('@') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      if (at + 1 >= text.length() || !isDomainStart(text.charAt(at + 1))) {
        continue;
      }
      int start = localStart(text, Math.max(copied, 0), at, equalsEnds);
      if (start < 0 || start == at) {
        continue; // no local part, as in DKIM-Identity's @example.com
      }
      out.append(text, copied, start).append(replacement(text.substring(start, at)));
      copied = at;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /**
   * Where the local part before an {@code @} starts: a quoted string (RFC 5322 §3.2.4) or a run of
   * atext and dots (§3.2.3); octets above 127 count as atext (RFC 6532).
   */
  private static int localStart(String text, int floor, int at, boolean equalsEnds) {
    int i = at;
    if (at > floor && text.charAt(at - 1) == '"') {
      for (i = at - 2; i >= floor; i--) {
        if (text.charAt(i) == '"' && (i == floor || text.charAt(i - 1) != '\\')) {
          return i;
        }
      }
      return -1;
    }
    while (i > floor && isLocalChar(text.charAt(i - 1), equalsEnds)) {
      i--;
    }
    return i;
  }

  private static boolean isLocalChar(char c, boolean equalsEnds) {
    if (c == '=') {
      return !equalsEnds;
    }
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c >= 0x80
        || "!#$%&'*+-/?^_`{|}~.".indexOf(c) >= 0;
  }

  private static boolean isDomainStart(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '['
        || c >= 0x80;
  }

  /** The token for one local part. */
  String replacement(String localPart) {
    switch (localParts) {
      case KEEP:
        return localPart;
      case FIXED_TOKEN:
        return token;
      default:
        try {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(key, "HmacSHA256"));
          // The octets as received (ISO-8859-1 keeps them), in lower case for ASCII: local parts
          // are case-sensitive in principle but not in practice (RFC 5321 §2.4).
          byte[] digest = mac.doFinal(localPart.toLowerCase(Locale.ROOT).getBytes(ISO_8859_1));
          return Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(digest)
              .substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
          throw new IllegalStateException("HmacSHA256 is in every Java platform", e);
        }
    }
  }

  @Override
  public String toString() {
    return "local parts "
        + localParts.name().toLowerCase(Locale.ROOT)
        + (localParts == LocalParts.FIXED_TOKEN ? " " + token : "")
        + ", removed "
        + removedFields
        + (includeBody ? ", body included" : ", body withheld");
  }

  /** Configures a {@link Redaction}; not thread-safe. */
  public static final class Builder {
    private LocalParts localParts = LocalParts.FIXED_TOKEN;
    private String token = DEFAULT_TOKEN;
    private byte[] key;
    private final Set<String> removedFields = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private boolean includeBody;

    private Builder() {}

    /**
     * Keeps local parts as they are.
     *
     * @return this builder
     */
    public Builder keepLocalParts() {
      this.localParts = LocalParts.KEEP;
      this.key = null;
      return this;
    }

    /**
     * Replaces every local part by one token. Default {@value #DEFAULT_TOKEN}.
     *
     * @param token a dot-atom-text of 1 to 64 characters (RFC 5322 §3.2.3), so that the address
     *     stays an address
     * @return this builder
     * @throws IllegalArgumentException for another token
     */
    public Builder replaceLocalParts(String token) {
      requireNonNull(token, "token");
      if (token.isEmpty()
          || token.length() > 64
          || token.startsWith(".")
          || token.endsWith(".")
          || token.contains("..")
          || !token.chars().allMatch(c -> c < 0x80 && c != '=' && isLocalChar((char) c, true))) {
        throw new IllegalArgumentException(
            "not a dot-atom-text token: " + DmarcReportException.quote(token));
      }
      this.localParts = LocalParts.FIXED_TOKEN;
      this.token = token;
      this.key = null;
      return this;
    }

    /**
     * Replaces every local part by the first 8 characters of the base64url HMAC-SHA256 of it (ASCII
     * letters in lower case) under a secret key, as RFC 6590 suggests: the same local part gives
     * the same token. Keep the key secret and stable; a short key lets anyone guess the local parts
     * of common addresses.
     *
     * @param key at least 16 bytes (copied)
     * @return this builder
     * @throws IllegalArgumentException for a shorter key
     */
    public Builder hashLocalParts(byte[] key) {
      requireNonNull(key, "key");
      if (key.length < 16) {
        throw new IllegalArgumentException("the key needs 16 bytes or more: " + key.length);
      }
      this.localParts = LocalParts.KEYED_HASH;
      this.key = key.clone();
      return this;
    }

    /**
     * Leaves header fields of the original out of the report, whole.
     *
     * @param names field names such as {@code Subject} or {@code X-Customer-Id}, in any case
     * @return this builder
     */
    public Builder removeFields(Collection<String> names) {
      for (String name : names) {
        if (requireNonNull(name, "name").isBlank()) {
          throw new IllegalArgumentException("an empty field name");
        }
        removedFields.add(name.trim());
      }
      return this;
    }

    /**
     * Sets whether the original's body goes into the report, as {@code message/rfc822}. Default
     * false: RFC 9991 §7 counts bodies among the most sensitive parts of a report.
     *
     * @param include whether to include the body
     * @return this builder
     */
    public Builder includeBody(boolean include) {
      this.includeBody = include;
      return this;
    }

    /**
     * Builds the redaction.
     *
     * @return the redaction
     */
    public Redaction build() {
      return new Redaction(this);
    }
  }
}
