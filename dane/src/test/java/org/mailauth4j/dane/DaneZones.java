package org.mailauth4j.dane;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.mailauth4j.dane.TlsaRecord.CertificateUsage;
import org.mailauth4j.dane.TlsaRecord.MatchingType;
import org.mailauth4j.dane.TlsaRecord.Selector;
import org.mailauth4j.dns.NetworkDnsResolver;
import org.mailauth4j.testkit.DnssecZones;
import org.mailauth4j.testkit.NsdServer;
import org.mailauth4j.testkit.TestPki;

/**
 * The DNSSEC tree the DANE tests query through nsd: {@code test.} signed (the trust anchor), {@code
 * secure.test.} and {@code other.test.} signed and delegated with DS, {@code insecure.test.}
 * delegated without one, {@code broken.test.} signed but delegated with the DS of another key; and
 * the certificates whose keys the TLSA records name.
 */
final class DaneZones {
  static final Instant NOW = Instant.now();
  static final TestPki PKI =
      new TestPki("DANE test CA", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));

  /** The key that {@code mx.secure.test} publishes, and the one it rolls over to. */
  static final TestPki.Identity MX = issue("mx.secure.test");

  static final TestPki.Identity NEXT = issue("mx.secure.test");

  /** A key no record names. */
  static final TestPki.Identity STRANGER = issue("mx.secure.test");

  static final String MX_TLSA = tlsa(MX);
  static final String NEXT_TLSA = tlsa(NEXT);

  static final DnssecZones ZONES =
      DnssecZones.builder("test")
          .now(NOW)
          .signedZone("secure.test")
          .signedZone("other.test")
          .unsignedZone("insecure.test")
          .signedZoneWithWrongDs("broken.test")
          .records(
              // the recipient domain: one MX with DANE, one in the unsigned zone
              "secure.test. 300 IN MX 10 mx.secure.test.",
              "secure.test. 300 IN MX 20 mx.insecure.test.",
              "mx.secure.test. 300 IN A 192.0.2.25",
              "mx.secure.test. 300 IN AAAA 2001:db8::25",
              "_25._tcp.mx.secure.test. 300 IN TLSA " + MX_TLSA,
              // a host name that is an alias of the DANE host (RFC 7672 §2.2.3)
              "alias.secure.test. 300 IN CNAME mx.secure.test.",
              // TLSA records behind a CNAME, in the same signed zone, another one, an unsigned one
              "mx2.secure.test. 300 IN A 192.0.2.26",
              "_25._tcp.mx2.secure.test. 300 IN CNAME _25._tcp.mx.secure.test.",
              "mx3.secure.test. 300 IN A 192.0.2.27",
              "_25._tcp.mx3.secure.test. 300 IN CNAME _dane.other.test.",
              "_dane.other.test. 300 IN TLSA " + MX_TLSA,
              "mx4.secure.test. 300 IN A 192.0.2.28",
              "_25._tcp.mx4.secure.test. 300 IN CNAME _dane.insecure.test.",
              "_dane.insecure.test. 300 IN TLSA " + MX_TLSA,
              // bogus TLSA records
              "bad.secure.test. 300 IN A 192.0.2.30",
              "expired.secure.test. 300 IN A 192.0.2.31",
              "forged.secure.test. 300 IN A 192.0.2.32",
              // denial: no TLSA name at all, and a TLSA name with other data only
              "plain.secure.test. 300 IN A 192.0.2.33",
              "nodata.secure.test. 300 IN A 192.0.2.34",
              "_25._tcp.nodata.secure.test. 300 IN TXT \"no TLSA here\"",
              // rollover: old and new key published together (RFC 7671 §8.1)
              "roll.secure.test. 300 IN A 192.0.2.35",
              "_25._tcp.roll.secure.test. 300 IN TLSA " + MX_TLSA,
              "_25._tcp.roll.secure.test. 300 IN TLSA " + NEXT_TLSA,
              // only a record RFC 7672 §3.1.3 makes unusable for SMTP: PKIX-EE
              "pkix.secure.test. 300 IN A 192.0.2.38",
              "_25._tcp.pkix.secure.test. 300 IN TLSA 1" + MX_TLSA.substring(1),
              // recipient domains whose MX hosts have bogus TLSA records
              "bogustlsa.secure.test. 300 IN MX 10 bad.secure.test.",
              "bogustlsa.secure.test. 300 IN MX 20 mx.secure.test.",
              "expiredtlsa.secure.test. 300 IN MX 10 expired.secure.test.",
              // recipient domains whose MX RRset is bogus
              "bogusmx.secure.test. 300 IN A 192.0.2.36",
              "stalemx.secure.test. 300 IN A 192.0.2.37",
              // the unsigned zone: TLSA records there are not DNSSEC-validated
              "insecure.test. 300 IN MX 10 mx.insecure.test.",
              "mx.insecure.test. 300 IN A 192.0.2.40",
              "_25._tcp.mx.insecure.test. 300 IN TLSA " + MX_TLSA,
              // a signed zone whose parent's DS names another key: a broken chain of trust
              "mx.broken.test. 300 IN A 192.0.2.50",
              "_25._tcp.mx.broken.test. 300 IN TLSA " + MX_TLSA)
          .badSignature("_25._tcp.bad.secure.test. 300 IN TLSA " + MX_TLSA)
          .expired("_25._tcp.expired.secure.test. 300 IN TLSA " + MX_TLSA)
          .forged(
              "_25._tcp.forged.secure.test. 300 IN TLSA " + MX_TLSA,
              "_25._tcp.forged.secure.test. 300 IN TLSA " + tlsa(STRANGER))
          .badSignature("bogusmx.secure.test. 300 IN MX 10 mx.secure.test.")
          .expired("stalemx.secure.test. 300 IN MX 10 mx.secure.test.")
          .build();

  private DaneZones() {}

  /** A server for the zones, to register as an extension. */
  static NsdServer nsd() {
    return ZONES.serveOn(new NsdServer());
  }

  /** A resolver that validates with the tree's trust anchor. */
  static NetworkDnsResolver validating(NsdServer nsd) {
    return plain(nsd).dnssecTrustAnchors(ZONES.trustAnchor()).build();
  }

  /** A resolver for the same server that does not validate. */
  static NetworkDnsResolver.Builder plain(NsdServer nsd) {
    return NetworkDnsResolver.builder()
        .servers(List.of(nsd.address()))
        .timeout(Duration.ofSeconds(2))
        .lookupTimeout(Duration.ofSeconds(8));
  }

  private static TestPki.Identity issue(String host) {
    return PKI.issue(List.of(host), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
  }

  private static String tlsa(TestPki.Identity identity) {
    return TlsaRecord.of(
            CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, identity.certificate())
        .toText();
  }
}
