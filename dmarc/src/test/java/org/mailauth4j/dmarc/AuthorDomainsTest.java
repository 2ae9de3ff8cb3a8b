package org.mailauth4j.dmarc;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dmarc.AuthorDomains.Status;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.LinearTime;

/** Reading the Author Domains from From, driven by {@code dmarc/from-*.cases}. */
class AuthorDomainsTest {

  static Stream<Arguments> syntax() {
    return Cases.arguments(AuthorDomainsTest.class, "/dmarc/from-syntax.cases");
  }

  static Stream<Arguments> limits() {
    return Cases.arguments(AuthorDomainsTest.class, "/dmarc/from-limits.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("syntax")
  void readsTheAuthorDomainsOrSaysWhyNot(Cases.Row row) {
    List<String> values = row.columns().subList(1, row.columns().size());
    check(row.get(0), AuthorDomains.parse(values, AuthorDomains.DEFAULT_MAX_DOMAINS), values);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limits")
  void capsTheDomainsAtTheLimit(Cases.Row row) {
    int max = Integer.parseInt(row.get(0));
    String expected = row.get(1);
    boolean truncated = row.get(2).equals("truncated");
    List<String> values = List.of(row.get(3));
    AuthorDomains authors = AuthorDomains.parse(values, max);
    check(expected, authors, values);
    assertThat(authors.truncated()).as(authors.detail()).isEqualTo(truncated);
    assertThat(authors.domains()).hasSizeLessThanOrEqualTo(max);
    if (truncated) {
      assertThat(authors.detail()).contains("incomplete", "RFC 9989 §11.5");
    }
  }

  /** Checks one outcome against {@code FOUND domain...} or {@code STATUS [index fragment]}. */
  private static void check(String expected, AuthorDomains authors, List<String> values) {
    String[] words = expected.split(" ", 3);
    Status status = Status.valueOf(words[0]);
    assertThat(authors.status()).as(authors.detail()).isEqualTo(status);
    assertThat(authors.isFound()).isEqualTo(status == Status.FOUND);
    assertThat(authors.detail())
        .isNotBlank()
        .doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
    assertThat(authors.addresses()).hasSameSizeAs(authors.domains());
    if (status == Status.FOUND) {
      assertThat(authors.domains())
          .extracting(DomainName::toString)
          .containsExactlyElementsOf(
              Arrays.asList(expected.substring(words[0].length()).strip().split(" ")));
      assertThat(authors.errorIndex()).isEmpty();
      for (int k = 0; k < authors.domains().size(); k++) {
        assertThat(authors.addresses().get(k)).contains("@");
        assertThat(values.get(0)).contains(authors.addresses().get(k).split("@")[0]);
      }
      return;
    }
    assertThat(authors.domains()).isEmpty();
    assertThat(authors.truncated()).isFalse();
    if (words.length == 1) {
      assertThat(authors.errorIndex()).isEmpty();
      return;
    }
    assertThat(authors.errorIndex()).as(authors.detail()).hasValue(Integer.parseInt(words[1]));
    assertThat(authors.detail()).contains("at index " + words[1]);
    if (words.length > 2) {
      assertThat(authors.detail()).contains(words[2]);
    }
  }

  @Test
  void noFromFieldAtAll() {
    AuthorDomains authors = AuthorDomains.parse(List.of(), 10);
    assertThat(authors.status()).isEqualTo(Status.NO_FROM_FIELD);
    assertThat(authors.domains()).isEmpty();
    assertThat(authors.errorIndex()).isEmpty();
    assertThat(authors.detail()).isEqualTo("no From field");
  }

  @Test
  void addressesAreTheFirstOfEachDomainAsWritten() {
    AuthorDomains authors =
        AuthorDomains.parse(
            List.of(
                "\"J. Doe\" <\"J. Doe\"(c)@(c) Bücher.Example>, x@BÜCHER.example, y@Example.COM."),
            10);
    assertThat(authors.domains())
        .containsExactly(
            DomainName.parse("xn--bcher-kva.example"), DomainName.parse("example.com"));
    assertThat(authors.addresses()).containsExactly("\"J. Doe\"@Bücher.Example", "y@Example.COM.");
  }

  @Test
  void readsTheFromFieldsOfAMessageHeader() {
    String message =
        "Received: from x\r\n"
            + "From: \"Jörg\"\r\n <jörg@bücher.example>,\r\n\tb@example.com\r\n"
            + "Subject: from: a@attacker.example\r\n"
            + "\r\n"
            + "From: body@attacker.example\r\n";
    AuthorDomains authors = AuthorDomains.of(MessageHeader.parse(message.getBytes(UTF_8)), 10);
    assertThat(authors.status()).isEqualTo(Status.FOUND);
    assertThat(authors.domains())
        .extracting(DomainName::toString)
        .containsExactly("xn--bcher-kva.example", "example.com");
  }

  @Test
  void aMessageWithTwoFromFieldsHasNoAuthorDomains() {
    String message = "From: a@example.com\r\nfrom : b@example.org\r\n\r\n";
    AuthorDomains authors = AuthorDomains.of(MessageHeader.parse(message.getBytes(UTF_8)), 10);
    assertThat(authors.status()).isEqualTo(Status.SEVERAL_FROM_FIELDS);
    assertThat(authors.detail()).contains("2 From fields");
  }

  @Test
  void aMessageWithoutFromHasNoAuthorDomains() {
    String message = "Sender: a@example.com\r\n\r\nFrom: b@example.org\r\n";
    assertThat(AuthorDomains.of(MessageHeader.parse(message.getBytes(UTF_8)), 10).status())
        .isEqualTo(Status.NO_FROM_FIELD);
  }

  @Test
  void aLatinOneOctetInTheDisplayNameDoesNotHideTheDomain() {
    // Old mail puts raw ISO-8859-1 in display names; HeaderField.value() makes it U+FFFD.
    byte[] message = "From: J\u00f6rg <j@example.com>\r\n\r\n".getBytes(ISO_8859_1);
    AuthorDomains authors = AuthorDomains.of(MessageHeader.parse(message), 10);
    assertThat(authors.domains()).containsExactly(DomainName.parse("example.com"));
  }

  @Test
  void aLatinOneOctetInTheDomainIsAnInvalidDomain() {
    byte[] message = "From: j@b\u00fccher.example\r\n\r\n".getBytes(ISO_8859_1);
    AuthorDomains authors = AuthorDomains.of(MessageHeader.parse(message), 10);
    assertThat(authors.status()).as(authors.detail()).isEqualTo(Status.INVALID_DOMAIN);
    assertThat(authors.detail()).contains("internationalized");
  }

  @Test
  void aFieldLongerThanTheLimitIsRefusedUnread() {
    String value = "a@example.com," + " ".repeat(AuthorDomains.MAX_FIELD_LENGTH);
    AuthorDomains authors = AuthorDomains.parse(List.of(value), 10);
    assertThat(authors.status()).isEqualTo(Status.UNPARSEABLE);
    assertThat(authors.errorIndex()).hasValue(AuthorDomains.MAX_FIELD_LENGTH);
    assertThat(authors.detail()).contains("longer than 1048576 characters");
    String atTheLimit = value.substring(0, AuthorDomains.MAX_FIELD_LENGTH);
    assertThat(AuthorDomains.parse(List.of(atTheLimit), 10).status()).isEqualTo(Status.FOUND);
  }

  @Test
  void detailsQuoteLittleOfTheMessage() {
    String value = "x".repeat(10_000) + "@exa_mple.com";
    AuthorDomains authors = AuthorDomains.parse(List.of(value), 10);
    assertThat(authors.status()).isEqualTo(Status.INVALID_DOMAIN);
    assertThat(authors.detail()).hasSizeLessThan(200);
    String long1 = "a@" + "b".repeat(10_000) + ".example";
    assertThat(AuthorDomains.parse(List.of(long1), 10).detail()).hasSizeLessThan(200);
  }

  @Test
  void refusesAMaximumBelowOne() {
    assertThatThrownBy(() -> AuthorDomains.parse(List.of("a@example.com"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDomains");
    assertThatThrownBy(() -> AuthorDomains.parse(List.of("a@example.com"), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNulls() {
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> AuthorDomains.parse(withNull, 10))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AuthorDomains.parse(null, 10))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AuthorDomains.of(null, 10)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void isAValue() {
    AuthorDomains a = AuthorDomains.parse(List.of("A <a@example.com>, b@example.org"), 10);
    AuthorDomains b = AuthorDomains.parse(List.of("A <a@example.com>, b@example.org"), 10);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).hasToString("AuthorDomains[FOUND [example.com, example.org]]");
    assertThat(a).isNotEqualTo(AuthorDomains.parse(List.of("a@example.com"), 10));
    assertThat(a).isNotEqualTo(AuthorDomains.parse(List.of("A <a@example.com>, b@example.org"), 1));
    assertThat(AuthorDomains.parse(List.of("user"), 10).toString())
        .startsWith("AuthorDomains[MAILBOX_WITHOUT_DOMAIN: mailbox without");
    assertThatThrownBy(() -> a.domains().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> a.addresses().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  /** Hostile fields: a clear status, without deep recursion, and in time linear in the length. */
  @Nested
  class HostileInput {
    @Test
    void hundredThousandNestedCommentsAreReadWithoutRecursion() {
      String deep = "(".repeat(100_000) + ")".repeat(100_000) + " a@example.com";
      assertThat(read(deep).domains()).containsExactly(DomainName.parse("example.com"));
      AuthorDomains open = read("(".repeat(100_000) + " a@example.com");
      assertThat(open.status()).isEqualTo(Status.UNPARSEABLE);
      assertThat(open.errorIndex()).hasValue(0);
      assertThat(open.detail()).contains("comment not closed");
    }

    @Test
    void sixtyThousandMailboxesOfOneDomainAreAllRead() {
      String many = "a@example.com, ".repeat(60_000);
      AuthorDomains authors = read(many);
      assertThat(authors.domains()).containsExactly(DomainName.parse("example.com"));
      assertThat(authors.truncated()).isFalse();
      // All of them are read: a problem at the very end is found.
      assertThat(read(many + "a@[192.0.2.1]").status()).isEqualTo(Status.INVALID_DOMAIN);
    }

    @Test
    void hundredThousandMailboxesAreMoreThanTheLimit() {
      AuthorDomains authors = read("a@example.com, ".repeat(100_000));
      assertThat(authors.status()).isEqualTo(Status.UNPARSEABLE);
      assertThat(authors.detail()).contains("longer than 1048576 characters");
    }

    @Test
    void fiftyThousandDistinctDomainsStopAtTheCap() {
      StringBuilder many = new StringBuilder();
      for (int k = 0; k < 50_000; k++) {
        many.append("a@d").append(k).append(".example, ");
      }
      many.append('"'); // never reached
      assertThat(many.length()).isLessThan(AuthorDomains.MAX_FIELD_LENGTH);
      AuthorDomains authors = read(many.toString());
      assertThat(authors.domains()).hasSize(AuthorDomains.DEFAULT_MAX_DOMAINS);
      assertThat(authors.truncated()).isTrue();
      assertThat(authors.detail()).contains("reading stopped at index 140");
    }

    @Test
    void megabytesOfTextAreRefusedOrReadWithAClearStatus() {
      String unterminated = "\"" + "x".repeat(AuthorDomains.MAX_FIELD_LENGTH - 1);
      assertThat(read(unterminated).status()).isEqualTo(Status.UNPARSEABLE);
      assertThat(read(unterminated).detail()).contains("quoted string not closed");
      String huge = "a@example.com " + "x".repeat(5 * 1024 * 1024);
      assertThat(read(huge).status()).isEqualTo(Status.UNPARSEABLE);
      assertThat(read(huge).detail()).contains("longer than");
      String nul = "\u0000".repeat(AuthorDomains.MAX_FIELD_LENGTH);
      assertThat(read(nul).detail()).isEqualTo("control character U+0000 at index 0");
    }

    @Test
    void manyMailboxesOfOneDomainTakeLinearTime() {
      assertLinear(n -> "a@example.com, ".repeat(n));
    }

    @Test
    void manySpellingsOfOneDomainTakeLinearTime() {
      // More spellings than are remembered: each is converted (IDNA) again, in bounded time.
      assertLinear(
          n -> {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < n; k++) {
              sb.append("a@").append(spelling("bücher", k)).append(".example,");
            }
            return sb.toString();
          });
    }

    @Test
    void distinctDomainsPastTheCapTakeNoTimeAtAll() {
      assertLinear(
          n -> {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < n; k++) {
              sb.append("a@d").append(k).append(".example,");
            }
            return sb.toString();
          });
    }

    @Test
    void nestedCommentsTakeLinearTime() {
      assertLinear(n -> "((".repeat(n) + "))".repeat(n) + "a@example.com");
      assertLinear(n -> "((".repeat(n) + "a@example.com");
      assertLinear(n -> "(" + "\\(\\)".repeat(n) + ") a@example.com");
    }

    @Test
    void longWordsAndPhrasesTakeLinearTime() {
      assertLinear(n -> "ab ".repeat(n) + "<a@example.com>");
      assertLinear(n -> "\"" + "a\\\" ".repeat(n) + "\" <a@example.com>");
      assertLinear(n -> "\"" + "ab ".repeat(n));
      assertLinear(n -> "a.".repeat(n) + "@example.com");
      assertLinear(n -> "a (c) . ".repeat(n) + "b@example.com");
      assertLinear(n -> "a@" + "b".repeat(8 * n) + ".example");
      assertLinear(n -> "=?utf-8?q?a?= =?".repeat(n) + " <a@example.com>");
    }

    @Test
    void groupsRoutesAndLiteralsTakeLinearTime() {
      assertLinear(n -> "g:;,".repeat(n));
      assertLinear(n -> "g: a@example.com;,".repeat(n));
      assertLinear(n -> "<" + "@r.example,".repeat(n) + ":a@example.com>");
      assertLinear(n -> "a@[" + "1.".repeat(n) + "]");
      assertLinear(n -> "a@[" + "1.".repeat(n));
    }

    /** {@code name} with the letters in upper case where the bits of {@code k} say. */
    private static String spelling(String name, int k) {
      StringBuilder sb = new StringBuilder(name);
      for (int i = 0; i < name.length(); i++) {
        if ((k >> i & 1) != 0) {
          sb.setCharAt(i, Character.toUpperCase(name.charAt(i)));
        }
      }
      return sb.toString().toLowerCase(Locale.ROOT).equals(name) ? sb.toString() : name;
    }
  }

  private static AuthorDomains read(String value) {
    return AuthorDomains.parse(List.of(value), AuthorDomains.DEFAULT_MAX_DOMAINS);
  }

  /** Reading values of the shape {@code input} makes takes time linear in their length. */
  private static void assertLinear(IntFunction<String> input) {
    assertThat(input.apply(LinearTime.LARGE).length())
        .isLessThanOrEqualTo(AuthorDomains.MAX_FIELD_LENGTH);
    LinearTime.assertLinear(input, value -> read(value));
  }
}
