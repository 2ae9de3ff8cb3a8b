package org.mailauth4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every subcommand on the offline sample, run as a process from the jar: the exit code, standard
 * output and standard error are compared with {@code src/test/resources/golden/<case>.txt}. After a
 * deliberate change of output, {@code -Dmailauth4j.golden.update=true} rewrites the files; review
 * the diff before committing it.
 */
class GoldenOutputIT {
  private static final String ZONE = "samples/zone/example.test.zone";
  private static final String POLICY = "samples/mta-sts/example.test.txt";
  private static final String DMARC_XML =
      "samples/reports/dmarc/partner.test!example.test!1796083200!1796169599"
          + "!20261201.example.test.4f1c2a.xml";
  private static final String DMARC_GZ =
      "samples/reports/dmarc/partner.test!example.test!1796169600!1796255999"
          + "!20261202.example.test.9b07d3.xml.gz";
  private static final String BAD = "cli/src/test/resources/bad/";

  private static final Path GOLDEN = CliProcess.ROOT.resolve("cli/src/test/resources/golden");

  static Stream<Arguments> cases() {
    List<Arguments> c = new ArrayList<>();
    String[] passSmtp = {
      "--ip", "192.0.2.25", "--helo", "mail.example.test", "--mail-from", "alice@example.test"
    };
    String[] espSmtp = {
      "--ip", "198.51.100.10", "--helo", "mx.partner.test", "--mail-from", "bounce@partner.test"
    };
    String[] strangerSmtp = {
      "--ip", "203.0.113.77", "--helo", "unknown.example", "--mail-from", "alice@example.test"
    };
    add(c, "verify-pass", 0, "verify", "samples/messages/pass.eml", "--zone", ZONE, passSmtp);
    add(
        c,
        "verify-pass-json",
        0,
        "verify",
        "samples/messages/pass.eml",
        "--zone",
        ZONE,
        "--json",
        passSmtp);
    add(
        c,
        "verify-pass-rfc7489-json",
        0,
        "verify",
        "samples/messages/pass.eml",
        "--zone",
        ZONE,
        "--profile",
        "rfc7489",
        "--json",
        passSmtp);
    add(c, "verify-pass-dkim-only", 0, "verify", "samples/messages/pass.eml", "--zone", ZONE);
    add(
        c,
        "verify-alignment-fail",
        1,
        "verify",
        "samples/messages/alignment-fail.eml",
        "--zone",
        ZONE,
        espSmtp);
    add(
        c,
        "verify-alignment-fail-json",
        1,
        "verify",
        "samples/messages/alignment-fail.eml",
        "--zone",
        ZONE,
        "--json",
        espSmtp);
    add(
        c,
        "verify-broken-signature",
        1,
        "verify",
        "samples/messages/broken-signature.eml",
        "--zone",
        ZONE,
        strangerSmtp);
    add(
        c,
        "verify-broken-signature-json",
        1,
        "verify",
        "samples/messages/broken-signature.eml",
        "--zone",
        ZONE,
        "--json",
        strangerSmtp);
    add(
        c,
        "verify-unsigned-bounce",
        1,
        "verify",
        "samples/messages/unsigned.eml",
        "--zone",
        ZONE,
        "--ip",
        "203.0.113.77",
        "--helo",
        "unknown.example",
        "--mail-from",
        "");
    add(
        c,
        "sign-rsa-and-ed25519",
        0,
        "sign",
        "samples/messages/unsigned.eml",
        "--no-timestamp",
        "--key",
        "samples/keys/rsa2026.pem",
        "--selector",
        "rsa2026",
        "--domain",
        "example.test",
        "--key",
        "samples/keys/ed2026.pem",
        "--selector",
        "ed2026",
        "--domain",
        "example.test");
    add(c, "spf-pass", 0, "spf", "example.test", "--ip", "192.0.2.25", "--zone", ZONE);
    add(
        c,
        "spf-include-json",
        0,
        "spf",
        "example.test",
        "--ip",
        "198.51.100.10",
        "--zone",
        ZONE,
        "--json");
    add(c, "spf-fail", 1, "spf", "example.test", "--ip", "203.0.113.77", "--zone", ZONE);
    add(c, "spf-void-lookups", 0, "spf", "weak.test", "--ip", "192.0.2.1", "--zone", ZONE);
    add(c, "dmarc-own-record", 0, "dmarc", "example.test", "--zone", ZONE);
    add(c, "dmarc-tree-walk-json", 0, "dmarc", "news.example.test", "--zone", ZONE, "--json");
    add(c, "dmarc-rfc7489", 0, "dmarc", "weak.test", "--zone", ZONE, "--profile", "rfc7489");
    add(c, "dmarc-no-policy", 1, "dmarc", "nothing.test", "--zone", ZONE);
    add(c, "mta-sts-policy-file", 0, "mta-sts", "example.test", "--zone", ZONE, "--policy", POLICY);
    add(
        c,
        "mta-sts-policy-file-json",
        0,
        "mta-sts",
        "example.test",
        "--zone",
        ZONE,
        "--policy",
        POLICY,
        "--json");
    add(
        c,
        "mta-sts-mx-outside-policy",
        1,
        "mta-sts",
        "partner.test",
        "--zone",
        ZONE,
        "--policy",
        POLICY);
    add(
        c,
        "check-example",
        0,
        "check",
        "example.test",
        "--selector",
        "rsa2026,ed2026",
        "--zone",
        ZONE,
        "--mta-sts-policy",
        POLICY);
    add(
        c,
        "check-example-json",
        0,
        "check",
        "example.test",
        "--selector",
        "rsa2026,ed2026",
        "--zone",
        ZONE,
        "--mta-sts-policy",
        POLICY,
        "--json");
    add(
        c,
        "check-example-fail-on-warning",
        1,
        "check",
        "example.test",
        "--selector",
        "rsa2026",
        "--zone",
        ZONE,
        "--mta-sts-policy",
        POLICY,
        "--fail-on",
        "warning");
    add(c, "check-weak", 1, "check", "weak.test", "--selector", "old", "--zone", ZONE);
    add(
        c,
        "check-several-csv",
        1,
        "check",
        "example.test",
        "weak.test",
        "news.example.test",
        "partner.test",
        "--selector",
        "rsa2026",
        "--zone",
        ZONE,
        "--format",
        "csv");
    add(
        c,
        "check-several-jsonl",
        0,
        "check",
        "example.test",
        "partner.test",
        "--zone",
        ZONE,
        "--format",
        "jsonl");
    add(
        c,
        "check-invalid-name-in-list",
        2,
        "check",
        "example.test",
        "not a domain",
        "--zone",
        ZONE,
        "--format",
        "csv");
    add(c, "tlsrpt-parse", 0, "tlsrpt", "parse", "samples/reports/tlsrpt/example.test.json");
    add(
        c,
        "tlsrpt-parse-json",
        0,
        "tlsrpt",
        "parse",
        "samples/reports/tlsrpt/example.test.json",
        "--json");
    add(c, "report-parse-xml", 0, "report", "parse", DMARC_XML);
    add(c, "report-parse-gzip-json", 0, "report", "parse", DMARC_GZ, "--json");
    add(c, "report-summarize", 0, "report", "summarize", "samples/reports/dmarc");
    add(c, "report-summarize-json", 0, "report", "summarize", "samples/reports/dmarc", "--json");
    add(
        c,
        "report-summarize-skips-what-is-no-report",
        1,
        "report",
        "summarize",
        "samples/reports",
        "--recursive");

    // Bad input: one line on standard error, never a stack trace, exit code 2.
    add(c, "error-no-command", 2);
    add(c, "error-unknown-option", 2, "verify", "--bogus", "samples/messages/pass.eml");
    add(c, "error-missing-file", 2, "verify", "samples/messages/missing.eml", "--zone", ZONE);
    add(
        c,
        "error-missing-zone",
        2,
        "spf",
        "example.test",
        "--ip",
        "192.0.2.25",
        "--zone",
        "samples/zone/missing.zone");
    add(
        c,
        "error-broken-zone",
        2,
        "spf",
        "example.test",
        "--ip",
        "192.0.2.25",
        "--zone",
        BAD + "broken.zone");
    add(c, "error-unreadable-message", 2, "verify", BAD + "garbage.eml", "--zone", ZONE);
    add(c, "error-message-is-a-folder", 2, "verify", "samples", "--zone", ZONE);
    add(c, "error-bad-address", 2, "spf", "example.test", "--ip", "999.1.1.1", "--zone", ZONE);
    add(c, "error-bad-domain", 2, "dmarc", "exa mple.test", "--zone", ZONE);
    add(
        c,
        "error-zone-and-dns",
        2,
        "spf",
        "example.test",
        "--ip",
        "192.0.2.25",
        "--zone",
        ZONE,
        "--dns",
        "127.0.0.1");
    add(
        c,
        "error-bad-timeout",
        2,
        "spf",
        "example.test",
        "--ip",
        "192.0.2.25",
        "--zone",
        ZONE,
        "--timeout",
        "soon");
    add(
        c,
        "error-spf-without-ip",
        2,
        "verify",
        "samples/messages/pass.eml",
        "--zone",
        ZONE,
        "--helo",
        "mail.example.test");
    add(
        c,
        "error-not-a-key",
        2,
        "sign",
        "samples/messages/unsigned.eml",
        "--key",
        POLICY,
        "--selector",
        "s",
        "--domain",
        "example.test");
    add(c, "error-report-with-entities", 2, "report", "parse", BAD + "entity.xml");
    add(
        c,
        "error-json-is-no-dmarc-report",
        2,
        "report",
        "parse",
        "samples/reports/tlsrpt/example.test.json");
    add(c, "error-mta-sts-offline-without-policy", 2, "mta-sts", "example.test", "--zone", ZONE);
    add(
        c,
        "error-keygen-into-a-missing-folder",
        2,
        "keygen",
        "--domain",
        "example.test",
        "--selector",
        "k",
        "--out",
        "samples/no-such-folder/k.pem");
    add(c, "spf-ipv6-client", 1, "spf", "example.test", "--ip", "2001:db8::25", "--zone", ZONE);
    add(c, "help-verify", 0, "verify", "--help");
    add(c, "help-check", 0, "check", "--help");
    return c.stream();
  }

