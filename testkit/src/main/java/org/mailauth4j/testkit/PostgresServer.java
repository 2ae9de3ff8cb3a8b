package org.mailauth4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server on a free loopback port, for tests of the JDBC report stores, with a
 * database of its own for each test class.
 *
 * <p>Register it as a JUnit 5 extension on a static field; the database is created before the first
 * test of the class and dropped after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresServer POSTGRES = new PostgresServer();
 *
 * try (Connection c = POSTGRES.connection()) { ... }
 * }</pre>
 *
 * <p>One server serves every class of a test run: it is started by the first class that needs it
 * (initdb into a temporary directory, trust authentication on loopback only, UTF-8, the C locale,
 * the server on 127.0.0.1 with its unix socket in that directory, durability off for speed) and
 * stopped, its directory deleted, when the run ends. The programs are looked for in the newest
 * {@code /usr/lib/postgresql/<version>/bin} (where Debian's {@code postgresql} package puts them),
 * then on the PATH. PostgreSQL refuses to run as root, so under root (as in CI) initdb and the
 * server run as the {@code postgres} user that Debian's package creates, through {@code setpriv} or
 * {@code runuser}. Without PostgreSQL each test is skipped, and fails under {@code CI=true} (see
 * {@link TestEnvironment#unavailable(String)}).
 *
 * <p>{@link #jdbcUrl()}, {@link #user()} and {@link #connection()} may be called from any thread
 * once the class's tests run.
 */
public final class PostgresServer
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final String INSTALL_HINT = "apt-get install postgresql";
  private static final Duration START_LIMIT = Duration.ofSeconds(60);
  private static final String SUPERUSER = "mailauth4j";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private volatile String database;
  private volatile Instance instance;
  private volatile String unavailable;

  /** Makes the extension; the server and the database come with the first test class. */
  public PostgresServer() {}

  /**
   * Returns the JDBC URL of this class's database, such as {@code
   * jdbc:postgresql://127.0.0.1:54321/tlsrpttest_1?sslmode=disable&gssEncMode=disable}.
   *
   * @throws IllegalStateException outside the class's tests
   */
  public String jdbcUrl() {
    return running().url(database());
  }

  /** Returns the database user, a superuser that needs no password. */
  public String user() {
    return SUPERUSER;
  }

  /** Returns the name of this class's database. */
  public String database() {
    String name = database;
    if (name == null) {
      throw new IllegalStateException("the database exists only while the class's tests run");
    }
    return name;
  }

  /**
   * Opens a new connection to this class's database, with {@link DriverManager}; the caller closes
   * it.
   *
   * @throws SQLException if the server refuses
   */
  public Connection connection() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), SUPERUSER, "");
  }

  private Instance running() {
    Instance server = instance;
    if (server == null) {
      throw new IllegalStateException("PostgreSQL has not been started");
    }
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    Shared shared = store.getOrComputeIfAbsent(Shared.class, key -> new Shared(), Shared.class);
    shared.start();
    if (shared.unavailable != null) {
      unavailable = shared.unavailable;
      return;
    }
    instance = shared.instance;
    String name =
        context
                .getRequiredTestClass()
                .getSimpleName()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "")
            + "_"
            + DATABASES.incrementAndGet();
    try (Connection admin = instance.admin();
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
    }
    database = name;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Each test, not the class, is skipped (or failed under CI), so reports count them.
    if (unavailable != null) {
      TestEnvironment.unavailable(unavailable);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    String name = database;
    Instance server = instance;
    database = null;
    if (name != null && server != null) {
      try (Connection admin = server.admin();
          Statement s = admin.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }

  /**
   * The server of a test run, kept in JUnit's root store, which closes what it holds when the run
   * ends.
   */
  private static final class Shared implements AutoCloseable {
    private boolean started;
    private Instance instance;
    private String unavailable;
    private Exception failure;

    synchronized void start() throws Exception {
      if (failure != null) {
        throw new IllegalStateException("PostgreSQL failed to start for an earlier class", failure);
      }
      if (started) {
        return;
      }
      started = true;
      Optional<Path> bin = findBin();
      if (bin.isEmpty()) {
        unavailable = "PostgreSQL is not installed; install it with: " + INSTALL_HINT;
        return;
      }
      List<String> runAs = List.of();
      if (ServerFiles.isRoot()) {
        Optional<List<String>> prefix = asPostgresUser();
        if (prefix.isEmpty()) {
          unavailable =
              "PostgreSQL refuses to run as root, and there is no 'postgres' user with setpriv or"
                  + " runuser to run it as; install it with: "
                  + INSTALL_HINT;
          return;
        }
        runAs = prefix.get();
      }
      try {
        instance = Instance.start(bin.get(), runAs);
      } catch (Exception e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public synchronized void close() throws IOException {
      if (instance != null) {
        instance.stop();
        instance = null;
      }
    }
  }

  /** One running server and its directory. */
  private static final class Instance {
    private final Path bin;
    private final List<String> runAs;
    private final Path dir;
    private final Path data;
    private final int port;
    private final Process process;

    private Instance(Path bin, List<String> runAs, Path dir, int port, Process process) {
      this.bin = bin;
      this.runAs = runAs;
      this.dir = dir;
      this.data = dir.resolve("data");
      this.port = port;
      this.process = process;
    }

    static Instance start(Path bin, List<String> runAs) throws Exception {
      // Under root the postgres user must reach the directory, so it goes under /tmp, whose
      // sticky, world-writable mode Debian keeps, rather than a java.io.tmpdir it may not enter.
      Path dir =
          runAs.isEmpty()
              ? Files.createTempDirectory("mailauth4j-pg")
              : Files.createTempDirectory(Path.of("/tmp"), "mailauth4j-pg");
      Path data = dir.resolve("data");
      Path socket = dir.resolve("socket");
      Files.createDirectories(socket);
      if (!runAs.isEmpty()) {
        chownToPostgres(dir);
        chownToPostgres(socket);
      }
      try {
        run(
            dir,
            runAs,
            List.of(
                bin.resolve("initdb").toString(),
                "--pgdata=" + data,
                "--username=" + SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync"));
        // initdb's pg_hba.conf trusts the unix socket and the loopback addresses only, and the
        // server listens on 127.0.0.1 alone.
        int port = ServerFiles.freePort();
        List<String> command = new ArrayList<>(runAs);
        command.addAll(
            List.of(
                bin.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=" + socket,
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=100"));
        Process process =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("postgres.log").toFile())
                .start();
        Instance started = new Instance(bin, runAs, dir, port, process);
        try {
          started.awaitReady();
        } catch (Exception e) {
          started.stop();
          throw e;
        }
        return started;
      } catch (Exception e) {
        ServerFiles.deleteTree(dir);
        throw e;
      }
    }

    String url(String database) {
      // no TLS or GSS negotiation to try first: a loopback test server offers neither
      return "jdbc:postgresql://127.0.0.1:"
          + port
          + "/"
          + database
          + "?sslmode=disable&gssEncMode=disable";
    }

    Connection admin() throws SQLException {
      return DriverManager.getConnection(url("postgres"), SUPERUSER, "");
    }

    /** Polls until the server takes a connection, within {@link #START_LIMIT}. */
    private void awaitReady() throws Exception {
      long deadline = System.nanoTime() + START_LIMIT.toNanos();
      SQLException last = null;
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("postgres exited: " + log());
        }
        try (Connection c = DriverManager.getConnection(url("postgres"), SUPERUSER, "")) {
          if (c.isValid(5)) {
            return;
          }
        } catch (SQLException notYet) {
          last = notYet;
        }
        Thread.sleep(50);
      }
      throw new IllegalStateException(
          "postgres did not accept connections within " + START_LIMIT + ": " + log(), last);
    }

    void stop() throws IOException {
      try {
        if (process.isAlive()) {
          // fast shutdown: ends the sessions and stops without waiting for clients
          try {
            run(
                dir,
                runAs,
                List.of(
                    bin.resolve("pg_ctl").toString(),
                    "stop",
                    "--pgdata=" + data,
                    "--mode=fast",
                    "--wait",
                    "--timeout=30"));
          } catch (IOException | IllegalStateException e) {
            process.destroy();
          }
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      } finally {
        try {
          ServerFiles.deleteTree(dir);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private String log() {
      try {
        return Files.readString(dir.resolve("postgres.log"));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }
  }

  /** Runs a program to its end, as the given user prefix, failing with its output. */
  private static void run(Path dir, List<String> runAs, List<String> program)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(runAs);
    command.addAll(program);
    ServerFiles.run(command, dir, START_LIMIT, () -> "");
  }

  /** The newest {@code /usr/lib/postgresql/<version>/bin}, else the folder of initdb on PATH. */
  private static Optional<Path> findBin() throws IOException {
    Path lib = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        Optional<Path> newest =
            versions
                .filter(v -> v.getFileName().toString().matches("[0-9]+(\\.[0-9]+)?"))
                .map(v -> v.resolve("bin"))
                .filter(PostgresServer::hasPrograms)
                .max(Comparator.comparingDouble(b -> version(b.getParent())));
        if (newest.isPresent()) {
          return newest;
        }
      }
    }
    Optional<Path> initdb = TestEnvironment.findProgram("initdb");
    return initdb.map(Path::getParent).filter(PostgresServer::hasPrograms);
  }

  private static double version(Path dir) {
    return Double.parseDouble(dir.getFileName().toString());
  }

  private static boolean hasPrograms(Path bin) {
    for (String program : List.of("initdb", "pg_ctl", "postgres")) {
      Path p = bin.resolve(program);
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        return false;
      }
    }
    return true;
  }

  /** The command prefix that runs a program as the postgres user, if that user exists. */
  private static Optional<List<String>> asPostgresUser() {
    try {
      postgresUser();
    } catch (IOException noSuchUser) {
      return Optional.empty();
    }
    Optional<Path> setpriv = TestEnvironment.findProgram("setpriv");
    if (setpriv.isPresent()) {
      // setpriv executes the program in its own place, so the process we hold is the server
      return Optional.of(
          List.of(
              setpriv.get().toString(),
              "--reuid=postgres",
              "--regid=postgres",
              "--init-groups",
              "--"));
    }
    return TestEnvironment.findProgram("runuser")
        .map(runuser -> List.of(runuser.toString(), "-u", "postgres", "--"));
  }

  private static UserPrincipal postgresUser() throws IOException {
    UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
    return users.lookupPrincipalByName("postgres");
  }

  private static void chownToPostgres(Path path) throws IOException {
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user = postgresUser();
    GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(user);
    view.setGroup(group);
  }
}
