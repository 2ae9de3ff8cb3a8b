package org.mailauth4j.dmarc;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.Canonicalization;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfProblem;
import org.mailauth4j.spf.SpfResult;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.LinearTime;

/**
 * Authentication-Results (RFC 8601): golden fields rendered from SPF and DKIM outcomes ({@code
 * dmarc/authres-golden.cases}), real-world field shapes read leniently ({@code
 * dmarc/authres-corpus.cases}), hostile text that must not break out of its value ({@code
 * dmarc/authres-injection.cases}), refusals ({@code dmarc/authres-errors.cases}), round trips over
 * random results, and linear time on huge input.
 */
class AuthenticationResultsTest {
  private static final String ID = "mx.example.org";
  private static final DomainName DOMAIN = DomainName.parse("example.com");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-05-01T12:00:00Z"), ZoneOffset.UTC);

  /** RFC 8032 §7.1 test 1 seed (the RFC 8463 key): Ed25519 signatures are deterministic. */
  private static final DkimSigningKey ED25519 =
      DkimSigningKey.ofEd25519Seed(
          Base64.getDecoder().decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="));

  private static final String MESSAGE =
      "From: Joe SixPack <joe@example.com>\r\n"
          + "To: Suzie Q <suzie@shopping.example.net>\r\n"
          + "Subject: Is dinner ready?\r\n"
          + "\r\n"
          + "Hi.\r\n";

  // --- fixtures ---

  static SpfOutcome spf(
      SpfResult result, SpfIdentity identity, String sender, String helo, SpfProblem problem) {
    Optional<DomainName> domain;
    try {
      domain = Optional.of(DomainName.parse(sender.substring(sender.lastIndexOf('@') + 1)));
    } catch (IllegalArgumentException e) {
      domain = Optional.empty();
    }
    try {
      return SpfOutcome.builder()
          .result(result)
          .identity(identity)
          .clientIp(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}))
          .sender(sender)
          .helo(Optional.ofNullable(helo))
          .domain(domain)
          .problem(Optional.ofNullable(problem))
          .detail(
              problem == null ? result.token() : "the record of example.com is broken: " + problem)
          .build();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static SpfOutcome mailFrom(SpfResult result, String sender) {
    return spf(result, SpfIdentity.MAILFROM, sender, "mail.example.com", null);
  }

  /** Verifies a message against the Ed25519 key published as ed._domainkey.example.com. */
  static DkimVerification verify(String message) {
    ZoneFileResolver dns = ZoneFileResolver.fromZoneText(ED25519.zoneFileRecord(DOMAIN, "ed"));
    return DkimVerifier.builder(dns).clock(CLOCK).build().verify(message.getBytes(ISO_8859_1));
  }

  static String signed(Canonicalization header, Canonicalization body, String message) {
    DkimSigner signer =
        DkimSigner.builder()
            .key(DOMAIN, "ed", ED25519)
            .canonicalization(header, body)
            .clock(CLOCK)
            .build();
    return String.join("", signer.sign(message.getBytes(ISO_8859_1))) + message;
  }

  /** A DKIM-Signature field that parses but whose key is not published: permerror, no key. */
  static String unkeyed(String selector, String identity, String b) {
    return "DKIM-Signature: v=1; a=ed25519-sha256; d=example.com; s="
        + selector
        + "; h=from; bh=AAAA; i="
        + identity
        + "; b="
        + b
        + "\r\n";
  }

  /** dkim-quoted-printable (RFC 6376 §2.11) of text as UTF-8: everything but letters and digits. */
  static String qp(String text) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(UTF_8)) {
      int c = b & 0xFF;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.') {
        sb.append((char) c);
      } else {
        sb.append(String.format("=%02X", c));
      }
    }
    return sb.toString();
  }

  // --- golden fields ---

  private static final Map<String, Supplier<AuthenticationResults>> GOLDEN = new LinkedHashMap<>();

  static {
    GOLDEN.put(
        "spf pass for a MAIL FROM",
        () ->
            AuthenticationResults.builder(ID)
                .addSpf(mailFrom(SpfResult.PASS, "joe@example.com"))
                .build());
    GOLDEN.put(
        "spf softfail for a HELO check",
        () ->
            AuthenticationResults.builder(ID)
                .addSpf(
                    spf(
                        SpfResult.SOFTFAIL,
                        SpfIdentity.HELO,
                        "postmaster@mail.example.com",
                        "mail.example.com",
                        null))
                .build());
    GOLDEN.put(
        "spf permerror gives the detail as reason",
        () ->
            AuthenticationResults.builder(ID)
                .addSpf(
                    spf(
                        SpfResult.PERMERROR,
                        SpfIdentity.MAILFROM,
                        "joe@example.com",
                        "mail.example.com",
                        SpfProblem.SYNTAX))
                .build());
    GOLDEN.put(
        "spf with a quoted local-part quotes the whole address",
        () ->
            AuthenticationResults.builder(ID)
                .addSpf(mailFrom(SpfResult.FAIL, "\"joe smith\"@example.com"))
                .build());
    GOLDEN.put(
        "dkim none for an unsigned message",
        () -> AuthenticationResults.builder(ID).addDkim(verify(MESSAGE)).build());
    GOLDEN.put(
        "dkim pass for one signature, no header.b",
        () ->
            AuthenticationResults.builder(ID)
                .addDkim(
                    verify(signed(Canonicalization.RELAXED, Canonicalization.RELAXED, MESSAGE)))
                .build());
    GOLDEN.put(
        "dkim two signatures with the same d and s get header.b",
        () ->
            AuthenticationResults.builder(ID)
                .addDkim(
                    verify(
                        signed(
                            Canonicalization.SIMPLE,
                            Canonicalization.SIMPLE,
                            signed(Canonicalization.RELAXED, Canonicalization.RELAXED, MESSAGE))))
                .build());
    GOLDEN.put(
        "dkim header.b grows past eight characters until it differs",
        () ->
            AuthenticationResults.builder(ID)
                .addDkim(
                    verify(
                        unkeyed("k1", "@example.com", "AAAAAAAAAAAB")
                            + unkeyed("k1", "@example.com", "AAAAAAAAAAAC")
                            + unkeyed("k2", "@example.com", "AAAAAAAAAAAD")
                            + MESSAGE))
                .build());
    GOLDEN.put(
        "dkim permerror without a key gives the detail as reason",
        () ->
            AuthenticationResults.builder(ID)
                .addDkim(verify(unkeyed("gone", "joe@example.com", "AAAA") + MESSAGE))
                .build());
    GOLDEN.put(
        "dmarc with a comment and policy.dmarc",
        () ->
            AuthenticationResults.builder(ID)
                .add(
                    AuthResult.builder("dmarc", "pass")
                        .comment("p=reject dis=none")
                        .property("header", "from", "example.com")
                        .property("policy", "dmarc", "reject")
                        .build())
                .build());
    GOLDEN.put("nothing checked is none", () -> AuthenticationResults.builder(ID).build());
    GOLDEN.put(
        "versions of the field and of a method",
        () ->
            AuthenticationResults.builder(ID)
                .version(1)
                .add(AuthResult.builder("dkim", "pass").methodVersion(1).build())
                .build());
    GOLDEN.put(
        "values that are no tokens are quoted and escaped",
        () ->
            AuthenticationResults.builder("mx (primary)")
                .add(
                    AuthResult.builder("x-test", "neutral")
                        .reason("said \"maybe\" \\ twice")
                        .comment("a (nested) comment \\ with a backslash")
                        .property("policy", "iprev", "2001:db8::1")
                        .property("smtp", "mailfrom", "@example.com")
                        .property("header", "b", "ab/cd+ef")
                        .property("body", "hash", "")
                        .build())
                .build());
    GOLDEN.put(
        "a long field folds at 78 columns between properties and inside comments",
        () ->
            AuthenticationResults.builder(ID)
                .addSpf(mailFrom(SpfResult.PASS, "a.very.long.local.part.for.folding@example.com"))
                .add(
                    AuthResult.builder("dmarc", "pass")
                        .comment("p=REJECT sp=REJECT dis=NONE and some more words to fold")
                        .property("header", "from", "example.com")
                        .build())
                .add(AuthResult.builder("arc", "none").build())
                .build());
  }

  static Stream<Arguments> golden() {
    return Cases.arguments(AuthenticationResultsTest.class, "/dmarc/authres-golden.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void rendersTheGoldenField(Cases.Row row) {
    assertThat(GOLDEN).as("a fixture named %s", row.name()).containsKey(row.name());
    AuthenticationResults ar = GOLDEN.get(row.name()).get();
    String expected = row.get(0);
    assertThat(ar.field()).isEqualTo(expected);
    assertThat(ar.value()).isEqualTo(expected.replace("\r\n", "").substring(24));
    assertWellFormed(ar);
    assertThat(AuthenticationResults.parse(ar.field())).isEqualTo(ar);
    assertThat(AuthenticationResults.parse(ar.value())).isEqualTo(ar).hasToString(ar.value());
  }

  @Test
  void everyGoldenFixtureHasItsField() {
    List<String> names =
        Cases.load(AuthenticationResultsTest.class, "/dmarc/authres-golden.cases").stream()
            .map(Cases.Row::name)
            .toList();
    assertThat(names).containsExactlyElementsOf(GOLDEN.keySet());
  }

  // --- the real-world corpus ---

  static Stream<Arguments> corpus() {
    return Cases.arguments(AuthenticationResultsTest.class, "/dmarc/authres-corpus.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void readsRealWorldFieldsLeniently(Cases.Row row) {
    AuthenticationResults ar = AuthenticationResults.parse(row.get(0));
    assertThat(ar.value()).isEqualTo(row.get(1));
    assertWellFormed(ar);
    // The canonical form is a fixed point, and reads back to an equal value.
    assertThat(AuthenticationResults.parse(ar.value())).isEqualTo(ar);
    assertThat(AuthenticationResults.parse(ar.field())).isEqualTo(ar);
  }

  @Test
  void exposesWhatGmailReported() {
    AuthenticationResults ar =
        AuthenticationResults.parse(
            "Authentication-Results: mx.google.com;\r\n"
                + "       dkim=pass header.i=@example.com header.s=20230601 header.b=AbCdEf12;\r\n"
                + "       spf=pass (google.com: domain of x@example.com designates 1.2.3.4 as"
                + " permitted sender) smtp.mailfrom=x@example.com;\r\n"
                + "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com");
    assertThat(ar.authservId()).isEqualTo("mx.google.com");
    assertThat(ar.isFrom("MX.Google.COM")).isTrue();
    assertThat(ar.version()).isEmpty();
    assertThat(ar.results()).extracting(AuthResult::method).containsExactly("dkim", "spf", "dmarc");
    AuthResult dkim = ar.results("DKIM").get(0);
    assertThat(dkim.result()).isEqualTo("pass");
    assertThat(dkim.property("HEADER", "I")).contains("@example.com");
    assertThat(dkim.property("header", "b")).contains("AbCdEf12");
    assertThat(dkim.property("header", "d")).isEmpty();
    AuthResult spf = ar.results("spf").get(0);
    assertThat(spf.comment())
        .contains("google.com: domain of x@example.com designates 1.2.3.4 as permitted sender");
    assertThat(spf.properties())
        .containsExactly(new AuthProperty("smtp", "mailfrom", "x@example.com"));
    assertThat(ar.results("dmarc").get(0).comment()).contains("p=REJECT sp=REJECT dis=NONE");
    assertThat(ar.results("arc")).isEmpty();
  }

  @Test
  void keepsMicrosoftPropertiesWithoutType() {
    AuthenticationResults ar =
        AuthenticationResults.parse(
            "spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=example.com; dkim=none (message not"
                + " signed) header.d=none;dmarc=none action=none"
                + " header.from=example.com;compauth=pass reason=100");
    assertThat(ar.authservId()).isEmpty();
    assertThat(ar.isFrom("")).isFalse();
    AuthResult dmarc = ar.results("dmarc").get(0);
    assertThat(dmarc.property("", "action")).contains("none");
    assertThat(dmarc.property("header", "from")).contains("example.com");
    assertThat(ar.results("compauth").get(0).reason()).contains("100");
  }

  @Test
  void readsVersionsAndSeveralResultsOfOneMethod() {
    AuthenticationResults ar =
        AuthenticationResults.parse(
            "example.com 1; dkim/1=pass header.d=a.example; dkim=fail header.d=b.example");
    assertThat(ar.version()).isEqualTo(OptionalInt.of(1));
    assertThat(ar.results("dkim")).hasSize(2);
    assertThat(ar.results("dkim").get(0).methodVersion()).isEqualTo(OptionalInt.of(1));
    assertThat(ar.results("dkim").get(1).methodVersion()).isEmpty();
    assertThat(ar.results("dkim").get(1).property("header", "d")).contains("b.example");
  }

  @Test
  void isFromComparesTheIdIgnoringCaseAndWhatAForgeryCouldHide() {
    assertThat(AuthenticationResults.parse("MX.Example.ORG; none").isFrom(ID)).isTrue();
    assertThat(AuthenticationResults.parse("\"mx.example.org\"; none").isFrom(ID)).isTrue();
    assertThat(AuthenticationResults.parse("mx.example.org.evil; none").isFrom(ID)).isFalse();
    assertThat(AuthenticationResults.parse("evil.mx.example.org; none").isFrom(ID)).isFalse();
    assertThat(AuthenticationResults.builder(ID).build().isFrom("MX.EXAMPLE.ORG")).isTrue();
    // Forgeries a reader might take for the id are claims of it: delete them.
    assertThat(AuthenticationResults.parse("mx.example.org\u0000; dkim=pass").isFrom(ID)).isTrue();
    assertThat(AuthenticationResults.parse("\"\tmx.example.org \"; none").isFrom(ID)).isTrue();
    assertThat(AuthenticationResults.parse("mx.example.org.; none").isFrom(ID)).isTrue();
    assertThat(AuthenticationResults.parse("mx.example.org; none").isFrom(ID + ".")).isTrue();
    assertThat(AuthenticationResults.parse("mx.example.org..; none").isFrom(ID)).isFalse();
    assertThat(AuthenticationResults.parse("\"mx example.org\"; none").isFrom(ID)).isFalse();
    assertThat(AuthenticationResults.parse("\" \"; none").isFrom(" ")).isFalse();
  }

  // --- refusals ---

  static Stream<Arguments> errors() {
    return Cases.arguments(AuthenticationResultsTest.class, "/dmarc/authres-errors.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void refusesOnlyAFieldWithoutAuthservId(Cases.Row row) {
    String input = row.get(0);
    String[] error = row.get(1).split(" ", 2);
    AuthResultsSyntaxException e =
        catchThrowableOfType(
            AuthResultsSyntaxException.class, () -> AuthenticationResults.parse(input));
    assertThat(e).as("a refusal of %s", input).isNotNull();
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(Integer.parseInt(error[0]));
    assertThat(e.input()).isEqualTo(input);
    assertThat(e.reason()).isEqualTo(error[1]);
    assertThat(e.getMessage()).contains("index " + e.errorIndex()).doesNotContain("\r", "\n");
  }

  @Test
  void builderRefusesWhatIsNoKeyword() {
    assertThatThrownBy(() -> AuthResult.builder("sp f", "pass"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthResult.builder("spf", "pass; dkim=pass"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthResult.builder("spf", "pass").property("", "x", "y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthResult.builder("spf", "pass").property("smtp", "a=b", "y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthResult.builder("spf", "pass").property("x".repeat(65), "a", "y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthenticationResults.builder(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthenticationResults.builder("a".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthenticationResults.builder(ID).version(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesAreImmutable() {
    AuthenticationResults ar =
        AuthenticationResults.builder(ID)
            .add(
                AuthResult.builder("spf", "pass").property("smtp", "mailfrom", "a.example").build())
            .build();
    assertThatThrownBy(() -> ar.results().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ar.results().get(0).properties().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(ar.results().get(0)).hasToString("spf=pass smtp.mailfrom=a.example");
    assertThat(ar)
        .isEqualTo(AuthenticationResults.parse(ar.value()))
        .hasSameHashCodeAs(AuthenticationResults.parse(ar.value()));
  }

  // --- injection ---

  static Stream<Arguments> injection() {
    return Cases.arguments(AuthenticationResultsTest.class, "/dmarc/authres-injection.cases");
  }

  /**
   * The hostile text goes into every place a message can reach: the MAIL FROM sender and the HELO
   * name of an SPF outcome, the i= of a DKIM signature, a reason, a comment, a property value and
   * an authserv-id. Each time the field must have exactly the results and properties it was built
   * with, and read back the text made safe.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("injection")
  void hostileTextStaysInsideItsValue(Cases.Row row) {
    String hostile = row.get(0);
    String safe = safe(hostile);

    AuthenticationResults spf =
        AuthenticationResults.builder(ID).addSpf(mailFrom(SpfResult.FAIL, hostile)).build();
    assertThat(spf.value()).isEqualTo(row.get(1));
    assertOneResult(spf, "spf", 1).property("smtp", "mailfrom").contains(safe);

    AuthenticationResults helo =
        AuthenticationResults.builder(ID)
            .addSpf(spf(SpfResult.NONE, SpfIdentity.HELO, "postmaster@x", hostile, null))
            .build();
    assertOneResult(helo, "spf", 1).property("smtp", "helo").contains(safe);

    // DKIM-Signature fields are octets: a lone surrogate cannot reach i= (it is '?' in UTF-8).
    String identity = new String((hostile + "@example.com").getBytes(UTF_8), UTF_8);
    AuthenticationResults dkim =
        AuthenticationResults.builder(ID)
            .addDkim(verify(unkeyed("sel", qp(identity), "AAAA") + MESSAGE))
            .build();
    assertThat(dkim.results()).hasSize(1);
    assertOneResult(dkim, "dkim", 4).property("header", "i").contains(safe(identity));

    AuthenticationResults built =
        AuthenticationResults.builder(ID)
            .add(
                AuthResult.builder("x-test", "pass")
                    .reason(hostile)
                    .comment(hostile)
                    .property("header", "x", hostile)
                    .build())
            .build();
    AuthResult r = AuthenticationResults.parse(built.field()).results().get(0);
    assertOneResult(built, "x-test", 1);
    assertThat(r.reason()).contains(safe);
    assertThat(r.comment()).contains(safe);
    assertThat(r.property("header", "x")).contains(safe);

    if (hostile.isEmpty()) {
      assertThatThrownBy(() -> AuthenticationResults.builder(hostile))
          .isInstanceOf(IllegalArgumentException.class);
    } else {
      AuthenticationResults id =
          AuthenticationResults.builder(hostile)
              .add(AuthResult.builder("spf", "pass").build())
              .build();
      assertOneResult(id, "spf", 0);
      assertThat(AuthenticationResults.parse(id.field()).authservId()).isEqualTo(safe);
    }
  }

  @Test
  void tenKilobyteValuesStayInsideTheirValueAndUnderTheLineLimit() {
    for (String hostile :
        List.of(
            "a".repeat(10_000) + "@example.com",
            "x; dkim=pass ".repeat(800),
            "\"\\".repeat(5_000),
            "\u00e9\u20ac".repeat(5_000),
            "\r\n".repeat(5_000) + "X-Evil: 1")) {
      AuthenticationResults ar =
          AuthenticationResults.builder(ID)
              .addSpf(mailFrom(SpfResult.PASS, hostile))
              .add(
                  AuthResult.builder("x-test", "pass")
                      .reason(hostile)
                      .comment(hostile)
                      .property("header", "x", hostile)
                      .build())
              .build();
      assertWellFormed(ar);
      AuthenticationResults back = AuthenticationResults.parse(ar.field());
      assertThat(back).isEqualTo(ar);
      assertThat(back.results()).hasSize(2);
      assertThat(back.results().get(0).property("smtp", "mailfrom").orElseThrow()).hasSize(256);
    }
  }

  /**
   * What the text becomes: controls, line separators and bidirectional controls are spaces, and at
   * most 256 remain.
   */
  static String safe(String hostile) {
    String s = hostile.length() > 256 ? hostile.substring(0, 256) : hostile;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20
          || c >= 0x7F && c <= 0x9F
          || c == '\u2028'
          || c == '\u2029'
          || AuthResultsFormat.isBidi(c)) {
        sb.append(' ');
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Asserts the field reads back as one result with that many properties, and returns it. */
  private static AuthResultProbe assertOneResult(
      AuthenticationResults ar, String method, int properties) {
    assertWellFormed(ar);
    AuthenticationResults back = AuthenticationResults.parse(ar.field());
    assertThat(back).isEqualTo(ar);
    assertThat(back.authservId()).isEqualTo(ar.authservId());
    assertThat(back.results()).hasSize(1);
    AuthResult r = back.results().get(0);
    assertThat(r.method()).isEqualTo(method);
    assertThat(r.properties()).hasSize(properties);
    return new AuthResultProbe(r);
  }

  /** Lets a test say {@code .property(type, name).contains(value)} of a result. */
  record AuthResultProbe(AuthResult result) {
    org.assertj.core.api.OptionalAssert<String> property(String type, String name) {
      return assertThat(result.property(type, name));
    }
  }

  /**
   * A field that cannot be broken: no control character in the value, every CRLF of the field
   * followed by a space, no line of only white space, lines of at most 998 characters (and 78 where
   * they hold more than one piece), and unfolding gives the value back.
   */
  static void assertWellFormed(AuthenticationResults ar) {
    String value = ar.value();
    assertThat(value.chars().filter(c -> c < 0x20 || c >= 0x7F && c <= 0x9F).count())
        .as("control characters in %s", value)
        .isZero();
    String field = ar.field();
    assertThat(field.replace("\r\n", "")).isEqualTo("Authentication-Results: " + value);
    String[] lines = field.split("\r\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      assertThat(line).doesNotContain("\r", "\n");
      assertThat(line.getBytes(UTF_8).length)
          .as("line %d of %s", i, field)
          .isLessThanOrEqualTo(998);
      if (i > 0) {
        assertThat(line).startsWith(" ");
        assertThat(line.isBlank()).as("line %d of %s is only white space", i, field).isFalse();
      }
      if (line.length() > 78) {
        assertThat(hasFoldingPoint(line.strip()))
            .as("line %d of %s is overlong but could fold", i, field)
            .isFalse();
      }
    }
  }

  /** Whether a line has a space outside quoted strings (in a comment, say) where it could fold. */
  private static boolean hasFoldingPoint(String line) {
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"' && depth == 0) {
        quoted = !quoted;
      } else if (c == '(' && !quoted) {
        depth++;
      } else if (c == ')' && !quoted && depth > 0) {
        depth--;
      } else if (c == ' ' && !quoted) {
        return true;
      }
    }
    return false;
  }

  // --- round trips ---

  static Stream<Arguments> seeds() {
    return IntStream.range(0, 200).mapToObj(seed -> Arguments.of(Named.of("seed " + seed, seed)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seeds")
  void randomResultsReadBackEqual(int seed) {
    Random random = new Random(seed);
    AuthenticationResults.Builder b =
        AuthenticationResults.builder(text(random, 1 + random.nextInt(20)));
    if (random.nextInt(4) == 0) {
      b.version(random.nextInt(3));
    }
    int results = random.nextInt(6);
    for (int k = 0; k < results; k++) {
      AuthResult.Builder r =
          AuthResult.builder(
              pick(
                  random,
                  "spf",
                  "dkim",
                  "dmarc",
                  "arc",
                  "iprev",
                  "x-" + keyword(random),
                  keyword(random)),
              pick(random, "pass", "fail", "none", "permerror", keyword(random)));
      if (random.nextInt(4) == 0) {
        r.methodVersion(random.nextInt(3));
      }
      if (random.nextInt(3) == 0) {
        r.comment(text(random, random.nextInt(40)));
      }
      if (random.nextInt(3) == 0) {
        r.reason(text(random, random.nextInt(40)));
      }
      int properties = random.nextInt(5);
      for (int p = 0; p < properties; p++) {
        String value =
            random.nextBoolean()
                ? pick(
                    random,
                    "example.com",
                    "joe@example.com",
                    "@example.com",
                    "192.0.2.1",
                    "AbC/d+9=")
                : text(random, random.nextInt(30));
        r.property(
            pick(random, "smtp", "header", "policy", "body", keyword(random)),
            keyword(random),
            value);
      }
      b.add(r.build());
    }
    AuthenticationResults ar = b.build();
    assertWellFormed(ar);
    assertThat(AuthenticationResults.parse(ar.value())).isEqualTo(ar);
    assertThat(AuthenticationResults.parse(ar.field())).isEqualTo(ar);
    assertThat(AuthenticationResults.parse("Authentication-Results: " + ar.field().substring(24)))
        .isEqualTo(ar);
  }

  private static final String ALPHABET =
      "abcXYZ019 .-_@;=\"\\()/:,<>[]?!#$%&'*+^`{|}~\t\r\n\u0000\u007f\u0085\u00e9\u2028\u20ac";

  private static String text(Random random, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    if (random.nextInt(10) == 0) {
      sb.append("\ud83d\udce7"); // a supplementary character
    }
    return sb.toString();
  }

  private static String keyword(Random random) {
    String chars = "abcxyz019-_";
    StringBuilder sb = new StringBuilder().append((char) ('a' + random.nextInt(26)));
    for (int i = random.nextInt(8); i > 0; i--) {
      sb.append(chars.charAt(random.nextInt(chars.length())));
    }
    return sb.toString();
  }

  private static String pick(Random random, String... choices) {
    return choices[random.nextInt(choices.length)];
  }

  // --- hostile size ---

  @Test
  void severalMegabytesOfResultsAreRead() {
    String huge = ID + "; spf=pass smtp.mailfrom=a@example.com".repeat(100_000);
    assertThat(huge.length()).isGreaterThan(3_800_000);
    AuthenticationResults ar = AuthenticationResults.parse(huge);
    assertThat(ar.results()).hasSize(100_000);
    assertThat(ar.value()).hasSize(huge.length());
  }

  @Test
  void manyResultsAreReadInLinearTime() {
    // Each unit here is a whole result or property, so fewer of them: 1,000 against 8,000.
    assertLinear(n -> ID + "; spf=pass smtp.mailfrom=a@example.com".repeat(n / 8));
    assertLinear(n -> ID + ";" + " dkim=pass header.d=example.com".repeat(n / 8));
    assertLinear(n -> ID + "; x=y" + " a.b=c".repeat(n / 8));
  }

  @Test
  void deepCommentsAreCountedNotRecursed() {
    String deep =
        ID + "; spf=pass " + "(".repeat(4_000_000) + ")".repeat(4_000_000) + " smtp.helo=x";
    AuthenticationResults ar = AuthenticationResults.parse(deep);
    assertThat(ar.results()).hasSize(1);
    assertThat(ar.results().get(0).property("smtp", "helo")).contains("x");
    assertThat(ar.results().get(0).comment().orElseThrow()).hasSize(256);
    assertLinear(n -> ID + "; spf=pass " + "(".repeat(n * 4));
    assertLinear(n -> ID + "; spf=pass (" + "\\(a(b)".repeat(n) + ")");
  }

  @Test
  void unterminatedQuotesAndCommentsRunToTheEnd() {
    AuthenticationResults quote =
        AuthenticationResults.parse(ID + "; spf=pass reason=\"never closed; dkim=pass");
    assertThat(quote.results()).hasSize(1);
    assertThat(quote.results().get(0).reason()).contains("never closed; dkim=pass");
    AuthenticationResults comment = AuthenticationResults.parse(ID + "; spf=pass (open; dkim=pass");
    assertThat(comment.results()).hasSize(1);
    assertThat(comment.results().get(0).comment()).contains("open; dkim=pass");
    assertLinear(n -> ID + "; spf=pass reason=\"" + "a;".repeat(n * 2));
    assertLinear(n -> ID + "; \"" + "x;".repeat(n * 2));
  }

  @Test
  void junkOfMegabytesEndsInALenientResult() {
    String junk = ID + "; " + "?=;\"\\)".repeat(1_000_000);
    AuthenticationResults ar = AuthenticationResults.parse(junk);
    assertThat(ar.authservId()).isEqualTo(ID);
    assertWellFormed(ar);
    assertLinear(n -> ID + "; " + "?=;\")(".repeat(n));
    assertLinear(n -> ID + "; spf=pass smtp.mailfrom=" + "a".repeat(n * 8));
    assertLinear(n -> ID + "; spf=pass " + "x".repeat(n * 8) + "=y");
  }

  /** Reading inputs of the shape {@code input} makes takes time linear in their length. */
  static void assertLinear(IntFunction<String> input) {
    LinearTime.assertLinear(n -> input.apply(2 * n), AuthenticationResults::parse);
  }

  @Test
  void unsignedMessageIsDkimNoneAndSignedOnesPass() {
    assertThat(verify(MESSAGE).result()).isEqualTo(DkimResult.NONE);
    assertThat(
            verify(signed(Canonicalization.RELAXED, Canonicalization.RELAXED, MESSAGE)).outcomes())
        .allMatch(DkimOutcome::isPass);
  }
}
