package org.mailauth4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the built command as a process, from the repository's root, as a user would. */
final class CliProcess {
  /** The repository's root: relative paths in the cases (samples/...) are relative to it. */
  static final Path ROOT = Path.of(System.getProperty("mailauth4j.root", "..")).toAbsolutePath();

  /** The runnable jar the build made. */
  static final Path JAR =
      Path.of(System.getProperty("mailauth4j.cli.jar", "target/mailauth.jar")).toAbsolutePath();

  /** What a run gave. */
  record Result(int exit, String out, String err, Duration elapsed) {
    /** For assertion messages: everything the process said. */
    String transcript() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private CliProcess() {}

  /** Runs {@code java -jar mailauth.jar ARGS}. */
  static Result jar(List<String> args) {
    return jar(args, new byte[0]);
  }

  static Result jar(List<String> args, byte[] stdin) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(args);
    return run(command, stdin);
  }

  /** Runs {@code ./mailauth ARGS}, the launcher at the repository's root. */
  static Result launcher(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("mailauth").toString());
    command.addAll(args);
    return run(command, new byte[0]);
  }

  static Result run(List<String> command, byte[] stdin) {
    assertThat(JAR).as("the runnable jar, made by mvn package").exists();
    long start = System.nanoTime();
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment()
          .put(
              "PATH",
              Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
      Process p = pb.start();
      CompletableFuture<byte[]> out = drain(p.getInputStream());
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      p.getOutputStream().write(stdin);
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the command did not end within 120 s: " + command);
      }
      return new Result(
          p.exitValue(),
          new String(out.join(), StandardCharsets.UTF_8),
          new String(err.join(), StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return in.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Writes a file under a test's temporary folder. */
  static Path write(Path dir, String name, String text) {
    try {
      Path f = dir.resolve(name);
      Files.writeString(f, text);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
