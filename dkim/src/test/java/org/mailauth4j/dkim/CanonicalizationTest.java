package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

class CanonicalizationTest {

  static Stream<Arguments> body() {
    return Cases.arguments(CanonicalizationTest.class, "/dkim/body-canonicalization.cases");
  }

  static Stream<Arguments> header() {
    return Cases.arguments(CanonicalizationTest.class, "/dkim/header-canonicalization.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("body")
  void canonicalizesBodiesHoweverTheyAreChunked(Cases.Row c) {
    Canonicalization canon = Canonicalization.fromToken(c.get(0)).orElseThrow();
    byte[] input = c.get(1).getBytes(ISO_8859_1);
    String expected = c.get(2);

    assertThat(canonicalize(canon, input, input.length)).as("in one chunk").isEqualTo(expected);
    assertThat(canonicalize(canon, input, 1)).as("byte by byte").isEqualTo(expected);
    for (int split = 0; split <= input.length; split++) {
      assertThat(canonicalize(canon, input, split, input.length - split))
          .as("split at %d", split)
          .isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("header")
  void canonicalizesHeaderFields(Cases.Row c) {
    Canonicalization canon = Canonicalization.fromToken(c.get(0)).orElseThrow();
    byte[] field = c.get(1).getBytes(ISO_8859_1);
    int colon = c.get(1).indexOf(':');
    ByteSink out = new ByteSink(16);
    HeaderCanonicalizer.append(canon, field, 0, colon, field.length, -1, -1, out);
    assertThat(new String(out.toByteArray(), ISO_8859_1)).isEqualTo(c.get(2));
  }

  /** Feeds the input in chunks of the given sizes, repeating the last size. */
  private static String canonicalize(Canonicalization canon, byte[] input, int... chunks) {
    Recorder recorder = new Recorder();
    BodyHashOutput out =
        new BodyHashOutput(new MessageDigest[] {recorder}, new long[] {Long.MAX_VALUE});
    BodyCanonicalizer canonicalizer = BodyCanonicalizer.of(canon, out);
    int offset = 0;
    int k = 0;
    while (offset < input.length) {
      int size = Math.max(1, chunks[Math.min(k++, chunks.length - 1)]);
      int n = Math.min(size, input.length - offset);
      canonicalizer.update(input, offset, n);
      offset += n;
    }
    canonicalizer.finish();
    String output = new String(recorder.bytes.toByteArray(), ISO_8859_1);
    assertThat(out.length()).as("counted length").isEqualTo(output.length());
    return output;
  }

  /** A "digest" that keeps what it is fed, to see the canonical form itself. */
  static final class Recorder extends MessageDigest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Recorder() {
      super("record");
    }

    @Override
    protected void engineUpdate(byte input) {
      bytes.write(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      bytes.write(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
      return bytes.toByteArray();
    }

    @Override
    protected void engineReset() {
      bytes.reset();
    }
  }
}
