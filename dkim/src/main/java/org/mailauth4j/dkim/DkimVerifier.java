package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dns.DnsResolver;

/**
 * Verifies the DKIM signatures of messages (RFC 6376 §6, with RFC 8301 and RFC 8463).
 *
 * <p>It works on the raw octets of a message, CRLF or bare-LF line ends alike, and streams the
 * body: verifying a message of any size from an {@link InputStream} needs memory for its header
 * only. Every {@code verify} returns a {@link DkimVerification}: a {@link DkimOutcome} for each
 * signature, and a result for the message, {@link DkimResult#NONE} when it is unsigned. Signatures
 * that share a canonicalization, hash and {@code l=} share one pass over the body, and key lookups
 * run while the body is hashed.
 *
 * <p>By default, and as the RFCs ask: rsa-sha1 is refused, RSA keys must have 1024 to 8192 bits, a
 * signature whose {@code l=} leaves part of the body unsigned does not pass, at most 5 signatures
 * and 5 distinct keys are evaluated per message (the others are reported with {@link
 * DkimProblem#SIGNATURE_LIMIT_REACHED} or {@link DkimProblem#KEY_LOOKUP_LIMIT_REACHED}), a
 * signature or key record may have at most 64 tags ({@link DkimProblem#TOO_MANY_TAGS}), and {@code
 * x=} is checked against the clock with five minutes of tolerance. Every parser runs in time linear
 * in its input, and the limits bound the input.
 *
 * <p>Nothing from the message or DNS makes it throw: malformed input is a result. Instances are
 * immutable and thread-safe; build one and share it.
 *
 * <p>It logs through {@link System.Logger}, under this class's name: at {@code DEBUG}, each message
 * or signature it refuses (a limit exceeded, a weak algorithm, a key outside the allowed sizes, a
 * partly signed body) and each temporary DNS failure while fetching a key; at {@code WARNING}, a
 * resolver that fails its future instead of answering, which is a bug to fix. Log lines carry
 * problem names, sizes, limits, domains, selectors and key names, never message contents.
 *
 * <pre>{@code
 * DkimVerifier verifier = DkimVerifier.builder(dns).build();
 * DkimVerification verification = verifier.verify(message);
 * System.out.println("dkim=" + verification.result().token()); // "dkim=none" when unsigned
 * for (DkimOutcome outcome : verification.outcomes()) {
 *   System.out.println(outcome.domain() + " " + outcome.result().token() + " " + outcome.detail());
 * }
 * }</pre>
 */
public final class DkimVerifier {
  private static final int CHUNK = 64 * 1024;

  private final DkimKeyQuery keyQuery;
  private final System.Logger logger;
  private final Clock clock;
  private final Duration clockSkew;
  private final int maxSignatures;
  private final int maxKeyLookups;
  private final int maxSignedHeaders;
  private final int maxTags;
  private final int minRsaKeyBits;
  private final int maxRsaKeyBits;
  private final boolean allowRsaSha1;
  private final boolean allowPartlySignedBody;
  private final MessageHeader.Limits headerLimits;

  private DkimVerifier(Builder b) {
    this.logger = b.logger != null ? b.logger : defaultLogger();
    this.keyQuery = new DkimKeyQuery(b.dns, b.serviceType, b.keyCacheSize, b.maxTags, logger);
    this.clock = b.clock;
    this.clockSkew = b.clockSkew;
    this.maxSignatures = b.maxSignatures;
    this.maxKeyLookups = b.maxKeyLookups;
    this.maxSignedHeaders = b.maxSignedHeaders;
    this.maxTags = b.maxTags;
    this.minRsaKeyBits = b.minRsaKeyBits;
    this.maxRsaKeyBits = b.maxRsaKeyBits;
    this.allowRsaSha1 = b.allowRsaSha1;
    this.allowPartlySignedBody = b.allowPartlySignedBody;
    this.headerLimits =
        new MessageHeader.Limits(b.maxHeaderBytes, b.maxHeaderFields, b.maxHeaderFieldBytes);
  }

  /**
   * Starts configuring a verifier.
   *
   * @param dns where keys are looked up; put a {@code CachingDnsResolver} in front of a network
   *     resolver so that keys are not fetched for every message
   * @return a builder with the defaults described on its methods
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(requireNonNull(dns, "dns"));
  }

  /**
   * Verifies the signatures of a message held in memory.
   *
   * @param message the raw message, header and body
   * @return a future of the verification: one outcome per DKIM-Signature field, top to bottom, and
   *     the message's result, {@link DkimResult#NONE} when unsigned
   */
  public CompletableFuture<DkimVerification> verifyAsync(byte[] message) {
    return verifyAsync(message, 0, message.length);
  }

