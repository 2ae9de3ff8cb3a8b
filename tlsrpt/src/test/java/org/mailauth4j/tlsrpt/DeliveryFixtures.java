package org.mailauth4j.tlsrpt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dns.DomainName;

/** Reports, keys and helpers shared by the delivery tests. */
final class DeliveryFixtures {
  static final DomainName POLICY_DOMAIN = DomainName.parse("example.com");
  static final DomainName SUBMITTER = DomainName.parse("mail.sender.example");
  static final Instant NOW = Instant.parse("2026-05-02T03:04:05Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** RFC 8032 §7.1 test 1 seed: deterministic Ed25519 signatures. */
  static final DkimSigningKey ED25519 =
      DkimSigningKey.ofEd25519Seed(
          Base64.getDecoder().decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="));

  private DeliveryFixtures() {}

  /** A day's report for example.com from mail.sender.example, with one failure. */
  static TlsReport report() {
    return report("2026-05-01T00:00:00Z_example.com", Optional.of("tlsrpt@mail.sender.example"));
  }

  static TlsReport report(String reportId, Optional<String> contact) {
    ReportedPolicy sts =
        new ReportedPolicy(
            "sts",
            List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com", "max_age: 86400"),
            Optional.of("example.com"),
            List.of("mx1.example.com"));
    FailureDetail expired =
        new FailureDetail(
            "certificate-expired",
            Optional.of("192.0.2.1"),
            Optional.of("mx1.example.com"),
            Optional.empty(),
            Optional.of("198.51.100.7"),
            2,
            Optional.empty(),
            Optional.empty());
    return new TlsReport(
        "Sender Example Org",
        DateRange.utcDay(LocalDate.of(2026, 5, 1)),
        contact,
        reportId,
        List.of(new PolicyResult(sts, 10, 2, List.of(expired))));
  }

  static byte[] gunzip(byte[] gzip) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /**
   * Reads a golden file from the test resources. When the output differs, the actual text is
   * written under target/golden-actual/ for review; golden files change only on purpose.
   */
  static String golden(String name, String actual) throws IOException {
    String expected;
    try (InputStream in = DeliveryFixtures.class.getResourceAsStream("/tlsrpt/delivery/" + name)) {
      expected = in == null ? null : new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    if (!actual.equals(expected)) {
      Path out = Path.of("target", "golden-actual", name);
      Files.createDirectories(out.getParent());
      Files.writeString(out, actual, StandardCharsets.US_ASCII);
    }
    return expected == null ? "(no golden file " + name + ")" : expected;
  }
}
