package org.mailauth4j.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real SMTP server (Postfix) on a free loopback port, offering STARTTLS with a certificate from a
 * {@link TestPki}, for tests that must meet an MTA as it is on the wire.
 *
 * <p>Register it as a JUnit 5 extension on a static field; it starts before the first test of the
 * class and stops after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostfixServer POSTFIX = new PostfixServer();
 *
 * probe.probe(POSTFIX.address(), DomainName.parse(POSTFIX.hostName()));
 * }</pre>
 *
 * <p>The instance is private to the class: its own {@code config_directory}, {@code
 * queue_directory} and {@code data_directory} in a temporary directory, {@code smtpd} on 127.0.0.1
 * only, {@code smtpd_tls_security_level = may}, the mail domain in {@code mydestination}, its log
 * in a file there ({@code maillog_file}, no syslog). The system's Postfix, its {@code /etc/postfix}
 * and its queue are not touched. {@code postfix -c DIR check} creates the queue directories with
 * their owners and modes; then the extension starts Postfix's {@code master -c DIR -s} itself, in
 * the foreground, so it holds the process: stopping it (SIGTERM) ends the master's whole process
 * group, and killing it makes every daemon exit, as they watch their master.
 *
 * <p>The port is free when chosen, but another process may bind it before Postfix does. So the
 * server greets with a banner of its own ({@code smtpd_banner}, the host name, {@code ESMTP} and a
 * random token), and it is ready only when that banner comes from the port; if the master exits
 * instead, or another greeting answers, it is started again on another port, a few times.
 *
 * <p>A JVM killed before it stops its server would leave the master running for good. So the
 * instance's directory, {@code /tmp/mailauth4j-postfix*}, records the JVM that owns it (a file
 * {@code jvm}: its pid, a space, its start instant in ISO-8601), and each start stops the master of
 * every other such directory whose JVM has gone (the pid in its {@code spool/pid/master.pid}, only
 * if that process is a {@code master} run with that directory's {@code etc}) and deletes the
 * directory. A directory without a record, or whose JVM lives, is left alone.
 *
 * <p>Postfix's {@code master} runs only as root; it drops to the {@code postfix} user for its
 * daemons. So without Postfix, or run by another user than root, or without the {@code postfix}
 * user and {@code postdrop} group that Debian's package makes, each test is skipped, and fails
 * under {@code CI=true} (see {@link TestEnvironment#unavailable(String)}), where the tests run as
 * root.
 *
 * <p>One instance serves the class that registers it and that class's {@code @Nested} classes: it
 * is started once, for the outermost, and stopped after it. Not thread-safe while being configured;
 * {@link #address()} and {@link #chain()} may be read from any thread once started.
 */
public final class PostfixServer
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final String INSTALL_HINT = "apt-get install postfix";
  private static final Duration START_LIMIT = Duration.ofSeconds(30);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;
  private static final Path TMP = Path.of("/tmp");
  private static final String DIR_PREFIX = "mailauth4j-postfix";
  private static final int MAX_GREETING = 512;

  private String hostName = "mx.example.test";
  private String domain = "example.test";
  private volatile TestPki.Identity identity;
  private volatile String unavailable;
  private volatile int port;
  private Process process;
  private Path dir;

  /** The token in this instance's banner, which tells its greeting from another server's. */
  private String token;

  /** The unique id of the class that started the server, which alone stops it. */
  private String owner;

  /**
   * Makes a server for {@code mx.example.test}, receiving mail for {@code example.test}, whose
   * certificate comes from a test CA of its own unless {@link #identity(TestPki.Identity)} gives
   * one.
   */
  public PostfixServer() {}

  /**
   * Sets the server's host name ({@code myhostname}, the name of its greeting and EHLO reply).
   *
   * @param hostName such as {@code mx.example.test}
   * @return this server
   */
  public PostfixServer hostName(String hostName) {
    notStarted();
    this.hostName = requireNonNull(hostName, "hostName");
    return this;
  }

  /**
   * Sets the domain the server receives mail for ({@code mydestination}).
   *
   * @param domain such as {@code example.test}
   * @return this server
   */
  public PostfixServer domain(String domain) {
    notStarted();
    this.domain = requireNonNull(domain, "domain");
    return this;
  }

  /**
   * Sets the key and chain the server presents after STARTTLS; by default a certificate for the
   * host name, issued by a test CA minted for the server and valid from a day ago for a week.
   *
   * @param identity the key and chain, leaf first
   * @return this server
   */
  public PostfixServer identity(TestPki.Identity identity) {
    notStarted();
    this.identity = requireNonNull(identity, "identity");
    return this;
  }

  private void notStarted() {
    if (process != null) {
      throw new IllegalStateException("Postfix is already running; configure it before it starts");
    }
  }

  /**
   * Returns the server's loopback address and SMTP port.
   *
   * @throws IllegalStateException if the server has not been started
   */
  public InetSocketAddress address() {
    if (port == 0) {
      throw new IllegalStateException("Postfix has not been started");
    }
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** Returns the server's host name, the name its certificate is for. */
  public String hostName() {
    return hostName;
  }

  /** Returns the domain the server receives mail for. */
  public String domain() {
    return domain;
  }

  /**
   * Returns the key and chain the server presents.
   *
   * @throws IllegalStateException if none has been set and the server has not been started
   */
  public TestPki.Identity identity() {
    TestPki.Identity id = identity;
    if (id == null) {
      throw new IllegalStateException("Postfix has not been started");
    }
    return id;
  }

  /**
   * Returns the certificate chain the server presents after STARTTLS, leaf first.
   *
   * @throws IllegalStateException as {@link #identity()}
   */
  public List<X509Certificate> chain() {
    return identity().chain();
  }

  /**
   * Returns what Postfix has logged so far, for a failing test's message.
   *
   * @return the log, or why there is none
   */
  public String log() {
    Path d = dir;
    if (d == null) {
      return "(Postfix has not been started)";
    }
    StringBuilder log = new StringBuilder();
    for (String file : List.of("maillog", "master.out")) {
      try {
        log.append(Files.readString(d.resolve(file), US_ASCII));
      } catch (IOException e) {
        log.append("(no ").append(file).append(")\n");
      }
    }
    return log.toString();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Each test, not the class, is skipped (or failed under CI), so reports count them.
    if (unavailable != null) {
      TestEnvironment.unavailable(unavailable);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (owner != null) {
      // a @Nested class of the one that started it: the running server serves it too
      return;
    }
    owner = context.getUniqueId();
    Optional<Path> postfix = TestEnvironment.findProgram("postfix");
    Optional<Path> master = postfix.flatMap(PostfixServer::findMaster);
    if (master.isEmpty()) {
      unavailable = "Postfix is not installed; install it with: " + INSTALL_HINT;
      return;
    }
    if (!ServerFiles.isRoot()) {
      unavailable =
          "Postfix's master runs only as root (it drops to the postfix user for its daemons);"
              + " run the tests as root, as CI does";
      return;
    }
    UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
    try {
      users.lookupPrincipalByName("postfix");
      users.lookupPrincipalByGroupName("postdrop");
    } catch (IOException noSuchUser) {
      unavailable =
          "there is no postfix user or postdrop group, which Postfix runs as; install it with: "
              + INSTALL_HINT;
      return;
    }
    if (identity == null) {
      Instant now = Instant.now();
      TestPki pki =
          new TestPki(
              "mailauth4j Postfix test CA", now.minusSeconds(86_400), now.plus(Duration.ofDays(7)));
      identity =
          pki.issue(List.of(hostName), now.minusSeconds(86_400), now.plus(Duration.ofDays(7)));
    }
    stopAbandoned();
    // Under /tmp, as PostgresServer does: the postfix user must be able to enter it.
    dir = Files.createTempDirectory(TMP, DIR_PREFIX);
    try {
      ServerFiles.recordOwner(dir);
      start(postfix.get(), master.get());
    } catch (Exception e) {
      try {
        stop();
      } catch (Exception alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
  }

  private void start(Path postfix, Path master) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path etc = Files.createDirectory(dir.resolve("etc"));
    Files.createDirectory(dir.resolve("spool"));
    Path data = Files.createDirectory(dir.resolve("data"));
    // data_directory belongs to mail_owner (postfix check warns otherwise); the queue
    // directories below spool are made by postfix check, with the owners and modes they need.
    PosixFileAttributeView dataView =
        Files.getFileAttributeView(data, PosixFileAttributeView.class);
    UserPrincipalLookupService users = data.getFileSystem().getUserPrincipalLookupService();
    dataView.setOwner(users.lookupPrincipalByName("postfix"));
    dataView.setGroup(users.lookupPrincipalByGroupName("postfix"));

    Path key = etc.resolve("key.pem");
    Files.createFile(
        key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, privateKeyPem(identity), US_ASCII);
    Path certs =
        Files.writeString(etc.resolve("chain.pem"), certificatesPem(identity.chain()), US_ASCII);
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    token = "mailauth4j-" + HexFormat.of().formatHex(random);
    port = ServerFiles.freePort();
    Files.writeString(etc.resolve("main.cf"), mainCf(etc, key, certs), US_ASCII);
    Files.writeString(etc.resolve("master.cf"), masterCf(), US_ASCII);

    // Checks the configuration, and creates the missing queue directories (post-install
    // create-missing) with the owners and modes of Postfix's postfix-files.
    run(List.of(postfix.toString(), "-c", etc.toString(), "check"));

    List<PortLost> lost = new ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      // -s: stay in the foreground, as its own process group's leader, logging to stdout too
      process =
          new ProcessBuilder(master.toString(), "-c", etc.toString(), "-s")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(dir.resolve("master.out").toFile()))
              .start();
      try {
        awaitGreeting();
        return;
      } catch (PortLost e) {
        lost.add(e);
        stopMaster();
        if (attempt == START_ATTEMPTS) {
          IllegalStateException failure =
              new IllegalStateException(
                  "Postfix did not start in " + START_ATTEMPTS + " attempts: " + log());
          lost.forEach(failure::addSuppressed);
          throw failure;
        }
        // another process took the port between freePort() and the master's bind
        port = ServerFiles.freePort();
        Files.writeString(etc.resolve("master.cf"), masterCf(), US_ASCII);
      }
    }
  }

  /** Why an attempt to start failed in a way that a start on another port may not. */
  private static final class PortLost extends Exception {
    private static final long serialVersionUID = 1L;

    PortLost(String message) {
      super(message);
    }
  }

  private String mainCf(Path etc, Path key, Path certs) {
    String spool = dir.resolve("spool").toString();
    return String.join(
        "\n",
        "# A private Postfix instance for tests; nothing here refers to the system's. The",
        "# program directories and meta_directory stay the package's: postfix check reads",
        "# postfix-files there to know which queue directories to make.",
        "compatibility_level = 3.6",
        "config_directory = " + etc,
        "queue_directory = " + spool,
        "data_directory = " + dir.resolve("data"),
        "mail_owner = postfix",
        "setgid_group = postdrop",
        "inet_interfaces = 127.0.0.1",
        "inet_protocols = ipv4",
        "myhostname = " + hostName,
        // a greeting no other server gives, so the readiness check knows it reached this one
        "smtpd_banner = $myhostname ESMTP " + token,
        "mydomain = " + domain,
        "myorigin = $mydomain",
        "mydestination = $mydomain",
        "mynetworks = 127.0.0.0/8",
        "local_recipient_maps =",
        "alias_maps =",
        "alias_database =",
        "biff = no",
        "smtputf8_enable = no",
        // no syslog in a test machine: postlogd writes the log into the instance's directory
        "maillog_file = " + dir.resolve("maillog"),
        "maillog_file_prefixes = " + dir,
        // STARTTLS offered, never required (RFC 3207), with the test certificate
        "smtpd_tls_security_level = may",
        "smtpd_tls_chain_files = " + key + ", " + certs,
        "smtpd_tls_loglevel = 1",
        "smtp_tls_security_level = none",
        "");
  }

  private String masterCf() {
    // service type private unpriv chroot wakeup maxproc command; no chroot, so nothing need be
    // copied into the queue directory.
    return String.join(
        "\n",
        "127.0.0.1:" + port + " inet n - n - - smtpd",
        "pickup    unix  n - n 60   1 pickup",
        "cleanup   unix  n - n -    0 cleanup",
        "qmgr      unix  n - n 300  1 qmgr",
        "tlsmgr    unix  - - n 1000? 1 tlsmgr",
        "rewrite   unix  - - n -    - trivial-rewrite",
        "bounce    unix  - - n -    0 bounce",
        "defer     unix  - - n -    0 bounce",
        "trace     unix  - - n -    0 bounce",
        "verify    unix  - - n -    1 verify",
        "proxymap  unix  - - n -    - proxymap",
        "error     unix  - - n -    - error",
        "retry     unix  - - n -    - error",
        "discard   unix  - - n -    - discard",
        "local     unix  - n n -    - local",
        "anvil     unix  - - n -    1 anvil",
        "scache    unix  - - n -    1 scache",
        "postlog   unix-dgram n - n - 1 postlogd",
        "");
  }

  /**
   * Waits until smtpd greets on the port with this instance's banner, as the master listens before
   * it is ready.
   *
   * @throws PortLost if the master exits (as when the port was taken), or another greeting answers
   */
  private void awaitGreeting() throws Exception {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    IOException last = null;
    String expected = "220 " + hostName + " ESMTP " + token;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new PortLost("Postfix's master exited, on port " + port);
      }
      try (Socket socket = new Socket()) {
        socket.connect(address(), 1000);
        socket.setSoTimeout(5000);
        String greeting = readLine(socket.getInputStream());
        if (greeting.equals(expected)) {
          socket.getOutputStream().write("QUIT\r\n".getBytes(US_ASCII));
          return;
        }
        throw new PortLost("port " + port + " greeted with another banner: " + greeting);
      } catch (IOException notYet) {
        last = notYet;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "Postfix did not greet within " + START_LIMIT + ": " + log(), last);
  }

  /** The first line from the server, without its CRLF, read to at most a few hundred bytes. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != -1 && b != '\n' && line.length() < MAX_GREETING; b = in.read()) {
      line.append((char) b);
    }
    if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
      line.setLength(line.length() - 1);
    }
    return line.toString();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (context.getUniqueId().equals(owner)) {
      owner = null;
      unavailable = null;
      stop();
    }
  }

  private void stop() throws IOException, InterruptedException {
    try {
      stopMaster();
    } finally {
      process = null;
      port = 0;
      if (dir != null) {
        ServerFiles.deleteTree(dir);
        dir = null;
      }
    }
  }

  private void stopMaster() throws InterruptedException {
    if (process != null) {
      // SIGTERM: the master ends its process group, daemons and all
      process.destroy();
      if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Stops the master of every other instance whose JVM has gone without stopping it, and deletes
   * its directory. Best effort: what cannot be read or stopped is left for the next start.
   */
  private static void stopAbandoned() throws InterruptedException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(TMP, DIR_PREFIX + "*")) {
      for (Path abandoned : dirs) {
        if (ServerFiles.ownerIsDead(abandoned)) {
          try {
            masterOf(abandoned).ifPresent(PostfixServer::stopProcess);
            ServerFiles.deleteTree(abandoned);
          } catch (IOException | RuntimeException e) {
            // another JVM may be cleaning it up at the same moment
          }
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // no /tmp to look in: nothing was left there
    }
  }

  /**
   * The master named in the directory's pid file, if that process is Postfix's {@code master} run
   * with this directory's configuration, not another that has the pid since.
   */
  private static Optional<ProcessHandle> masterOf(Path instance) throws IOException {
    Path pidFile = instance.resolve("spool").resolve("pid").resolve("master.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile, US_ASCII).trim());
    } catch (NumberFormatException notAPid) {
      return Optional.empty();
    }
    String etc = instance.resolve("etc").toString();
    return ProcessHandle.of(pid)
        .filter(
            p -> {
              ProcessHandle.Info info = p.info();
              boolean isMaster =
                  info.command().map(c -> Path.of(c).endsWith("master")).orElse(false);
              List<String> args = info.arguments().map(List::of).orElse(List.of());
              int c = args.indexOf("-c");
              return isMaster && c >= 0 && c + 1 < args.size() && args.get(c + 1).equals(etc);
            });
  }

  /** Ends a master not started by this JVM: SIGTERM, then SIGKILL if it does not exit. */
  private static void stopProcess(ProcessHandle master) {
    master.destroy();
    try {
      master.onExit().get(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      master.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a Postfix command to its end, failing with its output and Postfix's log. */
  private void run(List<String> command) throws IOException, InterruptedException {
    ServerFiles.run(command, dir, START_LIMIT, this::log);
  }

  /** Postfix's master, in the daemon_directory that postconf names, else where Debian puts it. */
  private static Optional<Path> findMaster(Path postfix) {
    List<Path> candidates = new ArrayList<>();
    Path postconf = postfix.resolveSibling("postconf");
    if (Files.isExecutable(postconf)) {
      try {
        Process p =
            new ProcessBuilder(postconf.toString(), "-d", "-h", "daemon_directory")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), US_ASCII).trim();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
          candidates.add(Path.of(out, "master"));
        }
      } catch (IOException e) {
        // fall back to the usual place
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    candidates.add(Path.of("/usr/lib/postfix/sbin/master"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  private static String privateKeyPem(TestPki.Identity identity) {
    // PKCS#8, which OpenSSL reads for any key type
    return pem("PRIVATE KEY", identity.keys().getPrivate().getEncoded());
  }

  private static String certificatesPem(List<X509Certificate> chain) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : chain) {
      try {
        pem.append(pem("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return pem.toString();
  }

  private static String pem(String label, byte[] der) {
    Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII));
    return "-----BEGIN "
        + label
        + "-----\n"
        + base64.encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
