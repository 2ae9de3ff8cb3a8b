package org.mailauth4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the test servers share: a free loopback port, running their commands, recording which JVM
 * owns their directories, and removing those directories after.
 */
final class ServerFiles {
  /**
   * The file in a server's directory naming the JVM that owns it: its pid, a space, and its start
   * instant (ISO-8601, or {@code -} if the system does not tell), so that a later JVM given the
   * same pid is not taken for the owner.
   */
  static final String OWNER_RECORD = "jvm";

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

  /**
   * Records this JVM as the owner of the directory (in {@link #OWNER_RECORD}), written whole and
   * moved into place, so a reader never sees half a record.
   */
  static void recordOwner(Path dir) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    String started = self.info().startInstant().map(Instant::toString).orElse("-");
    Path partial = dir.resolve(OWNER_RECORD + ".partial");
    Files.writeString(partial, self.pid() + " " + started + "\n", StandardCharsets.US_ASCII);
    Files.move(
        partial,
        dir.resolve(OWNER_RECORD),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Whether the directory's {@link #OWNER_RECORD} names a JVM that is no longer running: its pid is
   * gone, or now belongs to a process started at another instant. False when there is no record or
   * it cannot be read (a directory of an older format, or one being made now), and for a directory
   * that is a link or belongs to another user, which this JVM did not make.
   */
  static boolean ownerIsDead(Path dir) {
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
          || !Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS).equals(uid())) {
        return false;
      }
      String[] fields =
          Files.readString(dir.resolve(OWNER_RECORD), StandardCharsets.US_ASCII).trim().split(" ");
      if (fields.length != 2) {
        return false;
      }
      long pid = Long.parseLong(fields[0]);
      Optional<Instant> recorded =
          fields[1].equals("-") ? Optional.empty() : Optional.of(Instant.parse(fields[1]));
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (process.isEmpty()) {
        return true;
      }
      Optional<Instant> started = process.get().info().startInstant();
      // the pid was reused when both instants are known and differ
      return recorded.isPresent() && started.isPresent() && !recorded.equals(started);
    } catch (IOException
        | DateTimeParseException
        | UnsupportedOperationException
        | IllegalArgumentException unreadable) {
      // IllegalArgumentException: also a pid that is not a number
      return false;
    }
  }

  /** Whether this JVM runs as root: a file it creates belongs to uid 0. */
  static boolean isRoot() throws IOException {
    try {
      return uid() == 0;
    } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
      return false;
    }
  }

  /** The uid this JVM runs as: the owner of a file it creates. */
  private static int uid() throws IOException {
    Path probe = Files.createTempFile("mailauth4j-uid", ".probe");
    try {
      return (Integer) Files.getAttribute(probe, "unix:uid");
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
