package org.mailauth4j.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Reaches the DKIM module's package-private steps for the piece-by-piece benchmarks and for the
 * crypto floor, which needs the canonical forms of a message. It lives in the benchmarks jar but in
 * the dkim package, so that the published API need not grow for measurement's sake.
 */
public final class BenchmarkAccess {
  private BenchmarkAccess() {}

  /** A reusable buffer for {@link #headerData}. */
  public static final class Sink {
    final ByteSink bytes = new ByteSink(4096);

    /** The bytes written so far. */
    public byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }

  /** The message's header, parsed without limits. */
  public static MessageHeader header(byte[] message) {
    try {
      return MessageHeader.scan(message, 0, message.length, MessageHeader.Limits.NONE);
    } catch (MessageHeader.HeaderLimitException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first DKIM-Signature of a parsed header, as its value text. */
  public static String signatureValue(MessageHeader h) {
    for (int f = 0; f < h.fieldCount(); f++) {
      if (h.hasName(f, "DKIM-Signature")) {
        return h.rawValue(f);
      }
    }
    throw new IllegalArgumentException("no DKIM-Signature");
  }

  /** The value text of one field of a parsed header. */
  public static String signatureValue(MessageHeader h, int field) {
    return h.rawValue(field);
  }

  /** The indexes of a parsed header's DKIM-Signature fields, top first. */
  public static int[] signatureFields(MessageHeader h) {
    int[] fields = new int[h.fieldCount()];
    int n = 0;
    for (int f = 0; f < h.fieldCount(); f++) {
      if (h.hasName(f, "DKIM-Signature")) {
        fields[n++] = f;
      }
    }
    return Arrays.copyOf(fields, n);
  }

  /**
   * The data the first signature's b= signs (RFC 6376 §3.7): the signed fields, then the signature
   * field with b= emptied. Reuses the sink.
   */
  public static int headerData(MessageHeader h, DkimSignature sig, Sink sink) {
    return headerData(h, signatureFields(h)[0], sig, sink);
  }

  /**
   * The data the b= of the signature in a given field signs (RFC 6376 §3.7). Reuses the sink.
   *
   * @param field the index of the DKIM-Signature field, as {@link #signatureFields} gives it
   */
  public static int headerData(MessageHeader h, int field, DkimSignature sig, Sink sink) {
    ByteSink data = sink.bytes;
    data.reset();
    HeaderCanonicalizer.appendSignedFields(
        sig.headerCanonicalization(), h, sig.signedHeaders(), field, data);
    TagList tags = TagList.scan(h.rawValue(field), DkimProblem.SIGNATURE_SYNTAX, TagList.UNLIMITED);
    int b = tags.indexOf("b");
    int valueOffset = h.colon(field) + 1;
    HeaderCanonicalizer.append(
        sig.headerCanonicalization(),
        h.bytes(),
        h.start(field),
        h.colon(field),
        h.end(field),
        valueOffset + tags.afterEquals(b),
        valueOffset + tags.specEnd(b),
        data);
    return data.size();
  }

  /** Canonicalizes and hashes the body with SHA-256, as a verifier does. */
  public static byte[] bodyHash(MessageHeader h, byte[] message, Canonicalization c) {
    BodyHashOutput out =
        new BodyHashOutput(new MessageDigest[] {sha256()}, new long[] {Long.MAX_VALUE});
    BodyCanonicalizer canonicalizer = BodyCanonicalizer.of(c, out);
    for (int i = h.bodyOffset(); i < message.length; i += 65536) {
      canonicalizer.update(message, i, Math.min(65536, message.length - i));
    }
    canonicalizer.finish();
    return out.digest(0).digest();
  }

  /** The canonicalized body itself, for the floor, which hashes it without canonicalizing. */
  public static byte[] canonicalBody(byte[] message, Canonicalization c) {
    MessageHeader h = header(message);
    Recorder recorder = new Recorder();
    BodyHashOutput out =
        new BodyHashOutput(new MessageDigest[] {recorder}, new long[] {Long.MAX_VALUE});
    BodyCanonicalizer canonicalizer = BodyCanonicalizer.of(c, out);
    canonicalizer.update(message, h.bodyOffset(), message.length - h.bodyOffset());
    canonicalizer.finish();
    return recorder.sink.toByteArray();
  }

  /** Parses a key record and decodes its key, as the verifier's key cache does once per key. */
  public static Object decodeKey(String record) {
    // Object: the decoded key type is internal; benchmarks only need to keep it alive.
    return VerificationKey.decode(DkimKeyRecord.parse(record), record);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A digest that keeps what it is fed. */
  private static final class Recorder extends MessageDigest {
    final ByteSink sink = new ByteSink(1 << 16);

    Recorder() {
      super("record");
    }

    @Override
    protected void engineUpdate(byte input) {
      sink.write(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      sink.write(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
      return sink.toByteArray();
    }

    @Override
    protected void engineReset() {
      sink.reset();
    }
  }
}
