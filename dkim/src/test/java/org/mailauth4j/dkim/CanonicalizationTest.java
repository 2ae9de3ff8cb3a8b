package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

  @Test
  void selectsTheSameSignedFieldsThroughTheIndexAsByScanning() {
    // RFC 6376 §5.4.2: h= takes instances from the bottom up; names compare without case.
    String[] pool = {"From", "from", "FROM", "To", "Subject", "X-A", "x-a", "Received", "Nope"};
    Random random = new Random(6376);
    for (int round = 0; round < 500; round++) {
      StringBuilder text = new StringBuilder();
      int fields = random.nextInt(12);
      for (int f = 0; f < fields; f++) {
        text.append(random.nextInt(10) == 0 ? "not a field" : pool[random.nextInt(pool.length)])
            .append(random.nextBoolean() ? ": v" : " : v")
            .append(f)
            .append("\r\n");
      }
      MessageHeader header =
          MessageHeader.parse(text.append("\r\n").toString().getBytes(ISO_8859_1));
      List<String> names = new ArrayList<>();
      for (int k = random.nextInt(40); k > 0; k--) {
        names.add(pool[random.nextInt(pool.length)]);
      }
      int exclude = fields == 0 || random.nextBoolean() ? -1 : random.nextInt(fields);
      assertThat(HeaderCanonicalizer.selectIndexed(header, names, exclude))
          .as("fields %s, h=%s, excluding %d", header.fields(), names, exclude)
          .containsExactly(HeaderCanonicalizer.selectByScanning(header, names, exclude));
    }
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
  @MethodSource("canonicalizations")
  void bodiesComeOutAsTheLineByLineRulesSay(Canonicalization canon) {
    // The streaming canonicalizers skip eight octets at a time; this compares them with the rules
    // applied line by line (RFC 6376 §3.4.3, §3.4.4) on inputs dense in what interrupts a run.
    byte[] alphabet = {
      ' ', ' ', ' ', '\t', '\r', '\n', 'a', 'b', 'c', 0x01, 0x1F, 0x7F, (byte) 0xC3
    };
    Random random = new Random(6376);
    for (int round = 0; round < 20_000; round++) {
      byte[] input = new byte[random.nextInt(80)];
      for (int k = 0; k < input.length; k++) {
        input[k] =
            random.nextInt(3) == 0
                ? (byte) ('d' + random.nextInt(20))
                : alphabet[random.nextInt(alphabet.length)];
      }
      String expected = lineByLine(canon, new String(input, ISO_8859_1));
      int chunk = 1 + random.nextInt(input.length + 1);
      assertThat(canonicalize(canon, input, input.length))
          .as("%s in one chunk", Arrays.toString(input))
          .isEqualTo(expected);
      assertThat(canonicalize(canon, input, chunk))
          .as("%s in chunks of %d", Arrays.toString(input), chunk)
          .isEqualTo(expected);
    }
  }

  static Stream<Canonicalization> canonicalizations() {
    return Stream.of(Canonicalization.values());
  }

  /** RFC 6376 §3.4.3 and §3.4.4 applied line by line, a bare LF ending a line as CRLF does. */
  private static String lineByLine(Canonicalization canon, String body) {
    // The last piece is what follows the last line break: empty, or a line without one.
    List<String> lines = new ArrayList<>(List.of(body.split("\r\n|\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(
          canon == Canonicalization.RELAXED
              ? line.replaceAll("[ \t]+", " ")
                  .replaceAll(" \\z", "") // \\z: a lone CR at the end is content
              : line);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    if (out.isEmpty()) {
      return canon == Canonicalization.RELAXED ? "" : "\r\n";
    }
    return String.join("\r\n", out) + "\r\n";
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
