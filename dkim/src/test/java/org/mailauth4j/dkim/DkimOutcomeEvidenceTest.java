package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.dkim.Fixtures.MESSAGE;
import static org.mailauth4j.dkim.Fixtures.bytes;
import static org.mailauth4j.dkim.Fixtures.keys;
import static org.mailauth4j.dkim.Fixtures.verifier;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

/** Each outcome reports the d=, s=, i=, a= and b= that parse, whether or not the signature does. */
class DkimOutcomeEvidenceTest {
  private static final DkimVerifier VERIFIER = verifier(keys()).build();

  static Stream<Arguments> cases() {
    return Cases.arguments(DkimOutcomeEvidenceTest.class, "/dkim/outcome-evidence.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsEveryTagThatParses(Cases.Row c) {
    byte[] message = bytes("DKIM-Signature: " + c.get(0) + "\r\n" + MESSAGE);
    List<DkimOutcome> outcomes = VERIFIER.verify(message).outcomes();
    assertThat(outcomes).hasSize(1);
    assertThat(describe(outcomes.get(0))).as(outcomes.get(0).detail()).isEqualTo(c.get(1));
  }

  @Test
  void reportsTheEvidenceOfSignaturesBeyondTheLimitToo() {
    String broken = "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=rsa; h=from; b=AAAA\r\n";
    byte[] message = bytes(broken + broken + MESSAGE);
    List<DkimOutcome> outcomes =
        verifier(keys()).maxSignatures(1).build().verify(message).outcomes();
    assertThat(outcomes.stream().map(DkimOutcomeEvidenceTest::describe))
        .containsExactly(
            "permerror:MISSING_REQUIRED_TAG d=example.com s=rsa i=@example.com a=rsa-sha256 b=AAAA",
            "policy:SIGNATURE_LIMIT_REACHED d=example.com s=rsa i=@example.com a=rsa-sha256 b=AAAA");
  }

  @Test
  void reportsNoEvidenceForAMessageThatWasNotRead() {
    byte[] message = bytes("Subject: " + "x".repeat(100_000) + "\r\n\r\nbody\r\n");
    assertThat(describe(VERIFIER.verify(message).outcomes().get(0)))
        .isEqualTo("permerror:HEADER_LIMIT_EXCEEDED d=- s=- i=- a=- b=-");
  }

  static String describe(DkimOutcome o) {
    return o.result().token()
        + o.problem().map(p -> ":" + p).orElse("")
        + " d="
        + dash(o.domain().map(Object::toString))
        + " s="
        + dash(o.selector())
        + " i="
        + dash(o.identity())
        + " a="
        + dash(o.algorithm().map(DkimAlgorithm::token))
        + " b="
        + dash(o.signaturePrefix());
  }

  private static String dash(Optional<String> value) {
    return value.orElse("-");
  }
}
