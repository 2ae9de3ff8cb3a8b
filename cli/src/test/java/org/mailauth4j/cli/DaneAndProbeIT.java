package org.mailauth4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailauth4j.dane.TlsaRecord;
import org.mailauth4j.testkit.DnssecZones;
import org.mailauth4j.testkit.NsdServer;
import org.mailauth4j.testkit.PostfixServer;
import org.mailauth4j.testkit.TestPki;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code check} against real servers: a DNSSEC-signed zone served by nsd and validated by the
 * command from its trust anchor, and a Postfix on loopback that offers STARTTLS with the
 * certificate the zone's TLSA record names, probed with {@code --probe}.
 */
class DaneAndProbeIT {
  private static final Instant NOW = Instant.now();
  private static final TestPki PKI =
      new TestPki("CLI test CA", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
  private static final TestPki.Identity MX =
      PKI.issue(
          List.of("mx.secure.test"), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));

  @Order(1)
  @RegisterExtension
  static final PostfixServer POSTFIX =
      new PostfixServer().hostName("mx.secure.test").domain("secure.test").identity(MX);

  private static final String TLSA =
      TlsaRecord.of(
              TlsaRecord.CertificateUsage.DANE_EE,
              TlsaRecord.Selector.SPKI,
              TlsaRecord.MatchingType.SHA2_256,
              MX.certificate())
          .toText();

  private static final DnssecZones ZONES =
      DnssecZones.builder("test")
          .now(NOW)
          .signedZone("secure.test")
          .unsignedZone("plain.test")
          .records(
              "secure.test. 300 IN MX 10 mx.secure.test.",
              "secure.test. 300 IN TXT \"v=spf1 mx -all\"",
              "_dmarc.secure.test. 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:d@secure.test\"",
              "_smtp._tls.secure.test. 300 IN TXT \"v=TLSRPTv1; rua=mailto:tls@secure.test\"",
              "mx.secure.test. 300 IN A 127.0.0.1",
              "_25._tcp.mx.secure.test. 300 IN TLSA " + TLSA,
              "plain.test. 300 IN MX 10 mx.plain.test.",
              "mx.plain.test. 300 IN A 127.0.0.1",
              "_25._tcp.mx.plain.test. 300 IN TLSA " + TLSA)
          .build();

  @Order(2)
  @RegisterExtension
  static final NsdServer NSD = ZONES.serveOn(new NsdServer());

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  private JsonNode check(String domain, String... more) {
    Path anchors = CliProcess.write(dir, "anchors.zone", ZONES.trustAnchor());
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "check",
                domain,
                "--dns",
                NSD.hostAndPort(),
                "--dnssec-anchors",
                anchors.toString(),
                "--json",
                "--timeout",
                "5s"));
    args.addAll(List.of(more));
    CliProcess.Result r = CliProcess.jar(args);
    assertThat(r.err()).as(r.transcript()).isEmpty();
    return JSON.readTree(r.out()).path("domains").get(0);
  }

  @Test
  void tlsaRecordsInASignedZoneAreUsableAndTheProbedCertificateMatchesThem() {
    int port = POSTFIX.address().getPort();
    JsonNode d = check("secure.test", "--probe", "--smtp-port", String.valueOf(port));
    JsonNode dane = d.path("transport").path("dane").get(0);
    assertThat(dane.path("host").asString()).isEqualTo("mx.secure.test");
    assertThat(dane.path("status").asString()).as("%s", dane).isEqualTo("usable");
    JsonNode tls = d.path("transport").path("starttls").get(0);
    assertThat(tls.path("status").asString()).as("%s", tls).isEqualTo("tls-established");
    assertThat(tls.path("tlsProtocol").asString()).startsWith("TLSv1.");
    assertThat(tls.path("dane").asString()).isEqualTo("pass");
  }

  @Test
  void tlsaRecordsInAnUnsignedZoneAreInsecure() {
    JsonNode d = check("plain.test");
    assertThat(d.path("transport").path("dane").get(0).path("status").asString())
        .isEqualTo("insecure");
    assertThat(d.path("transport").path("starttls").isNull()).isTrue();
  }
}
