package org.mailauth4j.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small value types: queries, answers, failures, MX hosts and raw records. */
class DnsValuesTest {
  private static final DomainName EXAMPLE = DomainName.parse("example.com");

  @Test
  void queriesAreEqualByNameTypeAndAnswerForm() {
    assertThat(DnsQuery.txt(EXAMPLE)).isEqualTo(DnsQuery.txt(DomainName.parse("EXAMPLE.com.")));
    assertThat(DnsQuery.txt(EXAMPLE)).isNotEqualTo(DnsQuery.mx(EXAMPLE));
    // Same type, different answer form: a cache must not hand one's answer to the other.
    assertThat(DnsQuery.ofType(EXAMPLE, 16)).isNotEqualTo(DnsQuery.txt(EXAMPLE));
    assertThat(DnsQuery.mx(EXAMPLE)).hasToString("example.com/MX");
    assertThat(DnsQuery.ofType(EXAMPLE, 52).typeName()).isEqualTo("TLSA");
    assertThat(DnsQuery.ofType(EXAMPLE, 65280).typeName()).isEqualTo("TYPE65280");
  }

  @Test
  void refusesMetaTypesAsQuestions() {
    for (int meta : new int[] {0, 41, 250, 251, 252, 255, 65536, -1}) {
      assertThatThrownBy(() -> DnsQuery.ofType(EXAMPLE, meta))
          .as("type %d", meta)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void answersKeepTheirPartsConsistent() {
    DnsQuery<TxtRecord> q = DnsQuery.txt(EXAMPLE);
    assertThatThrownBy(
            () ->
                new DnsAnswer<>(
                    q, DnsStatus.FOUND, List.of(), Duration.ZERO, false, Optional.empty()))
        .hasMessageContaining("FOUND with 0 records");
    assertThatThrownBy(
            () ->
                new DnsAnswer<>(
                    q,
                    DnsStatus.NO_DATA,
                    List.of(TxtRecord.of("x")),
                    Duration.ZERO,
                    false,
                    Optional.empty()))
        .hasMessageContaining("NO_DATA with 1 records");
    assertThatThrownBy(
            () ->
                new DnsAnswer<>(
                    q, DnsStatus.TEMP_FAIL, List.of(), Duration.ZERO, false, Optional.empty()))
        .hasMessageContaining("TEMP_FAIL with failure");
    assertThatThrownBy(() -> DnsAnswer.noData(q, Duration.ofSeconds(-1), false))
        .hasMessageContaining("negative TTL");
  }

  @Test
  void classifiesVoidAndFailedAnswers() {
    DnsQuery<TxtRecord> q = DnsQuery.txt(EXAMPLE);
    assertThat(DnsAnswer.noData(q, Duration.ZERO, false).isVoid()).isTrue();
    assertThat(DnsAnswer.nxDomain(q, Duration.ZERO, false).isVoid()).isTrue();
    DnsAnswer<TxtRecord> failed =
        DnsAnswer.tempFail(q, DnsFailure.of(DnsFailure.Kind.TIMEOUT, "no answer"));
    assertThat(failed.isVoid()).isFalse();
    assertThat(failed.isTempFail()).isTrue();
    assertThat(failed.ttl()).isZero();
    assertThat(failed).hasToString("example.com/TXT TEMP_FAIL TIMEOUT: no answer");
    DnsAnswer<TxtRecord> found =
        DnsAnswer.found(q, List.of(TxtRecord.of("v=spf1 -all")), Duration.ofSeconds(300), true);
    assertThat(found.isFound()).isTrue();
    assertThat(found).hasToString("example.com/TXT FOUND [\"v=spf1 -all\"] ttl 300s authenticated");
    assertThat(found.withTtl(Duration.ofSeconds(5)).ttl()).hasSeconds(5);
  }

  @Test
  void answersCopyTheirRecords() {
    List<TxtRecord> records = new java.util.ArrayList<>(List.of(TxtRecord.of("a")));
    DnsAnswer<TxtRecord> a =
        DnsAnswer.found(DnsQuery.txt(EXAMPLE), records, Duration.ofSeconds(1), false);
    records.clear();
    assertThat(a.records()).hasSize(1);
    assertThatThrownBy(() -> a.records().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void mxHostsCheckTheirPreferenceAndKnowTheNullMx() {
    assertThat(new MxHost(0, DomainName.ROOT).isNullMx()).isTrue();
    assertThat(new MxHost(10, EXAMPLE).isNullMx()).isFalse();
    assertThatThrownBy(() -> new MxHost(65536, EXAMPLE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MxHost(-1, EXAMPLE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rawRecordsAreImmutable() {
    byte[] rdata = {3, 1, 1, 0x0a};
    RawRecord r = new RawRecord(52, rdata, "3 1 1 0A");
    rdata[0] = 9;
    r.rdata()[1] = 9;
    assertThat(r.rdata()).containsExactly(3, 1, 1, 0x0a);
    assertThat(r).isEqualTo(new RawRecord(52, new byte[] {3, 1, 1, 0x0a}, "3 1 1 0A"));
    assertThat(r).hasToString("TYPE52 3 1 1 0A");
  }
}
