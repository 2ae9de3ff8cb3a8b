package org.mailauth4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

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
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real authoritative DNS server (Debian's {@code nsd}) on a free loopback port, serving zones
 * given as zone-file text, for tests that must meet DNS as it is on the wire, and for programs
 * other than ours (interoperability peers) that can only be pointed at a server.
 *
 * <p>Register it as a JUnit 5 extension on a static field; it starts before the first test of the
 * class and stops after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NsdServer NSD = new NsdServer().zoneResource("example.test", "/dns/example.zone");
 * }</pre>
 *
 * <p>Without nsd installed each test is skipped, and fails under {@code CI=true} (see {@link
 * TestEnvironment#unavailable(String)}). The server listens on 127.0.0.1 only, UDP and TCP on one
 * port, and answers only for its zones: a name outside them is REFUSED, so a test that must walk up
 * to a top-level domain serves the root zone ({@code "."}) or that domain's zone. Not thread-safe
 * while zones are being added; {@link #address()} may be read from any thread once started.
 */
public final class NsdServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final String INSTALL_HINT = "apt-get install nsd";
  private static final Duration START_LIMIT = Duration.ofSeconds(15);

  private final Map<String, String> zones = new LinkedHashMap<>();
  private Process process;
  private Path dir;
  private volatile int port;

  /** Makes a server with no zones yet; add at least one before it starts. */
  public NsdServer() {}

  /**
   * Adds a zone whose file is a class-path resource.
   *
   * @param zone the zone's apex in presentation form without the final dot, such as {@code
   *     example.test}, or {@code "."} for the root zone
   * @param resource an absolute resource path, such as {@code /dns/nsd/example.test.zone}
   * @return this server
   * @throws IllegalArgumentException if there is no such resource
   */
  public NsdServer zoneResource(String zone, String resource) {
    requireNonNull(resource, "resource");
    try (InputStream in = NsdServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + resource + " for zone " + zone);
      }
      return zone(zone, new String(in.readAllBytes(), UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds a zone from its zone-file text (nsd's dialect of RFC 1035 master files; names relative to
   * the apex unless they end in a dot). A second zone of the same name replaces the first.
   *
   * @param zone the zone's apex, as for {@link #zoneResource(String, String)}
   * @param text the zone file, with the apex's SOA and NS records
   * @return this server
   */
  public NsdServer zone(String zone, String text) {
    requireNonNull(zone, "zone");
    requireNonNull(text, "text");
    if (process != null) {
      throw new IllegalStateException("nsd is already running; add zones before it starts");
    }
    zones.put(zone, text);
    return this;
  }

  /**
   * Returns the server's loopback address and port.
   *
   * @throws IllegalStateException if the server has not been started
   */
  public InetSocketAddress address() {
    if (port == 0) {
      throw new IllegalStateException("nsd has not been started");
    }
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /**
   * Returns the address as {@code 127.0.0.1:PORT}, the form programs outside the JVM take, such as
   * the interoperability drivers' {@code --dns} argument.
   *
   * @throws IllegalStateException if the server has not been started
   */
  public String hostAndPort() {
    InetSocketAddress address = address();
    return address.getAddress().getHostAddress() + ":" + address.getPort();
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
    if (zones.isEmpty()) {
      throw new IllegalStateException("NsdServer has no zones");
    }
    Optional<Path> found = TestEnvironment.findProgram("nsd");
    if (found.isEmpty()) {
      return;
    }
    dir = Files.createTempDirectory("mailauth4j-nsd");
    port = freePort();
    Path confFile = Files.writeString(dir.resolve("nsd.conf"), configuration());
    process =
        new ProcessBuilder(found.get().toString(), "-d", "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nsd.log").toFile())
            .start();
    awaitReady(zones.keySet().iterator().next());
  }

  /** Writes the zone files and returns nsd.conf: loopback only, no chroot, no user switch. */
  private String configuration() throws IOException {
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
    int index = 0;
    for (Map.Entry<String, String> zone : zones.entrySet()) {
      // numbered files, as a zone name such as "." makes no good file name
      String file = "zone" + index++ + ".zone";
      Files.writeString(dir.resolve(file), zone.getValue());
      conf.append("zone:\n  name: \"")
          .append(zone.getKey())
          .append("\"\n  zonefile: ")
          .append(file)
          .append('\n');
    }
    return conf.toString();
  }

  /** Waits until nsd answers the first zone's SOA query, as it serves only once zones load. */
  private void awaitReady(String zone) throws Exception {
    SimpleResolver probe = new SimpleResolver(address());
    probe.setTimeout(Duration.ofMillis(200));
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString(zone, Name.root), Type.SOA, DClass.IN));
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
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
    throw new IllegalStateException("nsd did not answer within " + START_LIMIT + ": " + log());
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
    if (dir != null) {
      ServerFiles.deleteTree(dir);
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
