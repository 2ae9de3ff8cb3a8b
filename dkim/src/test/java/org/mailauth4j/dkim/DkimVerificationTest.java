package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.dkim.Fixtures.MESSAGE;
import static org.mailauth4j.dkim.Fixtures.bytes;
import static org.mailauth4j.dkim.Fixtures.keys;
import static org.mailauth4j.dkim.Fixtures.text;
import static org.mailauth4j.dkim.Fixtures.verifier;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The message-level result of {@link DkimVerification}, and that every overload gives one. */
class DkimVerificationTest {
  private static final DkimVerifier VERIFIER = verifier(keys()).build();

  @Test
  void reportsAnUnsignedMessageAsNoneFromEveryOverload() {
    // RFC 8601 §2.7.1: dkim=none for a message without signatures.
    byte[] unsigned = bytes(MESSAGE);
    byte[] padded = bytes("xx" + MESSAGE + "yy");
    ByteBuffer direct = ByteBuffer.allocateDirect(unsigned.length).put(unsigned).flip();
    List<DkimVerification> all =
        List.of(
            VERIFIER.verify(unsigned),
            VERIFIER.verify(padded, 2, unsigned.length),
            VERIFIER.verify(ByteBuffer.wrap(unsigned)),
            VERIFIER.verify(direct),
            VERIFIER.verify(new ByteArrayInputStream(unsigned)),
            VERIFIER.verifyAsync(unsigned).join(),
            VERIFIER.verifyAsync(padded, 2, unsigned.length).join(),
            VERIFIER.verifyAsync(ByteBuffer.wrap(unsigned)).join(),
            VERIFIER.verifyAsync(new ByteArrayInputStream(unsigned)).join());
    assertThat(all)
        .allSatisfy(
            v -> {
              assertThat(v.result()).isEqualTo(DkimResult.NONE);
              assertThat(v.result().token()).isEqualTo("none");
              assertThat(v.outcomes()).isEmpty();
            });
  }

  @Test
  void givesOneOutcomePerSignatureAndTheBestResult() {
    byte[] signed = Fixtures.signer().build().signMessage(bytes(MESSAGE));
    DkimVerification both = VERIFIER.verify(signed);
    assertThat(both.result()).isEqualTo(DkimResult.PASS);
    assertThat(both.outcomes()).hasSize(2);
    assertThatThrownBy(() -> both.outcomes().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    KeyRecords onlyEd = new KeyRecords().add("ed._domainkey.example.com", "~~timeout~~");
    DkimVerification tempAndMissing = verifier(onlyEd).build().verify(signed);
    assertThat(DkimConformanceTest.describe(tempAndMissing.outcomes()))
        .isEqualTo("permerror:KEY_NOT_FOUND temperror:KEY_UNAVAILABLE");
    assertThat(tempAndMissing.result()).isEqualTo(DkimResult.TEMPERROR);
    byte[] changed = bytes(text(signed).replace("hungry", "Hungry"));
    assertThat(VERIFIER.verify(changed).result()).isEqualTo(DkimResult.FAIL);
  }

  @Test
  void reportsARefusedMessageByItsOneOutcome() {
    byte[] huge = bytes("Subject: " + "x".repeat(100_000) + "\r\n\r\nbody\r\n");
    DkimVerification refused = VERIFIER.verify(huge);
    assertThat(refused.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(refused.outcomes())
        .singleElement()
        .satisfies(o -> assertThat(o.problem()).contains(DkimProblem.HEADER_LIMIT_EXCEEDED));
  }

  static Stream<Arguments> precedence() {
    return Stream.of(
        Arguments.of(List.of(DkimProblem.SIGNATURE_MISMATCH), DkimResult.FAIL),
        Arguments.of(
            List.of(DkimProblem.KEY_NOT_FOUND, DkimProblem.BODY_HASH_MISMATCH), DkimResult.FAIL),
        Arguments.of(
            List.of(DkimProblem.BODY_HASH_MISMATCH, DkimProblem.KEY_UNAVAILABLE),
            DkimResult.TEMPERROR),
        Arguments.of(
            List.of(DkimProblem.KEY_NOT_FOUND, DkimProblem.INSECURE_ALGORITHM), DkimResult.POLICY),
        Arguments.of(
            List.of(DkimProblem.INSECURE_ALGORITHM, DkimProblem.SIGNATURE_MISMATCH),
            DkimResult.FAIL),
        Arguments.of(
            List.of(DkimProblem.KEY_SYNTAX, DkimProblem.TOO_MANY_TAGS), DkimResult.PERMERROR),
        Arguments.of(
            List.of(DkimProblem.KEY_UNAVAILABLE, DkimProblem.SIGNATURE_LIMIT_REACHED),
            DkimResult.TEMPERROR));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("precedence")
  void ranksPassThenTemperrorThenFailPolicyNeutralPermerror(
      List<DkimProblem> problems, DkimResult expected) {
    List<DkimOutcome> outcomes = new ArrayList<>();
    for (DkimProblem problem : problems) {
      outcomes.add(DkimOutcome.message(problem, problem.toString()));
    }
    assertThat(new DkimVerification(outcomes, Optional.empty()).result()).isEqualTo(expected);
    // The order of the signatures does not matter.
    List<DkimOutcome> reversed = new ArrayList<>(outcomes);
    java.util.Collections.reverse(reversed);
    assertThat(new DkimVerification(reversed, Optional.empty()).result()).isEqualTo(expected);
  }

  @Test
  void ranksAPassAboveEverythingElse() {
    byte[] signed = Fixtures.signer().build().signMessage(bytes(MESSAGE));
    DkimOutcome pass = VERIFIER.verify(signed).outcomes().get(0);
    for (DkimProblem problem : DkimProblem.values()) {
      DkimVerification v =
          new DkimVerification(List.of(DkimOutcome.message(problem, "x"), pass), Optional.empty());
      assertThat(v.result()).as("%s", problem).isEqualTo(DkimResult.PASS);
    }
  }

  @Test
  void keepsTheHeaderItRead() {
    byte[] signed = Fixtures.signer().build().signMessage(bytes(MESSAGE));
    DkimVerification v = VERIFIER.verify(signed);
    assertThat(v.header()).isPresent();
    assertThat(v.header().orElseThrow().first("From")).isPresent();
    DkimVerification streamed = VERIFIER.verify(new java.io.ByteArrayInputStream(signed));
    assertThat(streamed.header().orElseThrow().fields().size())
        .isEqualTo(v.header().orElseThrow().fields().size());
  }
}
