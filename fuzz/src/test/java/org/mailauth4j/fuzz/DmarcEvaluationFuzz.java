package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.check;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.dmarc.AuthorDomains;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcResult;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;

/**
 * A whole DMARC evaluation under both profiles, over a zone whose {@code _dmarc} records are fuzzed
 * at every level of a deep name, with a fuzzed From field: the outcome is always complete and
 * consistent, and never asks more names than the limits allow.
 */
class DmarcEvaluationFuzz {
  /** The names whose {@code _dmarc} TXT texts the input gives, after the first line (From). */
  static final List<String> NAMES =
      List.of(
          "a.b.mail.example.com", "b.mail.example.com", "mail.example.com", "example.com", "com");

  static final char RECORD_SEPARATOR = 0x1E;

  private static final InetAddress CLIENT = Contract.address("192.0.2.1", null);

  @FuzzTarget
  void evaluate(byte[] input) {
    List<byte[]> fields = Contract.fields(input, 1 + NAMES.size());
    String from = Contract.field(fields, 0);
    StringBuilder zoneText = new StringBuilder("mail.example.com. A 192.0.2.1\n");
    for (int i = 0; i < NAMES.size() && i + 1 < fields.size(); i++) {
      for (String record :
          Contract.field(fields, i + 1).split(String.valueOf(RECORD_SEPARATOR), -1)) {
        zoneText
            .append("_dmarc.")
            .append(NAMES.get(i))
            .append(". TXT ")
            .append(TxtRecord.split(record))
            .append('\n');
      }
    }
    Contract.timed(
        input.length,
        () -> {
          ZoneFileResolver zone =
              ZoneFileResolver.builder()
                  .zone(zoneText.toString())
                  .fail(DomainName.parse("_dmarc.fail.example.com"), DnsFailure.Kind.TIMEOUT)
                  .build();
          AuthorDomains author = AuthorDomains.parse(List.of(from), 4);
          SpfOutcome spf =
              SpfOutcome.builder()
                  .result(SpfResult.PASS)
                  .identity(SpfIdentity.MAILFROM)
                  .clientIp(CLIENT)
                  .sender("bounce@b.mail.example.com")
                  .helo(Optional.of("mail.example.com"))
                  .domain(Optional.of(DomainName.parse("b.mail.example.com")))
                  .detail("pass")
                  .build();
          for (DmarcProfile profile : DmarcProfile.values()) {
            DmarcVerifier verifier =
                DmarcVerifier.builder(zone).profile(profile).maxAuthorDomains(4).build();
            DmarcOutcome outcome = verifier.evaluate(author, List.of(spf), List.of());
            check(outcome.evaluations().size() <= 4, "more author domains than the cap");
            check(outcome.trace().size() <= DmarcVerifier.DEFAULT_MAX_LOOKUPS, "too many lookups");
            check(
                !outcome.evaluations().isEmpty() || outcome.result() == DmarcResult.PERMERROR,
                "no author domain, but not permerror: " + outcome);
            check(
                outcome.result() != DmarcResult.PERMERROR
                    || outcome.evaluations().isEmpty()
                    || outcome.incomplete(),
                "permerror with author domains, though complete: " + outcome);
            check(
                !outcome.incomplete()
                    || outcome.result() == DmarcResult.FAIL
                    || outcome.result() == DmarcResult.PERMERROR,
                "an incomplete evaluation that neither failed nor is permerror: " + outcome);
            check(
                outcome.result() != DmarcResult.PASS
                    || outcome.alignments().stream().anyMatch(a -> a.isAligned()),
                "pass without an aligned identifier: " + outcome);
            check(
                outcome.result() == DmarcResult.FAIL
                    || outcome.appliedPolicy() == org.mailauth4j.dmarc.DmarcPolicy.NONE,
                "a policy applied to a message that did not fail: " + outcome);
            outcome.authResult();
            outcome.toString();
          }
        });
  }
}
