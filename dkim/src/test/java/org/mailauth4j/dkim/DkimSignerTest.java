package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.dkim.Fixtures.CLOCK;
import static org.mailauth4j.dkim.Fixtures.DOMAIN;
import static org.mailauth4j.dkim.Fixtures.ED25519;
import static org.mailauth4j.dkim.Fixtures.MESSAGE;
import static org.mailauth4j.dkim.Fixtures.RSA;
import static org.mailauth4j.dkim.Fixtures.bytes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.TestEnvironment;

class DkimSignerTest {

  private static String golden(String name) throws IOException {
    try (InputStream in = DkimSignerTest.class.getResourceAsStream("/dkim/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void writesTheExpectedEd25519Signature() throws IOException {
    // Ed25519 is deterministic, so with a fixed clock the whole field is fixed.
    List<String> fields =
        DkimSigner.builder().key(DOMAIN, "ed", ED25519).clock(CLOCK).build().sign(bytes(MESSAGE));
    assertThat(fields).containsExactly(golden("ed25519-relaxed.field"));
  }

  @Test
  void writesTheExpectedRsaSignatureWithSimpleCanonicalization() throws IOException {
    Path dkimpy = TestEnvironment.conformance("dkim/dkimpy");
    DkimSigningKey key = DkimSigningKey.fromPem(Files.readString(dkimpy.resolve("test.private")));
    List<String> fields =
        DkimSigner.builder()
            .key(DOMAIN, "test", key)
            .allowRsaKeysUnder2048(true)
            .canonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE)
            .expireAfter(Duration.ofDays(7))
            .identity("joe@mail.example.com")
            .signBodyLength(true)
            .clock(CLOCK)
            .build()
            .sign(bytes(MESSAGE));
    assertThat(fields).containsExactly(golden("rsa-simple-all-tags.field"));
  }

  @Test
  void signsWithEveryKeyInOrder() {
    List<String> fields = Fixtures.signer().build().sign(bytes(MESSAGE));
    assertThat(fields).hasSize(2);
    assertThat(fields.get(0)).contains("a=rsa-sha256", "s=rsa;");
    assertThat(fields.get(1)).contains("a=ed25519-sha256", "s=ed;");
    for (String field : fields) {
      assertThat(field).startsWith("DKIM-Signature: v=1; ").endsWith("\r\n").doesNotContain("l=");
      for (String line : field.split("\r\n")) {
        assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
      }
    }
  }

  @Test
  void overSignsTheImportantFields() {
    String field =
        DkimSigner.builder()
            .key(DOMAIN, "ed", ED25519)
            .clock(CLOCK)
            .build()
            .sign(bytes(MESSAGE))
            .get(0);
    String h = parse(field).signedHeaders().toString();
    // Present fields once each, plus one more for the over-signed ones, present or not.
    assertThat(h)
        .isEqualTo(
            "[From, From, Reply-To, Subject, Subject, Date, Date, To, To, Cc, Message-ID,"
                + " Message-ID, List-Id, List-Unsubscribe, List-Unsubscribe-Post]");
    String plain =
        DkimSigner.builder()
            .key(DOMAIN, "ed", ED25519)
            .overSignedHeaders(List.of())
            .signedHeaders(List.of("Subject", "X-Missing"))
            .clock(CLOCK)
            .build()
            .sign(bytes(MESSAGE))
            .get(0);
    assertThat(parse(plain).signedHeaders())
        .as("From is always signed; absent fields are not listed")
        .containsExactly("From", "Subject");
  }

  @Test
  void producesTheSameFieldsFromEveryInputForm() {
    DkimSigner signer = Fixtures.signer().build();
    byte[] message = bytes(MESSAGE);
    List<String> fromArray = signer.sign(message);
    assertThat(signer.sign(new ByteArrayInputStream(message))).isEqualTo(fromArray);
    assertThat(signer.sign(ByteBuffer.wrap(message))).isEqualTo(fromArray);
    ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();
    assertThat(signer.sign(direct)).isEqualTo(fromArray);
    assertThat(direct.position()).isZero();
    byte[] padded = new byte[message.length + 10];
    System.arraycopy(message, 0, padded, 5, message.length);
    assertThat(signer.sign(padded, 5, message.length)).isEqualTo(fromArray);
  }

  @Test
  void findsTheSameEmptyLineEndingTheHeaderInEveryInputForm() {
    // RFC 5322 §2.1: a line of CR CR LF is not empty, so From below it is still in the header.
    DkimSigner signer = Fixtures.signer().build();
    byte[] message = bytes("X-Note: a\r\n\r\r\n" + MESSAGE);
    assertThat(signer.sign(new ByteArrayInputStream(message))).isEqualTo(signer.sign(message));
  }

  @Test
  void capsAnExpirationBeyondTwelveDigits() {
    // RFC 6376 §3.5: x= is 1*12DIGIT; 999999999999 is in the year 33658, as good as never.
    for (Duration validity :
        List.of(Duration.ofDays(365L * 40_000), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))) {
      String field = Fixtures.signer().expireAfter(validity).build().sign(bytes(MESSAGE)).get(0);
      assertThat(field).as("%s", validity).contains("x=999999999999;");
    }
  }

