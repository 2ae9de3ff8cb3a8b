package org.mailauth4j.dane;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mailauth4j.testkit.PostfixServer;

/**
 * A {@link PostfixServer} starting stops the master of an instance whose JVM has gone, and deletes
 * its directory; it leaves alone an instance whose JVM lives, one without a record of its JVM, and
 * any process that is not that instance's master. The servers are driven through their extension
 * callbacks, so that one test can start several.
 */
class PostfixServerAbandonedTest {
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private final List<PostfixServer> servers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (PostfixServer server : servers) {
      server.afterAll(context(server));
    }
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
    for (Path dir : dirs) {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      }
    }
  }

  /** A context naming the server, all that PostfixServer asks of one. */
  private static ExtensionContext context(PostfixServer server) {
    String id = "[test:" + System.identityHashCode(server) + "]";
    return (ExtensionContext)
        Proxy.newProxyInstance(
            ExtensionContext.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getUniqueId")) {
                return id;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  /** Starts a server, as JUnit would for a class; skipped (or failed under CI) without Postfix. */
  private PostfixServer start() throws Exception {
    PostfixServer server = new PostfixServer();
    servers.add(server);
    server.beforeAll(context(server));
    server.beforeEach(context(server));
    return server;
  }

  /** A process that is surely not a Postfix master, and lives until the test ends. */
  private ProcessHandle bystander() throws IOException {
    Process p = new ProcessBuilder("sleep", "600").start();
    processes.add(p);
    return p.toHandle();
  }

  /** The record of a JVM that has exited: the pid and start instant of a process now gone. */
  private static String deadRecord() throws Exception {
    Process p = new ProcessBuilder("sleep", "600").start();
    String record = record(p.toHandle());
    p.destroyForcibly().waitFor();
    return record;
  }

  private static String record(ProcessHandle process) {
    return process.pid() + " " + process.info().startInstant().orElseThrow() + "\n";
  }

  /** A directory as an instance leaves it: its JVM's record, if any, and a master.pid. */
  private Path instanceDir(Optional<String> record, long masterPid) throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "mailauth4j-postfix");
    dirs.add(dir);
    if (record.isPresent()) {
      Files.writeString(dir.resolve("jvm"), record.get(), US_ASCII);
    }
    Path pid = Files.createDirectories(dir.resolve("spool").resolve("pid"));
    // as Postfix writes it: right-aligned in ten columns
    Files.writeString(pid.resolve("master.pid"), String.format("%10d\n", masterPid), US_ASCII);
    return dir;
  }

  @Test
  void abandonedDirectoryGoesButAProcessThatIsNotItsMasterLives() throws Exception {
    ProcessHandle bystander = bystander();
    Path abandoned = instanceDir(Optional.of(deadRecord()), bystander.pid());

    start();

    assertThat(abandoned).doesNotExist();
    assertThat(bystander.isAlive()).isTrue();
  }

  @Test
  void aPidReusedByAnotherProcessCountsAsGone() throws Exception {
    ProcessHandle bystander = bystander();
    Instant started = bystander.info().startInstant().orElseThrow();
    String reused = bystander.pid() + " " + started.minusSeconds(3600) + "\n";
    Path abandoned = instanceDir(Optional.of(reused), bystander.pid());

    start();

    assertThat(abandoned).doesNotExist();
    assertThat(bystander.isAlive()).isTrue();
  }

  @Test
  void directoryOfALiveJvmIsLeftAlone() throws Exception {
    ProcessHandle bystander = bystander();
    Path live = instanceDir(Optional.of(record(bystander)), bystander.pid());

    start();

    assertThat(live.resolve("jvm")).exists();
    assertThat(bystander.isAlive()).isTrue();
  }

  @Test
  void directoryWithoutARecordIsLeftAlone() throws Exception {
    ProcessHandle bystander = bystander();
    Path older = instanceDir(Optional.empty(), bystander.pid());

    start();

    assertThat(older.resolve("spool/pid/master.pid")).exists();
    assertThat(bystander.isAlive()).isTrue();
  }

  @Test
  void masterOfADeadJvmIsStopped() throws Exception {
    PostfixServer victim = start();
    Path dir = directoryServing(victim.address().getPort());
    dirs.add(dir);
    long pid = Long.parseLong(Files.readString(dir.resolve("spool/pid/master.pid")).trim());
    ProcessHandle master = ProcessHandle.of(pid).orElseThrow();
    // as if the JVM that started it had been killed
    Files.writeString(dir.resolve("jvm"), deadRecord(), US_ASCII);

    start();

    assertThat(dir).doesNotExist();
    // the new server waited for it to exit; the bound only keeps a failure from hanging
    assertThat(master.onExit()).succeedsWithin(Duration.ofSeconds(30));
  }

  /** The instance directory whose master.cf has smtpd on the port. */
  private static Path directoryServing(int port) throws IOException {
    try (DirectoryStream<Path> dirs =
        Files.newDirectoryStream(Path.of("/tmp"), "mailauth4j-postfix*")) {
      for (Path dir : dirs) {
        Path masterCf = dir.resolve("etc/master.cf");
        if (Files.isRegularFile(masterCf)
            && Files.readString(masterCf).startsWith("127.0.0.1:" + port + " ")) {
          return dir;
        }
      }
    }
    throw new AssertionError("no instance directory serves port " + port);
  }
}
