package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.mailauth4j.dkim.HeaderField;
import org.mailauth4j.dkim.MessageHeader;

/**
 * {@link MessageHeader} on any octets: parsing from an array, a buffer and a stream must agree, and
 * no input makes it throw (nothing is documented for bad input: every octet string has a header,
 * possibly empty).
 */
class MessageHeaderFuzz {

  @FuzzTarget
  void parse(byte[] message) {
    Contract.timed(
        message.length,
        () -> {
          MessageHeader header = MessageHeader.parse(message);
          check(header.length() <= message.length, "header longer than the message");
          List<HeaderField> fields = header.fields();
          for (HeaderField field : fields.subList(0, Math.min(fields.size(), 50))) {
            check(field.name() != null && field.value() != null, "field without name or value");
            check(field.rawBytes().length <= message.length, "raw field longer than the message");
            if (!field.name().isEmpty()) {
              check(field.hasName(field.name()), "hasName of its own name");
              check(
                  header.fields(field.name()).stream()
                      .anyMatch(f -> Arrays.equals(f.rawBytes(), field.rawBytes())),
                  "fields(name) misses a field");
            }
          }
          header.first("From");
          MessageHeader fromBuffer = MessageHeader.parse(ByteBuffer.wrap(message));
          assertSame("parse(ByteBuffer)", header, fromBuffer);
          // The stream form stops after the blank line; a limit of the whole message is enough.
          assertSame("read(InputStream)", header, read(message, Math.max(message.length, 1)));
        });
  }

  /** The same parse with the largest limit there is: "no limit" must mean no limit. */
  @FuzzTarget
  void readWithLargestLimit(byte[] message) {
    Contract.timed(
        message.length,
        () ->
            assertSame(
                "read(InputStream, Integer.MAX_VALUE)",
                MessageHeader.parse(message),
                read(message, Integer.MAX_VALUE)));
  }

  private static MessageHeader read(byte[] message, int limit) {
    try {
      return MessageHeader.read(new ByteArrayInputStream(message), limit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertSame(String what, MessageHeader expected, MessageHeader actual) {
    assertEqual(what + ": length", expected.length(), actual.length());
    List<HeaderField> a = expected.fields();
    List<HeaderField> b = actual.fields();
    assertEqual(what + ": field count", a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEqual(what + ": name of field " + i, a.get(i).name(), b.get(i).name());
      assertEqual(what + ": value of field " + i, a.get(i).value(), b.get(i).value());
      check(
          Arrays.equals(a.get(i).rawBytes(), b.get(i).rawBytes()),
          what + ": raw octets of field " + i);
    }
  }
}
