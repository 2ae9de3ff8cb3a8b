package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.LinearTime;

class TlsRptUriTest {

  static Stream<Arguments> uris() {
    return Cases.arguments(TlsRptUriTest.class, "/tlsrpt/report-uri.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uris")
  void readsReportUrisAsTheTableSays(Cases.Row row) {
    String text = row.get(0);
    String[] expected = row.get(1).split(" ");
    if (expected.length == 1) {
      TlsRptSyntaxException e =
          catchThrowableOfType(TlsRptSyntaxException.class, () -> TlsRptUri.parse(text));
      assertThat(e).as("refused").isNotNull();
      assertThat(e.problem() + "@" + e.errorIndex()).isEqualTo(expected[0]);
      // As the one element of a record's rua, the same problem at the same place.
      String prefix = "v=TLSRPTv1; rua=";
      TlsRptRecordParser.Result parsed =
          TlsRptRecordParser.parse(prefix + text + ",mailto:x@example.com");
      if (text.chars().noneMatch(c -> c == ',' || c == ';' || c == ' ')) {
        assertThat(parsed.findings())
            .first()
            .satisfies(
                p ->
                    assertThat(p.problem() + "@" + (p.position() - prefix.length()))
                        .isEqualTo(expected[0]));
      }
      return;
    }
    TlsRptUri uri = TlsRptUri.parse(text);
    assertThat(uri.scheme().name()).isEqualTo(expected[0]);
    assertThat(uri.mailbox())
        .isEqualTo(expected[1].equals("-") ? Optional.empty() : Optional.of(expected[1]));
    assertThat(uri.host()).isEqualTo(expected[2]);
    List<String> mailboxes = new ArrayList<>();
    if (!expected[1].equals("-")) {
      mailboxes.add(expected[1]);
      mailboxes.addAll(Arrays.asList(expected).subList(3, expected.length));
    }
    assertThat(uri.mailboxes()).isEqualTo(mailboxes);
    String written = row.columns().size() > 2 ? row.get(2) : text;
    assertThat(uri.text()).isEqualTo(written).isEqualTo(uri.toString());
    assertThat(uri.uri().toString()).isEqualTo(written);
    assertThat(uri.uri().getScheme()).isEqualTo(uri.scheme().token());
    TlsRptUri again = TlsRptUri.parse(uri.text());
    assertThat(again).isEqualTo(uri).hasSameHashCodeAs(uri);
    assertThat(again.mailboxes()).isEqualTo(uri.mailboxes());
    assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=" + text).reportUris()).containsExactly(uri);
  }

  @Test
  void mailtoEncodesWhatARecordCannotHold() {
    assertThat(TlsRptUri.mailto("tlsrpt+x@example.com").text())
        .isEqualTo("mailto:tlsrpt+x@example.com");
    TlsRptUri odd = TlsRptUri.mailto("a!b%c@example.com");
    assertThat(odd.text()).isEqualTo("mailto:a%21b%25c@example.com");
    assertThat(odd.mailbox()).hasValue("a!b%c@example.com");
    assertThat(odd.mailboxes()).containsExactly("a!b%c@example.com");
    TlsRptUri quoted = TlsRptUri.mailto("\"a,b;c d\"@example.com");
    assertThat(quoted.text()).isEqualTo("mailto:%22a%2Cb%3Bc%20d%22@example.com");
    assertThat(quoted.mailbox()).hasValue("\"a,b;c d\"@example.com");
    // RFC 5322 §3.4.1: an unquoted comma ends the first address, which then has no domain.
    assertThatThrownBy(() -> TlsRptUri.mailto("a,b@example.com"))
        .isInstanceOf(TlsRptSyntaxException.class);
    TlsRptUri utf8 = TlsRptUri.mailto("j\u00f6rg@b\u00fccher.example");
    assertThat(utf8.text()).isEqualTo("mailto:j%C3%B6rg@b%C3%BCcher.example");
    assertThat(utf8.mailbox()).hasValue("j\u00f6rg@b\u00fccher.example");
    assertThat(utf8.host()).isEqualTo("xn--bcher-kva.example");
    assertThatThrownBy(() -> TlsRptUri.mailto("no-at-sign"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TlsRptUri.mailto("a@[192.0.2.1]"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesTheBrokenAddressAmongSeveral() {
    TlsRptSyntaxException e =
        catchThrowableOfType(
            TlsRptSyntaxException.class,
            () -> TlsRptUri.parse("mailto:a@example.com%2Cb@example.com%2Cc@"));
    assertThat(e.reason()).contains("address 3");
    TlsRptSyntaxException single =
        catchThrowableOfType(TlsRptSyntaxException.class, () -> TlsRptUri.parse("mailto:c@"));
    assertThat(single.reason()).doesNotContain("address 1");
  }

  @Test
  void takesLinearTimeOnManyAddresses() {
    LinearTime.assertLinear(
        n -> "mailto:" + "a@example.com%2C".repeat(n) + "b@example.com", TlsRptUri::parse);
  }
}
