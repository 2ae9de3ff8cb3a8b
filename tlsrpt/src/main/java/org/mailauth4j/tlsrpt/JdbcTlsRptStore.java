package org.mailauth4j.tlsrpt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link TlsRptStore} in a relational database, through plain JDBC: several MTAs count into one
 * database, and whichever builds the reports sees every session. The caller gives the {@link
 * DataSource} (a pool, normally) and the {@link Executor} the blocking JDBC calls run on, so that
 * no MTA thread waits for the database.
 *
 * <p>Three tables, named with a configurable prefix ({@code tlsrpt_} unless set), which {@link
 * #createSchema()} creates and {@link #schemaStatements()} lists for those who manage their schema
 * themselves:
 *
 * <ul>
 *   <li>{@code <prefix>policy}: a row per UTC day and policy, keyed by {@code (report_day,
 *       policy_id)}, where {@code policy_id} is the SHA-256 of the policy block, with the block's
 *       fields and the session counts;
 *   <li>{@code <prefix>failure}: a row per day, policy and failure detail, keyed by {@code
 *       (report_day, policy_id, detail_id)}, {@code detail_id} being the SHA-256 of the detail's
 *       fields, with the fields and the failed-session count;
 *   <li>{@code <prefix>batch}: the id of every batch added ({@link #addAsync(UUID, List)}), written
 *       in the batch's transaction, so that a batch sent again after a commit whose outcome was
 *       lost (SQLState class 08, or 40003) is skipped; {@link #removeAsync(LocalDate)} drops the
 *       ids of batches none of whose days has counts left.
 * </ul>
 *
 * <p>The SQL is plain (DATE, BIGINT, CHAR, TEXT; JDBC 4.2 for {@link LocalDate}, savepoints, {@link
 * Statement#setQueryTimeout(int)}). The schema as {@link #schemaStatements()} gives it, with its
 * TEXT columns, is for PostgreSQL, MySQL, SQLite and H2, and is tested on PostgreSQL; for other
 * databases (Oracle, SQL Server, Db2) adapt the column types of those statements and create the
 * tables yourself. A batch adds to a row with {@code UPDATE … SET n = n + ?}, inserts it when no
 * row was updated, and, when a concurrent batch inserted it first (a unique violation, SQLState
 * class 23), goes back to a savepoint and updates again. Each batch is one transaction, its rows
 * taken in key order so that concurrent batches do not deadlock; a batch that the database rolls
 * back (SQLState class 40, such as a deadlock or a serialization failure, but not 40003, completion
 * unknown) is tried again, up to {@link Builder#maxAttempts(int)} times. Thread-safe.
 */
public final class JdbcTlsRptStore implements TlsRptStore {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");

  private final DataSource dataSource;
  private final Executor executor;
  private final String policyTable;
  private final String failureTable;
  private final String batchTable;
  private final int maxAttempts;
  private final int queryTimeoutSeconds;

  private JdbcTlsRptStore(Builder b) {
    this.dataSource = b.dataSource;
    this.executor = b.executor;
    this.policyTable = b.tablePrefix + "policy";
    this.failureTable = b.tablePrefix + "failure";
    this.batchTable = b.tablePrefix + "batch";
    this.maxAttempts = b.maxAttempts;
    this.queryTimeoutSeconds = b.queryTimeoutSeconds;
  }

  /**
   * Starts a store.
   *
   * @param dataSource where the connections come from
   * @param executor where the JDBC calls run, such as a pool sized like the data source's
   * @return a builder with the table prefix {@code tlsrpt_}, 5 attempts per batch and a query
   *     timeout of 30 seconds
   */
  public static Builder builder(DataSource dataSource, Executor executor) {
    return new Builder(dataSource, executor);
  }

  /**
   * Returns the statements that create the three tables, for a schema managed by other tools; types
   * a database lacks can be adapted, the table and column names not.
   *
   * @return the {@code CREATE TABLE} statements, in order
   */
  public List<String> schemaStatements() {
    return List.of(
        "CREATE TABLE "
            + policyTable
            + " ("
            + "report_day DATE NOT NULL, "
            + "policy_id CHAR(64) NOT NULL, "
            + "policy_type TEXT NOT NULL, "
            + "policy_domain TEXT, "
            + "policy_strings TEXT NOT NULL, "
            + "mx_hosts TEXT NOT NULL, "
            + "successful_sessions BIGINT NOT NULL, "
            + "failed_sessions BIGINT NOT NULL, "
            + "PRIMARY KEY (report_day, policy_id))",
        "CREATE TABLE "
            + failureTable
            + " ("
            + "report_day DATE NOT NULL, "
            + "policy_id CHAR(64) NOT NULL, "
            + "detail_id CHAR(64) NOT NULL, "
            + "result_type TEXT NOT NULL, "
            + "sending_mta_ip TEXT, "
            + "receiving_mx_hostname TEXT, "
            + "receiving_mx_helo TEXT, "
            + "receiving_ip TEXT, "
            + "additional_information TEXT, "
            + "failure_reason_code TEXT, "
            + "failed_session_count BIGINT NOT NULL, "
            + "PRIMARY KEY (report_day, policy_id, detail_id))",
        "CREATE TABLE "
            + batchTable
            + " ("
            + "batch_id CHAR(36) NOT NULL, "
            + "last_day DATE NOT NULL, "
            + "PRIMARY KEY (batch_id))");
  }

  /**
   * Creates the three tables, once, in a database that does not have them.
   *
   * @return a future that completes when they exist; it fails if they already did
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
   * Creates the three tables and waits: {@link #createSchemaAsync()}, joined.
   *
   * @throws java.util.concurrent.CompletionException if the database refused, with the cause
   */
  public void createSchema() {
    createSchemaAsync().join();
  }

  @Override
  public CompletableFuture<Void> addAsync(List<TlsRptCounts> batch) {
    return addAsync(UUID.randomUUID(), batch);
  }

  @Override
  public CompletableFuture<Void> addAsync(UUID batchId, List<TlsRptCounts> batch) {
    requireNonNull(batchId, "batchId");
    // summed and sorted here, so each row is written once and in key order
    TreeMap<String, PolicyRow> rows = new TreeMap<>();
    for (TlsRptCounts c : batch) {
      PolicyResult r = c.result();
      String policyId = policyId(r.policy());
      PolicyRow row =
          rows.computeIfAbsent(c.day() + " " + policyId, k -> new PolicyRow(c.day(), policyId, r));
      row.successful = Math.addExact(row.successful, r.successfulSessions());
      row.failed = Math.addExact(row.failed, r.failedSessions());
      for (FailureDetail d : r.failureDetails()) {
        row.details.merge(
            detailId(d), CountsTable.withCount(d, d.failedSessionCount()), JdbcTlsRptStore::sum);
      }
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

  private void write(UUID batchId, LocalDate lastDay, Iterable<PolicyRow> rows)
      throws SQLException {
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

  private void writeRows(Connection c, Iterable<PolicyRow> rows) throws SQLException {
    String updatePolicy =
        "UPDATE "
            + policyTable
            + " SET successful_sessions = successful_sessions + ?,"
            + " failed_sessions = failed_sessions + ? WHERE report_day = ? AND policy_id = ?";
    String insertPolicy =
        "INSERT INTO "
            + policyTable
            + " (report_day, policy_id, policy_type, policy_domain, policy_strings, mx_hosts,"
            + " successful_sessions, failed_sessions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    String updateFailure =
        "UPDATE "
            + failureTable
            + " SET failed_session_count = failed_session_count + ?"
            + " WHERE report_day = ? AND policy_id = ? AND detail_id = ?";
    String insertFailure =
        "INSERT INTO "
            + failureTable
            + " (report_day, policy_id, detail_id, result_type, sending_mta_ip,"
            + " receiving_mx_hostname, receiving_mx_helo, receiving_ip, additional_information,"
            + " failure_reason_code, failed_session_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement up = prepare(c, updatePolicy);
        PreparedStatement ip = prepare(c, insertPolicy);
        PreparedStatement uf = prepare(c, updateFailure);
        PreparedStatement in = prepare(c, insertFailure)) {
      for (PolicyRow row : rows) {
        up.setLong(1, row.successful);
        up.setLong(2, row.failed);
        up.setObject(3, row.day);
        up.setString(4, row.policyId);
        ReportedPolicy p = row.policy;
        ip.setObject(1, row.day);
        ip.setString(2, row.policyId);
        ip.setString(3, p.type());
        ip.setString(4, p.domain().orElse(null));
        ip.setString(5, encodeList(p.strings()));
        ip.setString(6, encodeList(p.mxHosts()));
        ip.setLong(7, row.successful);
        ip.setLong(8, row.failed);
        upsert(c, up, ip);
      }
      for (PolicyRow row : rows) {
        for (Map.Entry<String, FailureDetail> e : row.details.entrySet()) {
          FailureDetail d = e.getValue();
          uf.setLong(1, d.failedSessionCount());
          uf.setObject(2, row.day);
          uf.setString(3, row.policyId);
          uf.setString(4, e.getKey());
          in.setObject(1, row.day);
          in.setString(2, row.policyId);
          in.setString(3, e.getKey());
          in.setString(4, d.resultType());
          in.setString(5, d.sendingMtaIp().orElse(null));
          in.setString(6, d.receivingMxHostname().orElse(null));
          in.setString(7, d.receivingMxHelo().orElse(null));
          in.setString(8, d.receivingIp().orElse(null));
          in.setString(9, d.additionalInformation().orElse(null));
          in.setString(10, d.failureReasonCode().orElse(null));
          in.setLong(11, d.failedSessionCount());
          upsert(c, uf, in);
        }
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
  public CompletableFuture<List<TlsRptCounts>> countsAsync(LocalDate day) {
    requireNonNull(day, "day");
    return call(
        () -> {
          Map<String, PolicyRow> rows = new LinkedHashMap<>();
          try (Connection c = dataSource.getConnection()) {
            // both reads in one snapshot: a batch committed between them would give details
            // beyond their policy's totals, or a policy without its details
            readSnapshot(
                c,
                () -> {
                  try (PreparedStatement s =
                      prepare(
                          c,
                          "SELECT policy_id, policy_type, policy_domain, policy_strings, mx_hosts,"
                              + " successful_sessions, failed_sessions FROM "
                              + policyTable
                              + " WHERE report_day = ? ORDER BY policy_id")) {
                    s.setObject(1, day);
                    try (ResultSet r = s.executeQuery()) {
                      while (r.next()) {
                        ReportedPolicy policy =
                            new ReportedPolicy(
                                r.getString(2),
                                decodeList(r.getString(4)),
                                Optional.ofNullable(r.getString(3)),
                                decodeList(r.getString(5)));
                        PolicyRow row = new PolicyRow(day, r.getString(1).trim(), policy);
                        row.successful = r.getLong(6);
                        row.failed = r.getLong(7);
                        rows.put(row.policyId, row);
                      }
                    }
                  }
                  try (PreparedStatement s =
                      prepare(
                          c,
                          "SELECT policy_id, detail_id, result_type, sending_mta_ip,"
                              + " receiving_mx_hostname, receiving_mx_helo, receiving_ip,"
                              + " additional_information, failure_reason_code, failed_session_count"
                              + " FROM "
                              + failureTable
                              + " WHERE report_day = ? ORDER BY policy_id, detail_id")) {
                    s.setObject(1, day);
                    try (ResultSet r = s.executeQuery()) {
                      while (r.next()) {
                        PolicyRow row = rows.get(r.getString(1).trim());
                        if (row == null) {
                          continue; // a detail without its policy row is not ours to report
                        }
                        row.details.put(
                            r.getString(2).trim(),
                            new FailureDetail(
                                r.getString(3),
                                Optional.ofNullable(r.getString(4)),
                                Optional.ofNullable(r.getString(5)),
                                Optional.ofNullable(r.getString(6)),
                                Optional.ofNullable(r.getString(7)),
                                r.getLong(10),
                                Optional.ofNullable(r.getString(8)),
                                Optional.ofNullable(r.getString(9))));
                      }
                    }
                  }
                });
          }
          List<TlsRptCounts> out = new ArrayList<>(rows.size());
          for (PolicyRow row : rows.values()) {
            out.add(
                new TlsRptCounts(
                    day,
                    new PolicyResult(
                        row.policy,
                        row.successful,
                        row.failed,
                        List.copyOf(row.details.values()))));
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
                      "SELECT DISTINCT report_day FROM " + policyTable + " ORDER BY report_day")) {
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
                  for (String table : List.of(failureTable, policyTable)) {
                    try (PreparedStatement s =
                        prepare(c, "DELETE FROM " + table + " WHERE report_day = ?")) {
                      s.setObject(1, day);
                      s.executeUpdate();
                    }
                  }
                  // the ids of batches none of whose days has counts left: sent again, they add
                  // only to removed days, which their sender dropped (TlsRptRecorder.removeAsync)
                  try (PreparedStatement s =
                      prepare(
                          c,
                          "DELETE FROM "
                              + batchTable
                              + " WHERE last_day <= ? AND NOT EXISTS (SELECT 1 FROM "
                              + policyTable
                              + " p WHERE p.report_day <= "
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

  private static FailureDetail sum(FailureDetail a, FailureDetail b) {
    return CountsTable.withCount(a, Math.addExact(a.failedSessionCount(), b.failedSessionCount()));
  }

  /** A policy row, and its detail rows by detail id, in that order. */
  private static final class PolicyRow {
    final LocalDate day;
    final String policyId;
    final ReportedPolicy policy;
    long successful;
    long failed;
    final TreeMap<String, FailureDetail> details = new TreeMap<>();

    PolicyRow(LocalDate day, String policyId, PolicyResult first) {
      this(day, policyId, first.policy());
    }

    PolicyRow(LocalDate day, String policyId, ReportedPolicy policy) {
      this.day = day;
      this.policyId = policyId;
      this.policy = policy;
    }
  }

  static String policyId(ReportedPolicy p) {
    StringBuilder key = new StringBuilder();
    field(key, p.type());
    optionalField(key, p.domain());
    field(key, encodeList(p.strings()));
    field(key, encodeList(p.mxHosts()));
    return sha256(key);
  }

  static String detailId(FailureDetail d) {
    StringBuilder key = new StringBuilder();
    field(key, d.resultType());
    optionalField(key, d.sendingMtaIp());
    optionalField(key, d.receivingMxHostname());
    optionalField(key, d.receivingMxHelo());
    optionalField(key, d.receivingIp());
    optionalField(key, d.additionalInformation());
    optionalField(key, d.failureReasonCode());
    return sha256(key);
  }

  /** Length-prefixed, so no two different keys have the same text. */
  private static void field(StringBuilder key, String value) {
    key.append(value.length()).append(':').append(value);
  }

  private static void optionalField(StringBuilder key, Optional<String> value) {
    if (value.isPresent()) {
      key.append('+');
      field(key, value.get());
    } else {
      key.append('-');
    }
  }

  private static String sha256(CharSequence key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(key.toString().getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * A list as one column: each element followed by a line feed, backslashes and line feeds in it
   * escaped, so that an empty list and a list of one empty element differ.
   */
  static String encodeList(List<String> values) {
    StringBuilder text = new StringBuilder();
    for (String v : values) {
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '\\') {
          text.append("\\\\");
        } else if (c == '\n') {
          text.append("\\n");
        } else {
          text.append(c);
        }
      }
      text.append('\n');
    }
    return text.toString();
  }

  static List<String> decodeList(String text) {
    List<String> values = new ArrayList<>();
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        values.add(v.toString());
        v.setLength(0);
      } else if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        v.append(next == 'n' ? '\n' : next);
      } else {
        v.append(c);
      }
    }
    if (v.length() > 0) {
      values.add(v.toString()); // not written so, but kept rather than lost
    }
    return values;
  }

  /** Builds a {@link JdbcTlsRptStore}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Executor executor;
    private String tablePrefix = "tlsrpt_";
    private int maxAttempts = 5;
    private int queryTimeoutSeconds = 30;

    private Builder(DataSource dataSource, Executor executor) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
      this.executor = requireNonNull(executor, "executor");
    }

    /**
     * Sets the prefix of the three tables' names, such as a schema ({@code mail.tlsrpt_}) is not:
     * letters, digits and underscores only, as unquoted SQL names.
     *
     * @param prefix 1 to 41 characters, not starting with a digit; {@code tlsrpt_} unless set
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
    public JdbcTlsRptStore build() {
      return new JdbcTlsRptStore(this);
    }
  }
}
