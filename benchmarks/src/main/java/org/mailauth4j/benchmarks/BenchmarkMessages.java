package org.mailauth4j.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * The messages the benchmarks verify: generated deterministically, signed once per process with
 * RSA-2048 or Ed25519 and relaxed/relaxed; or, with {@code -Dbench.corpus=<dir>}, the {@code .eml}
 * files of a directory with their keys in {@code <dir>/keys.zone}. Generated messages come in the
 * shapes of {@link Shape}; the plain text shape is the one earlier figures were measured on, byte
 * for byte, so that figures stay comparable.
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

  /** The two other signing domains of {@link Shape#HEADERS}: an ESP and a mailing list. */
  private static final DomainName[] OTHER_SIGNERS = {
    DomainName.parse("esp.example"), DomainName.parse("lists.example")
  };

  /** What a generated message looks like. */
  public enum Shape {
    /**
     * Text: realistic headers with folded fields, a text body with long lines, trailing whitespace,
     * tabs and 8-bit words.
     */
    TEXT,
    /**
     * A short text part and a base64 attachment ({@code multipart/mixed}): lines of 76 characters
     * without inner whitespace, as mail clients write attachments.
     */
    BASE64,
    /** An 8-bit {@code text/html} body with long lines (up to 998 octets), as newsletters have. */
    HTML,
    /**
     * The text body under 40 header fields, 3 of them DKIM-Signatures (author domain, ESP, mailing
     * list), all of the same algorithm and canonicalization.
     */
    HEADERS;

    /**
     * Reads a shape name as the benchmarks' parameters write it.
     *
     * @param name {@code text}, {@code base64}, {@code html} or {@code headers}
     * @return the shape
     */
    public static Shape of(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  private BenchmarkMessages() {}

  /** The key records of the generated messages, served from memory. */
  public static DnsResolver keys() {
    String corpus = System.getProperty("bench.corpus");
    if (corpus != null) {
      return ZoneFileResolver.builder().zoneFile(Path.of(corpus, "keys.zone")).build();
    }
    StringBuilder zone = new StringBuilder();
    zone.append(RSA.zoneFileRecord(DOMAIN, "rsa")).append('\n');
    zone.append(ED25519.zoneFileRecord(DOMAIN, "ed")).append('\n');
    for (DomainName other : OTHER_SIGNERS) {
      zone.append(RSA.zoneFileRecord(other, "rsa")).append('\n');
      zone.append(ED25519.zoneFileRecord(other, "ed")).append('\n');
    }
    return ZoneFileResolver.fromZoneText(zone.toString());
  }

  /**
   * Returns a signed message.
   *
   * @param algorithm {@code RSA} or {@code ED25519}
   * @param bodyBytes the approximate body size
   * @return the message with its DKIM-Signature on top
   */
  public static byte[] signed(String algorithm, int bodyBytes) {
    return signed(algorithm, bodyBytes, Shape.TEXT);
  }

  /**
   * Returns a signed message of a shape: once, or for {@link Shape#HEADERS} three times, by the
   * mailing list, the ESP and the author domain, the author's signature on top.
   *
   * @param algorithm {@code RSA}, {@code ED25519}, or {@code DUAL} for an RSA and an Ed25519
   *     signature made by one signer, sharing a canonicalization, as signers moving to Ed25519 do
   * @param bodyBytes the approximate body size
   * @param shape what the message looks like
   * @return the message with its DKIM-Signatures on top
   */
  public static byte[] signed(String algorithm, int bodyBytes, Shape shape) {
    byte[] message = unsigned(bodyBytes, 1234 + bodyBytes, shape);
    if (algorithm.equals("DUAL")) {
      return DkimSigner.builder()
          .key(DOMAIN, "rsa", RSA)
          .key(DOMAIN, "ed", ED25519)
          .clock(CLOCK)
          .build()
          .signMessage(message);
    }
    if (shape == Shape.HEADERS) {
      for (int i = OTHER_SIGNERS.length - 1; i >= 0; i--) {
        message = signer(algorithm, OTHER_SIGNERS[i]).signMessage(message);
      }
    }
    return signer(algorithm, DOMAIN).signMessage(message);
  }

  private static DkimSigner signer(String algorithm, DomainName domain) {
    boolean rsa = algorithm.equals("RSA");
    return DkimSigner.builder()
        .key(domain, rsa ? "rsa" : "ed", rsa ? RSA : ED25519)
        .clock(CLOCK)
        .build();
  }

  /** Reads a message of the corpus directory. */
  public static byte[] corpusFile(String name) {
    try {
      return Files.readAllBytes(Path.of(System.getProperty("bench.corpus"), name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A realistic unsigned text message with a body of about the given size. */
  public static byte[] unsigned(int bodyBytes, long seed) {
    return unsigned(bodyBytes, seed, Shape.TEXT);
  }

  /**
   * A realistic unsigned message of a shape with a body of about the given size.
   *
   * @param bodyBytes the approximate body size
   * @param seed the seed of the generator: equal seeds give equal messages
   * @param shape what the message looks like
   * @return the message, CRLF line ends
   */
  public static byte[] unsigned(int bodyBytes, long seed, Shape shape) {
    Random r = new Random(seed);
    StringBuilder m = new StringBuilder(bodyBytes + 4096);
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
        .append(contentFields(shape))
        .append("List-Id: Bench announcements <announce.bench.example>\r\n")
        .append("List-Unsubscribe: <https://bench.example/unsubscribe?u=")
        .append(Long.toHexString(r.nextLong()))
        .append(">,\r\n <mailto:unsubscribe@bench.example?subject=unsubscribe>\r\n")
        .append("X-Mailer: BenchMailer 3.1\r\n");
    if (shape == Shape.HEADERS) {
      extraFields(m, r);
    }
    m.append("\r\n");
    switch (shape) {
      case BASE64:
        return base64Body(m, bodyBytes, r);
      case HTML:
        return htmlBody(m, bodyBytes, r);
      default:
        return textBody(m, bodyBytes, r);
    }
  }

  private static String contentFields(Shape shape) {
    switch (shape) {
      case BASE64:
        return "Content-Type: multipart/mixed;\r\n\tboundary=\"" + BOUNDARY + "\"\r\n";
      case HTML:
        return "Content-Type: text/html; charset=\"utf-8\"\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n";
      default:
        return "Content-Type: text/plain;\r\n\tcharset=\"utf-8\";\r\n\tformat=flowed\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n";
    }
  }

  private static final String BOUNDARY = "----=_Part_4711_1234567.1780308000000";

  /**
   * Fills the header of {@link Shape#HEADERS} up to 37 fields, so that with its 3 signatures it has
   * 40: the Received chain and the fields ESPs, lists and filters add.
   */
  private static void extraFields(StringBuilder m, Random r) {
    String[] hops = {"mx2.relay.example", "filter.esp.example", "out-3.esp.example"};
    for (String hop : hops) {
      m.append("Received: from ")
          .append(hop)
          .append(" (")
          .append(hop)
          .append(" [198.51.100.")
          .append(1 + r.nextInt(250))
          .append("])\r\n\tby mx1.receiver.example (Postfix) with ESMTPS id ")
          .append(Long.toHexString(r.nextLong()))
          .append(";\r\n\tMon, 1 Jun 2026 09:59:5")
          .append(r.nextInt(10))
          .append(" +0000 (UTC)\r\n");
    }
    m.append("Reply-To: support@bench.example\r\n")
        .append("Sender: announce-owner@lists.example\r\n")
        .append("Precedence: list\r\n")
        .append("List-Post: <mailto:announce@lists.example>\r\n")
        .append("List-Help: <mailto:announce-request@lists.example?subject=help>\r\n")
        .append("List-Archive: <https://lists.example/archive/announce>\r\n")
        .append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
        .append("Feedback-ID: 4711:campaign-")
        .append(r.nextInt(100_000))
        .append(":esp.example\r\n")
        .append("X-Campaign-Id: ")
        .append(Long.toHexString(r.nextLong()))
        .append("\r\n")
        .append("X-Esp-Tracking: ")
        .append(Long.toHexString(r.nextLong()))
        .append(Long.toHexString(r.nextLong()))
        .append("\r\n")
        .append("X-Priority: 3\r\n")
        .append("X-Spam-Status: No, score=-0.1 required=5.0 tests=DKIM_SIGNED,DKIM_VALID,\r\n")
        .append("\tDKIM_VALID_AU,SPF_PASS autolearn=ham version=3.4.6\r\n")
        .append("X-Spam-Score: -0.1\r\n")
        .append("Thread-Topic: Quarterly numbers\r\n")
        .append("Thread-Index: AdqX")
        .append(Long.toHexString(r.nextLong()))
        .append("==\r\n")
        .append("In-Reply-To: <")
        .append(Long.toHexString(r.nextLong()))
        .append("@bench.example>\r\n")
        .append("References: <")
        .append(Long.toHexString(r.nextLong()))
        .append("@bench.example>\r\n <")
        .append(Long.toHexString(r.nextLong()))
        .append("@bench.example>\r\n")
        .append("Organization: Bench Example Ltd.\r\n")
        .append("Auto-Submitted: auto-generated\r\n")
        .append("X-Original-To: alice@receiver.example\r\n")
        .append("Delivered-To: alice@receiver.example\r\n");
  }

  private static byte[] textBody(StringBuilder m, int bodyBytes, Random r) {
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

  /** A short text part, then a base64 attachment making up the rest of the size. */
  private static byte[] base64Body(StringBuilder m, int bodyBytes, Random r) {
    m.append("This is a multi-part message in MIME format.\r\n\r\n")
        .append("--")
        .append(BOUNDARY)
        .append("\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n")
        .append("Content-Transfer-Encoding: 8bit\r\n\r\n");
    for (int line = 0; line < 6; line++) {
      for (int w = 0; w < 10; w++) {
        m.append(w > 0 ? " " : "").append(WORDS[r.nextInt(WORDS.length)]);
      }
      m.append("\r\n");
    }
    m.append("\r\n--")
        .append(BOUNDARY)
        .append("\r\nContent-Type: application/pdf; name=\"invoice-2026-06.pdf\"\r\n")
        .append("Content-Disposition: attachment; filename=\"invoice-2026-06.pdf\"\r\n")
        .append("Content-Transfer-Encoding: base64\r\n\r\n");
    byte[] data = new byte[Math.max(57, (bodyBytes - 700) * 3 / 4)];
    r.nextBytes(data);
    String encoded = Base64.getMimeEncoder().encodeToString(data); // 76 per line, CRLF
    m.append(encoded).append("\r\n\r\n--").append(BOUNDARY).append("--\r\n");
    return m.toString().getBytes(UTF_8);
  }

  /** An HTML newsletter: a table of paragraphs, each on one line of up to 998 octets. */
  private static byte[] htmlBody(StringBuilder m, int bodyBytes, Random r) {
    int start = m.length();
    m.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Quarterly</title>")
        .append("</head>\r\n<body style=\"margin:0;padding:0;font-family:Arial,sans-serif\">")
        .append("<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\">\r\n");
    while (m.length() - start < bodyBytes) {
      StringBuilder line = new StringBuilder(1000);
      line.append("<tr><td style=\"padding:12px 24px;color:#333333;font-size:14px;")
          .append("line-height:20px\"><p>");
      int target = 300 + r.nextInt(450); // under 998 octets (RFC 5322 §2.1.1) with 8-bit words
      while (line.length() < target) {
        String word = WORDS[r.nextInt(WORDS.length)];
        if (word.startsWith("https:")) {
          line.append("<a href=\"").append(word).append("\" style=\"color:#0066cc\">here</a>");
        } else {
          line.append(word);
        }
        line.append(' ');
      }
      line.append("</p></td></tr>");
      m.append(line).append("\r\n");
    }
    m.append("</table></body></html>\r\n");
    return m.toString().getBytes(UTF_8);
  }
}
