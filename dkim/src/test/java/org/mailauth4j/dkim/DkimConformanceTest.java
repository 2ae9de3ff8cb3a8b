package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.TestEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every DKIM data set in {@code ../shared/conformance/dkim/}, one named case per message (and per
 * verification mode), driven by {@code dkim/conformance.cases}.
 *
 * <p>Columns: name | message | dns | clock | mode | expected | note.
 *
 * <ul>
 *   <li>message: a path under {@code conformance/dkim}.
 *   <li>dns: {@code inline} (the file starts with {@code name value} lines and a blank line), a
 *       file of {@code name value} lines ({@code file#name} takes one name's line only), a {@code
 *       .json} file of TXT records, or {@code name=file} where the file holds the record text;
 *       several separated by commas.
 *   <li>clock: the verification time in epoch seconds.
 *   <li>mode: {@code strict} (the defaults: RFC 6376 with RFC 8301), {@code legacy} (rsa-sha1, RSA
 *       keys from 384 bits and partly signed bodies allowed, to exercise the canonicalization of
 *       historic mail), or {@code sign=<key file>@<selector>@<domain>}: sign with our signer first,
 *       then verify strictly.
 *   <li>expected: per signature, top down, {@code result[:PROBLEM][+testing]}; {@code none} for an
 *       unsigned message.
 * </ul>
 */
class DkimConformanceTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Stream<Arguments> cases() {
    return Cases.arguments(DkimConformanceTest.class, "/dkim/conformance.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verifiesAsExpected(Cases.Row c) throws IOException {
    Path base = TestEnvironment.conformance("dkim");
    byte[] file = Files.readAllBytes(base.resolve(c.get(0)));
    KeyRecords keys = new KeyRecords();
    byte[] message = file;
    String dns = c.get(1);
    if (dns.equals("inline")) {
      String all = new String(file, ISO_8859_1);
      int blank = all.indexOf("\n\n");
      keys.addLines(all.substring(0, blank));
      message = all.substring(blank + 2).getBytes(ISO_8859_1);
    } else {
      for (String source : dns.split(",")) {
        addKeys(keys, base, source.strip());
      }
    }
    Clock clock = Clock.fixed(Instant.ofEpochSecond(Long.parseLong(c.get(2))), ZoneOffset.UTC);
    String mode = c.get(3);
    DnsResolver resolver = keys.resolver();
    DkimVerifier.Builder verifier = DkimVerifier.builder(resolver).clock(clock);
    if (mode.equals("legacy")) {
      verifier
          .allowInsecureRsaSha1(true)
          .minRsaKeyBitsBelowRfc8301ForTests(384)
          .allowPartlySignedBody(true);
    } else if (mode.startsWith("sign=")) {
      message = sign(base, mode.substring(5), clock, message);
    } else if (!mode.equals("strict")) {
      throw new IllegalArgumentException("mode " + mode);
    }

    DkimVerification verification = verifier.build().verify(message);
    List<DkimOutcome> outcomes = verification.outcomes();
    assertThat(describe(verification))
        .as("%s; details: %s", c.get(5), outcomes.stream().map(DkimOutcome::detail).toList())
        .isEqualTo(c.get(4));
  }

  private static void addKeys(KeyRecords keys, Path base, String source) throws IOException {
    int eq = source.indexOf('=');
    if (eq > 0) {
      keys.add(source.substring(0, eq), Files.readString(base.resolve(source.substring(eq + 1))));
    } else if (source.endsWith(".json")) {
      JsonNode root = JSON.readTree(Files.readString(base.resolve(source)));
      for (Map.Entry<String, JsonNode> name : root.properties()) {
        JsonNode txt = name.getValue().get("TXT");
        if (txt != null) {
          for (JsonNode record : txt) {
            List<String> strings = new ArrayList<>();
            record.forEach(s -> strings.add(s.asString()));
            keys.add(name.getKey(), String.join("", strings));
          }
        }
      }
    } else if (source.contains("#")) {
      String[] fileAndName = source.split("#");
      for (String line : Files.readAllLines(base.resolve(fileAndName[0]), ISO_8859_1)) {
        if (line.startsWith(fileAndName[1])
            && Character.isWhitespace(line.charAt(fileAndName[1].length()))) {
          keys.addLines(line);
        }
      }
    } else {
      keys.addLines(Files.readString(base.resolve(source), ISO_8859_1));
    }
  }

  /** Signs with a key file from the data set: PEM, or a base64 Ed25519 seed. */
  private static byte[] sign(Path base, String spec, Clock clock, byte[] message)
      throws IOException {
    String[] parts = spec.split("@");
    String keyText = Files.readString(base.resolve(parts[0])).strip();
    DkimSigningKey key =
        keyText.startsWith("-----")
            ? DkimSigningKey.fromPem(keyText)
            : DkimSigningKey.ofEd25519Seed(Base64.getDecoder().decode(keyText));
    return DkimSigner.builder()
        .key(DomainName.parse(parts[2]), parts[1], key)
        .allowRsaKeysUnder2048(true)
        .clock(clock)
        .build()
        .signMessage(message);
  }

  /**
   * Describes a verification as the cases do: {@code none} for an unsigned message, checking that
   * the verifier says so itself, else each outcome in turn.
   */
  static String describe(DkimVerification verification) {
    assertThat(verification.result() == DkimResult.NONE)
        .as("NONE exactly when there are no outcomes: %s", verification)
        .isEqualTo(verification.outcomes().isEmpty());
    return describe(verification.outcomes());
  }

  static String describe(List<DkimOutcome> outcomes) {
    if (outcomes.isEmpty()) {
      return "none";
    }
    return outcomes.stream()
        .map(
            o ->
                o.result().token()
                    + o.problem().map(p -> ":" + p).orElse("")
                    + (o.testing() ? "+testing" : ""))
        .collect(Collectors.joining(" "));
  }
}
