package org.mailauth4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command as a process at scale and under failure: a few hundred domains checked in parallel
 * from a generated zone, a DNS server that never answers, and keys made, published and used.
 */
class BulkAndFailureIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int DOMAINS = 300;

  @TempDir Path dir;

  /** Domain i is well set up when i is even, and has no DMARC record when i is odd. */
  private Path generatedZone() {
    StringBuilder z = new StringBuilder("$TTL 300\n");
    for (int i = 0; i < DOMAINS; i++) {
      String d = "d" + i + ".bulk.test.";
      z.append(d).append(" IN MX 10 mx.").append(d).append('\n');
      z.append("mx.").append(d).append(" IN A 192.0.2.").append(i % 250 + 1).append('\n');
      z.append(d).append(" IN TXT \"v=spf1 mx -all\"\n");
      z.append("_smtp._tls.")
          .append(d)
          .append(" IN TXT \"v=TLSRPTv1; rua=mailto:tls@")
          .append(d, 0, d.length() - 1)
          .append("\"\n");
      if (i % 2 == 0) {
        z.append("_dmarc.")
            .append(d)
            .append(" IN TXT \"v=DMARC1; p=reject; rua=mailto:d@")
            .append(d, 0, d.length() - 1)
            .append("\"\n");
      }
    }
    return CliProcess.write(dir, "bulk.zone", z.toString());
  }

  @Test
  void checksHundredsOfDomainsInParallelInTheirOrder() throws Exception {
    Path zone = generatedZone();
    StringBuilder list = new StringBuilder("# generated domains\n\n");
    for (int i = 0; i < DOMAINS; i++) {
      list.append("d").append(i).append(".bulk.test\n");
    }
    Path file = CliProcess.write(dir, "domains.txt", list.toString());

    CliProcess.Result r =
        CliProcess.jar(
            List.of(
                "check",
                "--file",
                file.toString(),
                "--zone",
                zone.toString(),
                "--parallel",
                "32",
                "--format",
                "jsonl"));
    assertThat(r.exit()).as(r.transcript()).isEqualTo(ExitCode.FINDINGS);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(DOMAINS);
    for (int i = 0; i < DOMAINS; i++) {
      JsonNode doc = JSON.readTree(lines.get(i));
      assertThat(doc.path("schemaVersion").asInt()).isEqualTo(Json.SCHEMA_VERSION);
      assertThat(doc.path("domain").asString()).isEqualTo("d" + i + ".bulk.test");
      assertThat(doc.path("status").asString())
          .as("d%d", i)
          .isEqualTo(i % 2 == 0 ? "ok" : "findings");
      assertThat(doc.path("message").path("spf").path("result").asString()).isEqualTo("fail");
    }

    CliProcess.Result csv =
        CliProcess.jar(
            List.of(
                "check",
                "--file",
                "-",
                "--zone",
                zone.toString(),
                "--parallel",
                "8",
                "--format",
                "csv"),
            list.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(csv.exit()).isEqualTo(ExitCode.FINDINGS);
    List<String> rows = csv.out().lines().toList();
    assertThat(rows).hasSize(DOMAINS + 1);
    assertThat(rows.get(0)).startsWith("domain,status,errors,warnings,");
    assertThat(rows.get(1)).startsWith("d0.bulk.test,ok,0,");
    assertThat(rows.get(2)).startsWith("d1.bulk.test,findings,1,");
    assertThat(csv.err()).as("no progress bar when standard error is no terminal").isEmpty();
  }

  @Test
  void aDnsServerThatNeverAnswersGivesTheTemporaryFailureCodeWithinTheTimeout() throws Exception {
    try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        ServerSocket tcp =
            new ServerSocket(udp.getLocalPort(), 50, InetAddress.getLoopbackAddress())) {
      Thread silent = new Thread(() -> swallow(udp, tcp), "silent-dns");
      silent.setDaemon(true);
      silent.start();
      String server = "127.0.0.1:" + udp.getLocalPort();
      List<List<String>> commands =
          List.of(
              List.of("spf", "example.test", "--ip", "192.0.2.25"),
              List.of("dmarc", "example.test"),
              List.of("check", "example.test", "--selector", "s1"),
              List.of(
                  "verify",
                  "samples/messages/pass.eml",
                  "--ip",
                  "192.0.2.25",
                  "--helo",
                  "mail.example.test",
                  "--mail-from",
                  "alice@example.test"));
      for (List<String> command : commands) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--dns", server, "--timeout", "2s"));
        CliProcess.Result r = CliProcess.jar(args);
        assertThat(r.exit()).as(r.transcript()).isEqualTo(ExitCode.TEMPORARY);
        // 2 s for DNS; the rest is a JVM's start on a busy machine, never a second timeout.
        assertThat(r.elapsed()).as(r.transcript()).isLessThan(Duration.ofSeconds(2 + 8));
        assertThat(r.err()).doesNotContain("\tat ");
      }
    }
  }

  private static void swallow(DatagramSocket udp, ServerSocket tcp) {
    Thread accept =
        new Thread(
            () -> {
              List<Socket> held = new ArrayList<>();
              try {
                while (true) {
                  held.add(tcp.accept()); // accepted, never answered
                }
              } catch (java.io.IOException closed) {
                held.forEach(
                    s -> {
                      try {
                        s.close();
                      } catch (java.io.IOException ignored) {
                        // closing a socket the test no longer needs
                      }
                    });
              }
            });
    accept.setDaemon(true);
    accept.start();
    byte[] buffer = new byte[4096];
    try {
      while (true) {
        udp.receive(new DatagramPacket(buffer, buffer.length)); // read, never answered
      }
    } catch (java.io.IOException closed) {
      // the test is over
    }
  }

  @Test
  void aGeneratedKeyPublishedInAZoneSignsMailThatVerifies() {
    Path rsa = dir.resolve("k1.pem");
    Path ed = dir.resolve("k2.pem");
    CliProcess.Result k1 =
        CliProcess.jar(
            List.of(
                "keygen", "--domain", "fresh.test", "--selector", "k1", "--out", rsa.toString()));
    CliProcess.Result k2 =
        CliProcess.jar(
            List.of(
                "keygen",
                "--type",
                "ed25519",
                "--domain",
                "fresh.test",
                "--selector",
                "k2",
                "--out",
                ed.toString(),
                "--json"));
    assertThat(k1.exit()).as(k1.transcript()).isZero();
    assertThat(k2.exit()).as(k2.transcript()).isZero();
    String zone =
        k1.out().lines().filter(l -> l.contains(" IN TXT ")).findFirst().orElseThrow()
            + "\n"
            + JSON.readTree(k2.out()).path("zoneFileRecord").asString()
            + "\nfresh.test. IN TXT \"v=spf1 -all\"\n_dmarc.fresh.test. IN TXT \"v=DMARC1; p=reject\"\n";
    Path zoneFile = CliProcess.write(dir, "fresh.zone", zone);
    Path message =
        CliProcess.write(
            dir,
            "m.eml",
            "From: a@fresh.test\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nbody\r\n");
    Path signed = dir.resolve("signed.eml");
    CliProcess.Result sign =
        CliProcess.jar(
            List.of(
                "sign",
                message.toString(),
                "-o",
                signed.toString(),
                "--key",
                rsa.toString(),
                "--selector",
                "k1",
                "--domain",
                "fresh.test",
                "--key",
                ed.toString(),
                "--selector",
                "k2",
                "--domain",
                "fresh.test",
                "--expire",
                "7d"));
    assertThat(sign.exit()).as(sign.transcript()).isZero();
    CliProcess.Result verify =
        CliProcess.jar(
            List.of("verify", signed.toString(), "--zone", zoneFile.toString(), "--json"));
    assertThat(verify.exit()).as(verify.transcript()).isZero();
    JsonNode doc = JSON.readTree(verify.out());
    assertThat(doc.path("dkim").path("signatures").findValuesAsString("result"))
        .containsExactly("pass", "pass");
    assertThat(doc.path("dmarc").path("result").asString()).isEqualTo("pass");

    CliProcess.Result again =
        CliProcess.jar(
            List.of(
                "keygen", "--domain", "fresh.test", "--selector", "k1", "--out", rsa.toString()));
    assertThat(again.exit()).isEqualTo(ExitCode.INPUT);
    assertThat(again.err()).contains("exists; give --force");
  }

  @Test
  void theLauncherRunsTheBuiltToolAndTheCompletionScriptNamesEveryCommand() {
    CliProcess.Result version = CliProcess.launcher(List.of("--version"));
    assertThat(version.exit()).as(version.transcript()).isZero();
    assertThat(version.out()).startsWith("mailauth ");
    assertThat(version.err()).as("the jar is fresh: no build").isEmpty();

    CliProcess.Result completion = CliProcess.launcher(List.of("completion"));
    assertThat(completion.exit()).isZero();
    assertThat(completion.out())
        .contains("complete -F")
        .contains(
            "check",
            "verify",
            "sign",
            "keygen",
            "spf",
            "dmarc",
            "mta-sts",
            "tlsrpt",
            "report",
            "summarize",
            "--parallel",
            "--selector");
  }
}
