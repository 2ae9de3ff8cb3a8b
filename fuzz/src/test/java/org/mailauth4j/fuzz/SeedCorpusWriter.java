package org.mailauth4j.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mailauth4j.dkim.Canonicalization;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.HeaderField;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.testkit.TestEnvironment;

/**
 * Writes the seed corpora: small valid and nearly valid inputs of each format, by hand below and
 * from the RFC examples and suites in {@code ../shared/conformance}, into the regression-input
 * folders that Jazzer reads ({@code
 * src/test/resources/org/mailauth4j/fuzz/<Class>Inputs/<method>/}). It replaces files named {@code
 * seed-*} and leaves findings ({@code crash-*}, {@code timeout-*}, ...) alone. The output is
 * deterministic: the DKIM seeds are signed with the fixed keys at the fixed clock of {@link
 * DkimFixture}.
 *
 * <p>It needs the conformance data (it is skipped without it). Run it after changing a seed, from
 * the project root:
 *
 * <pre>mvn -B -o -pl fuzz -am test -Dtest=SeedCorpusWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dmailauth4j.fuzz.writeSeeds=true</pre>
 */
@EnabledIfSystemProperty(named = "mailauth4j.fuzz.writeSeeds", matches = "true")
class SeedCorpusWriter {
  private static final Path ROOT = Path.of("src/test/resources/org/mailauth4j/fuzz");

  /** Target ("Class/method") to seed name to content. */
  private final Map<String, Map<String, byte[]>> seeds = new LinkedHashMap<>();

  @Test
  void writesTheSeedCorpora() throws IOException {
    domainNames();
    zoneFiles();
    txtRecords();
    dkimKeyRecords();
    dkimSignaturesAndMessages();
    spfRecords();
    spfMacros();
    spfZones();
    mtaSts();
    dmarcReports();
    write();
  }

  // --- dns ---

  private void domainNames() {
    String[] names = {
      "example.com",
      "Example.COM.",
      "mail.example.com.",
      "bücher.example",
      "xn--bcher-kva.example",
      "ÜBER.example",
      "例え.テスト",
      "a\u3002b\uff0ec",
      "_dmarc.example.com",
      "s1._domainkey.example.org",
      "a-b.c-d.e",
      "a_b.example",
      "1.2.3.4",
      "*.example.com",
      "a".repeat(63) + ".com",
      "a".repeat(64) + ".com",
      ("a".repeat(62) + ".").repeat(4) + "b",
      ("a".repeat(62) + ".").repeat(4) + "bc",
      "-bad.example",
      "bad-.example",
      "a..b",
      ".",
      "..",
      "example.com..",
      "ex ample.com",
      "xn--zz.example",
      "xn--.example",
      "exa\u0000mple.com",
      "😀.example",
    };
    for (String target : List.of("DomainNameFuzz/parse", "DomainNameFuzz/parseHostName")) {
      for (int i = 0; i < names.length; i++) {
        put(target, String.format(Locale.ROOT, "%02d", i), names[i]);
      }
    }
  }

  private void zoneFiles() throws IOException {
    String target = "ZoneFileFuzz/fromZoneText";
    put(
        target,
        "readme-example",
        """
        example.test.     TXT "v=spf1 mx -all"
        example.test.     MX  10 mx.example.test.
        mx.example.test.  A   192.0.2.10
        """);
    put(
        target,
        "full-zone",
        """
        $ORIGIN example.com.
        $TTL 300
        @   IN SOA ns1 hostmaster ( 2024010101 ; serial
                 3600 900 604800 60 )
            IN NS  ns1
            IN A   192.0.2.1
            IN AAAA 2001:db8::1
            IN MX  10 mx
            IN TXT "v=spf1 " "mx -all"
        ns1 IN A   192.0.2.2
        mx  3600 IN A 192.0.2.3
        www IN CNAME @
        *.wild IN TXT "wild \\"quoted\\" \\\\ \\032 text"
        _dmarc IN TXT "v=DMARC1; p=reject"
        _mta-sts IN TXT "v=STSv1; id=20240101;"
        2.0.192.in-addr.arpa. IN PTR mx
        """);
    put(target, "dkim-keys", keyZone());
    put(
        target,
        "cname-loop",
        "a.example.com. CNAME b.example.com.\nb.example.com. CNAME a.example.com.\n");
    put(target, "mx-root-null", "example.com. MX 0 .\nexample.com. TXT \"\"\n");
    put(target, "relative-without-origin", "www TXT \"x\"\n");
    put(target, "unterminated-quote", "example.com. TXT \"v=spf1 -all\n");
    put(target, "bad-ttl", "example.com. 99999999999 TXT \"x\"\n");
    put(target, "unknown-type", "example.com. BOGUS \"x\"\n");
    put(target, "generic-type", "example.com. TYPE65534 \\# 3 abcdef\n");
    put(target, "include-refused", "$INCLUDE /etc/hosts\n");
    put(target, "generate", "$ORIGIN example.com.\n$GENERATE 1-5 host$ A 192.0.2.$\n");
    put(target, "escaped-owner", "a\\032b.example.com. TXT \"space in owner\"\n");
    put(
        target,
        "long-txt",
        "example.com. TXT " + TxtRecord.split("v=spf1 " + "a ".repeat(200)) + "\n");
    Path dkim = TestEnvironment.conformance("dkim/stalwart");
    for (String file : List.of("001.txt", "002.txt")) {
      StringBuilder zone = new StringBuilder();
      for (String line : Files.readString(dkim.resolve(file), UTF_8).split("\n")) {
        if (line.isBlank()) {
          break; // the DNS lines end at the blank line before the message
        }
        int space = line.indexOf(' ');
        zone.append(line, 0, space)
            .append(". TXT ")
            .append(TxtRecord.split(line.substring(space + 1)))
            .append('\n');
      }
      put(target, "stalwart-" + file.replace(".txt", ""), zone.toString());
    }
  }

