package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.Cases;

class DkimSignatureTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(DkimSignatureTest.class, "/dkim/signature-tags.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesOrRejectsWithProblemAndPosition(Cases.Row c) {
    String value = c.get(0);
    String expected = c.get(1);
    if (expected.startsWith("error ")) {
      String[] parts = expected.split(" ");
      assertThatThrownBy(() -> DkimSignature.parse(value))
          .isInstanceOfSatisfying(
              DkimSyntaxException.class,
              e -> {
                assertThat(e.problem()).as(e.getMessage()).hasToString(parts[1]);
                assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(Integer.parseInt(parts[2]));
              });
      return;
    }
    DkimSignature sig = DkimSignature.parse(value);
    Map<String, String> actual = describe(sig);
    for (String assertion : expected.split(" ")) {
      int eq = assertion.indexOf('=');
      String field = assertion.substring(0, eq);
      assertThat(actual.get(field)).as(field).isEqualTo(assertion.substring(eq + 1));
    }
  }

  private static Map<String, String> describe(DkimSignature sig) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("alg", sig.algorithm().token());
    m.put("c", sig.headerCanonicalization().token() + "/" + sig.bodyCanonicalization().token());
    m.put("domain", sig.domain().toString());
    m.put("selector", sig.selector());
    m.put("identity", sig.identity());
    m.put("headers", String.join(",", sig.signedHeaders()));
    m.put(
        "l", sig.bodyLength().isPresent() ? String.valueOf(sig.bodyLength().getAsLong()) : "none");
    m.put("t", time(sig.timestamp().orElse(null)));
    m.put("x", time(sig.expiration().orElse(null)));
    m.put("z", sig.copiedHeaders().orElse("none"));
    return m;
  }

  private static String time(Instant t) {
    return t == null
        ? "none"
        : t.equals(Instant.MAX) ? "infinite" : String.valueOf(t.getEpochSecond());
  }

  @Test
  void derivesKeyNameIdentityDomainAndPrefix() {
    DkimSignature sig =
        DkimSignature.parse(
            "v=1; a=rsa-sha256; d=example.com; s=jan2026.eu; h=from; i=joe@a.example.com;"
                + " bh=AAAA; b=Zm9vYmFyYmF6cXV4");
    assertThat(sig.keyName()).isEqualTo(DomainName.parse("jan2026.eu._domainkey.example.com"));
    assertThat(sig.identityDomain()).isEqualTo(DomainName.parse("a.example.com"));
    assertThat(sig.signaturePrefix()).isEqualTo("Zm9vYmFy");
    assertThat(new String(sig.signatureBytes(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("foobarbazqux");
  }

  @Test
  void checksTheDomainCharacterSetItselfRatherThanThroughDomainName() {
    // RFC 6376 §3.5 d= and s= are LDH (RFC 5321 sub-domains), plus underscores; DomainName
    // follows RFC 2181 §11 and may accept any octet, so the check must not depend on it.
    assertThat(DkimSignature.nameViolation("mail_1.ex-ample.com")).isEqualTo(-1);
    assertThat(DkimSignature.nameViolation("example.com.")).isEqualTo(-1);
    assertThat(DkimSignature.nameViolation("a+b.example")).isEqualTo(1);
    assertThat(DkimSignature.nameViolation("ab.c=d")).isEqualTo(4);
    assertThat(DkimSignature.nameViolation("ab.-cd")).isEqualTo(3);
    assertThat(DkimSignature.nameViolation("ab-.cd")).isEqualTo(2);
    assertThat(DkimSignature.nameViolation("ab.cd-")).isEqualTo(5);
    assertThat(DkimSignature.nameViolation("ab..cd")).isEqualTo(3);
    assertThat(DkimSignature.nameViolation(".ab")).isEqualTo(0);
    assertThat(DkimSignature.nameViolation(".")).isEqualTo(0);
    assertThat(DkimSignature.nameViolation("")).isEqualTo(0);
    assertThat(DkimSignature.nameViolation("a b")).isEqualTo(1);
    assertThat(DkimSignature.nameViolation("a\\066")).isEqualTo(1);
  }
}
