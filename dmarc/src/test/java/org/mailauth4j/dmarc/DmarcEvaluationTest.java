package org.mailauth4j.dmarc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;
import org.mailauth4j.testkit.Cases;

/**
 * DMARC evaluation, table-driven from {@code evaluation.cases} over {@code evaluation.zone}: every
 * row runs under the profiles it names, with real DKIM signatures (Ed25519 keys whose records the
 * test adds to the zone) and SPF outcomes as the SPF verifier makes them.
 */
class DmarcEvaluationTest {
  private static final List<Cases.Row> ROWS =
      Cases.load(DmarcEvaluationTest.class, "/dmarc/evaluation.cases");

  /** The key every "pass" and "fail" signature is made with; "fail" selectors publish another. */
  private static final DkimSigningKey KEY = DkimSigningKey.generateEd25519();

  private static final DkimSigningKey OTHER = DkimSigningKey.generateEd25519();

  private static final DnsResolver DNS = resolver();

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private static DnsResolver resolver() {
    Set<String> signers = new LinkedHashSet<>();
    for (Cases.Row row : ROWS) {
      for (Signature s : signatures(row.get(3))) {
        signers.add(s.domain);
      }
    }
    StringBuilder zone = new StringBuilder(text("/dmarc/evaluation.zone"));
    for (String d : signers) {
      zone.append("pass._domainkey.").append(d).append(". TXT ").append(quoted(KEY)).append('\n');
      zone.append("fail._domainkey.").append(d).append(". TXT ").append(quoted(OTHER)).append('\n');
    }
    ZoneFileResolver.Builder b = ZoneFileResolver.builder().zone(zone.toString());
    for (String d : signers) {
      b.fail(DomainName.parse("temperror._domainkey." + d), DnsFailure.Kind.TIMEOUT);
    }
    b.fail(DomainName.parse("_dmarc.flaky.example.com"), DnsFailure.Kind.TIMEOUT);
    b.fail(DomainName.parse("_dmarc.flaky.example.net"), DnsFailure.Kind.SERVER_FAILURE);
    return b.build();
  }

  private static String quoted(DkimSigningKey key) {
    StringBuilder s = new StringBuilder();
    String record = key.keyRecord();
    for (int i = 0; i < record.length(); i += 200) {
      s.append('"').append(record, i, Math.min(record.length(), i + 200)).append("\" ");
    }
    return s.toString();
  }

  private static String text(String resource) {
    try (var in = DmarcEvaluationTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  record Signature(String result, String domain) {}

  private static List<Signature> signatures(String column) {
    List<Signature> all = new ArrayList<>();
    if (!column.equals("-")) {
      for (String part : column.split(",")) {
        String[] rd = part.split(":", 2);
        all.add(new Signature(rd[0], rd[1]));
      }
    }
    return all;
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Cases.Row row : ROWS) {
      String profiles = row.get(0);
      for (DmarcProfile profile : DmarcProfile.values()) {
        String tag = profile == DmarcProfile.RFC9989 ? "9989" : "7489";
        if (profiles.equals("both") || profiles.equals(tag)) {
          all.add(Arguments.of(Named.of("[" + tag + "] " + row.name(), row), profile));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void evaluates(Cases.Row row, DmarcProfile profile) {
    byte[] message = message(row.get(1), signatures(row.get(3)));
    DkimVerification dkim = DkimVerifier.builder(DNS).build().verify(message);
    SpfOutcome spf = spf(row.get(2));
    DmarcVerifier verifier = DmarcVerifier.builder(DNS).profile(profile).build();

    DmarcOutcome outcome = verifier.evaluate(dkim.header().orElseThrow(), spf, dkim);

    assertThat(outcome.result().token()).as("result: %s", outcome).isEqualTo(row.get(4));
    assertThat(outcome.policyDomain().map(DomainName::toString).orElse("-"))
        .as("policy domain")
        .isEqualTo(row.get(5));
    String requested =
        outcome
            .evaluation()
            .flatMap(
                e ->
                    e.requestedPolicy()
                        .map(
                            p ->
                                e.policyTag()
                                        .orElseThrow()
                                        .name()
                                        .toLowerCase(java.util.Locale.ROOT)
                                    + "="
                                    + p.token()))
            .orElse("-");
    assertThat(requested).as("requested policy").isEqualTo(row.get(6));
    assertThat(outcome.appliedPolicy().token()).as("applied policy").isEqualTo(row.get(7));
    assertThat(outcome.problem().map(Enum::name).orElse("-")).as("problem").isEqualTo(row.get(8));
    assertThat(outcome.evaluation().orElseThrow().discoveryMethod())
        .isEqualTo(
            profile == DmarcProfile.RFC9989 ? DiscoveryMethod.TREEWALK : DiscoveryMethod.PSL);
    // every name is asked once, however many walks pass it
    assertThat(outcome.trace().stream().map(l -> l.purpose() + " " + l.name()).distinct().count())
        .isEqualTo(outcome.trace().size());
  }

  static byte[] message(String from, List<Signature> signatures) {
    String text =
        "From: Someone <"
            + from
            + ">\r\nTo: b@example.net\r\nSubject: test\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n"
            + "Message-ID: <1@example.net>\r\n\r\nHello.\r\n";
    byte[] message = text.getBytes(UTF_8);
    if (signatures.isEmpty()) {
      return message;
    }
    DkimSigner.Builder signer = DkimSigner.builder();
    for (Signature s : signatures) {
      signer.key(DomainName.parse(s.domain), s.result, KEY);
    }
    return signer.build().signMessage(message);
  }

  static SpfOutcome spf(String column) {
    if (column.equals("-")) {
      return spfOutcome(SpfResult.NONE, SpfIdentity.MAILFROM, Optional.empty(), "a@invalid");
    }
    String[] rd = column.split(":", 2);
    boolean helo = rd[0].startsWith("helo-");
    SpfResult result =
        SpfResult.valueOf(rd[0].replace("helo-", "").toUpperCase(java.util.Locale.ROOT));
    return spfOutcome(
        result,
        helo ? SpfIdentity.HELO : SpfIdentity.MAILFROM,
        Optional.of(DomainName.parse(rd[1])),
        (helo ? "postmaster@" : "bounce@") + rd[1]);
  }

  static SpfOutcome spfOutcome(
      SpfResult result, SpfIdentity identity, Optional<DomainName> domain, String sender) {
    return SpfOutcome.builder()
        .result(result)
        .identity(identity)
        .clientIp(CLIENT)
        .sender(sender)
        .helo(Optional.of("mail.example.net"))
        .domain(domain)
        .detail(result.token())
        .build();
  }
}
