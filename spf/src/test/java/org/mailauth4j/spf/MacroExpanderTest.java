package org.mailauth4j.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

/** Macro expansion, from {@code spf/macro-expansion.cases}, and its limits. */
class MacroExpanderTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(MacroExpanderTest.class, "/spf/macro-expansion.cases");
  }

  private static MacroExpander.Values values(InetAddress ip) {
    return new MacroExpander.Values(
        "strong-bad@email.example.com",
        "strong-bad",
        "email.example.com",
        "email.example.com",
        ip,
        "mx.example.org",
        "mx.example.org",
        "mx.example.net",
        1_700_000_000L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expands(Cases.Row row) {
    InetAddress ip = InetAddresses.forString(row.columns().size() > 2 ? row.get(2) : "192.0.2.3");
    MacroString macro = MacroString.parseExplanation(row.get(0));
    assertThat(MacroExpander.expandExplanation(macro, values(ip))).isEqualTo(row.get(1));
  }

  @Test
  void pWithoutAValidatedNameIsUnknown() {
    MacroExpander.Values v = values(InetAddresses.forString("192.0.2.3")).withValidatedName(null);
    assertThat(MacroExpander.expandDomain(MacroString.parse("%{p}.example.com"), v))
        .isEqualTo("unknown.example.com");
  }

  @Test
  void longDomainsLoseLabelsOnTheLeft() {
    // RFC 7208 §7.3: over 253 characters, labels are dropped from the left until it fits.
    String label = "a".repeat(60);
    MacroExpander.Values v =
        values(InetAddresses.forString("192.0.2.3"))
            .withDomain(String.join(".", label, label, label, label, label, "example.com"));
    String expanded = MacroExpander.expandDomain(MacroString.parse("%{d}"), v);
    assertThat(expanded).hasSizeLessThanOrEqualTo(253).endsWith(".example.com");
    assertThat(expanded).isEqualTo(String.join(".", label, label, label, "example.com"));
    assertThat(MacroExpander.truncate("example.com.")).isEqualTo("example.com");
  }

  @Test
  void exponentialLookingExpansionsStaySmall() {
    // A 10 KB domain-spec of macros over a long local-part would expand to megabytes; only the
    // tail that can survive truncation is kept.
    String local = "x".repeat(60) + ".";
    MacroExpander.Values v =
        new MacroExpander.Values(
            local.repeat(16) + "@example.com",
            local.repeat(16),
            "example.com",
            "example.com",
            InetAddresses.forString("192.0.2.3"),
            null,
            "helo.example",
            "receiver.example",
            0);
    MacroString spec = MacroString.parse("%{l}.%{s}.".repeat(1000) + "example.com");
    String expanded = MacroExpander.expandDomain(spec, v);
    assertThat(expanded).hasSizeLessThanOrEqualTo(253).endsWith("example.com");
    // An explanation that would grow past the limit is dropped instead.
    MacroString text = MacroString.parseExplanation("%{s} ".repeat(1000));
    assertThat(MacroExpander.expandExplanation(text, v)).isNull();
    assertThat(MacroExpander.expandExplanation(MacroString.parseExplanation("%{d}"), v))
        .isEqualTo("example.com");
  }
}
