package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.dkim.Fixtures.bytes;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageHeaderTest {

  @Test
  void keepsEachFieldWithItsExactOctets() {
    MessageHeader header =
        MessageHeader.parse(
            bytes(
                "Received: from a\r\n\tby b\r\nSubject:  Hello\r\n World \r\nFROM : x@example.com\r\n\r\nbody"));
    List<HeaderField> fields = header.fields();
    assertThat(fields).extracting(HeaderField::name).containsExactly("Received", "Subject", "FROM");
    assertThat(new String(fields.get(0).rawBytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("Received: from a\r\n\tby b");
    assertThat(fields.get(1).value())
        .as("unfolded, leading space dropped")
        .isEqualTo("Hello World ");
    assertThat(header.first("from").orElseThrow().value()).isEqualTo("x@example.com");
    assertThat(header.fields("subject")).hasSize(1);
    assertThat(header.first("Cc")).isEmpty();
    assertThat(header.length())
        .isEqualTo(
            bytes(
                    "Received: from a\r\n\tby b\r\nSubject:  Hello\r\n World \r\nFROM : x@example.com\r\n\r\n")
                .length);
  }

  @Test
  void acceptsBareLineFeeds() {
    MessageHeader header = MessageHeader.parse(bytes("A: 1\n B\nC: 2\n\nbody\n"));
    assertThat(header.fields()).extracting(HeaderField::toString).containsExactly("A: 1 B", "C: 2");
    assertThat(header.length()).isEqualTo(14);
  }

  @Test
  void treatsAMessageWithoutBlankLineAsAllHeader() {
    MessageHeader header = MessageHeader.parse(bytes("A: 1\r\nB: 2"));
    assertThat(header.fields()).hasSize(2);
    assertThat(header.length()).isEqualTo(10);
  }

  @Test
  void keepsLinesThatAreNotFieldsWithoutAName() {
    MessageHeader header =
        MessageHeader.parse(bytes("not a field\r\nBad Name: x\r\nGood: y\r\n\r\n"));
    assertThat(header.fields()).extracting(HeaderField::name).containsExactly("", "", "Good");
    assertThat(header.fields("Bad Name")).isEmpty();
  }

  @Test
  void decodesUtf8Values() {
    MessageHeader header =
        MessageHeader.parse(
            "Subject: Grüße\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(header.first("Subject").orElseThrow().value()).isEqualTo("Grüße");
    assertThat(header.first("Subject").orElseThrow().hasName("SUBJECT")).isTrue();
  }

  @Test
  void readsTheHeaderFromAStreamAndLeavesTheBody() throws Exception {
    java.io.InputStream in =
        new java.io.ByteArrayInputStream(bytes("A: 1\r\n B\r\nC: 2\r\n\r\nbody\r\n"));
    MessageHeader header = MessageHeader.read(in, 1000);
    assertThat(header.fields()).extracting(HeaderField::toString).containsExactly("A: 1 B", "C: 2");
    assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("body\r\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MessageHeader.read(new java.io.ByteArrayInputStream(new byte[5000]), 1000))
        .isInstanceOf(IllegalArgumentException.class);
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes("X: y\n\nbody"));
    assertThat(MessageHeader.parse(buffer).first("x")).isPresent();
    assertThat(buffer.position()).isZero();
  }

  @Test
  void handlesAnEmptyHeader() {
    assertThat(MessageHeader.parse(bytes("\r\nbody")).fields()).isEmpty();
    assertThat(MessageHeader.parse(bytes("\nbody")).length()).isEqualTo(1);
    assertThat(MessageHeader.parse(new byte[0]).fields()).isEmpty();
  }
}