  /**
   * Verifies the signatures of a message held in part of an array.
   *
   * @param message the array
   * @param offset where the message starts
   * @param length how many octets it has
   * @return a future of the verification, as for {@link #verifyAsync(byte[])}
   * @throws IndexOutOfBoundsException if offset and length are not within the array
   */
  public CompletableFuture<DkimVerification> verifyAsync(byte[] message, int offset, int length) {
    if (offset < 0 || length < 0 || offset > message.length - length) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + ", length " + length + ", array " + message.length);
    }
    MessageHeader header;
    try {
      header = MessageHeader.scan(message, offset, length, headerLimits);
    } catch (MessageHeader.HeaderLimitException e) {
      return CompletableFuture.completedFuture(tooLarge(e));
    }
    MessageVerification verification = new MessageVerification(this, header, clock.instant());
    if (verification.needsBody()) {
      int end = offset + length;
      for (int i = header.bodyOffset(); i < end; i += CHUNK) {
        verification.body(message, i, Math.min(CHUNK, end - i));
      }
    }
    return verification.finish();
  }

  /**
   * Verifies the signatures of a message in a buffer, from its position to its limit. The buffer's
   * position is not changed.
   *
   * @param message the raw message
   * @return a future of the verification, as for {@link #verifyAsync(byte[])}
   */
  public CompletableFuture<DkimVerification> verifyAsync(ByteBuffer message) {
    if (message.hasArray()) {
      return verifyAsync(
          message.array(), message.arrayOffset() + message.position(), message.remaining());
    }
    return verifyAsync(new ByteBufferInputStream(message.duplicate()));
  }

  /**
   * Verifies the signatures of a message read from a stream, holding only its header in memory. The
   * stream is read to its end on the calling thread, but not closed; the future completes when the
   * key lookups have too.
   *
   * @param message the raw message
   * @return a future of the verification, as for {@link #verifyAsync(byte[])}. A failure to read
   *     gives {@link DkimProblem#MESSAGE_UNREADABLE}.
   */
  public CompletableFuture<DkimVerification> verifyAsync(InputStream message) {
    requireNonNull(message, "message");
    MessageHeader.Streamed streamed;
    try {
      streamed = MessageHeader.read(message, headerLimits);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(unreadable(e));
    } catch (MessageHeader.HeaderLimitException e) {
      return CompletableFuture.completedFuture(tooLarge(e));
    }
    MessageHeader header = streamed.header();
    MessageVerification verification = new MessageVerification(this, header, clock.instant());
    if (verification.needsBody()) {
      verification.body(
          header.bytes(), header.bodyOffset(), streamed.filled() - header.bodyOffset());
      byte[] chunk = new byte[CHUNK]; // not buf: the header's octets stay there until the end
      try {
        for (int read = message.read(chunk); read >= 0; read = message.read(chunk)) {
          verification.body(chunk, 0, read);
        }
      } catch (IOException e) {
        verification.abandon(DkimProblem.MESSAGE_UNREADABLE, "could not read the body: " + e);
      }
    }
    return verification.finish();
  }

  /**
   * Verifies a message held in memory and waits for the key lookups. This only joins {@link
   * #verifyAsync(byte[])}.
   *
   * @param message the raw message
   * @return the verification: one outcome per DKIM-Signature field, and the message's result
   */
  public DkimVerification verify(byte[] message) {
    return verifyAsync(message).join();
  }

  /**
   * Verifies a message held in part of an array and waits for the key lookups. This only joins
   * {@link #verifyAsync(byte[], int, int)}.
   *
   * @param message the array
   * @param offset where the message starts
   * @param length how many octets it has
   * @return the verification: one outcome per DKIM-Signature field, and the message's result
   * @throws IndexOutOfBoundsException if offset and length are not within the array
   */
  public DkimVerification verify(byte[] message, int offset, int length) {
    return verifyAsync(message, offset, length).join();
  }

  /**
   * Verifies a message in a buffer and waits for the key lookups. This only joins {@link
   * #verifyAsync(ByteBuffer)}.
   *
   * @param message the raw message
   * @return the verification: one outcome per DKIM-Signature field, and the message's result
   */
  public DkimVerification verify(ByteBuffer message) {
    return verifyAsync(message).join();
  }

  /**
   * Verifies a message from a stream and waits for the key lookups. This only joins {@link
   * #verifyAsync(InputStream)}.
   *
   * @param message the raw message; read to its end, not closed
   * @return the verification: one outcome per DKIM-Signature field, and the message's result
   */
  public DkimVerification verify(InputStream message) {
    return verifyAsync(message).join();
  }

  private DkimVerification tooLarge(MessageHeader.HeaderLimitException e) {
    if (logger.isLoggable(Level.DEBUG)) {
      // The exception names the limit only, never the header's contents.
      logger.log(
          Level.DEBUG,
          "DKIM: message refused, " + DkimProblem.HEADER_LIMIT_EXCEEDED + ": " + e.getMessage());
    }
    return new DkimVerification(
        List.of(
            DkimOutcome.message(
                DkimProblem.HEADER_LIMIT_EXCEEDED, "message not verified: " + e.getMessage())),
        Optional.empty());
  }

  private static DkimVerification unreadable(IOException e) {
    return new DkimVerification(
        List.of(
            DkimOutcome.message(
                DkimProblem.MESSAGE_UNREADABLE, "could not read the message: " + e)),
        Optional.empty());
  }

  // --- settings, for MessageVerification ---

  /** Where refusals and key-lookup failures are logged unless a test says otherwise. */
  static System.Logger defaultLogger() {
    return System.getLogger(DkimVerifier.class.getName());
  }

  System.Logger logger() {
    return logger;
  }

  DkimKeyQuery keyQuery() {
    return keyQuery;
  }

  Duration clockSkew() {
    return clockSkew;
  }

  int maxSignatures() {
    return maxSignatures;
  }

  int maxKeyLookups() {
    return maxKeyLookups;
  }

  int maxSignedHeaders() {
    return maxSignedHeaders;
  }

  int maxTags() {
    return maxTags;
  }

  int minRsaKeyBits() {
    return minRsaKeyBits;
  }

  int maxRsaKeyBits() {
    return maxRsaKeyBits;
  }

  boolean allowsRsaSha1() {
    return allowRsaSha1;
  }

  boolean allowsPartlySignedBody() {
    return allowPartlySignedBody;
  }

  /** Reads a buffer without an accessible array, for {@link #verifyAsync(ByteBuffer)}. */
  private static final class ByteBufferInputStream extends InputStream {
    private final ByteBuffer buffer;

    ByteBufferInputStream(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }
  }

  /** Configures a {@link DkimVerifier}. Not thread-safe; build once, then share the result. */
  public static final class Builder {
    private final DnsResolver dns;
    private String serviceType = "email";
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = Duration.ofMinutes(5);
    private int maxSignatures = 5;
    private int maxKeyLookups = 5;
    private int maxHeaderBytes = 1024 * 1024;
    private int maxHeaderFields = 1000;
    private int maxHeaderFieldBytes = 64 * 1024;
    private int maxSignedHeaders = 100;
    private int maxTags = 64;
    private int minRsaKeyBits = 1024;
    private int maxRsaKeyBits = 8192;
    private boolean allowRsaSha1;
    private boolean allowPartlySignedBody;
    private int keyCacheSize = 1000;
    private System.Logger logger;

    private Builder(DnsResolver dns) {
      this.dns = dns;
    }

    /**
     * Sets the service the signatures are verified for, which a key's {@code s=} must allow (RFC
     * 6376 §3.6.1); other keys give {@link DkimProblem#KEY_SERVICE_NOT_ALLOWED}. Default {@code
     * email}. A reader of TLS reports sets {@code tlsrpt}, the type RFC 8460 §3 asks report keys to
     * allow; keys with {@code s=*}, the default, allow every service.
     *
     * @param serviceType a {@code key-s-tag-type} other than {@code *}, such as {@code tlsrpt};
     *     compared case-insensitively
     * @return this builder
     */
    public Builder serviceType(String serviceType) {
      String type = requireNonNull(serviceType, "serviceType").toLowerCase(Locale.ROOT);
      // RFC 6376 §3.6.1: x-key-s-tag-type = hyphenated-word.
      if (!isHyphenatedWord(type)) {
        throw new IllegalArgumentException("not a DKIM service type: " + serviceType);
      }
      this.serviceType = type;
      return this;
    }

    /** hyphenated-word = ALPHA [ *(ALPHA / DIGIT / "-") (ALPHA / DIGIT) ] (RFC 6376 §2.10). */
    private static boolean isHyphenatedWord(String s) {
      if (s.isEmpty() || !isAlpha(s.charAt(0)) || s.charAt(s.length() - 1) == '-') {
        return false;
      }
      for (int i = 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '-') {
          return false;
        }
      }
      return true;
    }

    private static boolean isAlpha(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * Sets the clock that {@code x=} is checked against. Default the system clock; set it to the
     * time a message was first received to verify it later (RFC 6376 §3.5).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how far past {@code x=} a signature is still accepted, for clock drift between signer
     * and verifier. Default five minutes.
     *
     * @param skew zero or more
     * @return this builder
     */
    public Builder clockSkew(Duration skew) {
      if (requireNonNull(skew, "skew").isNegative()) {
        throw new IllegalArgumentException("negative clock skew " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Sets how many signatures of one message are evaluated, top down; the others are reported as
     * {@link DkimProblem#SIGNATURE_LIMIT_REACHED}. Default 5.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxSignatures(int max) {
      this.maxSignatures = atLeast(1, max, "maxSignatures");
      return this;
    }

    /**
     * Sets how many distinct keys one message may make the verifier look up; signatures needing
     * more are reported as {@link DkimProblem#KEY_LOOKUP_LIMIT_REACHED}. Default 5.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxKeyLookups(int max) {
      this.maxKeyLookups = atLeast(1, max, "maxKeyLookups");
      return this;
    }

    /**
     * Sets the largest header block accepted. Default 1 MiB.
     *
     * @param max at least 1024 octets
     * @return this builder
     */
    public Builder maxHeaderBytes(int max) {
      this.maxHeaderBytes = atLeast(1024, max, "maxHeaderBytes");
      return this;
    }

    /**
     * Sets the most header fields accepted. Default 1000.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxHeaderFields(int max) {
      this.maxHeaderFields = atLeast(1, max, "maxHeaderFields");
      return this;
    }

    /**
     * Sets the largest single header field accepted, folding included. Default 64 KiB.
     *
     * @param max at least 1024 octets
     * @return this builder
     */
    public Builder maxHeaderFieldBytes(int max) {
      this.maxHeaderFieldBytes = atLeast(1024, max, "maxHeaderFieldBytes");
      return this;
    }

    /**
     * Sets the most entries accepted in {@code h=}. Default 100.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxSignedHeaders(int max) {
      this.maxSignedHeaders = atLeast(1, max, "maxSignedHeaders");
      return this;
    }

    /**
     * Sets the most tags accepted in one DKIM-Signature field or one key record; a signature with
     * more, or whose key record has more, is a {@link DkimResult#PERMERROR} with {@link
     * DkimProblem#TOO_MANY_TAGS}. Default 64: RFC 6376 defines 14 signature tags (§3.5) and 7 key
     * record tags (§3.6.1), and unknown tags, which verifiers ignore, leave room for extensions.
     *
     * @param max at least 14
     * @return this builder
     */
    public Builder maxTags(int max) {
      this.maxTags = atLeast(14, max, "maxTags");
      return this;
    }

    /**
     * Sets the smallest RSA key accepted. Default 1024 bits, below which RFC 8301 §3.2 forbids
     * accepting a signature; it can only be raised.
     *
     * @param bits at least 1024
     * @return this builder
     */
    public Builder minRsaKeyBits(int bits) {
      this.minRsaKeyBits = atLeast(1024, bits, "minRsaKeyBits");
      return this;
    }

    /**
     * Lowers the smallest RSA key accepted below the 1024 bits of RFC 8301, only so that tests can
     * check canonicalization and hashing on historic messages signed with 512-bit keys.
     */
    Builder minRsaKeyBitsBelowRfc8301ForTests(int bits) {
      this.minRsaKeyBits = bits;
      return this;
    }

    /**
     * Sets the largest RSA key accepted, so that a huge key cannot be used to burn CPU. Default
     * 8192 bits; RFC 8301 §3.2 requires at least 4096 to be handled.
     *
     * @param bits at least 4096
     * @return this builder
     */
    public Builder maxRsaKeyBits(int bits) {
      this.maxRsaKeyBits = atLeast(4096, bits, "maxRsaKeyBits");
      return this;
    }

    /**
     * Accepts rsa-sha1 signatures, which RFC 8301 §3.1 forbids verifying: only for looking at old
     * mail. Off by default.
     *
     * @param allow whether to verify rsa-sha1
     * @return this builder
     */
    public Builder allowInsecureRsaSha1(boolean allow) {
      this.allowRsaSha1 = allow;
      return this;
    }

    /**
     * Lets a signature pass when its {@code l=} covers only the start of the body, although anyone
     * could have appended the rest (RFC 6376 §8.2). Off by default.
     *
     * @param allow whether to accept partly signed bodies
     * @return this builder
     */
    public Builder allowPartlySignedBody(boolean allow) {
      this.allowPartlySignedBody = allow;
      return this;
    }

    /**
     * Sets how many decoded keys are remembered, by record text. Default 1000.
     *
     * @param size at least 1
     * @return this builder
     */
    public Builder keyCacheSize(int size) {
      this.keyCacheSize = atLeast(1, size, "keyCacheSize");
      return this;
    }

    /** Replaces the logger, only so that tests can see what is logged. */
    Builder logger(System.Logger logger) {
      this.logger = requireNonNull(logger, "logger");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return the verifier
     */
    public DkimVerifier build() {
      if (minRsaKeyBits > maxRsaKeyBits) {
        throw new IllegalArgumentException(
            "minRsaKeyBits " + minRsaKeyBits + " above maxRsaKeyBits " + maxRsaKeyBits);
      }
      return new DkimVerifier(this);
    }

    private static int atLeast(int min, int value, String what) {
      if (value < min) {
        throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
      }
      return value;
    }
  }
}
