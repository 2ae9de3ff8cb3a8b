package org.mailauth4j.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;

/** The tree walk's names, the public suffix list, and the verifier's limits. */
class DmarcVerifierTest {

  static Stream<Arguments> depths() {
    return IntStream.rangeClosed(1, 12)
        .mapToObj(
            n -> {
              List<Integer> expected = new ArrayList<>();
              expected.add(n);
              // RFC 9989 §4.10: from 8 labels on, the next name has 7; then one label less each
              for (int k = Math.min(n - 1, 7); k >= 1; k--) {
                expected.add(k);
              }
              return Arguments.of(Named.of(n + (n == 1 ? " label" : " labels"), n), expected);
            });
  }

  @ParameterizedTest
  @MethodSource("depths")
  void walksAtMostEightNamesJumpingToSevenLabels(int labels, List<Integer> expected) {
    List<String> parts = new ArrayList<>();
    for (int i = labels; i >= 1; i--) {
      parts.add("l" + i);
    }
    DomainName start = DomainName.parse(String.join(".", parts));
    List<DomainName> names = DmarcVerifier.walkNames(start, 8);
    assertThat(names.stream().map(DomainName::labelCount).toList()).isEqualTo(expected);
    assertThat(names).hasSizeLessThanOrEqualTo(8);
    assertThat(names).allMatch(n -> start.isWithin(n));
  }

  @Test
  void walkOfTheRfcExample() {
    // RFC 9989 §4.10's example: the name itself, then its seven right-most labels and on
    List<String> names =
        DmarcVerifier.walkNames(DomainName.parse("a.b.c.d.e.f.g.h.i.j.mail.example.com"), 8)
            .stream()
            .map(DomainName::toString)
            .toList();
    assertThat(names)
        .containsExactly(
            "a.b.c.d.e.f.g.h.i.j.mail.example.com",
            "g.h.i.j.mail.example.com",
            "h.i.j.mail.example.com",
            "i.j.mail.example.com",
            "j.mail.example.com",
            "mail.example.com",
            "example.com",
            "com");
  }

