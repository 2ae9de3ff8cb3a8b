package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.dkim.DkimConformanceTest.describe;
import static org.mailauth4j.dkim.Fixtures.CLOCK;
import static org.mailauth4j.dkim.Fixtures.DOMAIN;
import static org.mailauth4j.dkim.Fixtures.ED25519;
import static org.mailauth4j.dkim.Fixtures.MESSAGE;
import static org.mailauth4j.dkim.Fixtures.NOW;
import static org.mailauth4j.dkim.Fixtures.RSA;
import static org.mailauth4j.dkim.Fixtures.bytes;
import static org.mailauth4j.dkim.Fixtures.keys;
import static org.mailauth4j.dkim.Fixtures.text;
import static org.mailauth4j.dkim.Fixtures.verifier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;

class DkimVerifierTest {

  private static byte[] signed(DkimSigner signer, String message) {
    return signer.signMessage(bytes(message));
  }

  private static byte[] signedBoth() {
    return signed(Fixtures.signer().build(), MESSAGE);
  }

  @Test
  void passesRsaAndEd25519SignaturesAndReportsTheirEvidence() {
    List<DkimOutcome> outcomes = verifier(keys()).build().verify(signedBoth()).outcomes();
    assertThat(describe(outcomes)).isEqualTo("pass pass");
    DkimOutcome rsa = outcomes.get(0);
    assertThat(rsa.domain()).contains(DOMAIN);
    assertThat(rsa.selector()).contains("rsa");
    assertThat(rsa.identity()).contains("@example.com");
    assertThat(rsa.algorithm()).contains(DkimAlgorithm.RSA_SHA256);
    assertThat(rsa.signaturePrefix().orElseThrow()).hasSize(8);
    assertThat(rsa.key().orElseThrow().keyType()).isEqualTo("rsa");
    assertThat(rsa.detail()).contains("example.com", "rsa");
    assertThat(rsa.testing()).isFalse();
    assertThat(outcomes.get(1).algorithm()).contains(DkimAlgorithm.ED25519_SHA256);
  }

  @Test
  void reportsAnUnsignedMessageAsNoOutcomes() {
    assertThat(describe(verifier(keys()).build().verify(bytes(MESSAGE)))).isEqualTo("none");
  }

  @Test
  void failsWhenTheBodyOrASignedFieldChanges() {
    DkimVerifier verifier = verifier(keys()).build();
    String signed = text(signedBoth());
    assertThat(describe(verifier.verify(bytes(signed.replace("hungry", "Hungry")))))
        .isEqualTo("fail:BODY_HASH_MISMATCH fail:BODY_HASH_MISMATCH");
    assertThat(describe(verifier.verify(bytes(signed.replace("dinner", "lunch")))))
        .isEqualTo("fail:SIGNATURE_MISMATCH fail:SIGNATURE_MISMATCH");
    // Relaxed canonicalization tolerates whitespace and header-name case.
    assertThat(
            describe(
                verifier.verify(
                    bytes(
                        signed
                            .replace("Subject: Is", "SUBJECT:   Is")
                            .replace("lost the", "lost  the")))))
        .isEqualTo("pass pass");
  }

  @Test
  void breaksWhenAnOverSignedFieldIsAdded() {
    byte[] signed = signedBoth();
    String withSecondSubject =
        text(signed).replace("Subject: Is dinner", "Subject: Win a prize\r\nSubject: Is dinner");
    assertThat(describe(verifier(keys()).build().verify(bytes(withSecondSubject))))
        .isEqualTo("fail:SIGNATURE_MISMATCH fail:SIGNATURE_MISMATCH");
    String withReplyTo =
        text(signed).replace("Subject: Is", "Reply-To: attacker@example.net\r\nSubject: Is");
    assertThat(describe(verifier(keys()).build().verify(bytes(withReplyTo))))
        .isEqualTo("fail:SIGNATURE_MISMATCH fail:SIGNATURE_MISMATCH");
    String withUnsignedField =
        text(signed).replace("Subject: Is", "X-Mailer: anything\r\nSubject: Is");
    assertThat(describe(verifier(keys()).build().verify(bytes(withUnsignedField))))
        .isEqualTo("pass pass");
  }

