package org.mailauth4j.dane;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dane.TlsaRecord.CertificateUsage;
import org.mailauth4j.dane.TlsaRecord.MatchingType;
import org.mailauth4j.dane.TlsaRecord.Selector;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.TestEnvironment;
import org.mailauth4j.testkit.TestPki;
import org.mailauth4j.testkit.TestPki.Identity;

/**
 * Interoperability with another DANE implementation: OpenSSL's (libssl's DANE support, written by
 * an author of RFC 7671 and RFC 7672), driven through {@code openssl s_client} against a TLS server
 * on loopback that presents the chain of each case. The same chain and TLSA records go to {@link
 * DaneVerifier}; both must reach the same verdict. PKIX-TA(0) and PKIX-EE(1) records, which RFC
 * 7672 §3.1.3 leaves out of SMTP, are the one deliberate difference. Without {@code openssl} this
 * is skipped (and fails under CI=true).
 *
 * <p>OpenSSL is told what an SMTP client following RFC 7672 would tell it: the TLSA base domain
 * ({@code -dane_tlsa_domain}, which is also its one reference identifier for DANE-TA, RFC 7672
 * §3.2.2) and the SNI name are the MX host, which is the only reference identifier the verifier
 * gets too; {@code -dane_ee_no_namechecks} as RFC 7672 §3.1.1 wants; no PKIX trust store, so that
 * only the TLSA records can authenticate the server; and the verifier's instant as {@code -attime}.
 */
class DaneOpensslInteropTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(3650));
  private static final Instant FAR_AHEAD = NOW.plus(Duration.ofDays(3650));
  private static final Instant LAST_MONTH = NOW.minus(Duration.ofDays(30));
  private static final Instant IN_90_DAYS = NOW.plus(Duration.ofDays(90));
  private static final Instant LAST_YEAR = NOW.minus(Duration.ofDays(365));
  private static final Instant YESTERDAY = NOW.minus(Duration.ofDays(1));

  private static final String MX = "mx.example.test";
  private static final DomainName HOST = DomainName.parse(MX);

  private static final TestPki ROOT = new TestPki("DANE Interop Root", LONG_AGO, FAR_AHEAD);
  private static final TestPki INTERMEDIATE =
      ROOT.intermediate("DANE Interop Intermediate", LONG_AGO, FAR_AHEAD);

  /** The server: leaf, intermediate, root. */
  private static final Identity SERVER = INTERMEDIATE.issue(List.of(MX), LAST_MONTH, IN_90_DAYS);

  private static final X509Certificate LEAF = SERVER.chain().get(0);
  private static final X509Certificate INTERMEDIATE_CA = SERVER.chain().get(1);
  private static final X509Certificate ROOT_CA = SERVER.chain().get(2);

  /** A PKI of the same shape and names, whose records match nothing of {@link #SERVER}'s. */
  private static final TestPki STRANGER_ROOT =
      new TestPki("DANE Interop Root", LONG_AGO, FAR_AHEAD);

  private static final TestPki STRANGER_INTERMEDIATE =
      STRANGER_ROOT.intermediate("DANE Interop Intermediate", LONG_AGO, FAR_AHEAD);
  private static final Identity STRANGER =
      STRANGER_INTERMEDIATE.issue(List.of(MX), LAST_MONTH, IN_90_DAYS);

  @TempDir static Path dir;

  private static final DaneVerifier VERIFIER =
      DaneVerifier.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  /**
   * One case: the server's key, the chain it sends, the TLSA RRset, and what each side is expected
   * to conclude (the same, unless the case is a documented difference).
   */
  record Case(
      Identity server,
      List<X509Certificate> served,
      List<TlsaRecord> records,
      boolean oursPasses,
      boolean opensslVerifies) {}

  private static Arguments agree(
      String name, Identity server, List<X509Certificate> served, boolean pass, TlsaRecord... rs) {
    return Arguments.of(named(name, new Case(server, served, List.of(rs), pass, pass)));
  }

  private static TlsaRecord rec(
      CertificateUsage usage, Selector selector, MatchingType type, X509Certificate certificate) {
    return TlsaRecord.of(usage, selector, type, certificate);
  }

  private static List<X509Certificate> leafAndIntermediate(Identity identity) {
    return identity.chain().subList(0, 2);
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    List<X509Certificate> twoCerts = leafAndIntermediate(SERVER);
    List<X509Certificate> fullChain = SERVER.chain();
    X509Certificate strangerLeaf = STRANGER.chain().get(0);

    // DANE-EE(3): every selector and matching type, the server's own and a stranger's.
    for (Selector s : Selector.values()) {
      for (MatchingType m : MatchingType.values()) {
        String rr = "3 " + s.code() + " " + m.code();
        all.add(
            agree(
                "DANE-EE " + rr + " matching",
                SERVER,
                twoCerts,
                true,
                rec(CertificateUsage.DANE_EE, s, m, LEAF)));
        all.add(
            agree(
                "DANE-EE " + rr + " not matching",
                SERVER,
                twoCerts,
                false,
                rec(CertificateUsage.DANE_EE, s, m, strangerLeaf)));
      }
    }

    // RFC 7672 §3.1.1: with DANE-EE(3), neither the names nor the dates of the certificate count.
    Identity otherName = INTERMEDIATE.issue(List.of("other.example.test"), LAST_MONTH, IN_90_DAYS);
    all.add(
        agree(
            "DANE-EE 3 1 1 of a leaf naming another host",
            otherName,
            leafAndIntermediate(otherName),
            true,
            rec(
                CertificateUsage.DANE_EE,
                Selector.SPKI,
                MatchingType.SHA2_256,
                otherName.certificate())));
    Identity expired = INTERMEDIATE.issue(List.of(MX), LAST_YEAR, YESTERDAY);
    all.add(
        agree(
            "DANE-EE 3 1 1 of an expired leaf",
            expired,
            leafAndIntermediate(expired),
            true,
            rec(
                CertificateUsage.DANE_EE,
                Selector.SPKI,
                MatchingType.SHA2_256,
                expired.certificate())));
    Identity selfSigned = TestPki.selfSigned(List.of("other.example.test"), LAST_YEAR, YESTERDAY);
    all.add(
        agree(
            "DANE-EE 3 0 1 of a self-signed expired leaf naming another host",
            selfSigned,
            selfSigned.chain(),
            true,
            rec(
                CertificateUsage.DANE_EE,
                Selector.CERT,
                MatchingType.SHA2_256,
                selfSigned.certificate())));

    // DANE-TA(2) for the root (sent) and for the intermediate, every selector and matching type.
    for (Selector s : Selector.values()) {
      for (MatchingType m : MatchingType.values()) {
        String rr = "2 " + s.code() + " " + m.code();
        all.add(
            agree(
                "DANE-TA " + rr + " of the root, sent",
                SERVER,
                fullChain,
                true,
                rec(CertificateUsage.DANE_TA, s, m, ROOT_CA)));
        all.add(
            agree(
                "DANE-TA " + rr + " of the intermediate",
                SERVER,
                twoCerts,
                true,
                rec(CertificateUsage.DANE_TA, s, m, INTERMEDIATE_CA)));
        all.add(
            agree(
                "DANE-TA " + rr + " of another root",
                SERVER,
                fullChain,
                false,
                rec(CertificateUsage.DANE_TA, s, m, STRANGER.chain().get(2))));
        all.add(
            agree(
                "DANE-TA " + rr + " of another intermediate",
                SERVER,
                twoCerts,
                false,
                rec(CertificateUsage.DANE_TA, s, m, STRANGER.chain().get(1))));
      }
    }

    // RFC 7672 §3.2: with DANE-TA(2), the server certificate must name the reference identifier.
    all.add(
        agree(
            "DANE-TA 2 1 1 of the intermediate, leaf naming another host",
            otherName,
            leafAndIntermediate(otherName),
            false,
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, INTERMEDIATE_CA)));
    all.add(
        agree(
            "DANE-TA 2 1 1 of the intermediate, expired leaf",
            expired,
            leafAndIntermediate(expired),
            false,
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, INTERMEDIATE_CA)));
    Identity wildcard = INTERMEDIATE.issue(List.of("*.example.test"), LAST_MONTH, IN_90_DAYS);
    all.add(
        agree(
            "DANE-TA 2 1 1 of the intermediate, wildcard *.example.test leaf",
            wildcard,
            leafAndIntermediate(wildcard),
            true,
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, INTERMEDIATE_CA)));
    Identity deepWildcard = INTERMEDIATE.issue(List.of("*.test"), LAST_MONTH, IN_90_DAYS);
    all.add(
        agree(
            "DANE-TA 2 1 1 of the intermediate, wildcard *.test leaf (one label only)",
            deepWildcard,
            leafAndIntermediate(deepWildcard),
            false,
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, INTERMEDIATE_CA)));
    Identity commonNameOnly =
        INTERMEDIATE.issue(MX, List.of(), TestPki.newKeyPair(), LAST_MONTH, IN_90_DAYS);
    all.add(
        agree(
            "DANE-TA 2 1 1 of the intermediate, leaf naming the host in its common name only",
            commonNameOnly,
            leafAndIntermediate(commonNameOnly),
            true,
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, INTERMEDIATE_CA)));

    // RFC 7671 §5.2.3: a trust anchor the server does not send.
    all.add(
        agree(
            "DANE-TA 2 0 1 of the root, not sent",
            SERVER,
            twoCerts,
            false,
            rec(CertificateUsage.DANE_TA, Selector.CERT, MatchingType.SHA2_256, ROOT_CA)));
    all.add(
        agree(
            "DANE-TA 2 1 0 bare key of the root, not sent",
            SERVER,
            twoCerts,
            true,
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.FULL, ROOT_CA)));
    all.add(
        agree(
            "DANE-TA 2 1 0 bare key of the intermediate, leaf only sent",
            SERVER,
            List.of(LEAF),
            true,
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.FULL, INTERMEDIATE_CA)));
    // RFC 7672 §3.1.2 has SMTP servers that rely on DANE-TA(2) include the TA certificate in the
    // chain they send, but RFC 7671 §5.2.2 has clients verify a "2 0 0" chain even when the TA
    // certificate appears only in DNS: both take the certificate from the record.
    all.add(
        agree(
            "DANE-TA 2 0 0 full certificate of the root, not sent",
            SERVER,
            twoCerts,
            true,
            rec(CertificateUsage.DANE_TA, Selector.CERT, MatchingType.FULL, ROOT_CA)));
    all.add(
        agree(
            "DANE-TA 2 1 0 bare key of another root, not sent",
            SERVER,
            twoCerts,
            false,
            rec(
                CertificateUsage.DANE_TA,
                Selector.SPKI,
                MatchingType.FULL,
                STRANGER.chain().get(2))));

    // Rollover: RFC 7671 §8: one matching record of the RRset is enough.
    all.add(
        agree(
            "rollover: DANE-EE 3 1 1 of the next key and of the current one",
            SERVER,
            twoCerts,
            true,
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, strangerLeaf),
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, LEAF)));
    all.add(
        agree(
            "rollover: DANE-TA 2 1 1 of another intermediate and of this one",
            SERVER,
            twoCerts,
            true,
            rec(
                CertificateUsage.DANE_TA,
                Selector.SPKI,
                MatchingType.SHA2_256,
                STRANGER.chain().get(1)),
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, INTERMEDIATE_CA)));
    all.add(
        agree(
            "rollover: DANE-EE 3 1 1 of another key and DANE-TA 2 1 1 of the intermediate",
            SERVER,
            twoCerts,
            true,
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, strangerLeaf),
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, INTERMEDIATE_CA)));

    // Digest agility, RFC 7671 §9: the strongest digest of a usage and selector governs.
    all.add(
        agree(
            "digest agility: 3 1 1 matching, 3 1 2 not: SHA2-512 governs",
            SERVER,
            twoCerts,
            false,
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, LEAF),
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_512, strangerLeaf)));
    all.add(
        agree(
            "digest agility: 3 1 1 not matching, 3 1 2 matching",
            SERVER,
            twoCerts,
            true,
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, strangerLeaf),
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_512, LEAF)));
    all.add(
        agree(
            "digest agility: 3 1 1 matching, 3 0 2 not: another selector, no agility across",
            SERVER,
            twoCerts,
            true,
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, LEAF),
            rec(CertificateUsage.DANE_EE, Selector.CERT, MatchingType.SHA2_512, strangerLeaf)));

    // A DANE-TA record that names the leaf itself: RFC 6698 §2.1.1 defines usage 2 as the
    // certificate that "MUST be used as the trust anchor when validating the end entity
    // certificate", and RFC 7672 §3.1.2 speaks of the TA certificate as part of the chain the
    // server sends: a trust anchor issues the chain. Both match DANE-TA records only above the
    // server's own certificate (such a key is published as DANE-EE).
    all.add(
        agree(
            "DANE-TA 2 1 1 naming the leaf itself",
            SERVER,
            twoCerts,
            false,
            rec(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, LEAF)));
    Identity selfSignedMx = TestPki.selfSigned(List.of(MX), LAST_MONTH, IN_90_DAYS);
    all.add(
        agree(
            "DANE-TA 2 0 1 naming a self-signed leaf sent alone",
            selfSignedMx,
            selfSignedMx.chain(),
            false,
            rec(
                CertificateUsage.DANE_TA,
                Selector.CERT,
                MatchingType.SHA2_256,
                selfSignedMx.certificate())));

    // The dates of the certificates below the trust anchor count, those of the anchor itself not:
    // DNS vouches for it as a trust store does for a root (RFC 5280 §6.1.1 (d)). OpenSSL agrees.
    TestPki expiredIntermediate = ROOT.intermediate("DANE Interop Old CA", LONG_AGO, YESTERDAY);
    Identity belowExpired = expiredIntermediate.issue(List.of(MX), LAST_MONTH, IN_90_DAYS);
    all.add(
        agree(
            "DANE-TA 2 1 1 of the root, intermediate expired",
            belowExpired,
            belowExpired.chain(),
            false,
            rec(
                CertificateUsage.DANE_TA,
                Selector.SPKI,
                MatchingType.SHA2_256,
                belowExpired.chain().get(2))));
    all.add(
        agree(
            "DANE-TA 2 1 1 of an expired intermediate",
            belowExpired,
            leafAndIntermediate(belowExpired),
            true,
            rec(
                CertificateUsage.DANE_TA,
                Selector.SPKI,
                MatchingType.SHA2_256,
                belowExpired.chain().get(1))));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void opensslAndTheVerifierJudgeAlike(Case c) throws Exception {
    Path openssl = TestEnvironment.program("openssl", "apt-get install openssl");
    DaneResult ours = VERIFIER.verify(lookup(c.records()), List.of(HOST), c.served());
    OpensslOutcome theirs = sClient(openssl, c.server(), c.served(), c.records(), false);
    assertThat(List.of(ours.passed(), theirs.verified()))
        .as(
            "[DaneVerifier passes, OpenSSL verifies]%nDaneVerifier: %s%nopenssl:%n%s",
            ours, theirs.output())
        .containsExactly(c.oursPasses(), c.opensslVerifies());
  }

  /**
   * PKIX-TA(0) and PKIX-EE(1) records, where the two differ on purpose. RFC 7672 §3.1.3: "SMTP
   * client treatment of TLSA RRs with certificate usages PKIX-TA(0) or PKIX-EE(1) is undefined. As
   * with any other unsupported certificate usage, SMTP clients MAY treat such records as
   * 'unusable'." The verifier does: an RRset of only such records leaves TLS mandatory but the
   * server unauthenticated (RFC 7672 §2.2), so it "passes" without a matched record. OpenSSL is a
   * general-purpose library and applies them as RFC 6698 defines them: PKIX validation against its
   * trust store, constrained by the record. So its verdict depends on whether it trusts our root.
   */
  static Stream<Arguments> pkixCases() {
    List<X509Certificate> twoCerts = leafAndIntermediate(SERVER);
    TlsaRecord pkixEe = rec(CertificateUsage.PKIX_EE, Selector.SPKI, MatchingType.SHA2_256, LEAF);
    TlsaRecord strangerPkixEe =
        rec(CertificateUsage.PKIX_EE, Selector.SPKI, MatchingType.SHA2_256, STRANGER.certificate());
    TlsaRecord pkixTa =
        rec(CertificateUsage.PKIX_TA, Selector.CERT, MatchingType.SHA2_256, ROOT_CA);
    TlsaRecord strangerPkixTa =
        rec(
            CertificateUsage.PKIX_TA,
            Selector.CERT,
            MatchingType.SHA2_256,
            STRANGER.chain().get(2));
    return Stream.of(
        pkix("PKIX-EE 1 1 1 matching, OpenSSL trusting no root", twoCerts, false, false, pkixEe),
        pkix("PKIX-EE 1 1 1 matching, OpenSSL trusting the root", twoCerts, true, true, pkixEe),
        pkix(
            "PKIX-EE 1 1 1 not matching, OpenSSL trusting the root",
            twoCerts,
            true,
            false,
            strangerPkixEe),
        pkix("PKIX-TA 0 0 1 of the root, OpenSSL trusting no root", twoCerts, false, false, pkixTa),
        pkix("PKIX-TA 0 0 1 of the root, OpenSSL trusting the root", twoCerts, true, true, pkixTa),
        pkix(
            "PKIX-TA 0 0 1 of another root, OpenSSL trusting the root",
            twoCerts,
            true,
            false,
            strangerPkixTa));
  }

  private static Arguments pkix(
      String name,
      List<X509Certificate> served,
      boolean opensslTrustsRoot,
      boolean opensslVerifies,
      TlsaRecord... records) {
    return Arguments.of(
        named(name, new Case(SERVER, served, List.of(records), true, opensslVerifies)),
        opensslTrustsRoot);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pkixCases")
  void pkixUsagesAreUnusableForSmtpButNotForOpenssl(Case c, boolean opensslTrustsRoot)
      throws Exception {
    Path openssl = TestEnvironment.program("openssl", "apt-get install openssl");
    DaneResult ours = VERIFIER.verify(lookup(c.records()), List.of(HOST), c.served());
    OpensslOutcome theirs =
        sClient(openssl, c.server(), c.served(), c.records(), opensslTrustsRoot);
    // RFC 7672 §3.1.3: unusable records; TLS without authentication, nothing matched.
    assertThat(ours.lookup().status()).isEqualTo(TlsaLookup.Status.UNUSABLE);
    assertThat(ours.passed()).as("DaneVerifier: %s", ours).isTrue();
    assertThat(ours.matched()).isEmpty();
    assertThat(theirs.verified())
        .as("openssl:%n%s", theirs.output())
        .isEqualTo(c.opensslVerifies());
  }

  /**
   * A PKIX-EE record next to a DANE-EE one: the DANE-EE record decides for the verifier, and
   * OpenSSL (trusting no root) can only be satisfied by it too.
   */
  static Stream<Arguments> mixedCases() {
    List<X509Certificate> twoCerts = leafAndIntermediate(SERVER);
    return Stream.of(
        agree(
            "PKIX-EE 1 1 1 matching and DANE-EE 3 1 1 not matching",
            SERVER,
            twoCerts,
            false,
            rec(CertificateUsage.PKIX_EE, Selector.SPKI, MatchingType.SHA2_256, LEAF),
            rec(
                CertificateUsage.DANE_EE,
                Selector.SPKI,
                MatchingType.SHA2_256,
                STRANGER.certificate())),
        agree(
            "PKIX-EE 1 1 1 not matching and DANE-EE 3 1 1 matching",
            SERVER,
            twoCerts,
            true,
            rec(
                CertificateUsage.PKIX_EE,
                Selector.SPKI,
                MatchingType.SHA2_256,
                STRANGER.certificate()),
            rec(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, LEAF)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mixedCases")
  void aDaneRecordBesidePkixOnesDecides(Case c) throws Exception {
    opensslAndTheVerifierJudgeAlike(c);
  }

  private static TlsaLookup lookup(List<TlsaRecord> records) {
    return TlsaLookup.secure(HOST, 25, HOST, records, List.of(loopback()), "interop records");
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What {@code openssl s_client} concluded, with its output for the assertion message. */
  record OpensslOutcome(boolean verified, String output) {}

  /**
   * Serves the chain on loopback for one connection and runs {@code openssl s_client} with DANE
   * against it.
   */
  private static OpensslOutcome sClient(
      Path openssl,
      Identity server,
      List<X509Certificate> served,
      List<TlsaRecord> records,
      boolean trustRoot)
      throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        new X509ExtendedKeyManager[] {new FixedKeyManager(server.keys().getPrivate(), served)},
        null,
        null);
    try (SSLServerSocket listener =
        (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, loopback())) {
      listener.setSoTimeout(60_000);
      CompletableFuture<Void> serving =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                  socket.setSoTimeout(60_000);
                  socket.startHandshake();
                  socket.getInputStream().readAllBytes();
                } catch (IOException e) {
                  // the client aborts the handshake when it rejects the chain
                }
              });
      List<String> command =
          new ArrayList<>(
              List.of(
                  openssl.toString(),
                  "s_client",
                  "-connect",
                  "127.0.0.1:" + listener.getLocalPort(),
                  "-servername",
                  MX,
                  "-verify_hostname",
                  MX,
                  "-dane_tlsa_domain",
                  MX));
      for (TlsaRecord r : records) {
        command.add("-dane_tlsa_rrdata");
        command.add(r.toText());
      }
      command.addAll(
          List.of(
              "-dane_ee_no_namechecks",
              "-verify_return_error",
              "-attime",
              Long.toString(NOW.getEpochSecond()),
              "-no-CApath",
              "-no-CAstore",
              "-brief"));
      if (trustRoot) {
        command.addAll(List.of("-CAfile", rootPem().toString()));
      } else {
        command.add("-no-CAfile");
      }
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(new File("/dev/null"))
              .start();
      CompletableFuture<String> output =
          CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("openssl s_client did not finish: " + command);
      }
      String text = output.get(60, TimeUnit.SECONDS);
      serving.get(60, TimeUnit.SECONDS);
      boolean verified = process.exitValue() == 0 && text.contains("Verification: OK");
      // A failure must be OpenSSL rejecting the chain, not a handshake that went wrong otherwise.
      assertThat(verified || text.contains("verify error:"))
          .as("openssl neither verified nor rejected the chain:%n%s", text)
          .isTrue();
      return new OpensslOutcome(verified, text);
    }
  }

  private static Path rootPem() throws IOException, CertificateEncodingException {
    Path file = dir.resolve("root.pem");
    if (!Files.exists(file)) {
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(ROOT_CA.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      Files.writeString(file, pem);
    }
    return file;
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** Presents one key and exactly the chain given, whatever the client asks for. */
  private static final class FixedKeyManager extends X509ExtendedKeyManager {
    private final PrivateKey key;
    private final X509Certificate[] chain;

    FixedKeyManager(PrivateKey key, List<X509Certificate> chain) {
      this.key = key;
      this.chain = chain.toArray(new X509Certificate[0]);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return "server";
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return keyType.startsWith("EC") ? "server" : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[] {"server"};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }
}
