package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.TestEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stalwart's ARF samples ({@code conformance/dmarc/stalwart-arf}: two abuse reports, three
 * authentication failure reports) against Stalwart's own parse of them, field by field for the
 * fields both models have.
 */
class FailureReportConformanceTest {
  private static final String DATA = "dmarc/stalwart-arf";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final FailureReportReader READER = FailureReportReader.builder().build();

  static Stream<Arguments> samples() throws IOException {
    return TestEnvironment.conformanceCases(
        DATA,
        2,
        dir -> {
          List<Arguments> cases = new ArrayList<>();
          try (Stream<Path> files = Files.list(dir)) {
            for (Path eml : files.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
              Path json = Path.of(eml.toString().replace(".eml", ".json"));
              String name = eml.getFileName().toString();
              cases.add(Arguments.of(Named.of(name, eml), json));
            }
          }
          return cases.stream();
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void readsWhatStalwartReads(Path eml, Path json) throws IOException {
    TestEnvironment.conformance(DATA);
    FailureReport report = READER.read(Files.readAllBytes(eml));
    JsonNode expected = JSON.readTree(Files.readAllBytes(json));

    assertThat(stalwartName(report.feedbackType()))
        .as("feedback type")
        .isEqualTo(expected.path("feedback_type").asString());
    assertThat(report.userAgent().orElse(null))
        .as("user agent")
        .isEqualTo(text(expected, "user_agent"));
    assertThat(report.version().orElse(0))
        .as("version")
        .isEqualTo(expected.path("version").asInt());
    assertThat(report.incidents()).as("incidents").isEqualTo(expected.path("incidents").asLong());
    assertThat(report.arrivalDate().map(i -> i.getEpochSecond()).orElse(null))
        .as("arrival date")
        .isEqualTo(
            expected.path("arrival_date").isNull() ? null : expected.path("arrival_date").asLong());
    assertThat(report.sourceIp().map(InetAddresses::toAddrString).orElse(null))
        .as("source IP")
        .isEqualTo(text(expected, "source_ip"));
    assertThat(report.originalEnvelopeId().orElse(null))
        .as("original envelope id")
        .isEqualTo(text(expected, "original_envelope_id"));
    assertThat(report.originalMailFrom().orElse(null))
        .as("original mail from")
        .isEqualTo(text(expected, "original_mail_from"));
    assertThat(report.originalRcptTo().stream().findFirst().orElse(null))
        .as("original rcpt to")
        .isEqualTo(text(expected, "original_rcpt_to"));
    assertThat(report.reportingMta().orElse(null))
        .as("reporting MTA")
        .isEqualTo(text(expected, "reporting_mta"));
    assertThat(report.reportedDomains())
        .as("reported domains")
        .isEqualTo(strings(expected, "reported_domain"));
    assertThat(report.reportedUris())
        .as("reported URIs")
        .isEqualTo(strings(expected, "reported_uri"));
    // Stalwart keeps the folding line breaks; unfolding removes them (RFC 5322 §2.2.3).
    assertThat(report.authenticationResults())
        .as("authentication results")
        .isEqualTo(
            strings(expected, "authentication_results").stream()
                .map(s -> s.replace("\n", ""))
                .toList());
    assertThat(report.authFailure().map(a -> stalwartName(a.name())).orElse("Unspecified"))
        .as("auth failure")
        .isEqualTo(expected.path("auth_failure").asString());
    assertThat(report.deliveryResult().map(d -> stalwartName(d.name())).orElse("Unspecified"))
        .as("delivery result")
        .isEqualTo(expected.path("delivery_result").asString());
    assertThat(report.identityAlignment().map(a -> stalwartName(a.name())).orElse("Unspecified"))
        .as("identity alignment")
        .isEqualTo(expected.path("identity_alignment").asString());
    assertThat(report.dkimDomain().orElse(null))
        .as("DKIM domain")
        .isEqualTo(text(expected, "dkim_domain"));
    assertThat(report.dkimIdentity().orElse(null))
        .as("DKIM identity")
        .isEqualTo(text(expected, "dkim_identity"));
    assertThat(report.dkimSelector().orElse(null))
        .as("DKIM selector")
        .isEqualTo(text(expected, "dkim_selector"));
    assertThat(report.dkimCanonicalizedBody().orElse(null))
        .as("DKIM canonicalized body")
        .isEqualTo(
            expected.path("dkim_canonicalized_body").isNull()
                ? null
                : expected.path("dkim_canonicalized_body").asString().replaceAll("\\s", ""));
    assertThat(report.spfDns().orElse(null)).as("SPF DNS").isEqualTo(text(expected, "spf_dns"));
    if (!expected.path("headers").isNull()) {
      assertThat(report.originalHeaders())
          .as("original headers")
          .hasValue(expected.path("headers").asString());
    }
  }

  /**
   * Stalwart's enum names: {@code AUTH_FAILURE} is {@code AuthFailure}, {@code DKIM} {@code Dkim}.
   */
  private static String stalwartName(Enum<?> e) {
    return stalwartName(e.name());
  }

  private static String stalwartName(String constant) {
    switch (constant) {
      case "BODYHASH":
        return "BodyHash";
      case "DKIM_AND_SPF":
        return "DkimSpf";
      default:
        StringBuilder sb = new StringBuilder();
        for (String word : constant.split("_")) {
          sb.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
  }

  private static String text(JsonNode node, String name) {
    JsonNode v = node.path(name);
    return v.isNull() || v.isMissingNode() ? null : v.asString();
  }

  private static List<String> strings(JsonNode node, String name) {
    List<String> values = new ArrayList<>();
    node.path(name).forEach(v -> values.add(v.asString()));
    return values;
  }
}