  @Test
  void givesTheSameResultForEveryInputForm() throws IOException {
    DkimVerifier verifier = verifier(keys()).build();
    byte[] message = signedBoth();
    DkimVerification fromArray = verifier.verify(message);
    assertThat(verifier.verify(new ByteArrayInputStream(message))).isEqualTo(fromArray);
    assertThat(verifier.verify(ByteBuffer.wrap(message))).isEqualTo(fromArray);
    ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();
    assertThat(verifier.verify(direct)).isEqualTo(fromArray);
    assertThat(direct.position()).isZero();
    byte[] padded = new byte[message.length + 7];
    System.arraycopy(message, 0, padded, 3, message.length);
    assertThat(verifier.verifyAsync(padded, 3, message.length).join()).isEqualTo(fromArray);
    assertThat(verifier.verify(padded, 3, message.length)).isEqualTo(fromArray);
    assertThat(verifier.verify(bytes(text(message).replace("\r\n", "\n"))))
        .as("bare LF line ends")
        .isEqualTo(fromArray);
    // A stream that hands out one octet at a time.
    InputStream trickle =
        new InputStream() {
          private final ByteArrayInputStream in = new ByteArrayInputStream(message);

          @Override
          public int read() {
            return in.read();
          }

          @Override
          public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1));
          }
        };
    assertThat(verifier.verify(trickle)).isEqualTo(fromArray);
  }

  @Test
  void findsTheSameEmptyLineEndingTheHeaderInEveryInputForm() {
    // RFC 5322 §2.1: a line of CR CR LF is not empty, so From below it is still in the header.
    byte[] message = signed(Fixtures.signer().build(), "X-Note: a\r\n\r\r\n" + MESSAGE);
    DkimVerifier verifier = verifier(keys()).build();
    assertThat(describe(verifier.verify(message))).isEqualTo("pass pass");
    assertThat(describe(verifier.verify(new ByteArrayInputStream(message)))).isEqualTo("pass pass");
    ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();
    assertThat(describe(verifier.verify(direct))).isEqualTo("pass pass");
    String tampered = text(message).replace("We lost", "We won");
    assertThat(describe(verifier.verify(new ByteArrayInputStream(bytes(tampered)))))
        .as("the body is still where the signer found it")
        .isEqualTo("fail:BODY_HASH_MISMATCH fail:BODY_HASH_MISMATCH");
  }

  @Test
  void reportsAnUnreadableStream() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk on fire");
          }
        };
    assertThat(describe(verifier(keys()).build().verify(broken)))
        .isEqualTo("temperror:MESSAGE_UNREADABLE");
    byte[] message = signedBoth();
    InputStream breaksInBody =
        new InputStream() {
          private int left = message.length - 20;
          private final ByteArrayInputStream in = new ByteArrayInputStream(message);

          @Override
          public int read() throws IOException {
            if (left-- <= 0) {
              throw new IOException("connection reset");
            }
            return in.read();
          }
        };
    assertThat(describe(verifier(keys()).build().verify(breaksInBody)))
        .isEqualTo("temperror:MESSAGE_UNREADABLE temperror:MESSAGE_UNREADABLE");
  }

  @Test
  void checksExpiryWithTheClockAndSkew() {
    byte[] message = signed(Fixtures.signer().expireAfter(Duration.ofHours(1)).build(), MESSAGE);
    KeyRecords keys = keys();
    assertThat(describe(verifyAt(keys, message, Duration.ofMinutes(64), null)))
        .isEqualTo("pass pass");
    assertThat(describe(verifyAt(keys, message, Duration.ofMinutes(66), null)))
        .isEqualTo("permerror:SIGNATURE_EXPIRED permerror:SIGNATURE_EXPIRED");
    assertThat(
            describe(verifyAt(keys, message, Duration.ofMinutes(60).plusSeconds(1), Duration.ZERO)))
        .isEqualTo("permerror:SIGNATURE_EXPIRED permerror:SIGNATURE_EXPIRED");
    assertThat(describe(verifyAt(keys, message, Duration.ofDays(-1), null)))
        .as("a t= in the future is accepted (RFC 6376 §3.5 allows ignoring such signatures)")
        .isEqualTo("pass pass");
  }

  @Test
  void checksExpiryWithTheLargestClockSkew() {
    byte[] message = signed(Fixtures.signer().expireAfter(Duration.ofHours(1)).build(), MESSAGE);
    Duration largest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    assertThat(describe(verifyAt(keys(), message, Duration.ofDays(365L * 10_000), largest)))
        .as("now - skew is before the first instant: never expired")
        .isEqualTo("pass pass");
  }

  private static DkimVerification verifyAt(
      KeyRecords keys, byte[] message, Duration after, Duration skew) {
    DkimVerifier.Builder b =
        DkimVerifier.builder(keys.resolver()).clock(Clock.fixed(NOW.plus(after), ZoneOffset.UTC));
    if (skew != null) {
      b.clockSkew(skew);
    }
    return b.build().verify(message);
  }

  @Test
  void refusesAPartlySignedBodyUnlessAllowed() {
    byte[] signed = signed(Fixtures.signer().signBodyLength(true).build(), MESSAGE);
    KeyRecords keys = keys();
    assertThat(describe(verifier(keys).build().verify(signed))).isEqualTo("pass pass");
    byte[] appended = bytes(text(signed) + "Click here: http://phish.example/\r\n");
    assertThat(describe(verifier(keys).build().verify(appended)))
        .isEqualTo("policy:BODY_PARTLY_SIGNED policy:BODY_PARTLY_SIGNED");
    assertThat(describe(verifier(keys).allowPartlySignedBody(true).build().verify(appended)))
        .isEqualTo("pass pass");
    byte[] truncated = bytes(text(signed).replace("Joe.\r\n", ""));
    assertThat(describe(verifier(keys).build().verify(truncated)))
        .isEqualTo("permerror:BODY_LENGTH_EXCEEDS_BODY permerror:BODY_LENGTH_EXCEEDS_BODY");
  }

  @Test
  void appliesTheRsaKeySizeLimits() {
    assertThat(describe(verifier(keys()).minRsaKeyBits(3072).build().verify(signedBoth())))
        .isEqualTo("policy:KEY_SIZE_NOT_ALLOWED pass");
    assertThatThrownBy(() -> DkimVerifier.builder(keys().resolver()).minRsaKeyBits(512))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DkimVerifier.builder(keys().resolver()).maxRsaKeyBits(2048))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAKeyLargerThanTheMaximum() {
    DkimSigningKey big = DkimSigningKey.generateRsa(4160);
    byte[] signed =
        signed(DkimSigner.builder().key(DOMAIN, "big", big).clock(CLOCK).build(), MESSAGE);
    KeyRecords keys = new KeyRecords().add("big._domainkey.example.com", big.keyRecord());
    assertThat(describe(verifier(keys).maxRsaKeyBits(4096).build().verify(signed)))
        .isEqualTo("policy:KEY_SIZE_NOT_ALLOWED");
    assertThat(describe(verifier(keys).build().verify(signed))).isEqualTo("pass");
  }

  @Test
  void honoursKeyRecordFlagsAndRestrictions() {
    byte[] signed = signedBoth();
    String rsaKey = RSA.keyRecord();
    String edKey = ED25519.keyRecord();
    assertThat(
            verify(signed, rsaKey.replace("v=DKIM1;", "v=DKIM1; t=y;"), edKey)
                .outcomes()
                .get(0)
                .testing())
        .isTrue();
    assertThat(describe(verify(signed, rsaKey.replace("p=", "h=sha1; p="), edKey)))
        .isEqualTo("permerror:KEY_HASH_NOT_ALLOWED pass");
    assertThat(describe(verify(signed, rsaKey.replace("p=", "s=tlsrpt; p="), edKey)))
        .isEqualTo("permerror:KEY_SERVICE_NOT_ALLOWED pass");
    assertThat(describe(verify(signed, "v=DKIM1; k=rsa; p=", edKey)))
        .isEqualTo("permerror:KEY_REVOKED pass");
    assertThat(describe(verify(signed, edKey, rsaKey)))
        .isEqualTo("permerror:KEY_TYPE_MISMATCH permerror:KEY_TYPE_MISMATCH");
    assertThat(describe(verify(signed, "v=DKIM1; k=rsa; p=AAAA", edKey.replace("p=11", "p=22"))))
        .isEqualTo("permerror:KEY_MALFORMED fail:SIGNATURE_MISMATCH");
  }

  private static DkimVerification verify(byte[] message, String rsaKey, String edKey) {
    return verifier(
            new KeyRecords()
                .add("rsa._domainkey.example.com", rsaKey)
                .add("ed._domainkey.example.com", edKey))
        .build()
        .verify(message);
  }

  @Test
  void verifiesForTheServiceTypeItWasBuiltFor() {
    byte[] signed = signedBoth();
    String rsaKey = RSA.keyRecord();
    String edKey = ED25519.keyRecord();
    // RFC 8460 §3: a TLS report's key allows tlsrpt; RFC 6376 §3.6.1: s=* allows every service.
    assertThat(describe(verifyFor("tlsrpt", signed, service(rsaKey, "tlsrpt"), edKey)))
        .isEqualTo("pass pass");
    assertThat(describe(verifyFor("tlsrpt", signed, service(rsaKey, "email:tlsrpt"), edKey)))
        .isEqualTo("pass pass");
    assertThat(describe(verifyFor("TLSRPT", signed, service(rsaKey, "tlsrpt"), edKey)))
        .isEqualTo("pass pass");
    DkimVerification emailOnly = verifyFor("tlsrpt", signed, service(rsaKey, "email"), edKey);
    assertThat(describe(emailOnly)).isEqualTo("permerror:KEY_SERVICE_NOT_ALLOWED pass");
    assertThat(emailOnly.outcomes().get(0).detail()).contains("not for tlsrpt");
    // The default stays e-mail.
    assertThat(describe(verifyFor("email", signed, service(rsaKey, "tlsrpt"), edKey)))
        .isEqualTo("permerror:KEY_SERVICE_NOT_ALLOWED pass");
  }

  @Test
  void refusesServiceTypesOutsideTheGrammar() {
    DkimVerifier.Builder b = DkimVerifier.builder(keys().resolver());
    for (String bad : List.of("", "*", "-tlsrpt", "tlsrpt-", "1tlsrpt", "tls rpt", "tls;rpt")) {
      assertThatThrownBy(() -> b.serviceType(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> b.serviceType(null)).isInstanceOf(NullPointerException.class);
  }

  private static String service(String keyRecord, String services) {
    return keyRecord.replace("p=", "s=" + services + "; p=");
  }

  private static DkimVerification verifyFor(
      String serviceType, byte[] message, String rsaKey, String edKey) {
    return verifier(
            new KeyRecords()
                .add("rsa._domainkey.example.com", rsaKey)
                .add("ed._domainkey.example.com", edKey))
        .serviceType(serviceType)
        .build()
        .verify(message);
  }

  @Test
  void requiresTheExactDomainForStrictKeys() {
    byte[] signed =
        signed(
            DkimSigner.builder()
                .key(DOMAIN, "ed", ED25519)
                .identity("alice@mail.example.com")
                .clock(CLOCK)
                .build(),
            MESSAGE);
    String strict = ED25519.keyRecord().replace("p=", "t=s; p=");
    KeyRecords keys = new KeyRecords().add("ed._domainkey.example.com", strict);
    assertThat(describe(verifier(keys).build().verify(signed)))
        .isEqualTo("permerror:KEY_STRICT_IDENTITY_MISMATCH");
    assertThat(verifier(keys).build().verify(signed).outcomes().get(0).identity())
        .contains("alice@mail.example.com");
  }

  @Test
  void handlesSeveralRecordsAtTheKeyName() {
    byte[] signed =
        signed(DkimSigner.builder().key(DOMAIN, "ed", ED25519).clock(CLOCK).build(), MESSAGE);
    String name = "ed._domainkey.example.com";
    assertThat(
            describe(
                verifier(new KeyRecords().add(name, "v=spf1 -all").add(name, ED25519.keyRecord()))
                    .build()
                    .verify(signed)))
        .as("one usable record among junk")
        .isEqualTo("pass");
    assertThat(
            describe(
                verifier(
                        new KeyRecords()
                            .add(name, ED25519.keyRecord())
                            .add(name, DkimSigningKey.generateEd25519().keyRecord()))
                    .build()
                    .verify(signed)))
        .isEqualTo("permerror:KEY_AMBIGUOUS");
  }

  @Test
  void mapsDnsOutcomes() {
    byte[] signed = signedBoth();
    KeyRecords timeouts =
        new KeyRecords()
            .add("rsa._domainkey.example.com", "~~timeout~~")
            .add("ed._domainkey.example.com", "~~SERVFAIL~~");
    assertThat(describe(verifier(timeouts).build().verify(signed)))
        .isEqualTo("temperror:KEY_UNAVAILABLE temperror:KEY_UNAVAILABLE");
    KeyRecords missing = new KeyRecords().add("other._domainkey.example.com", RSA.keyRecord());
    assertThat(describe(verifier(missing).build().verify(signed)))
        .as("NXDOMAIN")
        .isEqualTo("permerror:KEY_NOT_FOUND permerror:KEY_NOT_FOUND");
    KeyRecords noTxt = new KeyRecords().add("x.rsa._domainkey.example.com", "v=DKIM1; p=");
    assertThat(describe(verifier(noTxt).build().verify(signed)))
        .as("empty non-terminal: NO_DATA")
        .startsWith("permerror:KEY_NOT_FOUND");
  }

  @Test
  void survivesAResolverThatBreaksItsContract() {
    DnsResolver broken =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return CompletableFuture.failedFuture(new IllegalStateException("bug"));
          }
        };
    assertThat(describe(DkimVerifier.builder(broken).clock(CLOCK).build().verify(signedBoth())))
        .isEqualTo("temperror:KEY_UNAVAILABLE temperror:KEY_UNAVAILABLE");
  }

  @Test
  void evaluatesAtMostTheConfiguredSignatures() {
    DkimSigner.Builder many = DkimSigner.builder().clock(CLOCK);
    KeyRecords keys = new KeyRecords();
    for (int i = 0; i < 8; i++) {
      many.key(DOMAIN, "s" + i, ED25519);
      keys.add("s" + i + "._domainkey.example.com", ED25519.keyRecord());
    }
    byte[] signed = signed(many.build(), MESSAGE);
    assertThat(describe(verifier(keys).build().verify(signed)))
        .isEqualTo(
            "pass pass pass pass pass policy:SIGNATURE_LIMIT_REACHED"
                + " policy:SIGNATURE_LIMIT_REACHED policy:SIGNATURE_LIMIT_REACHED");
    List<DkimOutcome> limited =
        verifier(keys).maxSignatures(8).maxKeyLookups(3).build().verify(signed).outcomes();
    assertThat(describe(limited))
        .isEqualTo(
            "pass pass pass policy:KEY_LOOKUP_LIMIT_REACHED policy:KEY_LOOKUP_LIMIT_REACHED"
                + " policy:KEY_LOOKUP_LIMIT_REACHED policy:KEY_LOOKUP_LIMIT_REACHED"
                + " policy:KEY_LOOKUP_LIMIT_REACHED");
    assertThat(limited.get(7).selector()).as("reported with its evidence").contains("s7");
  }

  @Test
  void sharesOneKeyLookupAmongSignaturesWithTheSameKey() {
    int[] lookups = {0};
    DnsResolver counting =
        new DnsResolver() {
          private final DnsResolver zone = keys().resolver();

          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            lookups[0]++;
            return zone.lookupAsync(query);
          }
        };
    byte[] twice =
        signed(
            DkimSigner.builder()
                .key(DOMAIN, "ed", ED25519)
                .key(DOMAIN, "ed", ED25519)
                .clock(CLOCK)
                .build(),
            MESSAGE);
    assertThat(describe(DkimVerifier.builder(counting).clock(CLOCK).build().verify(twice)))
        .isEqualTo("pass pass");
    assertThat(lookups[0]).isEqualTo(1);
  }

  @Test
  void limitsTheSignedHeaderList() {
    byte[] signed = signedBoth();
    assertThat(describe(verifier(keys()).maxSignedHeaders(10).build().verify(signed)))
        .isEqualTo("permerror:TOO_MANY_SIGNED_HEADERS permerror:TOO_MANY_SIGNED_HEADERS");
  }

  @Test
  void neverSelectsTheSignatureBeingVerified() {
    // The second signature signs the first DKIM-Signature field, as a forwarder's would.
    byte[] first =
        signed(DkimSigner.builder().key(DOMAIN, "ed", ED25519).clock(CLOCK).build(), MESSAGE);
    byte[] second =
        DkimSigner.builder()
            .key(DOMAIN, "rsa", RSA)
            .signedHeaders(List.of("From", "DKIM-Signature", "DKIM-Signature"))
            .clock(CLOCK)
            .build()
            .signMessage(first);
    assertThat(describe(verifier(keys()).build().verify(second))).isEqualTo("pass pass");
    String tampered = text(second).replaceFirst("s=ed;", "s=ed;  ");
    assertThat(describe(verifier(keys()).build().verify(bytes(tampered))))
        .as("relaxed canonicalization tolerates the extra spaces")
        .isEqualTo("pass pass");
    // Changing the inner signature breaks it and the outer one that signed it.
    String alteredFirst = text(second).replace("s=ed; t=1777636800;", "s=ed; t=1777636801;");
    assertThat(describe(verifier(keys()).build().verify(bytes(alteredFirst))))
        .isEqualTo("fail:SIGNATURE_MISMATCH fail:SIGNATURE_MISMATCH");
  }

  @Test
  void looksKeysUpWhileTheBodyIsHashed() {
    CompletableFuture<Void> dnsAnswers = new CompletableFuture<>();
    DnsResolver slow =
        new DnsResolver() {
          private final DnsResolver zone = keys().resolver();

          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return dnsAnswers.thenCompose(v -> zone.lookupAsync(query));
          }
        };
    CompletableFuture<DkimVerification> pending =
        DkimVerifier.builder(slow).clock(CLOCK).build().verifyAsync(signedBoth());
    assertThat(pending).as("waits for DNS, not the caller").isNotDone();
    dnsAnswers.complete(null);
    assertThat(describe(pending.join())).isEqualTo("pass pass");
  }

  @Test
  void sharesBodyHashingAmongSignatures() throws Exception {
    byte[] signed = signedBoth();
    MessageHeader header = MessageHeader.scan(signed, 0, signed.length, MessageHeader.Limits.NONE);
    MessageVerification both = new MessageVerification(verifier(keys()).build(), header, NOW);
    assertThat(both.bodyDigestCount())
        .as("rsa-sha256 and ed25519-sha256, both relaxed, no l=: one digest")
        .isEqualTo(1);
  }

  @Test
  void keyNamesMustFitDns() {
    String longSelector = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63);
    String field =
        "DKIM-Signature: v=1; a=rsa-sha256; d="
            + "d".repeat(50)
            + ".example.com; s="
            + longSelector
            + "; h=from; bh=AAAA; b=AAAA\r\n";
    assertThat(describe(verifier(keys()).build().verify(bytes(field + MESSAGE))))
        .isEqualTo("permerror:SIGNATURE_SYNTAX");
    assertThat(DomainName.isValid(longSelector)).isTrue();
  }

  @Test
  void verifiesWithTheLargestLimits() {
    DkimVerifier verifier =
        verifier(keys())
            .maxHeaderBytes(Integer.MAX_VALUE)
            .maxHeaderFields(Integer.MAX_VALUE)
            .maxHeaderFieldBytes(Integer.MAX_VALUE)
            .maxSignatures(Integer.MAX_VALUE)
            .maxKeyLookups(Integer.MAX_VALUE)
            .maxSignedHeaders(Integer.MAX_VALUE)
            .maxTags(Integer.MAX_VALUE)
            .build();
    byte[] message = signed(Fixtures.signer().expireAfter(Duration.ofHours(1)).build(), MESSAGE);
    assertThat(describe(verifier.verify(message))).isEqualTo("pass pass");
    assertThat(describe(verifier.verify(new ByteArrayInputStream(message)))).isEqualTo("pass pass");
  }

  /** The header limit counts the fields through the end of the last one's text, as octets. */
  @Test
  void acceptsAHeaderOfExactlyTheLimitWithEitherLineEnd() {
    DkimVerifier verifier = verifier(keys()).maxHeaderBytes(1024).build();
    for (String eol : List.of("\r\n", "\n")) {
      String from = "From: joe@example.com";
      String fields = "X-Pad: " + "x".repeat(1024 - 7 - eol.length() - from.length()) + eol + from;
      assertThat(fields).hasSize(1024);
      for (String header : List.of(fields, fields + "x")) {
        byte[] message = bytes(header + eol + eol + "body" + eol);
        String expected = header.length() == 1024 ? "none" : "permerror:HEADER_LIMIT_EXCEEDED";
        assertThat(describe(verifier.verify(message))).isEqualTo(expected);
        assertThat(describe(verifier.verify(new ByteArrayInputStream(message))))
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void refusesNonsensicalSettings() {
    DkimVerifier.Builder b = DkimVerifier.builder(keys().resolver());
    assertThatThrownBy(() -> b.maxSignatures(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxKeyLookups(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxHeaderBytes(10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxTags(13)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.minRsaKeyBits(8192).maxRsaKeyBits(4096).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
