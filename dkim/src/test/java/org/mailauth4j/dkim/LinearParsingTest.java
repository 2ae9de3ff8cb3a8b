package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.testkit.LinearTime.assertLinear;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailauth4j.testkit.LinearTime;

/**
 * Every DKIM parser takes time linear in its input. A tag-list of tens of thousands of short tags
 * once took seconds, because each tag was compared with every earlier one to find duplicates (RFC
 * 6376 §3.2).
 *
 * <p>No absolute speed is asserted: the time for one input of 32,000 tags is compared with the time
 * for eight inputs of 4,000 (three doublings of the size).
 */
class LinearParsingTest {
  private static final int LARGE = LinearTime.LARGE;

  /** Short, distinct, unknown tags ({@code x0=;x1=;...}), which RFC 6376 §3.2 says to ignore. */
  static String unknownTags(int count) {
    StringBuilder sb = new StringBuilder(count * 6);
    for (int k = 0; k < count; k++) {
      sb.append('x').append(Integer.toString(k, 36)).append("=;");
    }
    return sb.toString();
  }

  static String signatureWithTags(int count) {
    return "v=1; a=rsa-sha256; d=example.com; s=s1; h=from; bh=AAAA; "
        + unknownTags(count)
        + " b=AAAA";
  }

  static String keyRecordWithTags(int count) {
    return "v=DKIM1; k=rsa; " + unknownTags(count) + " p=AAAA";
  }

  @Test
  void signatureWithThirtyTwoThousandTagsParsesInLinearTime() {
    assertThat(signatureWithTags(LARGE).length()).isGreaterThan(150_000);
    assertLinear(LinearParsingTest::signatureWithTags, DkimSignature::parse);
  }

  @Test
  void keyRecordWithThirtyTwoThousandTagsParsesInLinearTime() {
    assertLinear(LinearParsingTest::keyRecordWithTags, DkimKeyRecord::parse);
  }

  @Test
  void duplicateTagAfterThirtyTwoThousandOthersIsStillFound() {
    String duplicated = signatureWithTags(LARGE) + "; x0=again";
    assertThatThrownBy(() -> DkimSignature.parse(duplicated))
        .isInstanceOfSatisfying(
            DkimSyntaxException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(DkimProblem.SIGNATURE_SYNTAX);
              assertThat(e.reason()).isEqualTo("duplicate tag x0");
              assertThat(e.errorIndex()).isEqualTo(duplicated.lastIndexOf("x0=again"));
            });
  }

  @Test
  void evidenceOfThirtyTwoThousandBrokenTagSpecsIsReadInLinearTime() {
    // Every tag-spec is malformed ("1x" is no tag name) or repeated, so the lenient reader skips
    // or keeps each one: still one pass.
    assertLinear(
        n -> "d=example.com; s=s1; " + "1x=;d=a;".repeat(n / 2),
        text -> SignatureEvidence.read(text, TagList.UNLIMITED));
  }

  @Test
  void signedHeaderListOfThirtyTwoThousandNamesParsesInLinearTime() {
    assertLinear(
        n ->
            "v=1; a=rsa-sha256; d=example.com; s=s1; bh=AAAA; b=AAAA; h=from"
                + ":x".repeat(n)
                + ":y",
        DkimSignature::parse);
  }

  @Test
  void headerOfManyFieldsParsesInLinearTime() {
    assertLinear(
        n -> "X-A: 1\r\n".repeat(n) + "\r\nbody\r\n",
        text -> MessageHeader.parse(text.getBytes(ISO_8859_1)));
  }

  @Test
  void selectingThirtyTwoThousandSignedFieldsTakesLinearTime() {
    // RFC 6376 §5.4.2: each name in h= takes the next instance from the bottom up. Names of
    // fields that are there and of fields that are not, all distinct.
    assertLinear(
        n -> {
          StringBuilder header = new StringBuilder();
          for (int k = 0; k < n; k++) {
            header.append("X-").append(k).append(": v\r\n");
          }
          return header.append("\r\n").toString();
        },
        text -> {
          MessageHeader header = MessageHeader.parse(text.getBytes(ISO_8859_1));
          List<String> names = new ArrayList<>();
          for (int k = 0; k < header.fieldCount(); k++) {
            names.add("x-" + k);
            names.add("y-" + k);
          }
          HeaderCanonicalizer.appendSignedFields(
              Canonicalization.RELAXED, header, names, -1, new ByteSink(64));
        });
  }
}
