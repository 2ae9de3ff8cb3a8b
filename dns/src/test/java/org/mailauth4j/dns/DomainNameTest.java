package org.mailauth4j.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

class DomainNameTest {

  static Stream<Arguments> syntax() {
    return Cases.arguments(DomainNameTest.class, "/dns/domain-names.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("syntax")
  void parsesOrRejectsWithThePosition(Cases.Row c) {
    String input = c.get(0);
    String expected = c.get(1);
    if (expected.startsWith("error ")) {
      String[] parts = expected.split(" ", 3);
      assertThat(DomainName.isValid(input)).isFalse();
      assertThatThrownBy(() -> DomainName.parse(input))
          .isInstanceOfSatisfying(
              DnsSyntaxException.class,
              e -> {
                assertThat(e.errorIndex()).as("error index").isEqualTo(Integer.parseInt(parts[1]));
                assertThat(e.reason()).isEqualTo(Cases.unescape(parts[2]));
                assertThat(e.input()).isEqualTo(input);
              });
    } else {
      assertThat(DomainName.isValid(input)).isTrue();
      DomainName name = DomainName.parse(input);
      assertThat(name.toString()).isEqualTo(expected);
      assertThat(DomainName.parse(name.toString())).as("reads its own form back").isEqualTo(name);
      assertThat(DnsjavaRecords.toDomainName(DnsjavaRecords.toName(name)))
          .as("same octets through dnsjava")
          .isEqualTo(name);
      assertThat(name.isHostName()).as("host name").isEqualTo(c.get(2).equals("yes"));
      if (name.isHostName() && !input.contains("\\")) {
        assertThat(DomainName.parseHostName(input)).isEqualTo(name);
      } else {
        assertThatThrownBy(() -> DomainName.parseHostName(input))
            .isInstanceOf(DnsSyntaxException.class)
            .hasMessageContaining("not a host name");
      }
      if (input.contains("\\")) {
        assertThatThrownBy(() -> DomainName.parseHostName(input))
            .hasMessageContaining("no escapes in a host name");
      }
    }
  }

  @Test
  void equalityIgnoresCaseAndTrailingDot() {
    assertThat(DomainName.parse("Mail.Example.COM."))
        .isEqualTo(DomainName.parse("mail.example.com"))
        .hasSameHashCodeAs(DomainName.parse("mail.example.com"));
    assertThat(DomainName.parse("example.com")).isNotEqualTo(DomainName.parse("example.org"));
  }

  @Test
  void walksUpTheTree() {
    DomainName name = DomainName.parse("a.b.example.com");
    assertThat(name.labels()).containsExactly("a", "b", "example", "com");
    assertThat(name.labelCount()).isEqualTo(4);
    assertThat(name.parent()).contains(DomainName.parse("b.example.com"));
    assertThat(DomainName.parse("com").parent()).isEmpty();
    assertThat(DomainName.ROOT.parent()).isEmpty();
    assertThat(DomainName.ROOT.labels()).isEmpty();
    assertThat(DomainName.ROOT.labelCount()).isZero();
    assertThat(DomainName.ROOT.isRoot()).isTrue();
    assertThat(DomainName.ROOT).hasToString(".");
  }

  @Test
  void tellsWhetherANameIsWithinAnother() {
    DomainName example = DomainName.parse("example.com");
    assertThat(DomainName.parse("a.b.example.com").isWithin(example)).isTrue();
    assertThat(example.isWithin(example)).isTrue();
    assertThat(DomainName.parse("badexample.com").isWithin(example)).isFalse();
    assertThat(DomainName.parse("com").isWithin(example)).isFalse();
    assertThat(example.isWithin(DomainName.ROOT)).isTrue();
  }

  @Test
  void prependsLabels() {
    DomainName example = DomainName.parse("example.com");
    assertThat(example.prepend("_dmarc")).isEqualTo(DomainName.parse("_dmarc.example.com"));
    assertThat(example.prepend("S1.Sub._domainkey"))
        .isEqualTo(DomainName.parse("s1.sub._domainkey.example.com"));
    assertThat(DomainName.ROOT.prepend("com")).isEqualTo(DomainName.parse("com"));
    assertThat(example.prepend("a\\.b")).hasToString("a\\.b.example.com");
    assertThat(example.prepend("a\\.b").labelCount()).isEqualTo(3);
    assertThatThrownBy(() -> example.prepend("bad..label")).isInstanceOf(DnsSyntaxException.class);
    String longLabel = "a".repeat(63);
    DomainName nearlyFull = DomainName.parse(longLabel + "." + longLabel + "." + longLabel);
    assertThatThrownBy(() -> nearlyFull.prepend(longLabel))
        .isInstanceOf(DnsSyntaxException.class)
        .hasMessageContaining("longer than 253");
  }

  @Test
  void writesAbsoluteAndUnicodeForms() {
    DomainName idn = DomainName.parse("bücher.example");
    assertThat(idn.toAbsoluteString()).isEqualTo("xn--bcher-kva.example.");
    assertThat(idn.toUnicode()).isEqualTo("bücher.example");
    assertThat(DomainName.ROOT.toAbsoluteString()).isEqualTo(".");
  }

  @Test
  void buildsReverseLookupNames() throws Exception {
    assertThat(DomainName.reverseLookupName(InetAddress.getByName("192.0.2.1")))
        .hasToString("1.2.0.192.in-addr.arpa");
    assertThat(DomainName.reverseLookupName(InetAddress.getByName("2001:db8::567:89ab")))
        .hasToString("b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  }

  @Test
  void quotesAHugeInputOnlyInPart() {
    String huge = "a".repeat(10_000);
    assertThatThrownBy(() -> DomainName.parse(huge))
        .isInstanceOfSatisfying(
            DnsSyntaxException.class,
            e -> {
              assertThat(e.getMessage()).hasSizeLessThan(300).contains("10000 characters");
              assertThat(e.input()).hasSize(10_000);
            });
  }

  @Test
  void makesNamesFromLiteralLabels() {
    DomainName name = DomainName.fromLabels(List.of("Alice+x=y@z", "a.b", "example", "COM"));
    assertThat(name).hasToString("alice+x=y\\@z.a\\.b.example.com");
    assertThat(name.labelCount()).isEqualTo(4);
    assertThat(name.octetLength()).isEqualTo(27);
    assertThat(name.parent()).contains(DomainName.parse("a\\.b.example.com"));
    assertThat(name.isWithin(DomainName.parse("b.example.com"))).as("a\\.b is one label").isFalse();
    assertThat(name.isWithin(DomainName.parse("A\\.B.example.com"))).isTrue();
    assertThat(DomainName.fromLabels(List.of("caf\u00e9", "example")))
        .as("non-ASCII as UTF-8 octets")
        .hasToString("caf\\195\\169.example");
    assertThatThrownBy(() -> DomainName.fromLabels(List.of("a", "", "example")))
        .isInstanceOfSatisfying(
            DnsSyntaxException.class, e -> assertThat(e.errorIndex()).isEqualTo(2));
    assertThatThrownBy(() -> DomainName.fromLabels(List.of("x".repeat(64), "example")))
        .hasMessageContaining("label longer than 63 octets");
    assertThatThrownBy(() -> DomainName.fromLabels(List.of()))
        .isInstanceOf(DnsSyntaxException.class);
  }

  @Test
  void keepsTheLastLabels() {
    DomainName name = DomainName.parse("a.b.example.com");
    assertThat(name.suffix(2)).isEqualTo(DomainName.parse("example.com"));
    assertThat(name.suffix(2).octetLength()).isEqualTo(11);
    assertThat(name.suffix(4)).isSameAs(name);
    assertThat(name.suffix(0)).isEqualTo(DomainName.ROOT);
    assertThatThrownBy(() -> name.suffix(5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesHugeInputBeforeAnyConversion() {
    String huge = "\u00fc".repeat(4_000_000);
    assertThatThrownBy(() -> DomainName.parse(huge))
        .isInstanceOfSatisfying(
            DnsSyntaxException.class,
            e -> assertThat(e.reason()).isEqualTo("name longer than 253 octets"));
  }

  @Test
  void tellsHostNamesFromOtherNames() {
    assertThat(DomainName.parse("mx1.example.com").isHostName()).isTrue();
    assertThat(DomainName.parse("xn--bcher-kva.example").isHostName()).isTrue();
    assertThat(DomainName.parse("_mta-sts.example.com").isHostName()).isFalse();
    assertThat(DomainName.ROOT.isHostName()).isFalse();
    assertThat(DomainName.parseHostName("MX1.Example.com.")).hasToString("mx1.example.com");
    assertThatThrownBy(() -> DomainName.parseHostName("mx_1.example.com"))
        .isInstanceOfSatisfying(
            DnsSyntaxException.class, e -> assertThat(e.errorIndex()).isEqualTo(2));
    assertThatThrownBy(() -> DomainName.parseHostName("\\109x.example.com"))
        .as("no escapes, even of letters")
        .isInstanceOfSatisfying(DnsSyntaxException.class, e -> assertThat(e.errorIndex()).isZero());
    assertThatThrownBy(() -> DomainName.parseHostName("MX.Ex_ample.com."))
        .isInstanceOfSatisfying(
            DnsSyntaxException.class, e -> assertThat(e.errorIndex()).isEqualTo(5));
  }
}