  private static void add(List<Arguments> cases, String name, int exit, Object... args) {
    List<String> list = new ArrayList<>();
    for (Object a : args) {
      if (a instanceof String[]) {
        list.addAll(List.of((String[]) a));
      } else {
        list.add((String) a);
      }
    }
    cases.add(Arguments.of(name, exit, list));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void outputMatchesItsGoldenFile(String name, int exit, List<String> args) throws IOException {
    CliProcess.Result r = CliProcess.jar(args);
    String transcript = "$ mailauth " + String.join(" ", quoted(args)) + "\n" + r.transcript();
    Path golden = GOLDEN.resolve(name + ".txt");
    if (Boolean.getBoolean("mailauth4j.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, transcript, StandardCharsets.UTF_8);
    }
    assertThat(r.exit()).as(r.transcript()).isEqualTo(exit);
    assertThat(r.err()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in");
    if (exit == ExitCode.INPUT) {
      assertThat(r.err().lines().count()).as(r.transcript()).isBetween(1L, 2L);
    }
    assertThat(golden).as("golden file; run with -Dmailauth4j.golden.update=true").exists();
    assertThat(transcript).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  private static List<String> quoted(List<String> args) {
    return args.stream()
        .map(a -> a.isEmpty() || a.contains(" ") || a.contains("!") ? "'" + a + "'" : a)
        .toList();
  }
}
