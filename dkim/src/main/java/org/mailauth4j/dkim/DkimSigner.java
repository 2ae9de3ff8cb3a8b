package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.mailauth4j.dns.DomainName;

/**
 * Signs messages with DKIM (RFC 6376 §5): one DKIM-Signature per configured key, so that a message
 * can carry an RSA and an Ed25519 signature at once (RFC 8463 §3 advises both).
 *
 * <p>By default it signs with {@code c=relaxed/relaxed}, sets {@code t=}, signs the header fields
 * RFC 6376 §5.4.1 recommends that the message has, and over-signs the important ones (From, To, Cc,
 * Subject, Date, Reply-To, Message-ID and the list headers) once more than they appear, so that
 * adding such a field later breaks the signature (§8.15). It never emits {@code l=} unless asked.
 *
 * <p>The body is canonicalized and hashed as it streams, once for all keys; signing a message of
 * any size from an {@link InputStream} needs memory for its header only. Bare-LF line ends are
 * treated as CRLF. The returned fields end in CRLF; put them on top of the header, in order.
 *
 * <p>Signing does no I/O beyond reading the given stream, so it has no asynchronous form. Instances
 * are immutable and thread-safe.
 *
 * <pre>{@code
 * DkimSigner signer = DkimSigner.builder()
 *     .key(DomainName.parse("example.com"), "rsa2026", DkimSigningKey.fromPem(rsaPem))
 *     .key(DomainName.parse("example.com"), "ed2026", DkimSigningKey.fromPem(ed25519Pem))
 *     .build();
 * byte[] signed = signer.signMessage(message);
 * }</pre>
 */
public final class DkimSigner {
  /** RFC 6376 §5.4.1: fields that should be signed when present. */
  public static final List<String> DEFAULT_SIGNED_HEADERS =
      List.of(
          "From",
          "Reply-To",
          "Subject",
          "Date",
          "To",
          "Cc",
          "Message-ID",
          "In-Reply-To",
          "References",
          "MIME-Version",
          "Content-Type",
          "Content-Transfer-Encoding",
          "Resent-Date",
          "Resent-From",
          "Resent-To",
          "Resent-Cc",
          "List-Id",
          "List-Help",
          "List-Unsubscribe",
          "List-Unsubscribe-Post",
          "List-Subscribe",
          "List-Post",
          "List-Owner",
          "List-Archive");

  /** RFC 6376 §8.15: fields whose addition after signing must break the signature. */
  public static final List<String> DEFAULT_OVERSIGNED_HEADERS =
      List.of(
          "From",
          "Reply-To",
          "Subject",
          "Date",
          "To",
          "Cc",
          "Message-ID",
          "List-Id",
          "List-Unsubscribe",
          "List-Unsubscribe-Post");

  private static final int CHUNK = 64 * 1024;
  private static final int LINE = 76;

  /** RFC 6376 §3.5: t= and x= are 1*12DIGIT. */
  private static final long LARGEST_TIME = 999_999_999_999L;

  private static final MessageHeader.Limits LIMITS =
      new MessageHeader.Limits(16 * 1024 * 1024, 100_000, 1024 * 1024);

  private final List<Identity> identities;
  private final Canonicalization headerCanonicalization;
  private final Canonicalization bodyCanonicalization;
  private final List<String> signedHeaders;
  private final List<String> overSignedHeaders;
  private final Optional<String> identity;
  private final boolean bodyLength;
  private final boolean timestamp;
  private final Optional<Duration> expireAfter;
  private final Clock clock;

  /** One signature to make: where the key is published, and the key. */
  private record Identity(DomainName domain, String selector, DkimSigningKey key) {}

  private DkimSigner(Builder b) {
    this.identities = List.copyOf(b.identities);
    this.headerCanonicalization = b.headerCanonicalization;
    this.bodyCanonicalization = b.bodyCanonicalization;
    this.signedHeaders = List.copyOf(b.signedHeaders);
    this.overSignedHeaders = List.copyOf(b.overSignedHeaders);
    this.identity = b.identity;
    this.bodyLength = b.bodyLength;
    this.timestamp = b.timestamp;
    this.expireAfter = b.expireAfter;
    this.clock = b.clock;
  }