  @Test
  void treatsBareLineFeedsAsCrlf() {
    DkimSigner signer = Fixtures.signer().build();
    assertThat(signer.sign(bytes(MESSAGE.replace("\r\n", "\n"))))
        .isEqualTo(signer.sign(bytes(MESSAGE)));
  }

  @Test
  void publishesTheKeyRecords() {
    assertThat(ED25519.keyRecord())
        .isEqualTo("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    assertThat(ED25519.algorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
    assertThat(RSA.keyRecord()).startsWith("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A");
    assertThat(RSA.bits()).isEqualTo(2048);
    String zone = RSA.zoneFileRecord(DOMAIN, "s2026");
    assertThat(zone).startsWith("s2026._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=");
    // The zone line loads back as the same record.
    KeyRecords fromZone = new KeyRecords();
    assertThat(
            org.mailauth4j.dns.ZoneFileResolver.fromZoneText(zone)
                .lookup(
                    org.mailauth4j.dns.DnsQuery.txt(
                        DomainName.parse("s2026._domainkey.example.com")))
                .records()
                .get(0)
                .text())
        .isEqualTo(RSA.keyRecord());
    assertThat(fromZone).isNotNull();
    assertThat(RSA.toString()).isEqualTo("DkimSigningKey[rsa-sha256, 2048 bits]");
  }

  @Test
  void readsKeysInEveryPemForm() throws Exception {
    Path dkimpy = TestEnvironment.conformance("dkim/dkimpy");
    DkimSigningKey pkcs1 = DkimSigningKey.fromPem(Files.readString(dkimpy.resolve("test.private")));
    assertThat(pkcs1.bits()).isEqualTo(1024);
    assertThat(pkcs1.keyRecord())
        .isEqualTo(
            "v=DKIM1; k=rsa; p="
                + Files.readString(dkimpy.resolve("test.txt")).strip().replaceAll(".*p=", ""));

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    DkimSigningKey pkcs8 =
        DkimSigningKey.fromPem(pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    assertThat(pkcs8.keyRecord()).isEqualTo(DkimSigningKey.of(pair).keyRecord());
    assertThat(DkimSigningKey.of(pair.getPrivate()).keyRecord()).isEqualTo(pkcs8.keyRecord());

    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    DkimSigningKey edPem = DkimSigningKey.fromPem(pem("PRIVATE KEY", ed.getPrivate().getEncoded()));
    assertThat(edPem.algorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
    byte[] spki = ed.getPublic().getEncoded();
    String raw = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(spki, 12, 44));
    assertThat(edPem.keyRecord()).isEqualTo("v=DKIM1; k=ed25519; p=" + raw);
    assertThat(DkimSigningKey.of(ed.getPrivate()).keyRecord()).isEqualTo(edPem.keyRecord());
  }

  @Test
  void writesKeysAsPkcs8PemThatReadsBackAndThatTheJdkReads() throws Exception {
    Path dkimpy = TestEnvironment.conformance("dkim/dkimpy");
    DkimSigningKey pkcs1 = DkimSigningKey.fromPem(Files.readString(dkimpy.resolve("test.private")));
    for (DkimSigningKey key :
        List.of(DkimSigningKey.generateRsa(2048), DkimSigningKey.generateEd25519(), pkcs1)) {
      String pem = key.toPem();
      assertThat(pem)
          .startsWith("-----BEGIN PRIVATE KEY-----")
          .endsWith("-----END PRIVATE KEY-----\n");
      DkimSigningKey back = DkimSigningKey.fromPem(pem);
      assertThat(back.keyRecord()).as("%s", key).isEqualTo(key.keyRecord());
      assertThat(back.algorithm()).isEqualTo(key.algorithm());

      byte[] der =
          Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      String jca = key.algorithm() == DkimAlgorithm.RSA_SHA256 ? "RSA" : "Ed25519";
      assertThat(
              java.security.KeyFactory.getInstance(jca)
                  .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der)))
          .isNotNull();
    }
    assertThat(DkimSigningKey.generateEd25519().toString()).doesNotContain("PRIVATE");
  }

