package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * Signing and verifying need memory for the header only: a 100 MB message goes through both in a
 * JVM limited to 64 MB of heap.
 */
class StreamingMemoryTest {
  static final long BODY_BYTES = 100L * 1024 * 1024;

  @Test
  void signsAndVerifiesAHundredMegabyteMessageIn64MegabytesOfHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                StreamingMemoryTest.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), US_ASCII);
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();
    assertThat(output).as(output).contains("heap limit 64 MB", "result pass");
    assertThat(child.exitValue()).as(output).isZero();
  }

  /** Runs in the child JVM. */
  public static void main(String[] args) throws Exception {
    long maxHeap = Runtime.getRuntime().maxMemory();
    System.out.println("heap limit " + Math.round(maxHeap / 1024.0 / 1024.0) + " MB");
    DkimSigner signer =
        DkimSigner.builder()
            .key(Fixtures.DOMAIN, "ed", Fixtures.ED25519)
            .clock(Fixtures.CLOCK)
            .build();
    List<String> fields = signer.sign(new GeneratedMessage());
    ZoneFileResolver keys =
        ZoneFileResolver.fromZoneText(Fixtures.ED25519.zoneFileRecord(Fixtures.DOMAIN, "ed"));
    DkimVerifier verifier = DkimVerifier.builder(keys).clock(Fixtures.CLOCK).build();
    InputStream signed =
        new SequenceInputStream(
            new ByteArrayInputStream(fields.get(0).getBytes(US_ASCII)), new GeneratedMessage());
    List<DkimOutcome> outcomes = verifier.verify(signed).outcomes();
    String result = DkimConformanceTest.describe(outcomes);
    System.out.println("result " + result);
    System.exit(result.equals("pass") && maxHeap <= 64L * 1024 * 1024 ? 0 : 1);
  }

  /** A message with a 100 MB body, generated as it is read, the same every time. */
  static final class GeneratedMessage extends InputStream {
    private static final byte[] HEADER =
        ("From: Joe <joe@example.com>\r\nTo: a@example.net\r\nSubject: large\r\n\r\n")
            .getBytes(US_ASCII);
    private static final byte[] LINE =
        "The quick brown fox jumps over the lazy dog, \t again  and again.  \r\n"
            .getBytes(US_ASCII);
    private long position;

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      long total = HEADER.length + BODY_BYTES;
      if (position >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - position);
      for (int i = 0; i < n; i++, position++) {
        b[off + i] =
            position < HEADER.length
                ? HEADER[(int) position]
                : LINE[(int) ((position - HEADER.length) % LINE.length)];
      }
      return n;
    }
  }
}
