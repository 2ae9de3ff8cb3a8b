package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.dkim.Fixtures.CLOCK;
import static org.mailauth4j.dkim.Fixtures.DOMAIN;
import static org.mailauth4j.dkim.Fixtures.ED25519;
import static org.mailauth4j.dkim.Fixtures.MESSAGE;
import static org.mailauth4j.dkim.Fixtures.bytes;
import static org.mailauth4j.dkim.Fixtures.keys;
import static org.mailauth4j.dkim.Fixtures.verifier;

import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;

/**
 * Refused input and DNS failures while fetching keys go to {@link System.Logger}: per-message
 * refusals at DEBUG, what an operator must fix at WARNING; never message contents, only sizes,
 * domains, selectors and problem names.
 */
class DkimLoggingTest {
  private static final String SECRET = "Are you hungry yet?"; // in every test message's body

  @Test
  void logsAnOversizedHeaderAtDebugWithoutItsContents() {
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    byte[] huge = bytes("Subject: secret-" + "x".repeat(100_000) + "\r\n\r\n" + SECRET + "\r\n");
    verifier(keys()).logger(log).build().verify(huge);
    assertThat(log.records)
        .containsExactly(
            "DEBUG DKIM: message refused, HEADER_LIMIT_EXCEEDED: "
                + "a header field longer than 65536 octets");
  }

  @Test
  void logsSignaturesBeyondTheLimitOncePerMessage() {
    DkimSigner.Builder many = DkimSigner.builder().clock(CLOCK);
    KeyRecords keys = new KeyRecords();
    for (int i = 0; i < 8; i++) {
      many.key(DOMAIN, "s" + i, ED25519);
      keys.add("s" + i + "._domainkey.example.com", ED25519.keyRecord());
    }
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    verifier(keys).logger(log).build().verify(many.build().signMessage(bytes(MESSAGE)));
    assertThat(log.records)
        .containsExactly(
            "DEBUG DKIM: 3 of 8 signatures not evaluated, SIGNATURE_LIMIT_REACHED (limit 5)");
  }

  @Test
  void logsTooManyTagsWithDomainAndSelectorButNoTags() {
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    String field =
        "DKIM-Signature: "
            + LinearParsingTest.signatureWithTags(100).replace("s=s1", "s=rsa")
            + "\r\n";
    verifier(keys()).logger(log).build().verify(bytes(field + MESSAGE));
    assertThat(log.records)
        .containsExactly(
            "DEBUG DKIM: signature refused, TOO_MANY_TAGS (d=example.com, s=rsa):"
                + " the DKIM-Signature has more than 64 tags");
  }

  @Test
  void logsPolicyRefusalsWithTheKeyName() {
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    byte[] signed = Fixtures.signer().build().signMessage(bytes(MESSAGE));
    verifier(keys()).minRsaKeyBits(3072).logger(log).build().verify(signed);
    assertThat(log.records)
        .containsExactly(
            "DEBUG DKIM: signature refused, KEY_SIZE_NOT_ALLOWED (d=example.com, s=rsa): the RSA"
                + " key at rsa._domainkey.example.com has 2048 bits; allowed are 3072 to 8192");
  }

  @Test
  void logsTemporaryDnsFailuresAtDebug() {
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    KeyRecords keys =
        new KeyRecords()
            .add("rsa._domainkey.example.com", "~~timeout~~")
            .add("ed._domainkey.example.com", "~~SERVFAIL~~");
    verifier(keys)
        .logger(log)
        .build()
        .verify(Fixtures.signer().build().signMessage(bytes(MESSAGE)));
    assertThat(log.records)
        .containsExactlyInAnyOrder(
            "DEBUG DKIM: key lookup of rsa._domainkey.example.com failed temporarily: TIMEOUT",
            "DEBUG DKIM: key lookup of ed._domainkey.example.com failed temporarily:"
                + " SERVER_FAILURE");
  }

  @Test
  void warnsWhenTheResolverBreaksItsContract() {
    // DnsResolver futures complete normally, a TEMP_FAIL answer included: a failed one is a bug
    // in the resolver the operator configured.
    DnsResolver broken =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return CompletableFuture.failedFuture(new IllegalStateException("bug"));
          }
        };
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    byte[] signed =
        DkimSigner.builder()
            .key(DOMAIN, "ed", ED25519)
            .clock(CLOCK)
            .build()
            .signMessage(bytes(MESSAGE));
    DkimVerifier.builder(broken).clock(CLOCK).logger(log).build().verify(signed);
    assertThat(log.records)
        .containsExactly(
            "WARNING DKIM: the DNS resolver failed instead of answering for"
                + " ed._domainkey.example.com: java.lang.IllegalStateException: bug");
  }

  @Test
  void logsNothingForMessagesThatVerifyOrFailOnTheirMerits() {
    RecordingLogger log = new RecordingLogger(Level.DEBUG);
    DkimVerifier verifier = verifier(keys()).logger(log).build();
    byte[] signed = Fixtures.signer().build().signMessage(bytes(MESSAGE));
    verifier.verify(signed);
    verifier.verify(
        bytes(
            new String(signed, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("hungry", "Hungry")));
    verifier.verify(bytes("DKIM-Signature: v=1; d=example.com; b=!!\r\n" + MESSAGE));
    verifier.verify(bytes(MESSAGE));
    assertThat(log.records).isEmpty();
  }

  @Test
  void asksTheLoggerBeforeFormattingAnything() {
    RecordingLogger log = new RecordingLogger(Level.INFO);
    KeyRecords keys = new KeyRecords().add("ed._domainkey.example.com", "~~timeout~~");
    byte[] signed = Fixtures.signer().build().signMessage(bytes(MESSAGE));
    verifier(keys).minRsaKeyBits(3072).logger(log).build().verify(signed);
    verifier(keys)
        .logger(log)
        .build()
        .verify(bytes("Subject: " + "x".repeat(100_000) + "\r\n\r\n"));
    assertThat(log.records).isEmpty();
    assertThat(log.logCalls).as("log() called although DEBUG is off").isZero();
  }

  @Test
  void usesTheVerifiersClassNameByDefault() {
    assertThat(DkimVerifier.defaultLogger().getName()).isEqualTo(DkimVerifier.class.getName());
  }

  /** Keeps what is logged at or above a level, as "LEVEL message". */
  static final class RecordingLogger implements System.Logger {
    final List<String> records = new ArrayList<>();
    final Level threshold;
    int logCalls;

    RecordingLogger(Level threshold) {
      this.threshold = threshold;
    }

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= threshold.getSeverity();
    }

    @Override
    public synchronized void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      logCalls++;
      if (isLoggable(level)) {
        records.add(level + " " + msg);
        assertThat(msg).doesNotContain(SECRET, "secret-", "x0=");
      }
    }

    @Override
    public synchronized void log(
        Level level, ResourceBundle bundle, String format, Object... params) {
      log(
          level,
          bundle,
          params == null ? format : MessageFormat.format(format, params),
          (Throwable) null);
    }
  }
}