  @Test
  void refusesWhatCannotMakeAGoodSignature() throws Exception {
    assertThatThrownBy(() -> DkimSigningKey.fromPem("not pem at all"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DkimSigningKey.fromPem(pem("PUBLIC KEY", RSA_PUBLIC())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no private key");
    KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
    assertThatThrownBy(() -> DkimSigningKey.of(ec.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA or Ed25519");
    assertThatThrownBy(() -> DkimSigningKey.ofEd25519Seed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DkimSigningKey.generateRsa(512))
        .isInstanceOf(IllegalArgumentException.class);

    Path dkimpy = TestEnvironment.conformance("dkim/dkimpy");
    DkimSigningKey short1024 =
        DkimSigningKey.fromPem(Files.readString(dkimpy.resolve("test.private")));
    assertThatThrownBy(() -> DkimSigner.builder().key(DOMAIN, "s", short1024).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1024 bits");
    assertThatThrownBy(() -> DkimSigner.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> DkimSigner.builder().key(DOMAIN, "ed", ED25519).identity("@example.org").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not within");
    assertThatThrownBy(() -> DkimSigner.builder().key(DOMAIN, "bad selector", ED25519))
        .isInstanceOf(IllegalArgumentException.class);
    DkimSigner signer = DkimSigner.builder().key(DOMAIN, "ed", ED25519).build();
    assertThatThrownBy(() -> signer.sign(bytes("To: x@example.com\r\n\r\nno From\r\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("From");
  }

  /** Parses a whole DKIM-Signature field as the signer returns it, CRLF included. */
  static DkimSignature parse(String field) {
    return DkimSignature.parse(field.substring(field.indexOf(':') + 1).stripTrailing());
  }

  private static byte[] RSA_PUBLIC() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    return rsa.generateKeyPair().getPublic().getEncoded();
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @Test
  void refusesSelectorsAndIdentitiesThatAreNotLettersDigitsHyphens() {
    // RFC 6376 §3.5: the verifier refuses these, so the signer must not make them.
    for (String selector : List.of("a+b", "a@b", "s1.", "-s1", "s1-", "a..b", "")) {
      assertThatThrownBy(() -> DkimSigner.builder().key(DOMAIN, selector, ED25519))
          .as(selector)
          .isInstanceOf(IllegalArgumentException.class);
    }
    DkimSigner.builder().key(DOMAIN, "_2026_eu-1", ED25519); // underscores are allowed
    assertThatThrownBy(() -> DkimSigner.builder().identity("joe@a+b.example.com"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
