package org.mailauth4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the test servers share: a free loopback port, running their commands, and removing their
 * directories after.
 */
final class ServerFiles {
  private ServerFiles() {}

  /** A TCP port free on 127.0.0.1 now; the server binds it moments later. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs a server's command to its end in the directory, failing with its output and {@code more}
   * (such as the server's log) if it exits with another status than 0 or runs past the limit, when
   * it is killed.
   */
  static void run(List<String> command, Path dir, Duration limit, Supplier<String> more)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("mailauth4j-command", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        throw new IllegalStateException(
            command + " did not finish within " + limit + ": " + Files.readString(out));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            command + " exited with " + p.exitValue() + ": " + Files.readString(out) + more.get());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Deletes a directory tree, trying again for two seconds while a server's exiting processes still
   * write into it.
   */
  static void deleteTree(Path root) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        deleteOnce(root);
        return;
      } catch (IOException stillInUse) {
        if (attempt == 20) {
          throw stillInUse;
        }
        Thread.sleep(100);
      }
    }
  }

  private static void deleteOnce(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Whether this JVM runs as root: a file it creates belongs to uid 0. */
  static boolean isRoot() throws IOException {
    Path probe = Files.createTempFile("mailauth4j-uid", ".probe");
    try {
      return ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;
    } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
      return false;
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
