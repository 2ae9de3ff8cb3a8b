package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.mailauth4j.dns.DomainName;

/** Keys, messages and clocks shared by the DKIM tests. */
final class Fixtures {
  private Fixtures() {}

  static final DomainName DOMAIN = DomainName.parse("example.com");
  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** RFC 8032 §7.1 test 1 seed: the RFC 8463 Appendix A key, deterministic signatures. */
  static final DkimSigningKey ED25519 =
      DkimSigningKey.ofEd25519Seed(
          Base64.getDecoder().decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="));

  /** Generated once per test run. */
  static final DkimSigningKey RSA = DkimSigningKey.generateRsa(2048);

  static final String MESSAGE =
      "From: Joe SixPack <joe@example.com>\r\n"
          + "To: Suzie Q <suzie@shopping.example.net>\r\n"
          + "Subject: Is dinner ready?\r\n"
          + "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
          + "Message-ID: <20030712040037.46341.5F8J@example.com>\r\n"
          + "\r\n"
          + "Hi.\r\n"
          + "\r\n"
          + "We lost the game.  Are you hungry yet?\r\n"
          + "\r\n"
          + "Joe.\r\n";

  static byte[] bytes(String s) {
    return s.getBytes(ISO_8859_1);
  }

  static String text(byte[] b) {
    return new String(b, ISO_8859_1);
  }

  /** A resolver publishing the two keys as rsa._domainkey and ed._domainkey of example.com. */
  static KeyRecords keys() {
    return new KeyRecords()
        .add("rsa._domainkey.example.com", RSA.keyRecord())
        .add("ed._domainkey.example.com", ED25519.keyRecord());
  }

  static DkimSigner.Builder signer() {
    return DkimSigner.builder().key(DOMAIN, "rsa", RSA).key(DOMAIN, "ed", ED25519).clock(CLOCK);
  }

  static DkimVerifier.Builder verifier(KeyRecords keys) {
    return DkimVerifier.builder(keys.resolver()).clock(CLOCK);
  }
}
