package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link DmarcReportStore} in a relational database, through plain JDBC: several MTAs of one
 * receiver count into one database, and whichever builds the reports sees every message. The caller
 * gives the {@link DataSource} (a pool, normally) and the {@link Executor} the blocking JDBC calls
 * run on, so that no MTA thread waits for the database.
 *
 * <p>Two tables, named with a configurable prefix ({@code dmarc_} unless set), which {@link
 * #createSchema()} creates when they are missing and {@link #schemaStatements()} lists for those
 * who manage their schema themselves:
 *
 * <ul>
 *   <li>{@code <prefix>record}: a row per UTC day, policy and group, keyed by {@code (report_day,
 *       record_id)}, where {@code record_id} is the SHA-256 of the policy's and the group's
 *       canonical text; the two texts, the policy domain and the message count;
 *   <li>{@code <prefix>batch}: the id of every batch added ({@link #addAsync(UUID, List)}), written
 *       in the batch's transaction, so that a batch sent again after a commit whose outcome was
 *       lost (SQLState class 08, or 40003) is skipped; {@link #removeAsync(LocalDate)} drops the
 *       ids of batches none of whose days has counts left.
 * </ul>
 *
 * <p>The SQL is plain (DATE, BIGINT, CHAR, TEXT; JDBC 4.2 for {@link LocalDate}, savepoints, {@link
 * Statement#setQueryTimeout(int)}). The schema as {@link #schemaStatements()} gives it, with its
 * TEXT columns and {@code CREATE TABLE IF NOT EXISTS}, is for PostgreSQL, MySQL, SQLite and H2, and
 * is tested on PostgreSQL; for other databases (Oracle, SQL Server, Db2) adapt the column types of
 * those statements and create the tables yourself. A batch adds to a row with {@code UPDATE … SET
 * message_count = message_count + ?}, inserts it when no row was updated, and, when a concurrent
 * batch inserted it first (a unique violation, SQLState class 23), goes back to a savepoint and
 * updates again. Each batch is one transaction, its rows taken in key order so that concurrent
 * batches do not deadlock; a batch that the database rolls back (SQLState class 40, such as a
 * deadlock or a serialization failure, but not 40003, completion unknown) is tried again, up to
 * {@link Builder#maxAttempts(int)} times. Reads run in one REPEATABLE READ snapshot. Thread-safe.
 */
public final class JdbcDmarcReportStore implements DmarcReportStore {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");

  private final DataSource dataSource;
  private final Executor executor;
  private final String recordTable;
  private final String batchTable;
  private final int maxAttempts;
  private final int queryTimeoutSeconds;

  private JdbcDmarcReportStore(Builder b) {
    this.dataSource = b.dataSource;
    this.executor = b.executor;
    this.recordTable = b.tablePrefix + "record";
    this.batchTable = b.tablePrefix + "batch";
    this.maxAttempts = b.maxAttempts;
    this.queryTimeoutSeconds = b.queryTimeoutSeconds;
  }

  /**
   * Starts a store.
   *
   * @param dataSource where the connections come from
   * @param executor where the JDBC calls run, such as a pool sized like the data source's
   * @return a builder with the table prefix {@code dmarc_}, 5 attempts per batch and a query
   *     timeout of 30 seconds
   */
  public static Builder builder(DataSource dataSource, Executor executor) {
    return new Builder(dataSource, executor);
  }

  /**
   * Returns the statements that create the two tables where they do not exist, for a schema managed
   * by other tools; types a database lacks can be adapted, the table and column names not.
   *
   * @return the {@code CREATE TABLE IF NOT EXISTS} statements, in order
   */
  public List<String> schemaStatements() {
    return List.of(
        "CREATE TABLE IF NOT EXISTS "
            + recordTable
            + " ("
            + "report_day DATE NOT NULL, "
            + "record_id CHAR(64) NOT NULL, "
            + "policy_domain TEXT NOT NULL, "
            + "policy TEXT NOT NULL, "
            + "record_group TEXT NOT NULL, "
            + "message_count BIGINT NOT NULL, "
            + "PRIMARY KEY (report_day, record_id))",
        "CREATE TABLE IF NOT EXISTS "
            + batchTable
            + " ("
            + "batch_id CHAR(36) NOT NULL, "
            + "last_day DATE NOT NULL, "
            + "PRIMARY KEY (batch_id))");
  }

  /**
   * Creates the two tables where they do not exist yet; tables that exist are left as they are.
   *
   * @return a future that completes when they exist
   */
  public CompletableFuture<Void> createSchemaAsync() {
    return call(
        () -> {
          try (Connection c = dataSource.getConnection()) {
            inTransaction(
                c,
                () -> {
                  try (Statement s = statement(c)) {
                    for (String ddl : schemaStatements()) {
                      s.execute(ddl);
                    }
                  }
                });
          }
          return null;
        });
  }

  /**
   * Creates the two tables where missing and waits: {@link #createSchemaAsync()}, joined.
   *
   * @throws java.util.concurrent.CompletionException if the database refused, with the cause
   */
  public void createSchema() {
    createSchemaAsync().join();
  }

  @Override
  public CompletableFuture<Void> addAsync(List<DmarcReportCounts> batch) {
    return addAsync(UUID.randomUUID(), batch);
  }

  @Override
  public CompletableFuture<Void> addAsync(UUID batchId, List<DmarcReportCounts> batch) {
    requireNonNull(batchId, "batchId");
    // summed and sorted here, so each row is written once and in key order
    TreeMap<String, Row> rows = new TreeMap<>();
    for (DmarcReportCounts c : batch) {
      String policy = ReportText.policy(c.policy());
      String group = ReportText.group(c.record());
      String id = recordId(policy, group);
      Row row =
          rows.computeIfAbsent(
              c.day() + " " + id, k -> new Row(c.day(), id, c.policy().domain(), policy, group));
      row.count = Math.addExact(row.count, c.count());
    }
    if (rows.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    LocalDate lastDay = rows.lastEntry().getValue().day; // keys begin with the day
    return call(
        () -> {
          write(batchId, lastDay, rows.values());
          return null;
        });
  }

  static String recordId(String policyText, String groupText) {
    return ReportText.sha256(policyText.length() + ":" + policyText + groupText);
  }

  private void write(UUID batchId, LocalDate lastDay, Iterable<Row> rows) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        inTransaction(
            c,
            () -> {
              claim(c, batchId, lastDay);
              writeRows(c, rows);
            });
        return;
      } catch (AlreadyAdded skipped) {
        return;
      } catch (SQLException e) {
        if (attempt >= maxAttempts || !isRolledBack(e)) {
          throw e;
        }
      }
    }
  }

  /**
   * Records the batch id, in the batch's own transaction, so that the batch is added once however
   * often it is sent: a commit whose answer is lost leaves the sender unsure, and it sends again.
   * Throws {@link AlreadyAdded} when the id is there: the key's unique violation, also when a
   * concurrent transaction adding the same batch committed first (the insert waits for it).
   */
  private void claim(Connection c, UUID batchId, LocalDate lastDay) throws SQLException {
    try (PreparedStatement s =
        prepare(c, "INSERT INTO " + batchTable + " (batch_id, last_day) VALUES (?, ?)")) {
      s.setString(1, batchId.toString());
      s.setObject(2, lastDay);
      s.executeUpdate();
    } catch (SQLException e) {
      if (isIntegrityViolation(e)) {
        throw new AlreadyAdded(e);
      }
      throw e;
    }
  }

  /** The batch was added before; its transaction is rolled back, having written nothing. */
  private static final class AlreadyAdded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AlreadyAdded(SQLException cause) {
      super(cause);
    }
  }

  private void writeRows(Connection c, Iterable<Row> rows) throws SQLException {
    String update =
        "UPDATE "
            + recordTable
            + " SET message_count = message_count + ? WHERE report_day = ? AND record_id = ?";
    String insert =
        "INSERT INTO "
            + recordTable
            + " (report_day, record_id, policy_domain, policy, record_group, message_count)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    try (PreparedStatement up = prepare(c, update);
        PreparedStatement in = prepare(c, insert)) {
      for (Row row : rows) {
        up.setLong(1, row.count);
        up.setObject(2, row.day);
        up.setString(3, row.id);
        in.setObject(1, row.day);
        in.setString(2, row.id);
        in.setString(3, row.domain);
        in.setString(4, row.policy);
        in.setString(5, row.group);
        in.setLong(6, row.count);
        upsert(c, up, in);
      }
    }
  }

  /**
   * Adds to a row, or inserts it: portable SQL has no upsert. A concurrent transaction may insert
   * the row between our update and insert; its unique violation sends us back to the savepoint (the
   * whole transaction would otherwise be aborted, as in PostgreSQL) to update the row it made.
   */
  private static void upsert(Connection c, PreparedStatement update, PreparedStatement insert)
      throws SQLException {
    if (update.executeUpdate() > 0) {
      return;
    }
    Savepoint savepoint = c.setSavepoint();
    SQLException raced = null;
    try {
      insert.executeUpdate();
    } catch (SQLException e) {
      if (!isIntegrityViolation(e)) {
        throw e; // the whole transaction goes, and the savepoint with it
      }
      c.rollback(savepoint); // a rollback to a savepoint keeps it
      raced = e;
    }
    // released on both paths, or a batch of many new rows holds as many savepoints till commit
    try {
      c.releaseSavepoint(savepoint);
    } catch (SQLFeatureNotSupportedException ignored) {
      // the savepoint ends with the transaction
    }
    if (raced != null && update.executeUpdate() != 1) {
      throw new SQLException("a row that was there on insert was gone on update", raced);
    }
  }

  @Override
  public CompletableFuture<List<DmarcReportCounts>> countsAsync(LocalDate day) {
    requireNonNull(day, "day");
    return call(
        () -> {
          List<DmarcReportCounts> out = new ArrayList<>();
          try (Connection c = dataSource.getConnection()) {
            // one snapshot, as the tlsrpt store's two reads: a batch commits whole or not at all
            readSnapshot(
                c,
                () -> {
                  try (PreparedStatement s =
                      prepare(
                          c,
                          "SELECT policy, record_group, message_count FROM "
                              + recordTable
                              + " WHERE report_day = ? ORDER BY record_id")) {
                    s.setObject(1, day);
                    try (ResultSet r = s.executeQuery()) {
                      // one policy object per text, as most rows of a day share a few
                      TreeMap<String, PublishedPolicy> policies = new TreeMap<>();
                      while (r.next()) {
                        PublishedPolicy policy =
                            policies.computeIfAbsent(r.getString(1), ReportText::policy);
                        out.add(
                            new DmarcReportCounts(
                                day, policy, ReportText.group(r.getString(2), r.getLong(3))));
                      }
                    }
                  }
                });
          }
          return out;
        });
  }

  @Override
  public CompletableFuture<List<LocalDate>> daysAsync() {
    return call(
        () -> {
          List<LocalDate> days = new ArrayList<>();
          try (Connection c = dataSource.getConnection();
              Statement s = statement(c);
              ResultSet r =
                  s.executeQuery(
                      "SELECT DISTINCT report_day FROM " + recordTable + " ORDER BY report_day")) {
            while (r.next()) {
              days.add(r.getObject(1, LocalDate.class));
            }
          }
          return days;
        });
  }

  @Override
  public CompletableFuture<Void> removeAsync(LocalDate day) {
    requireNonNull(day, "day");
    return call(
        () -> {
          try (Connection c = dataSource.getConnection()) {
            inTransaction(
                c,
                () -> {
                  try (PreparedStatement s =
                      prepare(c, "DELETE FROM " + recordTable + " WHERE report_day = ?")) {
                    s.setObject(1, day);
                    s.executeUpdate();
                  }
                  // the ids of batches none of whose days has counts left: sent again, they add
                  // only to removed days, which their sender dropped (DmarcReportCollector)
                  try (PreparedStatement s =
                      prepare(
                          c,
                          "DELETE FROM "
                              + batchTable
                              + " WHERE last_day <= ? AND NOT EXISTS (SELECT 1 FROM "
                              + recordTable
                              + " r WHERE r.report_day <= "
                              + batchTable
                              + ".last_day)")) {
                    s.setObject(1, day);
                    s.executeUpdate();
                  }
                });
          }
          return null;
        });
  }

  /**
   * A statement that gives up after the query timeout, so that a hung database fails the future
   * rather than leaving it incomplete.
   */
  private PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    s.setQueryTimeout(queryTimeoutSeconds);
    return s;
  }

  private Statement statement(Connection c) throws SQLException {
    Statement s = c.createStatement();
    s.setQueryTimeout(queryTimeoutSeconds);
    return s;
  }

  /** SQL work that may fail. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws Exception;
  }

  /** SQL work within a transaction. */
  @FunctionalInterface
  private interface SqlSteps {
    void run() throws SQLException;
  }

  /** Runs the work on the executor; the future fails with what it threw, not wrapped. */
  private <T> CompletableFuture<T> call(SqlWork<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              f.complete(work.run());
            } catch (Throwable t) {
              f.completeExceptionally(t);
            }
          });
    } catch (RuntimeException rejected) {
      f.completeExceptionally(rejected);
    }
    return f;
  }

  private static void inTransaction(Connection c, SqlSteps steps) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      steps.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * Runs reads in one read-only transaction at REPEATABLE READ, or SERIALIZABLE where the database
   * has no REPEATABLE READ, or its default where it has neither; the connection is given back as it
   * was.
   */
  private static void readSnapshot(Connection c, SqlSteps steps) throws SQLException {
    int isolation = c.getTransactionIsolation();
    boolean readOnly = c.isReadOnly();
    DatabaseMetaData meta = c.getMetaData();
    if (meta.supportsTransactionIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ)) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    } else if (meta.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE)) {
      c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    }
    c.setReadOnly(true);
    try {
      inTransaction(c, steps);
    } finally {
      c.setReadOnly(readOnly);
      c.setTransactionIsolation(isolation);
    }
  }

  private static boolean isIntegrityViolation(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("23");
  }

  /** Whether the database rolled the transaction back on its own, so it may be tried again. */
  private static boolean isRolledBack(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // 40003, statement completion unknown, is no rollback: the batch may be stored
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("40")
          && !s.getSQLState().equals("40003")) {
        return true;
      }
    }
    return false;
  }

  /** A row to add to: its key, its texts and the count to add. */
  private static final class Row {
    final LocalDate day;
    final String id;
    final String domain;
    final String policy;
    final String group;
    long count;

    Row(LocalDate day, String id, String domain, String policy, String group) {
      this.day = day;
      this.id = id;
      this.domain = domain;
      this.policy = policy;
      this.group = group;
    }
  }

  /** Builds a {@link JdbcDmarcReportStore}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Executor executor;
    private String tablePrefix = "dmarc_";
    private int maxAttempts = 5;
    private int queryTimeoutSeconds = 30;

    private Builder(DataSource dataSource, Executor executor) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
      this.executor = requireNonNull(executor, "executor");
    }

    /**
     * Sets the prefix of the two tables' names, such as a schema ({@code mail.dmarc_}) is not:
     * letters, digits and underscores only, as unquoted SQL names.
     *
     * @param prefix 1 to 41 characters, not starting with a digit; {@code dmarc_} unless set
     * @return this builder
     */
    public Builder tablePrefix(String prefix) {
      requireNonNull(prefix, "prefix");
      if (!PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "a table prefix is 1 to 41 letters, digits and underscores: " + prefix);
      }
      this.tablePrefix = prefix;
      return this;
    }

    /**
     * Sets how many times a batch is tried when the database rolls it back (a deadlock, a
     * serialization failure).
     *
     * @param attempts at least 1; 5 unless set
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be positive: " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Sets how long each SQL statement may run before the driver cancels it ({@link
     * Statement#setQueryTimeout(int)}), so that a hung database fails the future instead of leaving
     * it incomplete. A commit is not a statement; the data source's own timeouts (socket, network)
     * cover it.
     *
     * @param timeout at least one second, rounded up to whole seconds; 30 seconds unless set
     * @return this builder
     */
    public Builder queryTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.compareTo(Duration.ofSeconds(1)) < 0
          || timeout.compareTo(Duration.ofSeconds(Integer.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException(
            "queryTimeout must be 1 to " + Integer.MAX_VALUE + " seconds: " + timeout);
      }
      long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
      this.queryTimeoutSeconds = (int) Math.min(seconds, Integer.MAX_VALUE);
      return this;
    }

    /**
     * Builds the store; the tables are not touched until it is used.
     *
     * @return the store
     */
    public JdbcDmarcReportStore build() {
      return new JdbcDmarcReportStore(this);
    }
  }
}
