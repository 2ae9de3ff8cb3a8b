package org.mailauth4j.dns;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mailauth4j.testkit.TestEnvironment;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real authoritative DNS server (Debian's {@code nsd}) on a free loopback port, started before a
 * test class and stopped after it. Without nsd the tests are skipped, and fail under CI=true.
 */
final class NsdServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final String INSTALL_HINT = "apt-get install nsd";

  private final Map<String, String> zones = new LinkedHashMap<>();
  private Process process;
  private Path dir;
  private int port;

  /** Adds a zone from a test resource {@code /dns/nsd/<zone>.zone}. */
  NsdServer zoneResource(String zone) {
    try (InputStream in = NsdServer.class.getResourceAsStream("/dns/nsd/" + zone + ".zone")) {
      if (in == null) {
        throw new IllegalArgumentException("no zone resource for " + zone);
      }
      return zone(zone, new String(in.readAllBytes(), UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds a zone from text. */
  NsdServer zone(String zone, String text) {
    zones.put(zone, text);
    return this;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Each test, not the class, is skipped (or failed under CI), so reports count them.
    if (process == null) {
      TestEnvironment.unavailable("nsd is not installed; install it with: " + INSTALL_HINT);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Optional<Path> found = TestEnvironment.findProgram("nsd");
    if (found.isEmpty()) {
      return;
    }
    Path nsd = found.get();
    dir = Files.createTempDirectory("mailauth4j-nsd");
    port = freePort();
    StringBuilder conf = new StringBuilder();
    conf.append("server:\n")
        .append("  ip-address: 127.0.0.1\n")
        .append("  port: ")
        .append(port)
        .append('\n')
        .append("  do-ip6: no\n")
        .append("  username: \"\"\n")
        .append("  chroot: \"\"\n")
        .append("  zonesdir: \"")
        .append(dir)
        .append("\"\n")
        .append("  database: \"\"\n")
        .append("  zonelistfile: \"")
        .append(dir.resolve("zone.list"))
        .append("\"\n")
        .append("  xfrdfile: \"")
        .append(dir.resolve("xfrd.state"))
        .append("\"\n")
        .append("  xfrdir: \"")
        .append(dir)
        .append("\"\n")
        .append("  pidfile: \"")
        .append(dir.resolve("nsd.pid"))
        .append("\"\n")
        .append("  server-count: 1\n")
        .append("  hide-version: yes\n")
        .append("  verbosity: 1\n")
        .append("remote-control:\n")
        .append("  control-enable: no\n");
    for (Map.Entry<String, String> zone : zones.entrySet()) {
      Files.writeString(dir.resolve(zone.getKey() + ".zone"), zone.getValue());
      conf.append("zone:\n  name: ")
          .append(zone.getKey())
          .append("\n  zonefile: ")
          .append(zone.getKey())
          .append(".zone\n");
    }
    Path confFile = Files.writeString(dir.resolve("nsd.conf"), conf);
    process =
        new ProcessBuilder(nsd.toString(), "-d", "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nsd.log").toFile())
            .start();
    awaitReady(zones.keySet().iterator().next());
  }

  private void awaitReady(String zone) throws Exception {
    SimpleResolver probe = new SimpleResolver(address());
    probe.setTimeout(Duration.ofMillis(200));
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nsd exited: " + log());
      }
      try {
        Message response = probe.send(query);
        if (response.getRcode() == Rcode.NOERROR) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("nsd did not answer within 15 s: " + log());
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("nsd.log"));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** A port free for both UDP and TCP on loopback. */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int candidate = tcp.getLocalPort();
        DatagramSocket udp;
        try {
          udp =
              new DatagramSocket(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
        } catch (IOException taken) {
          continue;
        }
        udp.close();
        return candidate;
      }
    }
    throw new IOException("no free loopback port for both UDP and TCP");
  }
}
