package org.mailauth4j.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * The messages the benchmarks verify: generated deterministically (realistic headers with folded
 * fields, text with long lines, trailing whitespace, tabs and 8-bit words), signed once per process
 * with RSA-2048 or Ed25519 and relaxed/relaxed; or, with {@code -Dbench.corpus=<dir>}, the {@code
 * .eml} files of a directory with their keys in {@code <dir>/keys.zone}.
 */
public final class BenchmarkMessages {
  /** The signing domain of generated messages. */
  public static final DomainName DOMAIN = DomainName.parse("bench.example");

  /** The signing time of generated messages; verification uses the same clock. */
  public static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T10:00:00Z"), ZoneOffset.UTC);

  /** The two keys, generated once per process. */
  public static final DkimSigningKey RSA = DkimSigningKey.generateRsa(2048);

  /** The Ed25519 key, generated once per process. */
  public static final DkimSigningKey ED25519 = DkimSigningKey.generateEd25519();

  private static final String[] WORDS = {
    "the",
    "delivery",
    "report",
    "for",
    "your",
    "account",
    "was",
    "updated",
    "on",
    "Monday",
    "über",
    "naïve",
    "café",
    "résumé",
    "Straße",
    "please",
    "review",
    "attached",
    "invoice",
    "meeting",
    "notes",
    "and",
    "confirm",
    "by",
    "Friday",
    "https://example.com/path?id=42",
    "regards",
    "team",
    "—",
    "quarterly",
    "numbers",
    "look",
    "good",
    "12.5%",
    "(draft)"
  };

  private BenchmarkMessages() {}

  /** The key records of the generated messages, served from memory. */
  public static DnsResolver keys() {
    String corpus = System.getProperty("bench.corpus");
    if (corpus != null) {
      return ZoneFileResolver.builder().zoneFile(Path.of(corpus, "keys.zone")).build();
    }
    return ZoneFileResolver.fromZoneText(
        RSA.zoneFileRecord(DOMAIN, "rsa") + "\n" + ED25519.zoneFileRecord(DOMAIN, "ed") + "\n");
  }

  /**
   * Returns a signed message.
   *
   * @param algorithm {@code RSA} or {@code ED25519}
   * @param bodyBytes the approximate body size
   * @return the message with its DKIM-Signature on top
   */
  public static byte[] signed(String algorithm, int bodyBytes) {
    boolean rsa = algorithm.equals("RSA");
    DkimSigner signer =
        DkimSigner.builder()
            .key(DOMAIN, rsa ? "rsa" : "ed", rsa ? RSA : ED25519)
            .clock(CLOCK)
            .build();
    return signer.signMessage(unsigned(bodyBytes, 1234 + bodyBytes));
  }

  /** Reads a message of the corpus directory. */
  public static byte[] corpusFile(String name) {
    try {
      return Files.readAllBytes(Path.of(System.getProperty("bench.corpus"), name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A realistic unsigned message with a body of about the given size. */
  public static byte[] unsigned(int bodyBytes, long seed) {
    Random r = new Random(seed);
    StringBuilder m = new StringBuilder(bodyBytes + 2048);
    m.append(
            "Received: from mail-out-7.sender.example (mail-out-7.sender.example [192.0.2.17])\r\n")
        .append("\tby mx1.receiver.example (Postfix) with ESMTPS id 4Zk9Lm2QxYz\r\n")
        .append("\tfor <alice@receiver.example>; Mon, 1 Jun 2026 10:00:00 +0000 (UTC)\r\n")
        .append("Return-Path: <bounces+123@bench.example>\r\n")
        .append("From: \"Bench Team\" <team@bench.example>\r\n")
        .append("To: Alice Example <alice@receiver.example>,\r\n Bob <bob@receiver.example>\r\n")
        .append("Cc: ops@bench.example\r\n")
        .append("Subject: =?UTF-8?Q?Quarterly_r=C3=A9sum=C3=A9?= and notes  \r\n")
        .append("Date: Mon, 1 Jun 2026 10:00:00 +0000\r\n")
        .append("Message-ID: <")
        .append(Long.toHexString(r.nextLong()))
        .append("@bench.example>\r\n")
        .append("MIME-Version: 1.0\r\n")
        .append("Content-Type: text/plain;\r\n\tcharset=\"utf-8\";\r\n\tformat=flowed\r\n")
        .append("Content-Transfer-Encoding: 8bit\r\n")
        .append("List-Id: Bench announcements <announce.bench.example>\r\n")
        .append("List-Unsubscribe: <https://bench.example/unsubscribe?u=")
        .append(Long.toHexString(r.nextLong()))
        .append(">,\r\n <mailto:unsubscribe@bench.example?subject=unsubscribe>\r\n")
        .append("X-Mailer: BenchMailer 3.1\r\n")
        .append("\r\n");
    int start = m.length();
    while (m.length() - start < bodyBytes) {
      int kind = r.nextInt(10);
      if (kind == 0) {
        m.append("\r\n"); // paragraph break
        continue;
      }
      int words = kind == 1 ? 30 + r.nextInt(20) : 6 + r.nextInt(8); // some long lines
      if (r.nextInt(8) == 0) {
        m.append('\t');
      }
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          m.append(r.nextInt(12) == 0 ? "  " : " ");
        }
        m.append(WORDS[r.nextInt(WORDS.length)]);
      }
      if (r.nextInt(5) == 0) {
        m.append(r.nextBoolean() ? " " : " \t "); // trailing whitespace
      }
      m.append("\r\n");
    }
    m.append("\r\n-- \r\nBench Team\r\n\r\n");
    return m.toString().getBytes(UTF_8);
  }
}
