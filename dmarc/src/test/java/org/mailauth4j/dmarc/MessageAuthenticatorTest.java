package org.mailauth4j.dmarc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfResult;

/** The one-call authentication of whole messages, over one zone. */
class MessageAuthenticatorTest {
  private static final DkimSigningKey KEY = DkimSigningKey.generateEd25519();
  private static final InetAddress CLIENT = address("192.0.2.25");

  private static final String ZONE =
      """
      example.com. TXT "v=spf1 ip4:192.0.2.25 -all"
      _dmarc.example.com. TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
      mail.example.com. A 192.0.2.25
      mail.example.com. TXT "v=spf1 a -all"
      bounces.example.net. TXT "v=spf1 ip4:192.0.2.25 -all"
      """
          + "ed._domainkey.example.com. TXT \""
          + KEY.keyRecord()
          + "\"\n";

  private static final DnsResolver DNS = ZoneFileResolver.builder().zone(ZONE).build();

  private static final MessageAuthenticator AUTHENTICATOR =
      MessageAuthenticator.builder(DNS, "mx.example.org").build();

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] message(String from) {
    return ("From: "
            + from
            + "\r\nTo: b@example.org\r\nSubject: hello\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n"
            + "Message-ID: <m1@example.com>\r\n\r\nHello.\r\n")
        .getBytes(UTF_8);
  }

  private static byte[] signed(String from) {
    return DkimSigner.builder()
        .key(DomainName.parse("example.com"), "ed", KEY)
        .build()
        .signMessage(message(from));
  }

  @Test
  void aSignedMessageFromAnAuthorizedHostPassesEverything() {
    MessageAuthentication result =
        AUTHENTICATOR.authenticate(
            signed("Alice <alice@example.com>"), CLIENT, "mail.example.com", "alice@example.com");
    assertThat(result.spf().result()).isEqualTo(SpfResult.PASS);
    assertThat(result.dkim().result()).isEqualTo(DkimResult.PASS);
    assertThat(result.dmarc().result()).isEqualTo(DmarcResult.PASS);
    AuthenticationResults ar = result.authenticationResults();
    assertThat(ar.authservId()).isEqualTo("mx.example.org");
    assertThat(ar.results("spf"))
        .singleElement()
        .satisfies(r -> assertThat(r.result()).isEqualTo("pass"));
    assertThat(ar.results("dkim"))
        .singleElement()
        .satisfies(r -> assertThat(r.property("header", "d")).contains("example.com"));
    AuthResult dmarc = ar.results("dmarc").get(0);
    assertThat(dmarc.result()).isEqualTo("pass");
    assertThat(dmarc.property("header", "from")).contains("example.com");
    assertThat(dmarc.property("policy", "dmarc")).contains("reject");
    // the field reads back as it was written
    assertThat(AuthenticationResults.parse(ar.field())).isEqualTo(ar);
  }

  @Test
  void aStreamedMessageGivesTheSameResult() {
    byte[] message = signed("alice@example.com");
    MessageAuthentication fromBytes =
        AUTHENTICATOR.authenticate(message, CLIENT, "mail.example.com", "alice@example.com");
    MessageAuthentication fromStream =
        AUTHENTICATOR.authenticate(
            new ByteArrayInputStream(message), CLIENT, "mail.example.com", "alice@example.com");
    assertThat(fromStream.authenticationResults()).isEqualTo(fromBytes.authenticationResults());
    assertThat(fromStream.dmarc().result()).isEqualTo(DmarcResult.PASS);
  }

  @Test
  void anUnalignedEnvelopeAndNoSignatureFail() {
    MessageAuthentication result =
        AUTHENTICATOR.authenticate(
            message("alice@example.com"), CLIENT, "mail.example.com", "x@bounces.example.net");
    assertThat(result.spf().result()).isEqualTo(SpfResult.PASS);
    assertThat(result.dkim().result()).isEqualTo(DkimResult.NONE);
    assertThat(result.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(result.dmarc().appliedPolicy()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(result.authenticationResults().value()).contains("dkim=none").contains("dmarc=fail");
  }

  @Test
  void aNullSenderIsCheckedWithItsHeloName() {
    MessageAuthentication result =
        AUTHENTICATOR.authenticate(message("alice@example.com"), CLIENT, "mail.example.com", "");
    assertThat(result.spf().result()).isEqualTo(SpfResult.PASS);
    assertThat(result.dmarc().result()).isEqualTo(DmarcResult.PASS);
  }

  @Test
  void aMessageWithoutFromIsAPermerror() {
    byte[] message = "To: b@example.org\r\nSubject: x\r\n\r\nbody\r\n".getBytes(UTF_8);
    MessageAuthentication result =
        AUTHENTICATOR.authenticate(message, CLIENT, "mail.example.com", "alice@example.com");
    assertThat(result.dmarc().result()).isEqualTo(DmarcResult.PERMERROR);
    assertThat(result.dmarc().author().status()).isEqualTo(AuthorDomains.Status.NO_FROM_FIELD);
    assertThat(result.authenticationResults().value()).contains("dmarc=permerror");
  }

  @Test
  void aHeaderOverTheLimitsIsRefusedWithoutReadingFrom() {
    MessageAuthenticator small =
        MessageAuthenticator.builder(DNS, "mx.example.org")
            .dkimVerifier(DkimVerifier.builder(DNS).maxHeaderBytes(1024).build())
            .build();
    StringBuilder header = new StringBuilder("From: alice@example.com\r\n");
    for (int i = 0; i < 100; i++) {
      header.append("X-Filler-").append(i).append(": ").append("x".repeat(60)).append("\r\n");
    }
    byte[] message = (header + "\r\nbody\r\n").getBytes(UTF_8);
    MessageAuthentication result =
        small.authenticate(message, CLIENT, "mail.example.com", "alice@example.com");
    assertThat(result.dkim().header()).isEmpty();
    assertThat(result.dmarc().result()).isEqualTo(DmarcResult.PERMERROR);
  }

  @Test
  void oneAuthenticatorServesManyThreadsAlike() throws Exception {
    MessageAuthenticator shared =
        MessageAuthenticator.builder(
                org.mailauth4j.dns.CachingDnsResolver.builder(DNS).build(), "mx.example.org")
            .build();
    List<byte[]> messages =
        List.of(
            signed("alice@example.com"),
            message("alice@example.com"),
            signed("Bob <bob@mail.example.com>"),
            message("x@unknown.example.net"));
    List<String> expected = new ArrayList<>();
    for (byte[] m : messages) {
      expected.add(
          shared
              .authenticate(m, CLIENT, "mail.example.com", "a@example.com")
              .authenticationResults()
              .value());
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 800; i++) {
        byte[] m = messages.get(i % messages.size());
        results.add(
            pool.submit(
                () ->
                    shared
                        .authenticateAsync(m, CLIENT, "mail.example.com", "a@example.com")
                        .get()
                        .authenticationResults()
                        .value()));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(expected.get(i % messages.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAuthservIdThatCannotBeWrittenIsRefusedAtOnce() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessageAuthenticator.builder(DNS, ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void spfAndDkimStartTogether() {
    // a resolver that holds every answer until both an SPF and a DKIM key query have arrived
    AtomicInteger txt = new AtomicInteger();
    CompletableFuture<Void> bothAsked = new CompletableFuture<>();
    DnsResolver gate =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            String name = query.name().toString();
            if (name.equals("example.com") || name.equals("ed._domainkey.example.com")) {
              if (txt.incrementAndGet() == 2) {
                bothAsked.complete(null);
              }
            }
            return bothAsked
                .orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                .thenCompose(v -> DNS.lookupAsync(query));
          }
        };
    MessageAuthentication result =
        MessageAuthenticator.builder(gate, "mx.example.org")
            .build()
            .authenticate(signed("alice@example.com"), CLIENT, "mail.example.com", "a@example.com");
    assertThat(result.dmarc().result()).isEqualTo(DmarcResult.PASS);
  }
}