  private void txtRecords() {
    String target = "TxtRecordFuzz/ofBytes";
    put(target, "spf", "v=spf1 -all");
    put(target, "two-strings", "v=spf1 include:_spf.example.com\0 -all");
    put(target, "empty", "");
    put(target, "three-empty", "\0\0");
    put(target, "quotes-backslashes", "\"quoted\" \\ back\\slash");
    put(target, "controls", latin1("tab\tcr\rlf\ndel\u007f high\u00ff"));
    put(target, "utf8", "bücher ☃");
    put(target, "255", "a".repeat(255));
    put(target, "256-refused", "a".repeat(256));
    String split = "TxtRecordFuzz/split";
    put(split, "spf", "v=spf1 -all");
    put(split, "empty", "");
    put(split, "600", "v=DKIM1; p=" + "A".repeat(589));
    put(split, "multibyte-at-boundary", "a".repeat(254) + "ü" + "b");
  }

  // --- dkim ---

  private String keyZone() {
    return DkimFixture.RSA.zoneFileRecord(DkimFixture.DOMAIN, DkimFixture.RSA_SELECTOR)
        + "\n"
        + DkimFixture.ED25519.zoneFileRecord(DkimFixture.DOMAIN, DkimFixture.ED25519_SELECTOR)
        + "\n";
  }

