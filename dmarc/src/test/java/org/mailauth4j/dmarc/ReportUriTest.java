package org.mailauth4j.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.LinearTime;

/** Report URIs of {@code rua} and {@code ruf}, from {@code dmarc/record-uri.cases}. */
class ReportUriTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(ReportUriTest.class, "/dmarc/record-uri.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesOrReportsWhereItFails(Cases.Row row) {
    String text = row.get(0);
    String expected = row.get(1);
    if (expected.startsWith("!")) {
      String[] error = expected.substring(1).strip().split(" ", 2);
      DmarcSyntaxException e =
          catchThrowableOfType(DmarcSyntaxException.class, () -> ReportUri.parse(text));
      assertThat(e).as("refused: %s", text).isNotNull();
      assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(Integer.parseInt(error[0]));
      assertThat(e.input()).isEqualTo(text);
      if (error.length > 1) {
        assertThat(e.reason()).contains(error[1]);
      }
      return;
    }
    ReportUri uri = ReportUri.parse(text);
    assertThat(uri.text()).isEqualTo(expected);
    assertThat(uri.scheme()).isEqualTo(row.get(2));
    assertThat(uri.mailbox().orElse("-")).isEqualTo(row.get(3));
    assertThat(uri.host().map(DomainName::toString).orElse("-")).isEqualTo(row.get(4));
    assertThat(uri.sizeLimit().isPresent() ? Long.toString(uri.sizeLimit().getAsLong()) : "-")
        .isEqualTo(row.get(5));
    assertThat(uri.uri().toString()).isEqualTo(expected.replaceFirst("!.*$", ""));
    ReportUri again = ReportUri.parse(uri.text());
    assertThat(again).isEqualTo(uri).hasSameHashCodeAs(uri).hasToString(expected);
  }

  @Test
  void mailtoEncodesWhatARecordCannotHold() {
    assertThat(ReportUri.mailto("dmarc+reports@example.com").text())
        .isEqualTo("mailto:dmarc+reports@example.com");
    ReportUri odd = ReportUri.mailto("\"a,b!c;d%e?f\"@example.com");
    assertThat(odd.text()).isEqualTo("mailto:%22a%2Cb%21c%3Bd%25e%3Ff%22@example.com");
    assertThat(odd.mailbox()).contains("\"a,b!c;d%e?f\"@example.com");
    // RFC 6068 §2: a comma, once decoded, separates addresses; unquoted, it ends the first one.
    assertThatThrownBy(() -> ReportUri.mailto("a,b@example.com"))
        .isInstanceOf(DmarcSyntaxException.class);
    ReportUri idn = ReportUri.mailto("ré@bücher.example");
    assertThat(idn.text()).isEqualTo("mailto:r%C3%A9@b%C3%BCcher.example");
    assertThat(idn.host()).contains(DomainName.parse("xn--bcher-kva.example"));
    assertThat(idn.uri()).isEqualTo(URI.create("mailto:r%C3%A9@b%C3%BCcher.example"));
    assertThatThrownBy(() -> ReportUri.mailto("no-domain"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReportUri.mailto("a@exa mple.com"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalityFollowsTheText() {
    assertThat(ReportUri.parse("MAILTO:d@example.com!1024"))
        .isEqualTo(ReportUri.parse("mailto:d@example.com!1k"))
        .isNotEqualTo(ReportUri.parse("mailto:d@example.com"))
        .isNotEqualTo(ReportUri.parse("mailto:D@example.com!1k"));
  }

  @Test
  void longEscapedAddressesDecodeInLinearTime() {
    LinearTime.assertLinear(n -> "mailto:" + "%41".repeat(n) + "@example.com", ReportUri::parse);
    LinearTime.assertLinear(
        n -> "mailto:" + "%C3%A9".repeat(n) + "@example.com!" + "0".repeat(n) + "1k",
        ReportUri::parse);
  }
}
