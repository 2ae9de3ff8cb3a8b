package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.dkim.Fixtures.bytes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailauth4j.testkit.Cases;

class MessageHeaderTest {

  static Stream<Arguments> headerEnds() {
    return Cases.arguments(MessageHeaderTest.class, "/dkim/header-end.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headerEnds")
  void endsTheHeaderAtTheFirstEmptyLineHoweverItIsRead(Cases.Row c) throws Exception {
    byte[] message = bytes(c.get(0));
    int expected = Integer.parseInt(c.get(1));
    byte[] body = Arrays.copyOfRange(message, expected, message.length);
    assertThat(MessageHeader.parse(message).length()).as("parse(byte[])").isEqualTo(expected);
    assertThat(MessageHeader.parse(ByteBuffer.wrap(message)).length())
        .as("parse(ByteBuffer)")
        .isEqualTo(expected);
    InputStream in = new ByteArrayInputStream(message);
    assertThat(MessageHeader.read(in, 1000).length())
        .as("read(InputStream, int)")
        .isEqualTo(expected);
    assertThat(in.readAllBytes()).as("read(InputStream, int) leaves the body").isEqualTo(body);
    // The form the verifier and the signer read streams with, fed all at once and octet by octet.
    for (InputStream stream : List.of(new ByteArrayInputStream(message), trickle(message))) {
      MessageHeader.Streamed streamed = MessageHeader.read(stream, MessageHeader.Limits.NONE);
      MessageHeader header = streamed.header();
      assertThat(header.length()).as("read(InputStream, Limits)").isEqualTo(expected);
      assertThat(Arrays.copyOfRange(header.bytes(), header.bodyOffset(), streamed.filled()))
          .as("the body read with the header")
          .isEqualTo(Arrays.copyOfRange(body, 0, streamed.filled() - expected));
    }
  }

  @Test
  void keepsALineOfCarriageReturnsInTheHeader() throws IOException {
    byte[] message = bytes("F\n\r\r\nSubject: x\r\n\r\nbody");
    InputStream in = new ByteArrayInputStream(message);
    for (MessageHeader header :
        List.of(MessageHeader.parse(message), MessageHeader.read(in, 100))) {
      assertThat(header.fields())
          .extracting(f -> new String(f.rawBytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
          .as("RFC 5322 §2.1: a line with a CR before its CRLF is not the empty line")
          .containsExactly("F", "\r", "Subject: x");
      assertThat(header.first("Subject").orElseThrow().value()).isEqualTo("x");
    }
    assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("body");
  }

  @Test
  void readsWithTheLargestLimitAsWithoutLimit() throws Exception {
    byte[] message = bytes("A: 1\r\n B\r\nC: 2\r\n\r\nbody");
    InputStream in = new ByteArrayInputStream(message);
    MessageHeader header = MessageHeader.read(in, Integer.MAX_VALUE);
    assertThat(header.fields()).extracting(HeaderField::toString).containsExactly("A: 1 B", "C: 2");
    assertThat(header.length()).isEqualTo(MessageHeader.parse(message).length());
    assertThat(in.readAllBytes()).isEqualTo(bytes("body"));
    MessageHeader.Limits largest =
        new MessageHeader.Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    assertThat(MessageHeader.read(new ByteArrayInputStream(message), largest).header().length())
        .isEqualTo(header.length());
    assertThat(MessageHeader.scan(message, 0, message.length, largest).length())
        .isEqualTo(header.length());
  }

  /**
   * The limit counts the fields up to the end of the last one's text, without its line break and
   * the empty line; the same whichever way the header is read, with either line end.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"CRLF", "LF"})
  void acceptsAHeaderOfExactlyTheLimit(String lineEnd) throws Exception {
    String eol = lineEnd.equals("CRLF") ? "\r\n" : "\n";
    String fields = "A: 1" + eol + "B: 234";
    byte[] message = bytes(fields + eol + eol + "body");
    int size = fields.length();
    int length = message.length - 4;
    assertThat(MessageHeader.read(new ByteArrayInputStream(message), size).length())
        .isEqualTo(length);
    assertThatThrownBy(() -> MessageHeader.read(new ByteArrayInputStream(message), size - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(size - 1));
    MessageHeader.Limits exact = new MessageHeader.Limits(size, 100, 100);
    MessageHeader.Limits under = new MessageHeader.Limits(size - 1, 100, 100);
    assertThat(MessageHeader.scan(message, 0, message.length, exact).length()).isEqualTo(length);
    assertThat(MessageHeader.read(new ByteArrayInputStream(message), exact).header().length())
        .isEqualTo(length);
    assertThatThrownBy(() -> MessageHeader.scan(message, 0, message.length, under))
        .isInstanceOf(MessageHeader.HeaderLimitException.class);
    assertThatThrownBy(() -> MessageHeader.read(new ByteArrayInputStream(message), under))
        .isInstanceOf(MessageHeader.HeaderLimitException.class);
  }

  @Test
  void refusesANegativeLimit() {
    assertThatThrownBy(() -> MessageHeader.read(new ByteArrayInputStream(new byte[0]), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A stream that hands out one octet at a time, as a slow connection may. */
  private static InputStream trickle(byte[] message) {
    return new InputStream() {
      private final ByteArrayInputStream in = new ByteArrayInputStream(message);

      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, Math.min(len, 1));
      }
    };
  }

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