  private void dkimKeyRecords() throws IOException {
    String target = "DkimKeyRecordFuzz/parse";
    put(target, "fixture-rsa", DkimFixture.RSA.keyRecord());
    put(target, "fixture-ed25519", DkimFixture.ED25519.keyRecord());
    put(target, "revoked", "v=DKIM1; p=");
    put(target, "all-tags", "v=DKIM1; h=sha256:sha1; k=rsa; n=a note; s=email:*; t=y:s; p=AAAA");
    put(
        target,
        "folded",
        "v=DKIM1;\r\n k=ed25519;\r\n\tp=11qYAYKx CrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    put(target, "v-not-first", "k=rsa; v=DKIM1; p=");
    put(target, "bad-version", "v=DKIM2; p=");
    put(target, "empty-k", "k=; p=");
    put(target, "bad-base64", "p=%%%%");
    put(target, "no-p", "v=DKIM1; k=rsa");
    put(target, "duplicate-tag", "p=; p=");
    put(target, "empty-list-entry", "h=sha256::sha1; p=");
    put(target, "trailing-semicolons", "p=;;");
    Set<String> records = new LinkedHashSet<>();
    Path dkimpy = TestEnvironment.conformance("dkim/dkimpy");
    try (Stream<Path> files = Files.list(dkimpy)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".txt") || name.endsWith(".dns")) {
          records.add(Files.readString(f, UTF_8).strip());
        }
      }
    }
    for (String set :
        List.of("dkim/rfc8463-appendix-a/dns.txt", "dkim/rfc6376-appendix-a/dns.txt")) {
      Path file = TestEnvironment.conformance(set);
      for (String line : Files.readAllLines(file, UTF_8)) {
        if (!line.startsWith("#") && line.contains("\t")) {
          records.add(line.substring(line.indexOf('\t') + 1));
        }
      }
    }
    Path fake = TestEnvironment.conformance("dkim/mail-dkim/FAKE_DNS.dat");
    for (String line : Files.readAllLines(fake, UTF_8)) {
      Matcher m = Pattern.compile("^\\S+\\s+(.*)$").matcher(line);
      if (!line.startsWith("#") && m.matches() && !m.group(1).equals("NXDOMAIN")) {
        records.add(m.group(1));
      }
    }
    int i = 0;
    for (String record : records) {
      put(target, String.format(Locale.ROOT, "conformance-%02d", i++), record);
    }
  }

  private void dkimSignaturesAndMessages() throws IOException {
    String simple =
        "From: Alice <alice@example.com>\r\n"
            + "To: Bob <bob@example.org>\r\n"
            + "Subject: Hello\r\n"
            + "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"
            + "Message-ID: <1@example.com>\r\n"
            + "\r\n"
            + "Hi Bob,\r\n\r\nsee you  at  noon. \r\n\r\n\r\n";
    String folded =
        "From: Alice\r\n <alice@example.com>\r\n"
            + "Subject: a subject\r\n\tfolded over\r\n  two lines\r\n"
            + "X-Empty:\r\n"
            + "\r\n"
            + "body\r\n";
    Map<String, byte[]> messages = new LinkedHashMap<>();
    messages.put("simple", simple.getBytes(US_ASCII));
    messages.put("folded", folded.getBytes(US_ASCII));
    messages.put("lf-only", simple.replace("\r\n", "\n").getBytes(US_ASCII));
    messages.put("no-body", "From: alice@example.com\r\nSubject: x\r\n\r\n".getBytes(US_ASCII));
    for (String file :
        List.of(
            "dkim/rfc6376-appendix-a/A1-unsigned.eml",
            "dkim/dkimpy/rfc6376.msg",
            "dkim/dkimpy/test2.message")) {
      Path path = TestEnvironment.conformance(file);
      String name = path.getFileName().toString().replaceAll("\\.[a-z]+$", "");
      messages.put(name, Files.readAllBytes(path));
    }

    String verify = "DkimVerifierFuzz/verify";
    String keyed = "DkimVerifierFuzz/verifyWithFuzzedKeyRecord";
    String header = "MessageHeaderFuzz/parse";
    String largest = "MessageHeaderFuzz/readWithLargestLimit";
    String signature = "DkimSignatureFuzz/parse";

    DkimSigner relaxed = DkimFixture.signer().build();
    DkimSigner simpleCanon =
        DkimFixture.signer()
            .canonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE)
            .build();
    DkimSigner everything =
        DkimFixture.signer()
            .canonicalization(Canonicalization.RELAXED, Canonicalization.SIMPLE)
            .identity("alice@example.com")
            .signBodyLength(true)
            .expireAfter(Duration.ofDays(7))
            .build();
    DkimSigner rsaOnly =
        DkimSigner.builder()
            .key(DkimFixture.DOMAIN, DkimFixture.RSA_SELECTOR, DkimFixture.RSA)
            .clock(DkimFixture.CLOCK)
            .build();
    DkimSigner edOnly =
        DkimSigner.builder()
            .key(DkimFixture.DOMAIN, DkimFixture.ED25519_SELECTOR, DkimFixture.ED25519)
            .clock(DkimFixture.CLOCK)
            .build();

    for (Map.Entry<String, byte[]> m : messages.entrySet()) {
      byte[] signed = relaxed.signMessage(m.getValue());
      put(verify, "signed-relaxed-" + m.getKey(), signed);
      put(header, m.getKey(), m.getValue());
      put(largest, m.getKey(), m.getValue());
      put(header, "signed-" + m.getKey(), signed);
    }
    byte[] base = messages.get("simple");
    put(verify, "signed-simple-simple", simpleCanon.signMessage(base));
    put(verify, "signed-l-i-x", everything.signMessage(base));
    put(verify, "signed-lf-only", relaxed.signMessage(messages.get("lf-only")));
    byte[] twice = relaxed.signMessage(relaxed.signMessage(base));
    put(verify, "signed-twice", twice);
    put(verify, "unsigned", base);
    byte[] good = relaxed.signMessage(base);
    put(verify, "tampered-body", replace(good, "noon", "nine"));
    put(verify, "tampered-from", replace(good, "From: Alice", "From: Eve  "));
    put(verify, "revoked-selector", replace(good, "s=rsa;", "s=revoked;"));
    put(verify, "unknown-selector", replace(good, "s=ed;", "s=xx;"));
    put(verify, "no-such-domain", replace(good, "d=example.com;", "d=example.net;"));
    Path rfc8463 = TestEnvironment.conformance("dkim/stalwart/001.txt");
    String text = Files.readString(rfc8463, ISO_8859_1);
    put(
        verify,
        "rfc8463-other-keys",
        text.substring(text.indexOf("\n\n") + 2).getBytes(ISO_8859_1));

    String rsaRecord = DkimFixture.RSA.keyRecord();
    String edRecord = DkimFixture.ED25519.keyRecord();
    byte[] rsaSigned = rsaOnly.signMessage(base);
    byte[] edSigned = edOnly.signMessage(base);
    byte[] bothSigned = relaxed.signMessage(base);
    put(keyed, "rsa", keyed(rsaRecord, rsaSigned));
    put(keyed, "ed25519", keyed(edRecord, edSigned));
    put(keyed, "rsa-both-signatures", keyed(rsaRecord, bothSigned));
    put(keyed, "rsa-h-sha256", keyed(rsaRecord.replace("k=rsa;", "k=rsa; h=sha256;"), rsaSigned));
    put(keyed, "rsa-h-sha1-only", keyed(rsaRecord.replace("k=rsa;", "k=rsa; h=sha1;"), rsaSigned));
    put(keyed, "rsa-strict-identity", keyed(rsaRecord + "; t=s", everything.signMessage(base)));
    put(keyed, "rsa-testing", keyed(rsaRecord + "; t=y", rsaSigned));
    put(keyed, "rsa-service-other", keyed(rsaRecord + "; s=other", rsaSigned));
    put(keyed, "ed25519-as-rsa", keyed(edRecord.replace("k=ed25519", "k=rsa"), edSigned));
    put(keyed, "rsa-as-ed25519", keyed(rsaRecord.replace("k=rsa", "k=ed25519"), rsaSigned));
    put(keyed, "unknown-key-type", keyed("v=DKIM1; k=dsa; p=AAAA", rsaSigned));
    put(keyed, "revoked", keyed("v=DKIM1; p=", rsaSigned));
    put(keyed, "garbage-key", keyed("v=DKIM1; p=AAAAAAAA", bothSigned));
    put(keyed, "syntax-error", keyed("v=DKIM1; p", bothSigned));

    // DKIM-Signature values: our own and those of the conformance messages, folded as written.
    List<byte[]> signedMessages = new ArrayList<>();
    signedMessages.add(bothSigned);
    signedMessages.add(everything.signMessage(base));
    signedMessages.add(simpleCanon.signMessage(base));
    for (String dir :
        List.of("dkim/stalwart", "dkim/mail-dkim/corpus", "dkim/rfc6376-appendix-a")) {
      Path path = TestEnvironment.conformance(dir);
      try (Stream<Path> files = Files.list(path)) {
        for (Path f : files.sorted().limit(20).toList()) {
          signedMessages.add(Files.readAllBytes(f));
        }
      }
    }
    Set<String> values = new LinkedHashSet<>();
    for (byte[] message : signedMessages) {
      for (HeaderField field : MessageHeader.parse(message).fields("DKIM-Signature")) {
        String raw = new String(field.rawBytes(), ISO_8859_1);
        values.add(raw.substring(raw.indexOf(':') + 1));
      }
    }
    int i = 0;
    for (String value : values) {
      put(signature, String.format(Locale.ROOT, "value-%02d", i++), latin1(value));
    }
    String ours = values.iterator().next();
    put(signature, "no-version", latin1(ours.replaceFirst("v=1;", "")));
    put(signature, "rsa-sha1", latin1(ours.replaceFirst("a=[a-z0-9-]+;", "a=rsa-sha1;")));
    put(signature, "i-outside-d", latin1(ours + "; i=@example.net"));
    put(signature, "x-before-t", latin1(ours.replaceFirst("t=\\d+", "t=2000000000") + "; x=1000"));
    put(signature, "t-13-digits", latin1(ours.replaceFirst("t=\\d+", "t=9999999999999")));
    put(signature, "l-huge", latin1(ours + "; l=" + "9".repeat(80)));
    put(signature, "no-from", latin1(ours.replaceFirst("h=[^;]+;", "h=to:subject;")));
    put(signature, "z-quoted-printable", latin1(ours + "; z=From:=20alice|To:bob"));
    put(signature, "bad-base64", latin1(ours.replaceFirst("bh=[^;]+;", "bh=A===;")));
    put(signature, "duplicate-tag", latin1(ours + "; d=example.com"));
    put(
        signature,
        "long-selector",
        latin1(ours.replaceFirst("s=[^;]+;", "s=" + "s.".repeat(120) + "x;")));

    put(header, "no-blank-line", "From: a\r\nSubject: b");
    put(header, "only-blank-line", "\r\n");
    put(header, "cr-cr-lf", "From: a\r\n\r\r\nSubject: b\r\n\r\nbody");
    put(header, "continuation-first", " folded\r\nFrom: a\r\n\r\n");
    put(header, "no-colon", "From a\r\nX\r\n\r\n");
    put(header, "empty-name", ": value\r\n \r\n\r\n");
    put(header, "bare-cr", "From: a\rSubject: b\r\n\r\n");
    put(header, "high-octets", latin1("Subj\u00e9ct: caf\u00e9\r\n\r\n"));
  }

  private static byte[] keyed(String keyRecord, byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(keyRecord.getBytes(UTF_8));
    out.write('\n');
    out.writeBytes(message);
    return out.toByteArray();
  }

  private static byte[] replace(byte[] message, String from, String to) {
    String text = new String(message, ISO_8859_1);
    if (!text.contains(from)) {
      throw new IllegalStateException("no '" + from + "' in the seed message");
    }
    return text.replaceFirst(Pattern.quote(from), to).getBytes(ISO_8859_1);
  }

  // --- spf ---

  private void spfRecords() throws IOException {
    Set<String> records = new LinkedHashSet<>();
    records.add("v=spf1 -all");
    records.add("v=spf1 mx a:relay.example.test -all");
    records.add("v=spf1 +mx a:colo.example.com/28 -all");
    records.add("v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.net ~all");
    records.add(
        "v=spf1 a/24//64 mx:example.net/30 ptr:example.org exists:%{ir}.%{v}._spf.%{d} ?all");
    records.add("v=spf1 redirect=_spf.example.com exp=explain._spf.%{d}");
    records.add("V=SPF1 A -ALL");
    records.add("v=spf1 unknown=modifier x-y=%{d} -all");
    records.add("v=spf1");
    records.add("v=spf1 ");
    records.add("v=spf1  a");
    records.add("v=spf10 -all");
    records.add("v=spf1 ip4:192.0.2.300 -all");
    records.add("v=spf1 ip6:::1/129 -all");
    records.add("v=spf1 a:example.com/33 -all");
    records.add("v=spf1 redirect=a redirect=b");
    records.add("v=spf1 include -all");
    records.add("v=spf1 exists:%{z} -all");
    records.add("v=spf1 a:%{i -all");
    records.add("v=spf1 -all exp=");
    records.addAll(suiteRecords());
    int i = 0;
    for (String record : records) {
      put("SpfRecordFuzz/parse", String.format(Locale.ROOT, "%03d", i++), record);
    }
  }

  /** The v=spf1 records of the openspf RFC 7208 suite and of stalwart's SPF cases. */
  private List<String> suiteRecords() throws IOException {
    List<String> records = new ArrayList<>();
    Path openspf = TestEnvironment.conformance("spf/openspf/rfc7208-tests.yml");
    Pattern entry = Pattern.compile("^\\s*- (?:SPF|TXT):\\s*(.*)$");
    for (String line : Files.readAllLines(openspf, UTF_8)) {
      Matcher m = entry.matcher(line);
      if (m.matches()) {
        String value = yamlValue(m.group(1));
        if (value.toLowerCase(Locale.ROOT).startsWith("v=spf")) {
          records.add(value);
        }
      }
    }
    Path stalwart = TestEnvironment.conformance("spf/stalwart");
    try (Stream<Path> files = Files.list(stalwart)) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f, UTF_8)) {
          Matcher m = Pattern.compile("^\\s*spf:\\s*\\S+\\s+(.*)$").matcher(line);
          if (m.matches()) {
            records.add(m.group(1));
          }
        }
      }
    }
    return records;
  }

  /** A YAML scalar as the openspf suite writes them: plain, quoted with \x escapes, or a list. */
  static String yamlValue(String scalar) {
    String s = scalar.strip();
    if (s.startsWith("[")) {
      StringBuilder joined = new StringBuilder();
      Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(s);
      while (m.find()) {
        joined.append(unescape(m.group(1)));
      }
      return joined.toString();
    }
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return unescape(s.substring(1, s.length() - 1));
    }
    if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
      return s.substring(1, s.length() - 1).replace("''", "'");
    }
    return s;
  }

  private static String unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        switch (e) {
          case 'x' -> {
            out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
            i += 2;
          }
          case 'n' -> out.write('\n');
          case 'r' -> out.write('\r');
          case 't' -> out.write('\t');
          case '0' -> out.write(0);
          default -> out.write(e);
        }
      } else {
        out.writeBytes(String.valueOf(c).getBytes(UTF_8));
      }
    }
    // The suite's \xNN escapes are octets: decode them as the resolver would, as UTF-8.
    return out.toString(UTF_8);
  }

  private void spfMacros() throws IOException {
    String target = "SpfMacroFuzz/parseMacroString";
    Set<String> macros = new LinkedHashSet<>();
    // RFC 7208 §7.4 examples.
    macros.addAll(
        List.of(
            "%{s}",
            "%{o}",
            "%{d}",
            "%{d4}",
            "%{d3}",
            "%{d2}",
            "%{d1}",
            "%{dr}",
            "%{d2r}",
            "%{l}",
            "%{l-}",
            "%{lr}",
            "%{lr-}",
            "%{l1r-}",
            "%{ir}.%{v}._spf.%{d2}",
            "%{lr-}.lp._spf.%{d2}",
            "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
            "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
            "%{d2}.trusted-domains.example.net",
            "%{ir}.%{v}._spf.%{d2}",
            "%%%_%-",
            "%{p}",
            "%{h}",
            "%{S}%{L}%{O}%{I}",
            "%{c} %{r} %{t}",
            "%{i",
            "%x",
            "%",
            "%{d0}",
            "%{d999999999999}",
            "%{l+=/,_.-}",
            "example.com",
            ""));
    for (String record : suiteRecords()) {
      for (String term : record.split(" ")) {
        int colon = term.indexOf(':');
        int equals = term.indexOf('=');
        int start = colon >= 0 ? colon + 1 : equals >= 0 ? equals + 1 : -1;
        if (start > 0 && term.indexOf('%') >= 0) {
          macros.add(term.substring(start));
        }
      }
    }
    Path openspf = TestEnvironment.conformance("spf/openspf/rfc7208-tests.yml");
    Pattern entry = Pattern.compile("^\\s*- TXT:\\s*(.*)$");
    for (String line : Files.readAllLines(openspf, UTF_8)) {
      Matcher m = entry.matcher(line);
      if (m.matches() && !yamlValue(m.group(1)).startsWith("v=spf")) {
        macros.add(yamlValue(m.group(1))); // explanation texts
      }
    }
    int i = 0;
    for (String macro : macros) {
      put(target, String.format(Locale.ROOT, "%02d", i++), macro);
    }

    String check = "SpfMacroFuzz/expandThroughCheck";
    String[][] cases = {
      {"%{i}.in.example.com", "You may not send as %{s} from %{i}", "alice@example.com"},
      {
        "%{ir}.%{v}.in.example.com",
        "%{c} %{r} %{t}",
        "bob@example.com",
        "helo.example.org",
        "2001:db8::1"
      },
      {"%{l1r-}.in.example.com", "%{l1r-} %{L}", "a-b-c@example.com"},
      {"%{d2}.in.example.com", "%{d2r}", "x@example.com"},
      {"%{p}.in.example.com", "%{p}", "alice@example.com", "mail.example.com", "192.0.2.20"},
      {"%{h}.in.example.com", "%{h} %{H}", "alice@example.com", "mail.example.com"},
      {"%{S}.%{O}.in.example.com", "%{S}", "al ice+tag=x@example.com"},
      {"%{i}.nx.example.com", "Denied: %{s} (%{i}) %% %_ %-", "alice@example.com"},
      {"%{o}.in.example.com", "%{o}", "postmaster"},
      {"%{d}", "", "@example.com"},
      {"%{l}.in.example.com", "%{l}", "\"quoted local\"@example.com"},
      {"%{i}.in.example.com", "%{i}", "alice@example.com", "mail.example.com", "::ffff:192.0.2.1"},
      {"%{ir}.in.example.com", "exp", "alice@example.com", "", "not an address"},
      {"%{l}%{l}%{l}%{l}%{l}.in.example.com", "%{s}%{s}%{s}%{s}", "long.local.part@example.com"},
      {"%{d}.%{d}.%{d}.%{d}.%{d}.%{d}", "x", "alice@example.com"},
      {"%{i", "broken", "alice@example.com"},
      {"%{s}.in.example.com", "%{t", "alice@example.com"},
    };
    for (int k = 0; k < cases.length; k++) {
      String[] c = cases[k];
      String line =
          String.join(
              "\n",
              c[0],
              c[1],
              c[2],
              c.length > 3 ? c[3] : "mail.example.com",
              c.length > 4 ? c[4] : "192.0.2.1");
      put(check, String.format(Locale.ROOT, "%02d", k), line);
    }
  }

  private void spfZones() {
    String target = "SpfCheckHostFuzz/check";
    String[][] cases = {
      {"192.0.2.1", "v=spf1 include:a.example.com -all", "v=spf1 a -all"},
      {"192.0.2.3", "v=spf1 redirect=a.example.com", "v=spf1 a -all"},
      {"192.0.2.2", "v=spf1 mx -all"},
      {"192.0.2.2", "v=spf1 mx:b.example.com/24 -all"},
      {"192.0.2.1", "v=spf1 ptr -all"},
      {"192.0.2.1", "v=spf1 ptr:example.com ?all"},
      {"192.0.2.9", "v=spf1 include:a.example.com -all", "v=spf1 include:example.com -all"},
      {"192.0.2.9", "v=spf1 redirect=a.example.com", "v=spf1 redirect=example.com"},
      {
        "192.0.2.9",
        "v=spf1 a:a.example.com a:b.example.com a:c.example.com a:d.example.com"
            + " mx:a.example.com mx:b.example.com mx:c.example.com mx:d.example.com"
            + " exists:a.example.com exists:b.example.com exists:c.example.com -all"
      },
      {"192.0.2.9", "v=spf1 a:x1.example.com a:x2.example.com a:x3.example.com -all"},
      {"192.0.2.9", "v=spf1 a:fail.example.com -all"},
      {"192.0.2.9", "v=spf1 include:fail.example.com -all"},
      {"192.0.2.9", "v=spf1 -all" + SpfCheckHostFuzz.RECORD_SEPARATOR + "v=spf1 +all"},
      {"192.0.2.9", "v=spf1 -all exp=b.example.com", "", "Not %{s} from %{i}: see %{d}"},
      {"2001:db8::1", "v=spf1 ip6:2001:db8::/32 -all"},
      {"2001:db8::2", "v=spf1 a//64 mx//48 -all"},
      {"192.0.2.3", "v=spf1 a:alias.example.com a:loop1.example.com -all"},
      {"192.0.2.9", "v=spf1 include:x.w.example.com ?all"},
      {"192.0.2.9", "v=spf1 include:a.example.com -all", ""},
      {"192.0.2.9", "v=spf1 include:a.example.com -all", "not spf"},
      {"192.0.2.1", "v=spf1 " + "ip4:198.51.100.1 ".repeat(30) + "a -all"},
      {"192.0.2.9", "v=spf1 a:bücher.example -all"},
      {"192.0.2.9", "v=spf1 exists:%{ir}.%{l1r-}.%{d} include:%{d2} -all"},
      {"192.0.2.1", "v=spf1 -all", "", "", "", "", "v=spf1 a -all"},
      {"192.0.2.9", "v=spf1 redirect=%{d}"},
    };
    for (int k = 0; k < cases.length; k++) {
      put(target, String.format(Locale.ROOT, "%02d", k), String.join("\n", cases[k]));
    }
  }

  // --- mtasts ---

  private void mtaSts() throws IOException {
    String record = "MtaStsRecordFuzz/parse";
    String[] records = {
      "v=STSv1; id=20160831085700Z;",
      "v=STSv1;id=1",
      "v=STSv1; id=abc; ext=val; foo-bar.baz=x;",
      "v=STSv1; id=1; id=2",
      "v=STSv1 ;\tid=x ;",
      "v=STSv2; id=1",
      "v=STSv1; id=",
      "v=STSv1; id=" + "a".repeat(33),
      "v=STSv1",
      "v=STSv1;",
      "V=STSv1; id=1",
      "v=STSv1; id=1;;",
      "v=STSv1; id=ab cd",
      "v=STSv1; " + "n".repeat(33) + "=v; id=1",
      "v=STSv1; _x=y; id=1",
    };
    for (int i = 0; i < records.length; i++) {
      put(record, String.format(Locale.ROOT, "%02d", i), records[i]);
    }

    List<String> policies = new ArrayList<>();
    Path examples = TestEnvironment.conformance("mta-sts/rfc8461-examples");
    policies.add(Files.readString(examples.resolve("policy-section3.2.txt"), UTF_8));
    policies.add(Files.readString(examples.resolve("policy-appendixA.txt"), UTF_8));
    String valid =
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
            + "max_age: 604800\r\n";
    policies.add(valid);
    policies.add(valid.replace("\r\n", "\n"));
    policies.add("\uFEFF" + valid);
    policies.add(valid.replace("version:", "Version:").replace("enforce", "Enforce"));
    policies.add("version: STSv1\nmode: none\nmax_age: 86400\n");
    policies.add("version: STSv1\nmode: enforce\nmax_age: 86400\n");
    policies.add(valid.replace("604800", "31557601"));
    policies.add(valid.replace("604800", "-1"));
    policies.add(valid.replace("604800", "0x10"));
    policies.add(valid.replace("604800", "9".repeat(40)));
    policies.add(valid + "mode: testing\r\n");
    policies.add(valid + "ext_key-1.x: some value\r\n");
    policies.add(valid.replace("mail.example.com", "mail.example.com."));
    policies.add(valid.replace("mail.example.com", "bücher.example"));
    policies.add(valid.replace("*.example.net", "*.*.example.net"));
    policies.add(valid.replace("*.example.net", "*example.net"));
    policies.add(valid.replace("\r\nmx:", "\r\n\r\nmx:"));
    policies.add(valid.replace("\r\nmx:", "\r\n  mx:"));
    policies.add(valid.replace("\r\n", "\r"));
    policies.add(valid.replace("version: STSv1\r\n", ""));
    policies.add(valid.replace("STSv1", "STSv2"));
    policies.add(valid.replace("mx: mail", "mx:\t mail").replace(".com\r\n", ".com  \r\n"));
    policies.add(valid.strip());
    policies.add(valid + "this line has no colon\r\n");
    policies.add(valid + ": empty key\r\n");
    policies.add(valid + "x: control \u0001 char\r\n");
    for (String target : List.of("MtaStsPolicyFuzz/parseStrict", "MtaStsPolicyFuzz/parseLenient")) {
      for (int i = 0; i < policies.size(); i++) {
        put(target, String.format(Locale.ROOT, "%02d", i), policies.get(i));
      }
    }

    String mx = "MxPatternFuzz/parseAndMatch";
    String[] pairs = {
      "mail.example.com\nmail.example.com",
      "mail.example.com\nMAIL.Example.COM.",
      "*.example.net\nmx1.example.net",
      "*.example.net\nexample.net",
      "*.example.net\na.b.example.net",
      "*.example.net\n_srv.example.net",
      "*.com\nexample.com",
      "*\nexample.com",
      "*.\nx",
      "a*.example.com\na.example.com",
      "mail.example.com.\nmail.example.com",
      "xn--bcher-kva.example\nbücher.example",
      "bücher.example\nxn--bcher-kva.example",
      "-bad.example.com\n-bad.example.com",
      "example\nexample",
      "mail.example.com\n",
      "MX1.EXAMPLE.COM\nmx1.example.com",
    };
    for (int i = 0; i < pairs.length; i++) {
      put(mx, String.format(Locale.ROOT, "%02d", i), pairs[i]);
    }
  }

  // --- output ---

  // --- dmarc reports ---

  private void dmarcReports() throws IOException {
    String read = "DmarcReportReaderFuzz/read";
    String message = "DmarcReportReaderFuzz/readMessage";
    String failure = "DmarcReportReaderFuzz/readFailureReport";
    String[] xmlSamples = {
      "dmarc/rfc9990-aggregate-draft32/dmarc-xml-0.2.xml",
      "dmarc/rfc9990-aggregate-draft32/dmarc-xmlalt-0.2.xml",
      "dmarc/opendmarc-reports/163.com!example.com!1337270400!1337356799.20120518163.xml",
      "dmarc/opendmarc-reports/bad.com!example.com!1337140800!1337227200.xml",
      "dmarc/stalwart-feedback/001.xml",
      "dmarc/stalwart-feedback/003.xml",
    };
    int i = 0;
    for (String sample : xmlSamples) {
      byte[] xml = Files.readAllBytes(TestEnvironment.conformance(sample));
      put(read, String.format(Locale.ROOT, "conformance-%02d", i++), xml);
    }
    byte[] small = Files.readAllBytes(TestEnvironment.conformance(xmlSamples[2]));
    put(read, "gzip", gzip(small));
    put(read, "zip", zip("report.xml", small));
    put(read, "zip-of-gzip", zip("report.xml.gz", gzip(small)));
    String minimal =
        "<feedback><report_metadata><org_name>o</org_name><email>e@o.example</email>"
            + "<report_id>1</report_id><date_range><begin>0</begin><end>86399</end></date_range>"
            + "</report_metadata><policy_published><domain>example.com</domain><p>none</p>"
            + "</policy_published><record><row><source_ip>192.0.2.1</source_ip><count>2</count>"
            + "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf>"
            + "</policy_evaluated></row><identifiers><header_from>example.com</header_from>"
            + "</identifiers><auth_results><spf><domain>example.com</domain><result>fail</result>"
            + "</spf></auth_results></record></feedback>";
    put(read, "minimal-no-namespace", minimal);
    put(
        read,
        "rfc9990-namespace",
        minimal.replace("<feedback>", "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">"));
    put(
        read,
        "internal-entity",
        "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY a \"aaaaaaaaaa\">"
            + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + minimal.replace("<org_name>o</org_name>", "<org_name>&b;</org_name>"));
    put(
        read,
        "external-entity",
        "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + minimal.replace("<org_name>o</org_name>", "<org_name>&x;</org_name>"));
    put(read, "missing-policy", minimal.replaceAll("<policy_published>.*</policy_published>", ""));

    i = 0;
    for (String eml :
        List.of("dmarc/stalwart-feedback/100.eml", "dmarc/stalwart-feedback/101.eml")) {
      put(
          message,
          String.format(Locale.ROOT, "conformance-%02d", i++),
          Files.readAllBytes(TestEnvironment.conformance(eml)));
    }
    put(message, "gzip-attachment", reportMail("application/gzip", "r.xml.gz", gzip(small)));
    put(message, "zip-attachment", reportMail("application/zip", "r.zip", zip("r.xml", small)));
    put(message, "xml-attachment", reportMail("text/xml", "r.xml", small));
    put(
        message,
        "octet-stream-named",
        reportMail("application/octet-stream", "r.xml.gz", gzip(small)));

    for (int n = 1; n <= 5; n++) {
      String arf = String.format(Locale.ROOT, "dmarc/stalwart-arf/%03d.eml", n);
      put(
          failure,
          String.format(Locale.ROOT, "conformance-%02d", n - 1),
          Files.readAllBytes(TestEnvironment.conformance(arf)));
    }
  }

  /** A report e-mail with one attachment, base64. */
  private static byte[] reportMail(String type, String name, byte[] content) {
    String body = java.util.Base64.getMimeEncoder().encodeToString(content);
    return ("From: r@receiver.example\r\nTo: d@example.com\r\nSubject: Report Domain:"
            + " example.com Submitter: receiver.example Report-ID: <1@receiver.example>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nA report.\r\n--b\r\nContent-Type: "
            + type
            + "; name=\""
            + name
            + "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;"
            + " filename=\""
            + name
            + "\"\r\n\r\n"
            + body
            + "\r\n--b--\r\n")
        .getBytes(US_ASCII);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] zip(String entry, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
      java.util.zip.ZipEntry e = new java.util.zip.ZipEntry(entry);
      e.setTime(0); // deterministic seeds
      zip.putNextEntry(e);
      zip.write(data);
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  private void put(String target, String name, String text) {
    put(target, name, text.getBytes(UTF_8));
  }

  private void put(String target, String name, byte[] content) {
    Map<String, byte[]> files = seeds.computeIfAbsent(target, t -> new LinkedHashMap<>());
    if (files.put("seed-" + name, content) != null) {
      throw new IllegalStateException("two seeds named " + name + " for " + target);
    }
  }

  /** Text whose chars are all below 256, written one octet per char (DKIM header values). */
  private static byte[] latin1(String text) {
    return text.getBytes(ISO_8859_1);
  }

  private void write() throws IOException {
    if (!Files.isDirectory(ROOT.getParent())) {
      throw new IllegalStateException("run from the fuzz module: no " + ROOT.toAbsolutePath());
    }
    for (Map.Entry<String, Map<String, byte[]>> target : seeds.entrySet()) {
      String[] classAndMethod = target.getKey().split("/");
      Path dir = ROOT.resolve(classAndMethod[0] + "Inputs").resolve(classAndMethod[1]);
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path f : old.filter(p -> p.getFileName().toString().startsWith("seed-")).toList()) {
          Files.delete(f);
        }
      }
      for (Map.Entry<String, byte[]> seed : target.getValue().entrySet()) {
        Files.write(dir.resolve(seed.getKey()), seed.getValue());
      }
    }
  }
}
