package org.mailauth4j.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * Fixed DKIM keys and the zone that publishes them, so that seed messages signed once stay
 * verifiable and the fuzzer starts from signatures that pass. The keys are test keys, committed on
 * purpose; never use them for anything else.
 */
final class DkimFixture {
  /** Signing and verifying happen at this instant, so that {@code t=} and {@code x=} hold. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  static final DomainName DOMAIN = DomainName.parse("example.com");
  static final String RSA_SELECTOR = "rsa";
  static final String ED25519_SELECTOR = "ed";

  /** A 2048-bit RSA key generated for these tests ({@code keys/rsa-2048.pem}). */
  static final DkimSigningKey RSA = DkimSigningKey.fromPem(resource("keys/rsa-2048.pem"));

  /** The RFC 8032 §7.1 test 1 seed, also the key of the RFC 8463 example. */
  static final DkimSigningKey ED25519 =
      DkimSigningKey.ofEd25519Seed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

  /** Both keys under their selectors, and a revoked one under {@code revoked}. */
  static final ZoneFileResolver ZONE =
      ZoneFileResolver.fromZoneText(
          RSA.zoneFileRecord(DOMAIN, RSA_SELECTOR)
              + "\n"
              + ED25519.zoneFileRecord(DOMAIN, ED25519_SELECTOR)
              + "\n"
              + "revoked._domainkey.example.com. TXT \"v=DKIM1; p=\"\n");

  private DkimFixture() {}

  /** A verifier over the fixed zone, at the fixed clock. */
  static DkimVerifier verifier(DnsResolver dns) {
    return DkimVerifier.builder(dns).clock(CLOCK).build();
  }

  /** A zone serving one key record text under both selectors, as a fuzzed DNS answer would. */
  static ZoneFileResolver zoneWithKeyText(String keyText) {
    String txt = TxtRecord.split(keyText).toString();
    return ZoneFileResolver.fromZoneText(
        "rsa._domainkey.example.com. TXT "
            + txt
            + "\ned._domainkey.example.com. TXT "
            + txt
            + "\n");
  }

  /** A signer with both keys, at the fixed clock. */
  static DkimSigner.Builder signer() {
    return DkimSigner.builder()
        .key(DOMAIN, RSA_SELECTOR, RSA)
        .key(DOMAIN, ED25519_SELECTOR, ED25519)
        .clock(CLOCK);
  }

  static String resource(String name) {
    try (InputStream in = DkimFixture.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
