package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * Whole verification with {@link DkimVerifier}: of any message against a zone holding a real RSA
 * and a real Ed25519 key ({@link DkimFixture}), and of signed messages against any key record text.
 * The seeds are messages signed by {@code DkimSigner} with those keys, so the fuzzer starts at
 * signatures that pass. Nothing may throw; the array, buffer and stream entry points must agree.
 */
class DkimVerifierFuzz {
  private static final DkimVerifier VERIFIER = DkimFixture.verifier(DkimFixture.ZONE);

  @FuzzTarget
  void verify(byte[] message) {
    Contract.timed(message.length, () -> verifyEveryWay(VERIFIER, message));
  }

  /**
   * The first line is the key record text, served under both selectors; the rest is the message.
   */
  @FuzzTarget
  void verifyWithFuzzedKeyRecord(byte[] input) {
    List<byte[]> parts = Contract.fields(input, 2);
    String keyText = Contract.utf8(parts.get(0));
    byte[] message = parts.size() > 1 ? parts.get(1) : new byte[0];
    Contract.timed(
        input.length,
        () -> {
          ZoneFileResolver zone = DkimFixture.zoneWithKeyText(keyText);
          verifyEveryWay(DkimFixture.verifier(zone), message);
        });
  }

  /**
   * The seeds are only worth their name while they pass: a change of canonicalization or of the
   * fixture must not turn them silently into messages the fuzzer cannot get past.
   */
  @Test
  void signedSeedsStillPass() throws IOException, URISyntaxException {
    URL inputs = DkimVerifierFuzz.class.getResource("DkimVerifierFuzzInputs/verify");
    List<Path> signed;
    try (Stream<Path> files = Files.list(Path.of(inputs.toURI()))) {
      signed = files.filter(f -> f.getFileName().toString().startsWith("seed-signed-")).toList();
    }
    check(signed.size() >= 5, "signed seeds missing: " + signed);
    for (Path seed : signed) {
      // Some seeds are conformance messages that also carry their own, foreign, signatures.
      List<DkimOutcome> ours =
          VERIFIER.verify(Files.readAllBytes(seed)).outcomes().stream()
              .filter(o -> o.domain().equals(Optional.of(DkimFixture.DOMAIN)))
              .toList();
      check(
          !ours.isEmpty() && ours.stream().allMatch(DkimOutcome::isPass),
          seed.getFileName() + " no longer verifies: " + summary(ours));
    }
  }

  private static void verifyEveryWay(DkimVerifier verifier, byte[] message) {
    DkimVerification verification = verifier.verify(message);
    List<DkimOutcome> outcomes = verification.outcomes();
    check(
        (verification.result() == DkimResult.NONE) == outcomes.isEmpty(),
        "none exactly when unsigned: " + verification.result());
    for (DkimOutcome outcome : outcomes) {
      check(outcome.result() != null && outcome.detail() != null, "incomplete " + outcome);
      if (outcome.result() == DkimResult.PASS) {
        check(
            outcome.signature().isPresent() && outcome.key().isPresent(), "pass without evidence");
      }
    }
    String expected = summary(outcomes);
    assertEqual(
        "verify(ByteBuffer)",
        expected,
        summary(verifier.verify(ByteBuffer.wrap(message)).outcomes()));
    ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();
    assertEqual("verify(direct ByteBuffer)", expected, summary(verifier.verify(direct).outcomes()));
    assertEqual(
        "verify(InputStream)",
        expected,
        summary(verifier.verify(new ByteArrayInputStream(message)).outcomes()));
    byte[] padded = new byte[message.length + 6];
    System.arraycopy(message, 0, padded, 3, message.length);
    Arrays.fill(padded, 0, 3, (byte) 'X');
    assertEqual(
        "verifyAsync(array, offset, length)",
        expected,
        summary(verifier.verifyAsync(padded, 3, message.length).join().outcomes()));
  }

  /** What must not depend on the entry point: each outcome's result and problem. */
  private static String summary(List<DkimOutcome> outcomes) {
    return outcomes.stream()
        .map(o -> o.result() + "/" + o.problem().map(Enum::name).orElse("-"))
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
