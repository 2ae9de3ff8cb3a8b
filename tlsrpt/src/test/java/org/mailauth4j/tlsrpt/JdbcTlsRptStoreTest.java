package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.tlsrpt.Sessions.COMPANY_Y;
import static org.mailauth4j.tlsrpt.Sessions.DANE;
import static org.mailauth4j.tlsrpt.Sessions.NO_POLICY;
import static org.mailauth4j.tlsrpt.Sessions.failure;
import static org.mailauth4j.tlsrpt.Sessions.ip;
import static org.mailauth4j.tlsrpt.Sessions.success;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.MutableClock;
import org.mailauth4j.testkit.PostgresServer;
import org.postgresql.ds.PGSimpleDataSource;

/** The store contract, kept by the JDBC store on a real PostgreSQL; and several MTAs on one. */
class JdbcTlsRptStoreTest extends TlsRptStoreContract {
  @RegisterExtension static final PostgresServer POSTGRES = new PostgresServer();

  private static final ExecutorService JDBC = Executors.newFixedThreadPool(8);
  private static final AtomicInteger TABLES = new AtomicInteger();

  @AfterAll
  static void stopThePool() {
    JDBC.shutdownNow();
  }

  private static DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(POSTGRES.jdbcUrl());
    ds.setUser(POSTGRES.user());
    return ds;
  }

  /** A store on tables of its own, so each test starts empty. */
  private static JdbcTlsRptStore freshStore() {
    JdbcTlsRptStore store =
        JdbcTlsRptStore.builder(dataSource(), JDBC)
            .tablePrefix("t" + TABLES.incrementAndGet() + "_")
            .build();
    store.createSchema();
    return store;
  }

  @Override
  TlsRptStore newStore() {
    return freshStore();
  }

  /** What a hooked connection does with a call: the hook may run it ({@code proceed}) or not. */
  @FunctionalInterface
  interface Hook {
    Object on(Connection real, String method, Object[] args, Callable<Object> proceed)
        throws Throwable;
  }

  /** A data source whose connections pass each call through the hook. */
  private static DataSource hooked(Hook hook) {
    DataSource real = dataSource();
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, m, args) -> {
              Object r = invoke(real, m, args);
              if (!(r instanceof Connection c)) {
                return r;
              }
              return Proxy.newProxyInstance(
                  Connection.class.getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (cp, cm, cargs) -> hook.on(c, cm.getName(), cargs, () -> invoke(c, cm, cargs)));
            });
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Exception {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception x) {
        throw x;
      }
      throw e;
    }
  }

  private static JdbcTlsRptStore.Builder storeOn(DataSource ds, String prefix) {
    JdbcTlsRptStore.builder(dataSource(), JDBC).tablePrefix(prefix).build().createSchema();
    return JdbcTlsRptStore.builder(ds, JDBC).tablePrefix(prefix);
  }

  private static String newPrefix() {
    return "h" + TABLES.incrementAndGet() + "_";
  }

  private static long rows(String table) throws SQLException {
    try (Connection c = POSTGRES.connection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void addsABatchSentAgainUnderItsIdOnce() throws SQLException {
    String prefix = newPrefix();
    JdbcTlsRptStore store = storeOn(dataSource(), prefix).build();
    UUID id = UUID.randomUUID();
    List<TlsRptCounts> batch =
        List.of(counts(DAY, STS, 2, 1, detail("certificate-expired", "192.0.2.1", 1)));

    store.addAsync(id, batch).join();
    store.addAsync(id, batch).join();

    assertThat(store.counts(DAY)).containsExactlyElementsOf(batch);
    store.addAsync(UUID.randomUUID(), batch).join(); // another batch, alike
    assertThat(store.counts(DAY).get(0).result().successfulSessions()).isEqualTo(4);
    store.remove(DAY);
    assertThat(rows(prefix + "batch")).isZero(); // the ids go with the last of their days
  }

  @Test
  void countsABatchOnceWhoseCommitAnswerWasLostAndTheRecorderSentAgain() {
    AtomicBoolean lose = new AtomicBoolean(true);
    JdbcTlsRptStore store =
        storeOn(
                hooked(
                    (c, method, args, proceed) -> {
                      Object r = proceed.call();
                      if (method.equals("commit") && lose.getAndSet(false)) {
                        throw new SQLException("connection lost after the commit", "08006");
                      }
                      return r;
                    }),
                newPrefix())
            .build();
    TlsRptRecorder recorder =
        TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", store)
            .clock(new MutableClock(Instant.parse("2016-04-01T12:00:00Z")))
            .build();
    recorder.record(success(COMPANY_Y, "mx1.mail.company-y.example"));

    assertThatThrownBy(recorder::flush).hasRootCauseMessage("connection lost after the commit");
    recorder.flush(); // the same batch again, which the store has

    assertThat(store.counts(DAY))
        .singleElement()
        .satisfies(c -> assertThat(c.result().successfulSessions()).isEqualTo(1));
  }

  @Test
  void triesNoBatchAgainWhoseCompletionIsUnknown() {
    AtomicInteger commits = new AtomicInteger();
    JdbcTlsRptStore store =
        storeOn(
                hooked(
                    (c, method, args, proceed) -> {
                      if (method.equals("commit")) {
                        commits.incrementAndGet();
                        throw new SQLException("statement completion unknown", "40003");
                      }
                      return proceed.call();
                    }),
                newPrefix())
            .build();

    assertThatThrownBy(() -> store.add(List.of(counts(DAY, STS, 1, 0))))
        .hasRootCauseMessage("statement completion unknown");
    assertThat(commits).hasValue(1);
  }

  @Test
  void readsTheTotalsAndTheDetailsOfOneMoment() {
    String prefix = newPrefix();
    JdbcTlsRptStore writer = storeOn(dataSource(), prefix).build();
    List<TlsRptCounts> batch =
        List.of(counts(DAY, STS, 0, 1, detail("certificate-expired", "192.0.2.1", 1)));
    AtomicBoolean between = new AtomicBoolean(true);
    // a batch commits after the totals were read and before the details are
    JdbcTlsRptStore reader =
        JdbcTlsRptStore.builder(
                hooked(
                    (c, method, args, proceed) -> {
                      if (method.equals("prepareStatement")
                          && ((String) args[0]).contains("FROM " + prefix + "failure")
                          && ((String) args[0]).startsWith("SELECT")
                          && between.getAndSet(false)) {
                        writer.add(batch);
                      }
                      return proceed.call();
                    }),
                JDBC)
            .tablePrefix(prefix)
            .build();
    writer.add(batch);

    assertThat(reader.counts(DAY)).containsExactlyElementsOf(batch);
    assertThat(between).isFalse();
    assertThat(reader.counts(DAY).get(0).result().failureDetails())
        .extracting(FailureDetail::failedSessionCount)
        .containsExactly(2L);
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void givesUpOnAStatementAfterTheQueryTimeout() throws SQLException {
    String prefix = newPrefix();
    JdbcTlsRptStore store =
        storeOn(dataSource(), prefix).queryTimeout(Duration.ofSeconds(1)).build();
    try (Connection locker = POSTGRES.connection()) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        // a database that does not answer: the table stays locked until the test ends
        s.execute("LOCK TABLE " + prefix + "policy IN ACCESS EXCLUSIVE MODE");
      }

      assertThatThrownBy(() -> store.add(List.of(counts(DAY, STS, 1, 0))))
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(SQLException.class);
      locker.rollback();
    }
    assertThat(store.days()).isEmpty();
  }

  @Test
  void refusesQueryTimeoutsBelowOneSecond() {
    JdbcTlsRptStore.Builder b = JdbcTlsRptStore.builder(dataSource(), JDBC);
    for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> b.queryTimeout(bad))
          .as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void releasesEverySavepointAlsoWhenAConcurrentBatchInsertedTheRowFirst() {
    String prefix = newPrefix();
    JdbcTlsRptStore other = storeOn(dataSource(), prefix).build();
    AtomicInteger set = new AtomicInteger();
    AtomicInteger released = new AtomicInteger();
    JdbcTlsRptStore store =
        JdbcTlsRptStore.builder(
                hooked(
                    (c, method, args, proceed) -> {
                      if (method.equals("setSavepoint") && set.getAndIncrement() == 0) {
                        // after this batch found no row, before it inserts one
                        other.add(List.of(counts(DAY, STS, 1, 0)));
                      }
                      if (method.equals("releaseSavepoint")) {
                        released.incrementAndGet();
                      }
                      return proceed.call();
                    }),
                JDBC)
            .tablePrefix(prefix)
            .build();

    store.add(List.of(counts(DAY, STS, 2, 0), counts(DAY, NONE, 3, 0)));

    assertThat(set).hasValue(2);
    assertThat(released).hasValue(2);
    assertThat(normalized(store.counts(DAY)))
        .containsExactlyElementsOf(
            normalized(List.of(counts(DAY, STS, 3, 0), counts(DAY, NONE, 3, 0))));
  }

  @Test
  void addsNothingOfABatchThatFailsPartWay() {
    JdbcTlsRptStore store = freshStore();
    // PostgreSQL text holds no NUL character: the second row fails after the first was written
    ReportedPolicy refused =
        new ReportedPolicy("sts\u0000", List.of(), Optional.of("example.org"), List.of());

    assertThatThrownBy(() -> store.add(List.of(counts(DAY, STS, 1, 0), counts(DAY, refused, 1, 0))))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(SQLException.class);
    assertThat(store.days()).isEmpty();
    store.add(List.of(counts(DAY, STS, 1, 0)));
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, STS, 1, 0));
  }

  @Test
  void createsTheTablesWithThePrefixGiven() throws SQLException {
    JdbcTlsRptStore store =
        JdbcTlsRptStore.builder(dataSource(), JDBC).tablePrefix("mta_reports_").build();
    store.createSchema();

    assertThat(tables()).contains("mta_reports_policy", "mta_reports_failure");
    assertThat(store.schemaStatements())
        .allSatisfy(ddl -> assertThat(ddl).startsWith("CREATE TABLE mta_reports_"));
    // made once: the second time the database refuses
    assertThatThrownBy(store::createSchema)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void refusesTablePrefixesThatAreNotPlainSqlNames() {
    JdbcTlsRptStore.Builder b = JdbcTlsRptStore.builder(dataSource(), JDBC);
    for (String bad : List.of("", "1abc", "a b", "x;DROP TABLE y;", "schema.t_", "a".repeat(42))) {
      assertThatThrownBy(() -> b.tablePrefix(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static List<String> tables() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = POSTGRES.connection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      while (r.next()) {
        names.add(r.getString(1));
      }
    }
    return names;
  }

  @Test
  void countsEverySessionOfSeveralMtasFlushingIntoOneDatabase() throws Exception {
    int mtas = 4;
    int threadsPerMta = 3;
    int sessions = 6_000;
    MxVerdict[] verdicts = {
      success(COMPANY_Y, "mx1.mail.company-y.example"),
      failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED),
      failure(COMPANY_Y, "mx2.mail.company-y.example", TlsRptResultType.STARTTLS_NOT_SUPPORTED),
      success(NO_POLICY, "mx.example.net"),
      failure(DANE, "mx.example.org", TlsRptResultType.TLSA_INVALID),
    };
    String prefix = "mtas" + TABLES.incrementAndGet() + "_";
    JdbcTlsRptStore.builder(dataSource(), JDBC).tablePrefix(prefix).build().createSchema();
    MutableClock clock = new MutableClock(Instant.parse("2016-04-01T12:00:00Z"));
    List<TlsRptRecorder> recorders = new ArrayList<>();
    for (int m = 0; m < mtas; m++) {
      // each MTA its own store object and connections over the same tables
      JdbcTlsRptStore store =
          JdbcTlsRptStore.builder(dataSource(), JDBC).tablePrefix(prefix).build();
      recorders.add(
          TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", store)
              .clock(clock)
              .maxPendingKeys(8)
              .build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(mtas * threadsPerMta);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int m = 0; m < mtas; m++) {
        TlsRptRecorder recorder = recorders.get(m);
        for (int t = 0; t < threadsPerMta; t++) {
          // two senders per MTA, one shared by all: colliding and own detail keys
          InetAddress sender = ip(t == 0 ? "192.0.2.1" : "198.51.100." + (m + 1));
          int offset = t;
          writers.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < sessions; i++) {
                      recorder.record(verdicts[(i + offset) % verdicts.length], sender);
                      if (i % 1_000 == 999) {
                        recorder.flush();
                      }
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> w : writers) {
        w.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    for (TlsRptRecorder r : recorders) {
      r.flush(); // each MTA flushes its own before the day's reports are built
    }
    clock.advance(Duration.ofDays(1));

    List<TlsReport> reports = recorders.get(0).reports(DAY);

    long[] n = new long[verdicts.length];
    for (int m = 0; m < mtas; m++) {
      for (int t = 0; t < threadsPerMta; t++) {
        for (int i = 0; i < sessions; i++) {
          n[(i + t) % verdicts.length]++;
        }
      }
    }
    assertThat(reports).hasSize(3);
    TlsReport companyY = reports.get(0);
    assertThat(companyY.successfulSessions()).isEqualTo(n[0]);
    assertThat(companyY.failedSessions()).isEqualTo(n[1] + n[2]);
    assertThat(
            companyY.policies().get(0).failureDetails().stream()
                .mapToLong(FailureDetail::failedSessionCount)
                .sum())
        .isEqualTo(n[1] + n[2]);
    assertThat(reports.get(1).successfulSessions()).isEqualTo(n[3]);
    assertThat(reports.get(2).failedSessions()).isEqualTo(n[4]);
    long total = 0;
    for (TlsReport r : reports) {
      total += r.successfulSessions() + r.failedSessions();
    }
    assertThat(total).isEqualTo((long) mtas * threadsPerMta * sessions);
  }
}
