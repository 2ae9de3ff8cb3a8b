package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mailauth4j.dkim.DkimConformanceTest.describe;
import static org.mailauth4j.dkim.Fixtures.CLOCK;
import static org.mailauth4j.dkim.Fixtures.DOMAIN;
import static org.mailauth4j.dkim.Fixtures.ED25519;
import static org.mailauth4j.dkim.Fixtures.MESSAGE;
import static org.mailauth4j.dkim.Fixtures.bytes;
import static org.mailauth4j.dkim.Fixtures.keys;
import static org.mailauth4j.dkim.Fixtures.text;
import static org.mailauth4j.dkim.Fixtures.verifier;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Input built to hurt: each gets a clear result, never an exception, a hang or huge memory. */
class DkimHostileInputTest {
  private static final DkimVerifier VERIFIER = verifier(keys()).build();

  private static String signatureField(int i) {
    return "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=k"
        + i
        + "; h=from; bh=AAAA; b=AAAA\r\n";
  }

  @Test
  void refusesAHeaderBomb() {
    StringBuilder huge = new StringBuilder();
    while (huge.length() < 2_000_000) {
      huge.append("X-Filler: ").append("a".repeat(80)).append("\r\n");
    }
    byte[] message = bytes(huge + "\r\nbody\r\n");
    assertThat(describe(VERIFIER.verify(message))).isEqualTo("permerror:HEADER_LIMIT_EXCEEDED");
    assertThat(describe(VERIFIER.verify(new ByteArrayInputStream(message))))
        .isEqualTo("permerror:HEADER_LIMIT_EXCEEDED");
    byte[] noBlankLine = bytes(huge.toString());
    assertThat(describe(VERIFIER.verify(new ByteArrayInputStream(noBlankLine))))
        .isEqualTo("permerror:HEADER_LIMIT_EXCEEDED");
    byte[] oneHugeField = bytes("Subject: " + "x".repeat(100_000) + "\r\n\r\nbody\r\n");
    assertThat(VERIFIER.verify(oneHugeField).outcomes().get(0).detail())
        .contains("longer than 65536");
  }

