package org.mailauth4j.dns;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxtRecordTest {

  @Test
  void joinsCharacterStringsWithNothingBetween() {
    TxtRecord r = TxtRecord.of("v=spf1 ip4:192.0.2.0/24", " -all");
    assertThat(r.text()).isEqualTo("v=spf1 ip4:192.0.2.0/24 -all");
    assertThat(r.strings()).containsExactly("v=spf1 ip4:192.0.2.0/24", " -all");
    assertThat(r.stringCount()).isEqualTo(2);
    assertThat(r.length()).isEqualTo(28);
  }

  @Test
  void decodesAUtf8CharacterSplitAcrossStrings() {
    byte[] euro = "€".getBytes(UTF_8); // three octets
    TxtRecord r =
        TxtRecord.ofBytes(List.of(Arrays.copyOf(euro, 1), Arrays.copyOfRange(euro, 1, 3)));
    assertThat(r.text()).isEqualTo("€");
    assertThat(r.isAscii()).isFalse();
  }

  @Test
  void keepsOctetsThatAreNotUtf8() {
    TxtRecord r = TxtRecord.ofBytes(List.of(new byte[] {'v', '=', (byte) 0xFF}));
    assertThat(r.bytes()).containsExactly('v', '=', 0xFF);
    assertThat(r.text()).isEqualTo("v=\uFFFD");
    assertThat(r.isAscii()).isFalse();
    assertThat(TxtRecord.of("plain").isAscii()).isTrue();
  }

  @Test
  void refusesACharacterStringOver255Octets() {
    assertThatThrownBy(() -> TxtRecord.of("x".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 octets");
  }

  @Test
  void splitsLongTextAsAPublisherWould() {
    String text = "p=" + "A".repeat(600);
    TxtRecord r = TxtRecord.split(text);
    assertThat(r.stringCount()).isEqualTo(3);
    assertThat(r.rawStrings()).extracting(b -> b.length).containsExactly(255, 255, 92);
    assertThat(r.text()).isEqualTo(text);
    assertThat(TxtRecord.split("").stringCount()).isEqualTo(1);
  }

  @Test
  void isImmutable() {
    byte[] source = {'a', 'b'};
    TxtRecord r = TxtRecord.ofBytes(List.of(source));
    source[0] = 'z';
    r.bytes()[1] = 'z';
    r.rawStrings().get(0)[0] = 'z';
    assertThat(r.text()).isEqualTo("ab");
  }

  @Test
  void comparesByContentAndPrintsPresentationForm() {
    assertThat(TxtRecord.of("a", "b")).isEqualTo(TxtRecord.of("a", "b"));
    assertThat(TxtRecord.of("a", "b")).hasSameHashCodeAs(TxtRecord.of("a", "b"));
    assertThat(TxtRecord.of("a", "b")).isNotEqualTo(TxtRecord.of("ab"));
    assertThat(TxtRecord.ofBytes(List.of(new byte[] {'q', '"', '\\', 0x01, (byte) 0xE9})))
        .hasToString("\"q\\\"\\\\\\001\\233\"");
  }
}
