package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.testkit.MutableClock;
import org.mailauth4j.testkit.PostgresServer;
import org.postgresql.ds.PGSimpleDataSource;

/** The store contract, kept by the JDBC store on a real PostgreSQL; and several MTAs on one. */
class JdbcDmarcReportStoreTest extends DmarcReportStoreContract {
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
  private static JdbcDmarcReportStore freshStore() {
    JdbcDmarcReportStore store =
        JdbcDmarcReportStore.builder(dataSource(), JDBC)
            .tablePrefix("t" + TABLES.incrementAndGet() + "_")
            .build();
    store.createSchema();
    return store;
  }

  @Override
  DmarcReportStore newStore() {
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

  private static JdbcDmarcReportStore.Builder storeOn(DataSource ds, String prefix) {
    JdbcDmarcReportStore.builder(dataSource(), JDBC).tablePrefix(prefix).build().createSchema();
    return JdbcDmarcReportStore.builder(ds, JDBC).tablePrefix(prefix);
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
    JdbcDmarcReportStore store = storeOn(dataSource(), prefix).build();
    UUID id = UUID.randomUUID();
    List<DmarcReportCounts> batch = List.of(counts(DAY, REJECT, "192.0.2.1", 2));

    store.addAsync(id, batch).join();
    store.addAsync(id, batch).join();

    assertThat(store.counts(DAY)).containsExactlyElementsOf(batch);
    store.addAsync(UUID.randomUUID(), batch).join(); // another batch, alike
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, REJECT, "192.0.2.1", 4));
    assertThat(rows(prefix + "batch")).isEqualTo(2);
    store.remove(DAY);
    assertThat(rows(prefix + "batch")).isZero(); // the ids go with the last of their days
  }

  @Test
  void keepsTheIdsOfBatchesWithADayLeft() throws SQLException {
    String prefix = newPrefix();
    JdbcDmarcReportStore store = storeOn(dataSource(), prefix).build();
    UUID id = UUID.randomUUID();
    List<DmarcReportCounts> batch =
        List.of(
            counts(DAY, REJECT, "192.0.2.1", 1), counts(DAY.plusDays(1), REJECT, "192.0.2.1", 1));
    store.addAsync(id, batch).join();

    store.remove(DAY);
    store.addAsync(id, batch).join(); // sent again: still skipped

    assertThat(rows(prefix + "batch")).isEqualTo(1);
    assertThat(store.days()).containsExactly(DAY.plusDays(1));
    assertThat(store.counts(DAY.plusDays(1)))
        .containsExactly(counts(DAY.plusDays(1), REJECT, "192.0.2.1", 1));
  }

  @Test
  void countsABatchOnceWhoseCommitAnswerWasLostAndTheCollectorSentAgain() {
    AtomicBoolean lose = new AtomicBoolean(true);
    JdbcDmarcReportStore store =
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
    MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    DmarcReportCollectorTest.Mail mail = new DmarcReportCollectorTest.Mail(clock);
    DmarcReportCollector collector =
        DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", store)
            .clock(clock)
            .build();
    collector.add(mail.aligned());

    assertThatThrownBy(collector::flush).hasRootCauseMessage("connection lost after the commit");
    collector.flush(); // the same batch again, which the store has

    assertThat(store.counts(DAY))
        .singleElement()
        .satisfies(c -> assertThat(c.count()).isEqualTo(1));
  }

  @Test
  void triesABatchAgainThatTheDatabaseRolledBack() {
    AtomicInteger commits = new AtomicInteger();
    JdbcDmarcReportStore store =
        storeOn(
                hooked(
                    (c, method, args, proceed) -> {
                      if (method.equals("commit") && commits.incrementAndGet() <= 2) {
                        c.rollback(); // what the database does with a serialization failure
                        throw new SQLException("could not serialize access", "40001");
                      }
                      return proceed.call();
                    }),
                newPrefix())
            .build();

    store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1)));

    assertThat(commits).hasValue(3);
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, REJECT, "192.0.2.1", 1));
  }

  @Test
  void givesUpOnABatchRolledBackMoreOftenThanItsAttempts() {
    AtomicInteger commits = new AtomicInteger();
    JdbcDmarcReportStore store =
        storeOn(
                hooked(
                    (c, method, args, proceed) -> {
                      if (method.equals("commit")) {
                        commits.incrementAndGet();
                        c.rollback();
                        throw new SQLException("deadlock detected", "40P01");
                      }
                      return proceed.call();
                    }),
                newPrefix())
            .maxAttempts(3)
            .build();

    assertThatThrownBy(() -> store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1))))
        .hasRootCauseMessage("deadlock detected");
    assertThat(commits).hasValue(3);
    assertThat(store.days()).isEmpty();
  }

  @Test
  void triesNoBatchAgainWhoseCompletionIsUnknown() {
    AtomicInteger commits = new AtomicInteger();
    JdbcDmarcReportStore store =
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

    assertThatThrownBy(() -> store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1))))
        .hasRootCauseMessage("statement completion unknown");
    assertThat(commits).hasValue(1);
  }

  @Test
  void readsInOneRepeatableReadSnapshotAndGivesTheConnectionBackAsItWas() {
    String prefix = newPrefix();
    JdbcDmarcReportStore writer = storeOn(dataSource(), prefix).build();
    writer.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1)));
    List<Integer> isolations = new ArrayList<>();
    JdbcDmarcReportStore reader =
        JdbcDmarcReportStore.builder(
                hooked(
                    (c, method, args, proceed) -> {
                      if (method.equals("prepareStatement")
                          && ((String) args[0]).startsWith("SELECT")) {
                        isolations.add(c.getTransactionIsolation());
                        assertThat(c.isReadOnly()).isTrue();
                        assertThat(c.getAutoCommit()).isFalse();
                      }
                      return proceed.call();
                    }),
                JDBC)
            .tablePrefix(prefix)
            .build();

    assertThat(reader.counts(DAY)).containsExactly(counts(DAY, REJECT, "192.0.2.1", 1));
    assertThat(isolations).containsExactly(Connection.TRANSACTION_REPEATABLE_READ);
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void givesUpOnAStatementAfterTheQueryTimeout() throws SQLException {
    String prefix = newPrefix();
    JdbcDmarcReportStore store =
        storeOn(dataSource(), prefix).queryTimeout(Duration.ofSeconds(1)).build();
    try (Connection locker = POSTGRES.connection()) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        // a database that does not answer: the table stays locked until the test ends
        s.execute("LOCK TABLE " + prefix + "record IN ACCESS EXCLUSIVE MODE");
      }

      assertThatThrownBy(() -> store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1))))
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(SQLException.class);
      locker.rollback();
    }
    assertThat(store.days()).isEmpty();
  }

  @Test
  void refusesQueryTimeoutsBelowOneSecondAndAttemptsBelowOne() {
    JdbcDmarcReportStore.Builder b = JdbcDmarcReportStore.builder(dataSource(), JDBC);
    for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> b.queryTimeout(bad))
          .as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> b.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void releasesEverySavepointAlsoWhenAConcurrentBatchInsertedTheRowFirst() {
    String prefix = newPrefix();
    JdbcDmarcReportStore other = storeOn(dataSource(), prefix).build();
    AtomicInteger set = new AtomicInteger();
    AtomicInteger released = new AtomicInteger();
    JdbcDmarcReportStore store =
        JdbcDmarcReportStore.builder(
                hooked(
                    (c, method, args, proceed) -> {
                      if (method.equals("setSavepoint") && set.getAndIncrement() == 0) {
                        // after this batch found no row, before it inserts one
                        other.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1)));
                      }
                      if (method.equals("releaseSavepoint")) {
                        released.incrementAndGet();
                      }
                      return proceed.call();
                    }),
                JDBC)
            .tablePrefix(prefix)
            .build();

    store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 2), counts(DAY, NONE, "192.0.2.1", 3)));

    assertThat(set).hasValue(2);
    assertThat(released).hasValue(2);
    assertThat(normalized(store.counts(DAY)))
        .containsExactlyElementsOf(
            normalized(
                List.of(counts(DAY, REJECT, "192.0.2.1", 3), counts(DAY, NONE, "192.0.2.1", 3))));
  }

  @Test
  void addsNothingOfABatchThatFailsPartWay() {
    JdbcDmarcReportStore store = freshStore();
    // PostgreSQL text holds no NUL character: the second row fails after the first was written
    PublishedPolicy refused = PublishedPolicy.builder("example\u0000.org").build();

    assertThatThrownBy(
            () ->
                store.add(
                    List.of(
                        counts(DAY, REJECT, "192.0.2.1", 1), counts(DAY, refused, "192.0.2.1", 1))))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(SQLException.class);
    assertThat(store.days()).isEmpty();
    store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1)));
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, REJECT, "192.0.2.1", 1));
  }

  @Test
  void createsTheTablesWithThePrefixGivenOnceAndLeavesThemThen() throws SQLException {
    JdbcDmarcReportStore store =
        JdbcDmarcReportStore.builder(dataSource(), JDBC).tablePrefix("receiver_dmarc_").build();
    store.createSchema();
    store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1)));

    store.createSchema(); // they exist: left as they are

    assertThat(tables()).contains("receiver_dmarc_record", "receiver_dmarc_batch");
    assertThat(store.schemaStatements())
        .allSatisfy(
            ddl -> assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS receiver_dmarc_"));
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, REJECT, "192.0.2.1", 1));
  }

  @Test
  void refusesTablePrefixesThatAreNotPlainSqlNames() {
    JdbcDmarcReportStore.Builder b = JdbcDmarcReportStore.builder(dataSource(), JDBC);
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
  void countsEveryMessageOfSeveralMtasFlushingIntoOneDatabase() throws Exception {
    int mtas = 4;
    int threadsPerMta = 3;
    int messages = 6_000;
    MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    DmarcReportCollectorTest.Mail mail = new DmarcReportCollectorTest.Mail(clock);
    String prefix = "mtas" + TABLES.incrementAndGet() + "_";
    JdbcDmarcReportStore.builder(dataSource(), JDBC).tablePrefix(prefix).build().createSchema();
    List<DmarcReportCollector> collectors = new ArrayList<>();
    for (int m = 0; m < mtas; m++) {
      // each MTA its own store object and connections over the same tables
      JdbcDmarcReportStore store =
          JdbcDmarcReportStore.builder(dataSource(), JDBC).tablePrefix(prefix).build();
      collectors.add(
          DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", store)
              .clock(clock)
              .maxPendingKeys(4)
              .build());
    }
    // one message every MTA sees (colliding rows) and, per MTA, one from an address of its own
    MessageAuthentication shared = mail.aligned();
    List<List<MessageAuthentication>> perMta = new ArrayList<>();
    for (int m = 0; m < mtas; m++) {
      perMta.add(
          List.of(
              shared,
              mail.unaligned("x@quarantine.example", "198.51.100." + (m + 1)),
              mail.unaligned("x@testing.example", "192.0.2.77")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(mtas * threadsPerMta);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int m = 0; m < mtas; m++) {
        DmarcReportCollector collector = collectors.get(m);
        List<MessageAuthentication> own = perMta.get(m);
        for (int t = 0; t < threadsPerMta; t++) {
          int offset = t;
          writers.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < messages; i++) {
                      collector.add(own.get((i + offset) % own.size()));
                      if (i % 1_000 == 999) {
                        collector.flush();
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
    for (DmarcReportCollector c : collectors) {
      c.flush(); // each MTA flushes its own before the day's reports are built
    }
    clock.advance(Duration.ofDays(1));

    List<AggregateReport> reports = collectors.get(0).reports(DAY);

    long[] n = new long[3];
    for (int t = 0; t < threadsPerMta; t++) {
      for (int i = 0; i < messages; i++) {
        n[(i + t) % 3] += mtas;
      }
    }
    assertThat(reports)
        .extracting(r -> r.policy().domain())
        .containsExactly("example.com", "quarantine.example", "testing.example");
    assertThat(reports.get(0).records()).singleElement();
    assertThat(reports.get(0).messageCount()).isEqualTo(n[0]);
    assertThat(reports.get(1).records()).hasSize(mtas);
    assertThat(reports.get(1).records())
        .allSatisfy(r -> assertThat(r.count()).isEqualTo(n[1] / mtas));
    assertThat(reports.get(2).records()).singleElement();
    assertThat(reports.get(2).messageCount()).isEqualTo(n[2]);
    assertThat(reports.stream().mapToLong(AggregateReport::messageCount).sum())
        .isEqualTo((long) mtas * threadsPerMta * messages);
    // every MTA builds the same reports from the shared tables
    assertThat(collectors.get(3).reports(DAY)).isEqualTo(reports);
  }
}
