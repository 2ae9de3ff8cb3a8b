package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Named.named;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dane.TlsaRecord.CertificateUsage;
import org.mailauth4j.dane.TlsaRecord.MatchingType;
import org.mailauth4j.dane.TlsaRecord.Selector;
import org.mailauth4j.testkit.TestPki;

/** TLSA records (RFC 6698 §2): presentation form, RDATA, usability for SMTP, and matching. */
class TlsaRecordTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final TestPki PKI =
      new TestPki("Record Test CA", NOW.minusSeconds(86400), NOW.plusSeconds(86400 * 365));
  private static final TestPki.Identity SERVER =
      PKI.issue(List.of("mx.example.test"), NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 90));
  private static final TestPki.Identity OTHER =
      PKI.issue(List.of("mx.example.test"), NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 90));

  private static final String SHA256 =
      "0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6";

  static Stream<Arguments> wellFormed() {
    return Stream.of(
        parsed("the RFC 7671 example", "3 1 1 " + SHA256, 3, 1, 1, SHA256),
        parsed("upper-case hex", "3 1 1 " + SHA256.toUpperCase(), 3, 1, 1, SHA256),
        parsed("mixed-case hex", "2 0 1 aBcD", 2, 0, 1, "abcd"),
        parsed("hex split by spaces", "3 1 1 0c72 ac70 b745", 3, 1, 1, "0c72ac70b745"),
        parsed("hex split by tab, CR and LF", "3 1 1 0c\t72\r\nac", 3, 1, 1, "0c72ac"),
        parsed("a digit pair split by a space", "3 1 1 0 c72", 3, 1, 1, "0c72"),
        parsed("tabs between the fields", "3\t0\t0\t00ff", 3, 0, 0, "00ff"),
        parsed("white space around the record", "  3 1 1 ab  ", 3, 1, 1, "ab"),
        parsed("several spaces between fields", "2   1    0     abcd", 2, 1, 0, "abcd"),
        parsed("leading zeros", "003 01 0002 ab", 3, 1, 2, "ab"),
        parsed("many leading zeros", "0000000003 1 1 ab", 3, 1, 1, "ab"),
        parsed("the largest field values", "255 255 255 00", 255, 255, 255, "00"),
        parsed("the smallest field values", "0 0 0 00", 0, 0, 0, "00"),
        parsed("PKIX-TA, kept as published", "0 0 1 " + SHA256, 0, 0, 1, SHA256));
  }

  private static Arguments parsed(
      String name, String text, int usage, int selector, int matchingType, String hex) {
    return Arguments.of(named(name, text), usage, selector, matchingType, hex);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wellFormed")
  void parsesPresentationForm(String text, int usage, int selector, int type, String hex) {
    TlsaRecord record = TlsaRecord.parse(text);
    assertThat(record.usage()).isEqualTo(usage);
    assertThat(record.selector()).isEqualTo(selector);
    assertThat(record.matchingType()).isEqualTo(type);
    assertThat(HEX.formatHex(record.data())).isEqualTo(hex);
    assertThat(record.toText()).isEqualTo(usage + " " + selector + " " + type + " " + hex);
    assertThat(TlsaRecord.parse(record.toText())).isEqualTo(record);
    assertThat(record).hasToString(record.toText());
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        refused("empty", "", 0, "decimal number, field 1"),
        refused("only white space", "   ", 3, "decimal number, field 1"),
        refused("one field", "3", 1, "decimal number, field 2"),
        refused("two fields", "3 1", 3, "decimal number, field 3"),
        refused("three fields, no data", "3 1 1", 5, "no certificate association data"),
        refused("three fields and white space", "3 1 1   ", 8, "no certificate association data"),
        refused("a negative usage", "-3 1 1 ab", 0, "decimal number, field 1"),
        refused("a letter for the selector", "3 x 1 ab", 2, "decimal number, field 2"),
        refused("usage 256", "256 1 1 ab", 0, "field 1 exceeds 255"),
        refused("selector 1000", "3 1000 1 ab", 2, "field 2 exceeds 255"),
        refused("matching type 99999", "3 1 99999 ab", 4, "field 3 exceeds 255"),
        refused("a field of many digits", "3 1 " + "9".repeat(40) + " ab", 4, "exceeds 255"),
        refused("no space after a field", "3x 1 1 ab", 1, "white space after field 1"),
        refused("a comma between fields", "3,1,1 ab", 1, "white space after field 1"),
        refused("a non-hex letter", "3 1 1 abg0", 8, "hexadecimal digit"),
        refused("a hex prefix", "3 1 1 0xab", 7, "hexadecimal digit"),
        refused("a no-break space", "3 1 1 ab\u00a0cd", 8, "hexadecimal digit"),
        refused("Arabic-Indic digits", "3 1 1 ab\u0660\u0661", 8, "hexadecimal digit"),
        refused("full-width digits", "3 1 1 \uff10\uff11", 6, "hexadecimal digit"),
        refused("full-width letters", "3 1 1 ab\uff41\uff42", 8, "hexadecimal digit"),
        refused("an odd number of digits", "3 1 1 abc", 9, "odd number"),
        refused("an odd number split by space", "3 1 1 ab c", 10, "odd number"),
        refused("the RFC 3597 generic form", "\\# 4 03010100", 0, "decimal number, field 1"));
  }

  private static Arguments refused(String name, String text, int index, String reason) {
    return Arguments.of(named(name, text), index, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesMalformedText(String text, int index, String reason) {
    DaneSyntaxException e =
        catchThrowableOfType(DaneSyntaxException.class, () -> TlsaRecord.parse(text));
    assertThat(e).as("refused: %s", text).isNotNull();
    assertThat(e.input()).isEqualTo(text);
    assertThat(e.reason()).contains(reason);
    assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(index);
  }

  static Stream<Arguments> rdata() {
    return Stream.of(
        Arguments.of(named("3 1 1 and a digest", "030101" + SHA256)),
        Arguments.of(named("the largest fields, one octet", "ffffff00")),
        Arguments.of(named("the smallest RDATA", "00000000")),
        Arguments.of(named("unassigned values", "04020300ff")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rdata")
  void roundTripsRdata(String hex) {
    byte[] rdata = HEX.parseHex(hex);
    TlsaRecord record = TlsaRecord.fromRdata(rdata);
    assertThat(record.usage()).isEqualTo(rdata[0] & 0xff);
    assertThat(record.selector()).isEqualTo(rdata[1] & 0xff);
    assertThat(record.matchingType()).isEqualTo(rdata[2] & 0xff);
    assertThat(HEX.formatHex(record.data())).isEqualTo(hex.substring(6));
    assertThat(record.toRdata()).isEqualTo(rdata);
    assertThat(TlsaRecord.parse(record.toText())).isEqualTo(record);
    assertThat(TlsaRecord.fromRdata(TlsaRecord.parse(record.toText()).toRdata())).isEqualTo(record);
    rdata[3] ^= 1;
    assertThat(record.toRdata()).as("a copy of the input is kept").isNotEqualTo(rdata);
  }

  @Test
  void refusesRdataWithoutData() {
    for (int length = 0; length < 4; length++) {
      byte[] rdata = new byte[length];
      assertThatThrownBy(() -> TlsaRecord.fromRdata(rdata))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(length + " octets");
    }
  }

  @Test
  void fieldsAreOctets() {
    byte[] data = {1};
    assertThatThrownBy(() -> TlsaRecord.of(-1, 1, 1, data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("usage");
    assertThatThrownBy(() -> TlsaRecord.of(3, 256, 1, data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("selector");
    assertThatThrownBy(() -> TlsaRecord.of(3, 1, 256, data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matching type");
    // RFC 6698 §2.1: fromRdata and parse both need association data; so does of, else its
    // toText() would not read back.
    assertThatThrownBy(() -> TlsaRecord.of(3, 1, 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("association data");
    assertThat(TlsaRecord.of(255, 255, 255, data).toText()).isEqualTo("255 255 255 01");
  }

  @Test
  void dataIsCopiedInAndOut() {
    byte[] data = {1, 2, 3};
    TlsaRecord record = TlsaRecord.of(3, 0, 0, data);
    data[0] = 9;
    assertThat(record.data()).containsExactly(1, 2, 3);
    record.data()[1] = 9;
    assertThat(record.data()).containsExactly(1, 2, 3);
  }

  static Stream<Arguments> usability() {
    String d32 = "ab".repeat(32);
    String d64 = "cd".repeat(64);
    return Stream.of(
        usable("DANE-EE SPKI SHA2-256", "3 1 1 " + d32),
        usable("DANE-EE SPKI SHA2-512", "3 1 2 " + d64),
        usable("DANE-EE certificate SHA2-256", "3 0 1 " + d32),
        usable("DANE-EE certificate full", "3 0 0 " + "30".repeat(300)),
        usable("DANE-EE SPKI full", "3 1 0 3059"),
        usable("DANE-TA SPKI SHA2-256", "2 1 1 " + d32),
        usable("DANE-TA certificate SHA2-512", "2 0 2 " + d64),
        usable("DANE-TA SPKI full", "2 1 0 30"),
        unusable("PKIX-TA", "0 0 1 " + d32, "usage 0 (PKIX_TA) is not used for SMTP"),
        unusable("PKIX-EE", "1 1 1 " + d32, "usage 1 (PKIX_EE) is not used for SMTP"),
        unusable("usage 4", "4 1 1 " + d32, "unassigned certificate usage 4"),
        unusable("usage 255", "255 1 1 " + d32, "unassigned certificate usage 255"),
        unusable("selector 2", "3 2 1 " + d32, "unassigned selector 2"),
        unusable("selector 255", "2 255 1 " + d32, "unassigned selector 255"),
        unusable("matching type 3", "3 1 3 " + d32, "unassigned matching type 3"),
        unusable("matching type 255", "2 0 255 " + d32, "unassigned matching type 255"),
        unusable("SHA2-256 one octet short", "3 1 1 " + "ab".repeat(31), "31 octets; 32"),
        unusable("SHA2-256 one octet long", "3 1 1 " + "ab".repeat(33), "33 octets; 32"),
        unusable("SHA2-256 with a SHA2-512 digest", "2 0 1 " + d64, "64 octets; 32"),
        unusable("SHA2-512 with a SHA2-256 digest", "3 1 2 " + d32, "32 octets; 64"),
        unusable("SHA2-512 of one octet", "2 1 2 00", "1 octets; 64"));
  }

  private static Arguments usable(String name, String text) {
    return Arguments.of(named(name, text), Optional.empty());
  }

  private static Arguments unusable(String name, String text, String why) {
    return Arguments.of(named(name, text), Optional.of(why));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usability")
  void tellsWhetherSmtpUsesIt(String text, Optional<String> why) {
    TlsaRecord record = TlsaRecord.parse(text);
    assertThat(record.usable()).isEqualTo(why.isEmpty());
    assertThat(record.whyUnusable().isEmpty()).isEqualTo(why.isEmpty());
    why.ifPresent(w -> assertThat(record.whyUnusable()).get().asString().contains(w));
  }

  @Test
  void knowsTheRegistries() {
    TlsaRecord record = TlsaRecord.parse("3 1 2 00");
    assertThat(record.knownUsage()).contains(CertificateUsage.DANE_EE);
    assertThat(record.knownSelector()).contains(Selector.SPKI);
    assertThat(record.knownMatchingType()).contains(MatchingType.SHA2_512);
    TlsaRecord unknown = TlsaRecord.parse("4 2 3 00");
    assertThat(unknown.knownUsage()).isEmpty();
    assertThat(unknown.knownSelector()).isEmpty();
    assertThat(unknown.knownMatchingType()).isEmpty();
    for (CertificateUsage u : CertificateUsage.values()) {
      assertThat(CertificateUsage.of(u.code())).contains(u);
    }
    for (Selector s : Selector.values()) {
      assertThat(Selector.of(s.code())).contains(s);
    }
    for (MatchingType m : MatchingType.values()) {
      assertThat(MatchingType.of(m.code())).contains(m);
    }
    assertThat(List.of(CertificateUsage.values()).stream().map(CertificateUsage::code))
        .containsExactly(0, 1, 2, 3);
    assertThat(List.of(Selector.values()).stream().map(Selector::code)).containsExactly(0, 1);
    assertThat(List.of(MatchingType.values()).stream().map(MatchingType::code))
        .containsExactly(0, 1, 2);
    assertThat(CertificateUsage.of(-1)).isEmpty();
    assertThat(Selector.of(2)).isEmpty();
    assertThat(MatchingType.of(3)).isEmpty();
  }

  static Stream<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (CertificateUsage u : CertificateUsage.values()) {
      for (Selector s : Selector.values()) {
        for (MatchingType m : MatchingType.values()) {
          all.add(Arguments.of(named(u + " " + s + " " + m, u), s, m));
        }
      }
    }
    return all.stream();
  }

  /** The association data, computed with Bouncy Castle from the certificate as it was encoded. */
  private static byte[] expected(Selector selector, MatchingType type, TestPki.Identity identity)
      throws Exception {
    X509CertificateHolder holder = new X509CertificateHolder(identity.certificate().getEncoded());
    byte[] selected =
        selector == Selector.CERT
            ? holder.getEncoded()
            : holder.getSubjectPublicKeyInfo().getEncoded("DER");
    Digest digest =
        switch (type) {
          case FULL -> null;
          case SHA2_256 -> new SHA256Digest();
          case SHA2_512 -> new SHA512Digest();
        };
    if (digest == null) {
      return selected;
    }
    byte[] out = new byte[digest.getDigestSize()];
    digest.update(selected, 0, selected.length);
    digest.doFinal(out, 0);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void isMadeFromACertificate(CertificateUsage usage, Selector selector, MatchingType type)
      throws Exception {
    TlsaRecord record = TlsaRecord.of(usage, selector, type, SERVER.certificate());
    assertThat(record.usage()).isEqualTo(usage.code());
    assertThat(record.selector()).isEqualTo(selector.code());
    assertThat(record.matchingType()).isEqualTo(type.code());
    assertThat(record.data()).isEqualTo(expected(selector, type, SERVER));
    assertThat(record.matches(SERVER.certificate())).isTrue();
    assertThat(record.matches(OTHER.certificate())).isFalse();
    assertThat(record.matches(PKI.ca().certificate())).isFalse();
    assertThat(record.usable())
        .isEqualTo(usage == CertificateUsage.DANE_TA || usage == CertificateUsage.DANE_EE);
    assertThat(TlsaRecord.parse(record.toText())).isEqualTo(record);
    assertThat(TlsaRecord.fromRdata(record.toRdata())).isEqualTo(record);
  }

  @Test
  void spkiSurvivesARenewalWithTheSameKey() {
    TestPki.Identity renewed =
        PKI.issue(
            "mx.example.test",
            List.of("mx.example.test"),
            SERVER.keys(),
            NOW,
            NOW.plusSeconds(86400 * 180));
    TlsaRecord spki =
        TlsaRecord.of(
            CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, SERVER.certificate());
    TlsaRecord cert =
        TlsaRecord.of(
            CertificateUsage.DANE_EE, Selector.CERT, MatchingType.SHA2_256, SERVER.certificate());
    assertThat(spki.matches(renewed.certificate())).isTrue();
    assertThat(cert.matches(renewed.certificate())).isFalse();
  }

  /**
   * A certificate whose RSA SubjectPublicKeyInfo has no algorithm parameters, where RFC 8017 §A.1
   * has a NULL: the JDK re-encodes such a key with the NULL, so its {@code getEncoded()} differs
   * from the bytes the certificate carries, which are what the record's publisher hashed.
   */
  private static X509Certificate rsaWithoutNullParameters() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    SubjectPublicKeyInfo standard = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    SubjectPublicKeyInfo bare =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption),
            standard.getPublicKeyData().getBytes());
    X500Name name = new X500Name("CN=mx.example.test");
    X509CertificateHolder holder =
        new X509v3CertificateBuilder(
                name,
                BigInteger.ONE,
                Date.from(NOW.minusSeconds(3600)),
                Date.from(NOW.plusSeconds(3600)),
                name,
                bare)
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
  }

  @Test
  void spkiIsTheFieldAsTheCertificateCarriesIt() throws Exception {
    // RFC 6698 §2.1.2: selector 1 selects the SubjectPublicKeyInfo of the certificate.
    X509Certificate certificate = rsaWithoutNullParameters();
    byte[] carried =
        new X509CertificateHolder(certificate.getEncoded())
            .getSubjectPublicKeyInfo()
            .getEncoded("DER");
    assertThat(certificate.getPublicKey().getEncoded()).isNotEqualTo(carried);
    SHA256Digest sha256 = new SHA256Digest();
    byte[] digest = new byte[32];
    sha256.update(carried, 0, carried.length);
    sha256.doFinal(digest, 0);
    assertThat(TlsaRecord.of(3, 1, 0, carried).matches(certificate)).isTrue();
    assertThat(TlsaRecord.of(3, 1, 1, digest).matches(certificate)).isTrue();
    assertThat(
            TlsaRecord.of(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.FULL, certificate)
                .data())
        .isEqualTo(carried);
  }

  @Test
  void unassignedSelectorsAndMatchingTypesMatchNothing() {
    byte[] spki = SERVER.certificate().getPublicKey().getEncoded();
    TlsaRecord full = TlsaRecord.of(3, 1, 0, spki);
    assertThat(full.matches(SERVER.certificate())).isTrue();
    assertThat(TlsaRecord.of(3, 2, 0, spki).matches(SERVER.certificate())).isFalse();
    assertThat(TlsaRecord.of(3, 1, 3, spki).matches(SERVER.certificate())).isFalse();
    // Usage does not take part in matching: a PKIX-EE or unassigned record names the same key.
    assertThat(TlsaRecord.of(1, 1, 0, spki).matches(SERVER.certificate())).isTrue();
    assertThat(TlsaRecord.of(200, 1, 0, spki).matches(SERVER.certificate())).isTrue();
  }

  @Test
  void equalsAndHashCodeCoverEveryField() {
    TlsaRecord a = TlsaRecord.parse("3 1 1 " + SHA256);
    TlsaRecord same = TlsaRecord.parse("3 1 1 " + SHA256.toUpperCase());
    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(a).isEqualTo(TlsaRecord.fromRdata(a.toRdata()));
    assertThat(a).isNotEqualTo(TlsaRecord.parse("2 1 1 " + SHA256));
    assertThat(a).isNotEqualTo(TlsaRecord.parse("3 0 1 " + SHA256));
    assertThat(a).isNotEqualTo(TlsaRecord.parse("3 1 2 " + SHA256));
    assertThat(a).isNotEqualTo(TlsaRecord.parse("3 1 1 " + SHA256.replace('0', '1')));
    assertThat(a).isNotEqualTo(TlsaRecord.parse("3 1 1 " + SHA256 + "00"));
    assertThat(a).isNotEqualTo("3 1 1 " + SHA256);
    assertThat(a).isNotEqualTo(null);
  }
}
