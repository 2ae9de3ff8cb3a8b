package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.dkim.Fixtures.CLOCK;
import static org.mailauth4j.dkim.Fixtures.DOMAIN;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests with a seeded generator, so that every failure is reproducible by its seed: random
 * messages, signed with every canonicalization pair and both algorithms, must verify; and changing
 * one octet of a signed header value or of the body must make them fail.
 */
class DkimRoundTripTest {
  private static final Canonicalization[] CANONS = Canonicalization.values();
  private static final DkimVerifier VERIFIER = Fixtures.verifier(Fixtures.keys()).build();

  static Stream<Arguments> seeds() {
    return IntStream.range(0, 60).mapToObj(seed -> Arguments.of(Named.of("seed " + seed, seed)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seeds")
  void signedMessagesVerifyAndTamperedOnesFail(int seed) {
    Random random = new Random(seed);
    String message = RandomMessages.message(random);
    for (Canonicalization header : CANONS) {
      for (Canonicalization body : CANONS) {
        DkimSigner signer =
            DkimSigner.builder()
                .key(DOMAIN, "rsa", Fixtures.RSA)
                .key(DOMAIN, "ed", Fixtures.ED25519)
                .canonicalization(header, body)
                .clock(CLOCK)
                .build();
        String signed = new String(signer.signMessage(message.getBytes(ISO_8859_1)), ISO_8859_1);
        String combo = header.token() + "/" + body.token() + " of\n" + signed;

        assertThat(results(signed)).as("untouched, %s", combo).isEqualTo("pass pass");

        String tamperedBody = RandomMessages.changeOneOctet(random, signed, true);
        assertThat(results(tamperedBody))
            .as("body changed, %s", combo)
            .isEqualTo("fail:BODY_HASH_MISMATCH fail:BODY_HASH_MISMATCH");

        String tamperedHeader = RandomMessages.changeOneOctet(random, signed, false);
        assertThat(results(tamperedHeader))
            .as("signed header changed, %s", combo)
            .isEqualTo("fail:SIGNATURE_MISMATCH fail:SIGNATURE_MISMATCH");
      }
    }
  }

  private static String results(String message) {
    List<DkimOutcome> outcomes = VERIFIER.verify(message.getBytes(ISO_8859_1)).outcomes();
    return DkimConformanceTest.describe(outcomes);
  }
}