  private static final String PSL =
      """
      // a list in the public suffix list's format
      com
      uk
      co.uk
      *.ck
      !www.ck
      // ===BEGIN PRIVATE DOMAINS===
      blogspot.com
      bücher.example
      """;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "example.com, example.com",
    "mail.example.com, example.com",
    "a.b.mail.example.com, example.com",
    "com, com",
    "mail.example.co.uk, example.co.uk",
    "example.co.uk, example.co.uk",
    "co.uk, co.uk",
    "a.b.ck, a.b.ck",
    "x.a.b.ck, a.b.ck",
    "www.ck, www.ck",
    "a.www.ck, www.ck",
    "foo.blogspot.com, foo.blogspot.com",
    "a.foo.blogspot.com, foo.blogspot.com",
    "unlisted, unlisted",
    "mail.example.unlisted, example.unlisted",
    "a.b.xn--bcher-kva.example, b.xn--bcher-kva.example",
  })
  void loadedListGivesOrganizationalDomains(String name, String expected) throws IOException {
    PublicSuffixList list = PublicSuffixList.parse(new StringReader(PSL));
    assertThat(list.organizationalDomain(DomainName.parse(name)).toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "mail.example.com, example.com",
    "mail.example.co.uk, example.co.uk",
    "foo.blogspot.com, foo.blogspot.com",
    "com, com",
    "a.b.example, b.example",
    "_dmarc.example.com, example.com",
  })
  void bundledListGivesOrganizationalDomains(String name, String expected) {
    assertThat(PublicSuffixList.bundled().organizationalDomain(DomainName.parse(name)).toString())
        .isEqualTo(expected);
  }

  @Test
  void aListWithoutRulesIsRefused() {
    assertThatThrownBy(() -> PublicSuffixList.parse(new StringReader("// nothing\n\n")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefreshedListIsUsedForTheNextMessage() throws IOException {
    var current =
        new java.util.concurrent.atomic.AtomicReference<>(
            PublicSuffixList.parse(new StringReader("com\n")));
    DnsResolver dns =
        ZoneFileResolver.builder()
            .zone("_dmarc.example.com. TXT \"v=DMARC1; p=reject\"\nmail.example.com. A 192.0.2.1\n")
            .build();
    DmarcVerifier verifier =
        DmarcVerifier.builder(dns)
            .profile(DmarcProfile.RFC7489)
            .publicSuffixList(current::get)
            .build();
    AuthorDomains author = AuthorDomains.parse(List.of("a@mail.example.com"), 10);
    assertThat(verifier.evaluate(author, List.of(), List.of()).policyDomain().orElseThrow())
        .hasToString("example.com");
    // a list that makes example.com a public suffix: mail.example.com is its own organization
    current.set(PublicSuffixList.parse(new StringReader("com\nexample.com\n")));
    assertThat(verifier.evaluate(author, List.of(), List.of()).result())
        .isEqualTo(DmarcResult.NONE);
  }

  @Test
  void aLongAuthorDomainIsWalkedFromItsSevenRightMostLabels() {
    DnsResolver dns =
        ZoneFileResolver.builder()
            .zone(
                """
                _dmarc.e.f.g.h.i.j.example.com. TXT "v=DMARC1; p=none"
                _dmarc.example.com. TXT "v=DMARC1; p=reject"
                """)
            .build();
    DmarcOutcome outcome =
        DmarcVerifier.builder(dns)
            .build()
            .evaluate(
                AuthorDomains.parse(List.of("a@a.b.c.d.e.f.g.h.i.j.example.com"), 10),
                List.of(),
                List.of());
    assertThat(outcome.trace().stream().map(l -> l.name().toString()))
        .containsExactly(
            "_dmarc.a.b.c.d.e.f.g.h.i.j.example.com",
            "_dmarc.f.g.h.i.j.example.com",
            "_dmarc.g.h.i.j.example.com",
            "_dmarc.h.i.j.example.com",
            "_dmarc.i.j.example.com",
            "_dmarc.j.example.com",
            "_dmarc.example.com",
            "_dmarc.com");
    assertThat(outcome.policyDomain().orElseThrow()).hasToString("example.com");
    assertThat(outcome.organizationalDomain().orElseThrow()).hasToString("example.com");
  }

  // --- From ---

  @Test
  void noAuthorDomainIsAPermerror() {
    DmarcVerifier verifier = DmarcVerifier.builder(ZoneFileResolver.builder().build()).build();
    DmarcOutcome outcome =
        verifier.evaluate(AuthorDomains.parse(List.of(), 10), List.of(), List.of());
    assertThat(outcome.result()).isEqualTo(DmarcResult.PERMERROR);
    assertThat(outcome.problem()).contains(DmarcProblem.NO_AUTHOR_DOMAIN);
    assertThat(outcome.evaluations()).isEmpty();
    assertThat(outcome.trace()).isEmpty();
  }

  private static final String TWO_ORGS =
      """
      _dmarc.example.com. TXT "v=DMARC1; p=quarantine"
      _dmarc.example.org. TXT "v=DMARC1; p=reject"
      _dmarc.example.net. TXT "v=DMARC1; p=none"
      """;

  @Test
  void severalAuthorDomainsTakeTheStrictestFailingPolicy() {
    DmarcVerifier verifier =
        DmarcVerifier.builder(ZoneFileResolver.builder().zone(TWO_ORGS).build()).build();
    AuthorDomains author =
        AuthorDomains.parse(List.of("a@example.com, b@example.org, c@example.net"), 10);
    DmarcOutcome outcome = verifier.evaluate(author, List.of(pass("example.com")), List.of());
    assertThat(outcome.evaluations()).hasSize(3);
    assertThat(outcome.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(outcome.authorDomain().orElseThrow()).hasToString("example.org");
    assertThat(outcome.appliedPolicy()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(outcome.evaluations().get(0).result()).isEqualTo(DmarcResult.PASS);
  }

  @Test
  void domainsBeyondTheCapMakeTheOutcomeIncomplete() {
    DmarcVerifier verifier =
        DmarcVerifier.builder(ZoneFileResolver.builder().zone(TWO_ORGS).build())
            .maxAuthorDomains(2)
            .build();
    StringBuilder from = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      from.append(i == 0 ? "" : ", ")
          .append("u")
          .append(i)
          .append("@d")
          .append(i)
          .append(".example");
    }
    AuthorDomains author = AuthorDomains.parse(List.of(from.toString()), 2);
    DmarcOutcome outcome = verifier.evaluate(author, List.of(), List.of());
    assertThat(outcome.evaluations()).hasSize(2);
    assertThat(outcome.incomplete()).isTrue();
    assertThat(outcome.result()).isEqualTo(DmarcResult.PERMERROR);
    assertThat(outcome.problem()).contains(DmarcProblem.TOO_MANY_AUTHOR_DOMAINS);
  }

  @Test
  void aDomainHiddenBeyondTheCapCannotMakeAPass() {
    DnsResolver dns =
        ZoneFileResolver.builder()
            .zone(
                """
                _dmarc.att0.com. TXT "v=DMARC1; p=none"
                _dmarc.victim.com. TXT "v=DMARC1; p=reject"
                """)
            .build();
    DmarcVerifier verifier = DmarcVerifier.builder(dns).maxAuthorDomains(1).build();
    AuthorDomains author = AuthorDomains.parse(List.of("a@att0.com, ceo@victim.com"), 1);
    DmarcOutcome outcome = verifier.evaluate(author, List.of(pass("att0.com")), List.of());
    assertThat(outcome.result()).isEqualTo(DmarcResult.PERMERROR);
    assertThat(outcome.authResult().result()).isEqualTo("permerror");
    // a failing domain within the cap stands
    AuthorDomains failing = AuthorDomains.parse(List.of("ceo@victim.com, a@att0.com"), 1);
    assertThat(verifier.evaluate(failing, List.of(pass("att0.com")), List.of()).result())
        .isEqualTo(DmarcResult.FAIL);
  }

  @Test
  void psdYesOnTheStartingDomainIsAnOrdinaryRecord() {
    DnsResolver dns =
        ZoneFileResolver.builder()
            .zone(
                """
                _dmarc.a.example.com. TXT "v=DMARC1; p=reject; psd=y"
                _dmarc.example.com. TXT "v=DMARC1; p=reject; psd=n"
                """)
            .build();
    DmarcOutcome outcome =
        DmarcVerifier.builder(dns)
            .build()
            .evaluate(
                AuthorDomains.parse(List.of("x@a.example.com"), 10),
                List.of(pass("b.example.com")),
                List.of());
    assertThat(outcome.organizationalDomain().orElseThrow()).hasToString("example.com");
    assertThat(outcome.result()).isEqualTo(DmarcResult.PASS);
  }

  @Test
  void anInvalidNpIsAnUnknownTagUnderRfc7489() {
    DnsResolver dns =
        ZoneFileResolver.builder()
            .zone("_dmarc.example.com. TXT \"v=DMARC1; p=reject; np=bogus\"\n")
            .build();
    AuthorDomains author = AuthorDomains.parse(List.of("a@example.com"), 10);
    assertThat(
            DmarcVerifier.builder(dns)
                .profile(DmarcProfile.RFC7489)
                .build()
                .evaluate(author, List.of(), List.of())
                .appliedPolicy())
        .isEqualTo(DmarcPolicy.REJECT);
    // RFC 9989 §4.10.1: an invalid np makes the record unusable (and without rua, no DMARC)
    assertThat(DmarcVerifier.builder(dns).build().evaluate(author, List.of(), List.of()).problem())
        .contains(DmarcProblem.UNUSABLE_RECORD);
  }

  @Test
  void theLookupLimitDoesNotDependOnTheOrderOfAuthorDomains() {
    String deep = "a.b.c.d.e.f.g.h.i.j.example.org";
    DnsResolver dns =
        ZoneFileResolver.builder().zone("_dmarc.example.com. TXT \"v=DMARC1; p=reject\"\n").build();
    DmarcVerifier verifier = DmarcVerifier.builder(dns).maxWalkQueries(8).maxLookups(8).build();
    for (String from : List.of("a@" + deep + ", b@example.com", "b@example.com, a@" + deep)) {
      DmarcOutcome outcome =
          verifier.evaluate(
              AuthorDomains.parse(List.of(from), 10), List.of(pass("mail.example.com")), List.of());
      assertThat(outcome.evaluations())
          .as(from)
          .filteredOn(e -> e.authorDomain().toString().equals("example.com"))
          .singleElement()
          .satisfies(e -> assertThat(e.result()).isEqualTo(DmarcResult.PASS));
    }
  }

  // --- limits ---

  @Test
  void manySigningDomainsStopAtTheLookupLimit() {
    org.mailauth4j.dkim.DkimSigningKey key = org.mailauth4j.dkim.DkimSigningKey.generateEd25519();
    StringBuilder zone = new StringBuilder(TWO_ORGS);
    org.mailauth4j.dkim.DkimSigner.Builder signer = org.mailauth4j.dkim.DkimSigner.builder();
    for (int i = 0; i < 30; i++) {
      // each signer is its own organization (psd=n), found only by walking from it
      String d = "s.d" + i + ".example.com";
      zone.append("k._domainkey.")
          .append(d)
          .append(". TXT \"")
          .append(key.keyRecord())
          .append("\"\n");
      zone.append("_dmarc.d").append(i).append(".example.com. TXT \"v=DMARC1; p=none; psd=n\"\n");
      signer.key(DomainName.parse(d), "k", key);
    }
    ZoneFileResolver keys = ZoneFileResolver.builder().zone(zone.toString()).build();
    byte[] message =
        signer.build().signMessage(DmarcEvaluationTest.message("a@example.com", List.of()));
    var dkim =
        org.mailauth4j.dkim.DkimVerifier.builder(keys)
            .maxSignatures(30)
            .maxKeyLookups(30)
            .build()
            .verify(message);
    assertThat(dkim.outcomes()).hasSize(30).allMatch(o -> o.isPass());

    CountingResolver dns = new CountingResolver(keys);
    DmarcVerifier verifier = DmarcVerifier.builder(dns).maxLookups(20).build();
    DmarcOutcome outcome =
        verifier.evaluate(dkim.header().orElseThrow(), pass("example.org"), dkim);
    // the identifiers' 20, and the author domain's own two (_dmarc.example.com, _dmarc.com)
    assertThat(dns.queries.get()).isLessThanOrEqualTo(22);
    assertThat(outcome.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(outcome.alignments())
        .anyMatch(a -> a.status() == IdentifierAlignment.Status.LIMIT_REACHED);
    assertThat(outcome.alignments())
        .noneMatch(a -> a.status() == IdentifierAlignment.Status.TEMPORARY_FAILURE);
  }

  @Test
  void dnsThatNeverAnswersGivesTemperrorWithinTheBudget() {
    DnsResolver silent =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return new CompletableFuture<>(); // never completes
          }
        };
    DmarcVerifier verifier = DmarcVerifier.builder(silent).timeout(Duration.ofMillis(200)).build();
    long start = System.nanoTime();
    DmarcOutcome outcome =
        verifier.evaluate(AuthorDomains.parse(List.of("a@example.com"), 10), List.of(), List.of());
    assertThat(outcome.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(outcome.problem()).contains(DmarcProblem.DISCOVERY_TEMPORARY_FAILURE);
    assertThat(outcome.trace().get(0).failure().orElseThrow().kind())
        .isEqualTo(org.mailauth4j.dns.DnsFailure.Kind.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  /**
   * A timeout at each name of the walk from {@code a.mail.example.com}: whichever name fails, the
   * policy (the organizational domain's) is unknown, so the result is temperror; the author domain
   * {@code example.com} itself needs no walk to pass with an equal SPF domain, and one to fail.
   */
  @ParameterizedTest(name = "{0} times out, From {1}: {2}")
  @CsvSource({
    "_dmarc.a.mail.example.com, a.mail.example.com, temperror, DISCOVERY_TEMPORARY_FAILURE",
    "_dmarc.mail.example.com, a.mail.example.com, temperror, DISCOVERY_TEMPORARY_FAILURE",
    "_dmarc.example.com, a.mail.example.com, temperror, DISCOVERY_TEMPORARY_FAILURE",
    "_dmarc.com, a.mail.example.com, temperror, DISCOVERY_TEMPORARY_FAILURE",
    "_dmarc.com, example.com, pass, -",
    "_dmarc.bounce.example.org, example.com, fail, -",
    "_dmarc.com, mail.example.com, temperror, DISCOVERY_TEMPORARY_FAILURE",
  })
  void aTimeoutAtEachNameOfTheWalk(String failing, String from, String result, String problem) {
    DnsResolver dns =
        ZoneFileResolver.builder()
            .zone(
                """
                _dmarc.example.com. TXT "v=DMARC1; p=reject"
                a.mail.example.com. A 192.0.2.1
                """)
            .fail(DomainName.parse(failing), org.mailauth4j.dns.DnsFailure.Kind.TIMEOUT)
            .build();
    SpfOutcome spf =
        from.equals("example.com") && result.equals("fail")
            ? pass("bounce.example.org")
            : pass("example.com");
    DmarcOutcome outcome =
        DmarcVerifier.builder(dns)
            .build()
            .evaluate(AuthorDomains.parse(List.of("a@" + from), 10), List.of(spf), List.of());
    assertThat(outcome.result().token()).as("%s", outcome).isEqualTo(result);
    assertThat(outcome.problem().map(Enum::name).orElse("-")).isEqualTo(problem);
  }

  @Test
  void aResolverThatThrowsGivesTemperror() {
    DnsResolver broken =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            throw new IllegalStateException("broken");
          }
        };
    DmarcOutcome outcome =
        DmarcVerifier.builder(broken)
            .build()
            .evaluate(AuthorDomains.parse(List.of("a@example.com"), 10), List.of(), List.of());
    assertThat(outcome.result()).isEqualTo(DmarcResult.TEMPERROR);
  }

  @Test
  void aTenKilobyteRecordStillGivesItsPolicy() {
    StringBuilder record = new StringBuilder("v=DMARC1; p=reject; ");
    for (int i = 0; record.length() < 10_000; i++) {
      record.append("x").append(i).append("=").append("y".repeat(40)).append("; ");
    }
    StringBuilder zone = new StringBuilder("_dmarc.example.com. TXT");
    for (int i = 0; i < record.length(); i += 250) {
      zone.append(" \"").append(record, i, Math.min(record.length(), i + 250)).append('"');
    }
    DmarcVerifier verifier =
        DmarcVerifier.builder(ZoneFileResolver.builder().zone(zone + "\n").build()).build();
    DmarcOutcome outcome =
        verifier.evaluate(AuthorDomains.parse(List.of("a@example.com"), 10), List.of(), List.of());
    assertThat(outcome.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(outcome.appliedPolicy()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  void theLookupLimitMayNotBeBelowOneWalk() {
    assertThatThrownBy(
            () -> DmarcVerifier.builder(ZoneFileResolver.builder().build()).maxLookups(7).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesAreAskedOncePerMessage() {
    CountingResolver dns =
        new CountingResolver(
            ZoneFileResolver.builder()
                .zone(
                    "_dmarc.example.com. TXT \"v=DMARC1; p=reject\"\nmail.example.com. A 192.0.2.1\n")
                .build());
    DmarcVerifier verifier = DmarcVerifier.builder(dns).build();
    DmarcOutcome outcome =
        verifier.evaluate(
            AuthorDomains.parse(List.of("a@mail.example.com"), 10),
            List.of(pass("bounce.example.com")),
            List.of());
    assertThat(outcome.result()).isEqualTo(DmarcResult.PASS);
    // _dmarc.{mail.example.com, example.com, com, bounce.example.com}: each once
    assertThat(dns.queries.get()).isEqualTo(4);
    assertThat(outcome.trace()).hasSize(4);
  }

  static SpfOutcome pass(String domain) {
    return DmarcEvaluationTest.spfOutcome(
        SpfResult.PASS,
        SpfIdentity.MAILFROM,
        java.util.Optional.of(DomainName.parse(domain)),
        "bounce@" + domain);
  }

  /** Counts the queries that reach the resolver. */
  static final class CountingResolver implements DnsResolver {
    final DnsResolver delegate;
    final AtomicInteger queries = new AtomicInteger();

    CountingResolver(DnsResolver delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
      queries.incrementAndGet();
      return delegate.lookupAsync(query);
    }
  }
}