  /**
   * Starts configuring a signer.
   *
   * @return a builder; add at least one {@link Builder#key key}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs a message held in memory.
   *
   * @param message the raw message
   * @return one complete DKIM-Signature field per key, each ending in CRLF, to be put on top of the
   *     header in this order
   */
  public List<String> sign(byte[] message) {
    return sign(message, 0, message.length);
  }

  /**
   * Signs a message held in part of an array.
   *
   * @param message the array
   * @param offset where the message starts
   * @param length how many octets it has
   * @return one DKIM-Signature field per key, each ending in CRLF
   */
  public List<String> sign(byte[] message, int offset, int length) {
    if (offset < 0 || length < 0 || offset > message.length - length) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + ", length " + length + ", array " + message.length);
    }
    MessageHeader header = header(message, offset, length);
    BodyHash body = new BodyHash(bodyCanonicalization);
    int end = offset + length;
    for (int i = header.bodyOffset(); i < end; i += CHUNK) {
      body.update(message, i, Math.min(CHUNK, end - i));
    }
    return fields(header, body.finish());
  }

  /**
   * Signs a message in a buffer, from its position to its limit, leaving the position as it was.
   *
   * @param message the raw message
   * @return one DKIM-Signature field per key, each ending in CRLF
   */
  public List<String> sign(ByteBuffer message) {
    if (message.hasArray()) {
      return sign(message.array(), message.arrayOffset() + message.position(), message.remaining());
    }
    ByteBuffer copy = message.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return sign(bytes);
  }

  /**
   * Signs a message read from a stream, holding only its header in memory. The stream is read to
   * its end but not closed.
   *
   * @param message the raw message
   * @return one DKIM-Signature field per key, each ending in CRLF
   * @throws UncheckedIOException if the stream cannot be read
   */
  public List<String> sign(InputStream message) {
    try {
      MessageHeader.Streamed streamed = MessageHeader.read(message, LIMITS);
      MessageHeader header = streamed.header();
      BodyHash body = new BodyHash(bodyCanonicalization);
      body.update(header.bytes(), header.bodyOffset(), streamed.filled() - header.bodyOffset());
      byte[] chunk = new byte[CHUNK];
      for (int read = message.read(chunk); read >= 0; read = message.read(chunk)) {
        body.update(chunk, 0, read);
      }
      return fields(header, body.finish());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the message", e);
    } catch (MessageHeader.HeaderLimitException e) {
      throw new IllegalArgumentException("the message header is too large to sign", e);
    }
  }

  /**
   * Signs a message and returns it with the signature fields on top.
   *
   * @param message the raw message
   * @return a new array: the DKIM-Signature fields followed by the message
   */
  public byte[] signMessage(byte[] message) {
    StringBuilder fields = new StringBuilder();
    for (String field : sign(message)) {
      fields.append(field);
    }
    byte[] top = fields.toString().getBytes(US_ASCII);
    byte[] signed = new byte[top.length + message.length];
    System.arraycopy(top, 0, signed, 0, top.length);
    System.arraycopy(message, 0, signed, top.length, message.length);
    return signed;
  }

  private static MessageHeader header(byte[] message, int offset, int length) {
    try {
      return MessageHeader.scan(message, offset, length, LIMITS);
    } catch (MessageHeader.HeaderLimitException e) {
      throw new IllegalArgumentException("the message header is too large to sign", e);
    }
  }

  /** The canonicalized body's SHA-256 and length; every algorithm a signer uses is SHA-256. */
  private static final class BodyHash {
    final BodyHashOutput output;
    final BodyCanonicalizer canonicalizer;

    BodyHash(Canonicalization c) {
      try {
        output =
            new BodyHashOutput(
                new MessageDigest[] {MessageDigest.getInstance("SHA-256")},
                new long[] {Long.MAX_VALUE});
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
      canonicalizer = BodyCanonicalizer.of(c, output);
    }

    void update(byte[] b, int off, int len) {
      canonicalizer.update(b, off, len);
    }

    BodyHash finish() {
      canonicalizer.finish();
      return this;
    }
  }

  private List<String> fields(MessageHeader header, BodyHash body) {
    if (header.fields("From").isEmpty()) {
      throw new IllegalArgumentException(
          "the message has no From header field, which RFC 6376 §5.4 requires to be signed");
    }
    String bodyHash = Base64.getEncoder().encodeToString(body.output.digest(0).digest());
    List<String> names = headerNames(header);
    Instant now = clock.instant();
    List<String> fields = new ArrayList<>(identities.size());
    ByteSink data = new ByteSink(4096);
    for (Identity id : identities) {
      List<String> tags = new ArrayList<>();
      tags.add("v=1");
      tags.add("a=" + id.key().algorithm().token());
      tags.add("c=" + headerCanonicalization.token() + "/" + bodyCanonicalization.token());
      tags.add("d=" + id.domain());
      tags.add("s=" + id.selector());
      identity.ifPresent(i -> tags.add("i=" + i));
      if (timestamp) {
        tags.add("t=" + now.getEpochSecond());
      }
      expireAfter.ifPresent(d -> tags.add("x=" + expiration(now, d)));
      if (bodyLength) {
        tags.add("l=" + body.output.length());
      }
      String unsigned = fold(tags, names, bodyHash);

      // RFC 6376 §3.7: the signed fields, then this field with an empty b= and no final CRLF.
      data.reset();
      HeaderCanonicalizer.appendSignedFields(headerCanonicalization, header, names, -1, data);
      byte[] field = unsigned.getBytes(US_ASCII);
      int colon = unsigned.indexOf(':');
      HeaderCanonicalizer.append(
          headerCanonicalization, field, 0, colon, field.length, -1, -1, data);
      byte[] signature = id.key().sign(data.array(), data.size());
      fields.add(unsigned + foldBase64(Base64.getEncoder().encodeToString(signature)) + "\r\n");
    }
    return List.copyOf(fields);
  }

  /**
   * x= for a signature made now: the validity is any positive Duration, whose sum with now may
   * overflow an Instant; past twelve digits, x= is the largest twelve-digit time, in 33658.
   */
  private static long expiration(Instant now, Duration validity) {
    if (validity.getSeconds() >= LARGEST_TIME - now.getEpochSecond()) {
      return LARGEST_TIME;
    }
    return now.plus(validity).getEpochSecond(); // at most LARGEST_TIME, nanoseconds carried
  }

  /** h=: the configured names present in the message, plus over-signing. */
  private List<String> headerNames(MessageHeader header) {
    List<String> names = new ArrayList<>();
    Set<String> overSigned = new LinkedHashSet<>();
    for (String name : overSignedHeaders) {
      overSigned.add(name.toLowerCase(Locale.ROOT));
    }
    for (String name : signedHeaders) {
      String lower = name.toLowerCase(Locale.ROOT);
      int present = 0;
      for (int f = 0; f < header.fieldCount(); f++) {
        if (header.hasName(f, name)) {
          present++;
        }
      }
      int times = present + (overSigned.contains(lower) ? 1 : 0);
      for (int k = 0; k < times; k++) {
        names.add(name);
      }
    }
    return names;
  }

  /** Lays out the field up to an empty {@code b=}, folded to lines of about 76 characters. */
  private static String fold(List<String> tags, List<String> names, String bodyHash) {
    StringBuilder sb = new StringBuilder("DKIM-Signature:");
    int column = sb.length();
    List<String> all = new ArrayList<>(tags);
    all.add(headerTag(names));
    all.add("bh=" + bodyHash);
    for (String tag : all) {
      String piece = tag + ";";
      if (column + 1 + piece.length() > LINE && column > 1) {
        sb.append("\r\n\t");
        column = 1;
      } else {
        sb.append(' ');
        column++;
      }
      if (piece.startsWith("h=")) {
        column = appendFoldedList(sb, piece, column);
      } else {
        sb.append(piece);
        column += piece.length();
      }
    }
    sb.append("\r\n\tb=");
    return sb.toString();
  }

  private static String headerTag(List<String> names) {
    return "h=" + String.join(":", names);
  }

  /** h= may be folded before a colon (RFC 6376 §3.5: FWS is allowed around it). */
  private static int appendFoldedList(StringBuilder sb, String piece, int column) {
    int start = 0;
    while (start < piece.length()) {
      int colon = piece.indexOf(':', start + 1);
      int end = colon < 0 ? piece.length() : colon;
      String part = piece.substring(start, end);
      if (column + part.length() > LINE && column > 1) {
        sb.append("\r\n\t");
        column = 1;
      }
      sb.append(part);
      column += part.length();
      start = end;
    }
    return column;
  }

  /** b= folded into lines; whitespace inside base64 is ignored by verifiers (RFC 6376 §3.5). */
  private static String foldBase64(String value) {
    StringBuilder sb = new StringBuilder(value.length() + value.length() / 60 * 3);
    int column = 3; // after "\tb="
    for (int i = 0; i < value.length(); ) {
      int take = Math.min(LINE - column, value.length() - i);
      sb.append(value, i, i + take);
      i += take;
      if (i < value.length()) {
        sb.append("\r\n\t");
        column = 1;
      }
    }
    return sb.toString();
  }

  /** Configures a {@link DkimSigner}. Not thread-safe; build once, then share the result. */
  public static final class Builder {
    private final List<Identity> identities = new ArrayList<>();
    private Canonicalization headerCanonicalization = Canonicalization.RELAXED;
    private Canonicalization bodyCanonicalization = Canonicalization.RELAXED;
    private List<String> signedHeaders = DEFAULT_SIGNED_HEADERS;
    private List<String> overSignedHeaders = DEFAULT_OVERSIGNED_HEADERS;
    private Optional<String> identity = Optional.empty();
    private boolean bodyLength;
    private boolean timestamp = true;
    private Optional<Duration> expireAfter = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private boolean allowShortRsaKeys;

    private Builder() {}

    /**
     * Adds a signature to make: with this key, published at {@code <selector>._domainkey.<domain>}.
     *
     * @param domain the signing domain, {@code d=}
     * @param selector the selector, {@code s=}
     * @param key the private key
     * @return this builder
     */
    public Builder key(DomainName domain, String selector, DkimSigningKey key) {
      requireNonNull(domain, "domain");
      requireNonNull(key, "key");
      // RFC 6376 §3.5: d= and s= are letters, digits and inner hyphens (underscores allowed), the
      // same check the verifier makes; a DomainName may hold other octets DNS allows.
      if (DkimSignature.nameViolation(domain.toString()) >= 0) {
        throw new IllegalArgumentException("not a valid d= domain: " + domain);
      }
      if (DkimSignature.nameViolation(requireNonNull(selector, "selector")) >= 0
          || selector.endsWith(".")
          || !DomainName.isValid(selector)) {
        throw new IllegalArgumentException("not a valid selector: " + selector);
      }
      domain.prepend(selector + "._domainkey"); // fails now if the key name would be too long
      identities.add(new Identity(domain, selector, key));
      return this;
    }

    /**
     * Sets the canonicalizations. Default relaxed for both, which survives the rewriting common on
     * the way.
     *
     * @param header for the header fields
     * @param body for the body
     * @return this builder
     */
    public Builder canonicalization(Canonicalization header, Canonicalization body) {
      this.headerCanonicalization = requireNonNull(header, "header");
      this.bodyCanonicalization = requireNonNull(body, "body");
      return this;
    }

    /**
     * Sets the header fields to sign when the message has them, every instance of each. Default
     * {@link #DEFAULT_SIGNED_HEADERS}. From is always signed.
     *
     * @param names field names
     * @return this builder
     */
    public Builder signedHeaders(List<String> names) {
      List<String> distinct = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      for (String name : names) {
        if (seen.add(requireNonNull(name, "name").toLowerCase(Locale.ROOT))) {
          distinct.add(name); // each name already covers every instance of the field
        }
      }
      if (!seen.contains("from")) {
        distinct.add(0, "From"); // RFC 6376 §5.4: From MUST be signed
      }
      this.signedHeaders = distinct;
      return this;
    }

    /**
     * Sets the fields listed once more than they appear, so that adding one breaks the signature.
     * Default {@link #DEFAULT_OVERSIGNED_HEADERS}; an empty list turns over-signing off. Only
     * fields also in {@link #signedHeaders(List)} are over-signed.
     *
     * @param names field names
     * @return this builder
     */
    public Builder overSignedHeaders(List<String> names) {
      this.overSignedHeaders = List.copyOf(names);
      return this;
    }

    /**
     * Sets {@code i=}, the identity on whose behalf the message is signed. Absent by default, which
     * means {@code @} and the signing domain.
     *
     * @param auid such as {@code @mail.example.com} or {@code alice@example.com}; its domain must
     *     be every key's signing domain or below it
     * @return this builder
     */
    public Builder identity(String auid) {
      if (requireNonNull(auid, "auid").lastIndexOf('@') < 0) {
        throw new IllegalArgumentException("i= needs an '@': " + auid);
      }
      String domain = auid.substring(auid.lastIndexOf('@') + 1);
      if (DkimSignature.nameViolation(domain) >= 0
          || DkimSignature.nameViolation(DomainName.parse(domain).toString()) >= 0) {
        throw new IllegalArgumentException("not a valid i= domain: " + domain);
      }
      this.identity = Optional.of(auid);
      return this;
    }

    /**
     * Emits {@code l=} with the length of the body. Off by default: with it, anyone can append to
     * the body without breaking the signature (RFC 6376 §8.2).
     *
     * @param emit whether to emit {@code l=}
     * @return this builder
     */
    public Builder signBodyLength(boolean emit) {
      this.bodyLength = emit;
      return this;
    }

    /**
     * Sets whether {@code t=} (the signing time) is emitted. On by default.
     *
     * @param emit whether to emit {@code t=}
     * @return this builder
     */
    public Builder timestamp(boolean emit) {
      this.timestamp = emit;
      return this;
    }

    /**
     * Emits {@code x=}: the signature expires this long after signing. Absent by default. An
     * expiration past the twelve digits RFC 6376 §3.5 allows is written as {@code x=999999999999}.
     *
     * @param validity a positive duration
     * @return this builder
     */
    public Builder expireAfter(Duration validity) {
      if (requireNonNull(validity, "validity").isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive: " + validity);
      }
      this.expireAfter = Optional.of(validity);
      return this;
    }

    /**
     * Sets the clock for {@code t=} and {@code x=}. Default the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Accepts RSA keys of 1024 to 2047 bits, which RFC 8301 §3.2 allows but advises against. Off by
     * default.
     *
     * @param allow whether to sign with RSA keys under 2048 bits
     * @return this builder
     */
    public Builder allowRsaKeysUnder2048(boolean allow) {
      this.allowShortRsaKeys = allow;
      return this;
    }

    /**
     * Builds the signer.
     *
     * @return the signer
     * @throws IllegalStateException if no key was added
     * @throws IllegalArgumentException if {@code i=} is outside a signing domain, or a key is too
     *     short
     */
    public DkimSigner build() {
      if (identities.isEmpty()) {
        throw new IllegalStateException("add at least one key");
      }
      for (Identity id : identities) {
        if (id.key().algorithm() == DkimAlgorithm.RSA_SHA256
            && id.key().bits() < 2048
            && !allowShortRsaKeys) {
          throw new IllegalArgumentException(
              "RSA key of " + id.key().bits() + " bits; use 2048 or more (RFC 8301 §3.2)");
        }
        if (identity.isPresent()) {
          String auid = identity.get();
          DomainName auidDomain = DomainName.parse(auid.substring(auid.lastIndexOf('@') + 1));
          if (!auidDomain.isWithin(id.domain())) {
            throw new IllegalArgumentException("i=" + auid + " is not within d=" + id.domain());
          }
        }
      }
      return new DkimSigner(this);
    }
  }
}