  @Test
  void refusesTenThousandSignaturesByFieldCount() {
    StringBuilder header = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      header.append(signatureField(i));
    }
    byte[] message = bytes(header + MESSAGE);
    assertThat(describe(VERIFIER.verify(message))).isEqualTo("permerror:HEADER_LIMIT_EXCEEDED");
  }

  @Test
  void evaluatesOnlyTheFirstOfTenThousandSignaturesWhenAllowedToReadThem() {
    StringBuilder header = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      header.append(signatureField(i));
    }
    DkimVerifier lenient = verifier(keys()).maxHeaderFields(20_000).maxHeaderBytes(4 << 20).build();
    List<DkimOutcome> outcomes = lenient.verify(bytes(header + MESSAGE)).outcomes();
    assertThat(outcomes).hasSize(10_000);
    assertThat(outcomes.subList(0, 5))
        .allSatisfy(o -> assertThat(o.problem()).contains(DkimProblem.KEY_NOT_FOUND));
    assertThat(outcomes.subList(5, 10_000))
        .allSatisfy(o -> assertThat(o.problem()).contains(DkimProblem.SIGNATURE_LIMIT_REACHED));
  }

  @Test
  void refusesSignaturesOfThirtyTwoThousandTagsAsTooManyTags() {
    // Five signatures of 32,000 short tags each: a 900 KB header that header limits raised for
    // the purpose let through. The tag limit stops each scan at tag 65.
    String field =
        "DKIM-Signature: " + LinearParsingTest.signatureWithTags(32_000).replace("s=s1", "s=rsa");
    byte[] message = bytes((field + "\r\n").repeat(5) + MESSAGE);
    DkimVerifier.Builder roomy =
        verifier(keys()).maxHeaderFieldBytes(256 << 10).maxHeaderBytes(1 << 20);
    assertThat(describe(roomy.build().verify(message)))
        .isEqualTo(String.join(" ", java.util.Collections.nCopies(5, "permerror:TOO_MANY_TAGS")));
    assertThat(roomy.build().verify(message).outcomes().get(0).detail())
        .contains("more than 64 tags");
    assertThat(describe(roomy.maxTags(40_000).build().verify(message)))
        .as("with the limit raised, all tags are read, in linear time")
        .isEqualTo(String.join(" ", java.util.Collections.nCopies(5, "fail:BODY_HASH_MISMATCH")));
  }

  @Test
  void refusesAKeyRecordOfThirtyTwoThousandTagsAsTooManyTags() {
    byte[] signed =
        DkimSigner.builder()
            .key(DOMAIN, "ed", ED25519)
            .clock(CLOCK)
            .build()
            .signMessage(bytes(MESSAGE));
    String record =
        ED25519
            .keyRecord()
            .replace("v=DKIM1;", "v=DKIM1; " + LinearParsingTest.unknownTags(32_000));
    KeyRecords keys = new KeyRecords().add("ed._domainkey.example.com", record);
    assertThat(describe(verifier(keys).build().verify(signed)))
        .isEqualTo("permerror:TOO_MANY_TAGS");
    assertThat(describe(verifier(keys).maxTags(40_000).build().verify(signed))).isEqualTo("pass");
  }

  @Test
  void acceptsTheLargestDefaultTagCount() {
    String sixtyFour =
        "DKIM-Signature: v=1; a=ed25519-sha256; d=example.com; s=ed; h=from; bh=AAAA; "
            + LinearParsingTest.unknownTags(57)
            + " b=AAAA\r\n";
    assertThat(describe(VERIFIER.verify(bytes(sixtyFour + MESSAGE))))
        .isEqualTo("fail:BODY_HASH_MISMATCH");
    String sixtyFive = sixtyFour.replace("h=from;", "h=from; x=9999999999;");
    assertThat(describe(VERIFIER.verify(bytes(sixtyFive + MESSAGE))))
        .isEqualTo("permerror:TOO_MANY_TAGS");
  }

  @Test
  void reportsMalformedSignaturesOneByOne() {
    String message =
        "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=rsa; h=from; bh=!!!!; b=AAAA\r\n"
            + "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=rsa; h=from; bh=AAAA; b=A===\r\n"
            + "DKIM-Signature:\r\n"
            + "DKIM-Signature: \u0000\u0001\u00ff\r\n"
            + "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=rsa; h="
            + "from:".repeat(1000)
            + "from; bh=AAAA; b=AAAA\r\n"
            + MESSAGE;
    assertThat(describe(verifier(keys()).maxSignatures(9).build().verify(bytes(message))))
        .isEqualTo(
            "permerror:SIGNATURE_SYNTAX permerror:SIGNATURE_SYNTAX permerror:MISSING_REQUIRED_TAG"
                + " permerror:SIGNATURE_SYNTAX permerror:TOO_MANY_SIGNED_HEADERS");
  }

  @Test
  void handlesTruncatedAndDegenerateMessages() {
    byte[] signed = Fixtures.signer().build().signMessage(bytes(MESSAGE));
    for (int cut : new int[] {0, 1, 10, 100, 300, 500, 700, 900, signed.length - 1}) {
      byte[] truncated = Arrays.copyOf(signed, Math.min(cut, signed.length));
      assertThatCode(() -> VERIFIER.verify(truncated))
          .as("cut at %d", cut)
          .doesNotThrowAnyException();
      assertThatCode(() -> VERIFIER.verify(new ByteArrayInputStream(truncated)))
          .doesNotThrowAnyException();
    }
    assertThat(describe(VERIFIER.verify(new byte[0]))).isEqualTo("none");
    assertThat(describe(VERIFIER.verify(bytes("\r")))).isEqualTo("none");
    assertThat(describe(VERIFIER.verify(bytes("\r\n\r\n")))).isEqualTo("none");
    assertThat(describe(VERIFIER.verify(bytes("\nbody starts at once")))).isEqualTo("none");
    assertThat(describe(VERIFIER.verify(bytes("no colon here\r\n\r\nbody")))).isEqualTo("none");
    assertThat(describe(VERIFIER.verify(bytes("  starts with a continuation\r\n\r\n"))))
        .isEqualTo("none");
  }

  @Test
  void signsAndVerifiesNulOctetsAndEightBitHeaders() {
    String odd =
        "From: J\u00f6rg <j@example.com>\r\nSubject: nul \u0000 inside\r\nX-Bin\u00ff: v\r\n\r\n"
            + "body with \u0000 and \u00ff\u00fe octets\r\n";
    byte[] signed = Fixtures.signer().build().signMessage(bytes(odd));
    assertThat(describe(VERIFIER.verify(signed))).isEqualTo("pass pass");
    byte[] changed = bytes(text(signed).replace("nul \u0000", "nul \u0001"));
    assertThat(describe(VERIFIER.verify(changed)))
        .isEqualTo("fail:SIGNATURE_MISMATCH fail:SIGNATURE_MISMATCH");
  }

  @Test
  void streamsAnEnormousLine() {
    DkimSigner signer = DkimSigner.builder().key(DOMAIN, "ed", ED25519).clock(CLOCK).build();
    byte[] message = bytes(MESSAGE + "y".repeat(20_000_000) + "  \t  ");
    byte[] signed = signer.signMessage(message);
    assertThat(describe(VERIFIER.verify(new ByteArrayInputStream(signed)))).isEqualTo("pass");
  }

  @Test
  void survivesKeysThatAreNotKeys() throws Exception {
    byte[] signed =
        DkimSigner.builder()
            .key(DOMAIN, "ed", ED25519)
            .key(DOMAIN, "rsa", Fixtures.RSA)
            .clock(CLOCK)
            .build()
            .signMessage(bytes(MESSAGE));
    byte[] random = new byte[300];
    new Random(1).nextBytes(random);
    byte[] ecSpki = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic().getEncoded();
    byte[] notAPoint = new byte[32];
    Arrays.fill(notAPoint, (byte) 0xFF);
    String[][] cases = {
      {"v=DKIM1; k=ed25519; p=" + b64(notAPoint), "v=DKIM1; k=rsa; p=" + b64(random)},
      {"v=DKIM1; k=ed25519; p=" + b64(new byte[64]), "v=DKIM1; k=rsa; p=" + b64(ecSpki)},
      {"v=DKIM1; k=ed25519; p=" + "A".repeat(10_000), "v=DKIM1; k=rsa; p=" + "QUFB".repeat(2_000)},
      {"v=DKIM1; k=ed25519; p", "v=DKIM1; k=rsa; p====="},
      {"v=DKIM1; k=ed25519; p=" + b64(new byte[0]), "v=DKIM1; k=\u00e9; p=AAAA"},
    };
    for (String[] c : cases) {
      KeyRecords keys =
          new KeyRecords()
              .add("ed._domainkey.example.com", c[0])
              .add("rsa._domainkey.example.com", c[1]);
      List<DkimOutcome> outcomes = verifier(keys).build().verify(signed).outcomes();
      assertThat(outcomes)
          .as("%s / %s", c[0], c[1])
          .allSatisfy(o -> assertThat(o.result()).isIn(DkimResult.PERMERROR, DkimResult.FAIL));
    }
  }

  @Test
  void survivesRandomOctets() {
    Random random = new Random(2026);
    byte[] signed = Fixtures.signer().build().signMessage(bytes(MESSAGE));
    for (int i = 0; i < 2_000; i++) {
      byte[] junk;
      if (i % 2 == 0) {
        junk = new byte[random.nextInt(2_000)];
        random.nextBytes(junk);
      } else {
        junk = signed.clone();
        for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
          junk[random.nextInt(junk.length)] = (byte) random.nextInt(256);
        }
      }
      byte[] input = junk;
      assertThatCode(() -> VERIFIER.verify(input)).as("case %d", i).doesNotThrowAnyException();
    }
  }

  @Test
  void readsOnlyTheHeaderOfAStreamThatNeedsNoBody() {
    // An unsigned message: the body is never needed, so an endless body is not read.
    InputStream endless =
        new InputStream() {
          private final byte[] head = bytes("From: a@example.com\r\n\r\n");
          private int pos;

          @Override
          public int read() {
            return pos < head.length ? head[pos++] : 'x';
          }
        };
    assertThat(describe(VERIFIER.verify(endless))).isEqualTo("none");
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
