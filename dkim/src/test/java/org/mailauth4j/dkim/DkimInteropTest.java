package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.dkim.Fixtures.CLOCK;
import static org.mailauth4j.dkim.Fixtures.DOMAIN;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailauth4j.testkit.TestEnvironment;

/**
 * Interoperability with another implementation: dkimpy (Debian's python3-dkim) verifies what we
 * sign, and we verify what it signs, over random messages and every canonicalization. Without
 * python3-dkim this is skipped (and fails under CI=true).
 */
class DkimInteropTest {
  private static final int MESSAGES = 12;
  private static Path python;
  private static DkimSigningKey rsa;
  private static String rsaPem;

  @TempDir static Path dir;

  @BeforeAll
  static void findDkimpy() throws Exception {
    // Debian's python3-dkim belongs to the system interpreter, which may not be first on PATH.
    for (Path candidate : List.of(Path.of("/usr/bin/python3"), Path.of("python3"))) {
      try {
        Process probe = new ProcessBuilder(candidate.toString(), "-c", "import dkim").start();
        if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          python = candidate;
          break;
        }
      } catch (IOException notThere) {
        // try the next
      }
    }
  }

  @BeforeEach
  void requireDkimpy() throws IOException {
    if (python == null) {
      TestEnvironment.unavailable(
          "dkimpy is not installed; install it with: apt-get install python3-dkim");
    }
    // dkimpy reads PKCS#1 RSA keys; the data set has one (1024 bits, enough for both sides).
    rsaPem = Files.readString(TestEnvironment.conformance("dkim/dkimpy").resolve("test.private"));
    rsa = DkimSigningKey.fromPem(rsaPem);
  }

  private static List<String> run(String... args) throws IOException, InterruptedException {
    Path script = dir.resolve("dkimpy_interop.py");
    if (!Files.exists(script)) {
      try (InputStream in =
          DkimInteropTest.class.getResourceAsStream("/dkim/interop/dkimpy_interop.py")) {
        Files.write(script, in.readAllBytes());
      }
    }
    List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), US_ASCII);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output.isEmpty() ? List.of() : List.of(output.split("\n"));
  }

  @Test
  void dkimpyVerifiesWhatWeSign() throws Exception {
    Path keys =
        Files.writeString(
            dir.resolve("keys.txt"),
            "rsa._domainkey.example.com\t"
                + rsa.keyRecord()
                + "\n"
                + "ed._domainkey.example.com\t"
                + Fixtures.ED25519.keyRecord()
                + "\n");
    List<String> files = new ArrayList<>();
    Random random = new Random(42);
    for (Canonicalization header : Canonicalization.values()) {
      for (Canonicalization body : Canonicalization.values()) {
        for (int i = 0; i < MESSAGES; i++) {
          String message =
              RandomMessages.message(random).replace("\r\n", "\n").replace("\n", "\r\n");
          for (String selector : List.of("rsa", "ed")) {
            DkimSigner signer =
                DkimSigner.builder()
                    .key(DOMAIN, selector, selector.equals("rsa") ? rsa : Fixtures.ED25519)
                    .allowRsaKeysUnder2048(true)
                    .canonicalization(header, body)
                    .clock(CLOCK)
                    .build();
            Path file = dir.resolve("ours-" + header + body + i + selector + ".eml");
            Files.write(file, signer.signMessage(message.getBytes(ISO_8859_1)));
            files.add(file.toString());
          }
        }
      }
    }
    List<String> args = new ArrayList<>(List.of("verify", keys.toString()));
    args.addAll(files);
    List<String> results = run(args.toArray(new String[0]));
    assertThat(results).hasSize(files.size());
    for (int i = 0; i < files.size(); i++) {
      assertThat(results.get(i))
          .as(Files.readString(Path.of(files.get(i)), ISO_8859_1))
          .isEqualTo("pass");
    }
  }

  @Test
  void weVerifyWhatDkimpySigns() throws Exception {
    Path rsaKey = Files.writeString(dir.resolve("rsa.pem"), rsaPem);
    Path edKey =
        Files.writeString(dir.resolve("ed.key"), "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=");
    KeyRecords records =
        new KeyRecords()
            .add("rsa._domainkey.example.com", rsa.keyRecord())
            .add("ed._domainkey.example.com", Fixtures.ED25519.keyRecord());
    DkimVerifier verifier = Fixtures.verifier(records).build();
    Random random = new Random(7);
    for (String canon :
        List.of("simple/simple", "simple/relaxed", "relaxed/simple", "relaxed/relaxed")) {
      for (String alg : List.of("rsa-sha256", "ed25519-sha256")) {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
          String message =
              RandomMessages.message(random).replace("\r\n", "\n").replace("\n", "\r\n");
          Path file = dir.resolve("theirs-" + canon.replace('/', '-') + alg + i + ".eml");
          Files.writeString(file, message, ISO_8859_1);
          files.add(file.toString());
        }
        boolean isRsa = alg.startsWith("rsa");
        List<String> args =
            new ArrayList<>(
                List.of(
                    "sign",
                    (isRsa ? rsaKey : edKey).toString(),
                    alg,
                    isRsa ? "rsa" : "ed",
                    "example.com",
                    canon));
        args.addAll(files);
        run(args.toArray(new String[0]));
        for (String file : files) {
          byte[] signed = Files.readAllBytes(Path.of(file + ".signed"));
          assertThat(DkimConformanceTest.describe(verifier.verify(signed)))
              .as("%s %s:%n%s", canon, alg, new String(signed, ISO_8859_1))
              .isEqualTo("pass");
        }
      }
    }
  }
}
