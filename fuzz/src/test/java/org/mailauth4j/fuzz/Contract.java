package org.mailauth4j.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.mailauth4j.dns.InputSyntaxException;

/**
 * What every fuzz target asserts: an input ends in a value or in the exception the API documents
 * for bad input, never in another exception, and within {@link #PER_INPUT}.
 */
final class Contract {
  /** The most one input may take, whatever it holds. */
  static final Duration PER_INPUT = Duration.ofSeconds(1);

  private Contract() {}

  /**
   * Runs a target's body and fails if it takes longer than {@link #PER_INPUT}. The first run of a
   * code path also pays for class loading and compilation, so an input over budget is run once
   * more: a slow input is slow twice.
   */
  static void timed(int inputLength, Runnable body) {
    long took = nanos(body);
    if (took > PER_INPUT.toNanos()) {
      long again = nanos(body);
      if (again > PER_INPUT.toNanos()) {
        throw new AssertionError(
            "an input of "
                + inputLength
                + " octets took "
                + again / 1_000_000
                + " ms (and "
                + took / 1_000_000
                + " ms before), over the budget of 1 s");
      }
    }
  }

  private static long nanos(Runnable body) {
    long start = System.nanoTime();
    body.run();
    return System.nanoTime() - start;
  }

  /**
   * Runs a parse that may refuse its input only with {@code documented}, the module's own syntax
   * exception; any other exception escapes and is a finding. A refusal must say what and where: a
   * message, and an index within the input it reports.
   *
   * @param documented the exception the parser's Javadoc names
   * @param parse the parse
   * @return the parsed value, or null if the input was refused as documented
   */
  static <T> T parseOrNull(Class<? extends InputSyntaxException> documented, Supplier<T> parse) {
    try {
      T value = parse.get();
      if (value == null) {
        throw new AssertionError("parse returned null");
      }
      return value;
    } catch (RuntimeException e) {
      if (e.getClass() != documented) {
        throw e;
      }
      InputSyntaxException refusal = (InputSyntaxException) e;
      int index = refusal.errorIndex();
      int length = refusal.input().length();
      if (index < 0 || index > length) {
        throw new AssertionError(
            "error index " + index + " outside the input of " + length + " chars", e);
      }
      if (e.getMessage() == null || e.getMessage().isEmpty()) {
        throw new AssertionError("a refusal without a message", e);
      }
      return null;
    }
  }

  /** Fails unless two values are equal, naming what was compared. */
  static void assertEqual(String what, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
    }
  }

  /** Fails with the message unless the condition holds. */
  static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  /** Text as DNS TXT and HTTP bodies reach the parsers: UTF-8, bad sequences replaced. */
  static String utf8(byte[] input) {
    return new String(input, UTF_8);
  }

  /** Text as header field values reach the DKIM parsers: one char per octet. */
  static String latin1(byte[] input) {
    return new String(input, ISO_8859_1);
  }

  /**
   * Cuts a structured input into fields at each LF (the last field runs to the end), so that one
   * byte array can carry several values and stay a readable text file in the seed corpus.
   *
   * @param max at most this many fields; the last one keeps any further LFs
   */
  static List<byte[]> fields(byte[] input, int max) {
    List<byte[]> fields = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < input.length && fields.size() < max - 1; i++) {
      if (input[i] == '\n') {
        fields.add(Arrays.copyOfRange(input, start, i));
        start = i + 1;
      }
    }
    fields.add(Arrays.copyOfRange(input, start, input.length));
    return fields;
  }

  /** The field at an index as UTF-8 text, or empty if the input has fewer fields. */
  static String field(List<byte[]> fields, int index) {
    return index < fields.size() ? utf8(fields.get(index)) : "";
  }

  /**
   * Reads an IP address literal, never touching DNS.
   *
   * @return the address, or {@code fallback} if the text is not an IPv4 or IPv6 literal without a
   *     scope (a scope names a local interface: nothing a mail client sends)
   */
  static InetAddress address(String text, InetAddress fallback) {
    if (text.indexOf('%') >= 0 || !InetAddresses.isInetAddress(text)) {
      return fallback;
    }
    return InetAddresses.forString(text);
  }
}
