package org.mailauth4j.tlsrpt;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@link TlsRptRecorder}s keep the session counts of each UTC day until the day's reports are
 * sent (RFC 8460 §4.1). {@link InMemoryTlsRptStore} serves one process; {@link JdbcTlsRptStore}
 * lets several MTAs count into one database, so that each policy domain gets one report per day
 * from all of them.
 *
 * <p>The contract, which every implementation keeps:
 *
 * <ul>
 *   <li><b>Additive.</b> {@link #addAsync(List)} adds counts to what is stored: the session counts
 *       of equal {@code (day, policy)} keys are summed, and so are the counts of failure details
 *       equal in everything but their count. Nothing is ever replaced.
 *   <li><b>Atomic per batch.</b> A batch is added whole or, when the future fails, not at all, so a
 *       recorder may retry a failed batch without counting twice.
 *   <li><b>Shared.</b> Any number of recorders, in one process or in many, may add to one store at
 *       once; no count is lost. Implementations are thread-safe.
 *   <li><b>Non-blocking.</b> The methods return at once; work that waits for I/O runs elsewhere
 *       (the JDBC store's executor), so that an MTA thread that flushes a recorder never waits for
 *       a database.
 * </ul>
 *
 * <p>Each method also has a blocking form, which only joins the future.
 */
public interface TlsRptStore {

  /**
   * Adds a batch of counts.
   *
   * @param batch the counts; keys may repeat, and are summed
   * @return a future that completes once the whole batch is stored, or fails having stored none
   */
  CompletableFuture<Void> addAsync(List<TlsRptCounts> batch);

  /**
   * Reads the counts of a day: one element per policy counted that day, with its failure details
   * summed, in no particular order.
   *
   * @param day the UTC day
   * @return a future of the counts; empty if none are stored for that day
   */
  CompletableFuture<List<TlsRptCounts>> countsAsync(LocalDate day);

  /**
   * Lists the days that have counts.
   *
   * @return a future of the days, earliest first
   */
  CompletableFuture<List<LocalDate>> daysAsync();

  /**
   * Removes a day's counts, once its reports have been sent.
   *
   * @param day the UTC day
   * @return a future that completes once they are gone
   */
  CompletableFuture<Void> removeAsync(LocalDate day);

  /**
   * Adds a batch of counts and waits: {@link #addAsync(List)}, joined.
   *
   * @param batch the counts
   * @throws java.util.concurrent.CompletionException if the store failed, with the cause
   */
  default void add(List<TlsRptCounts> batch) {
    addAsync(batch).join();
  }

  /**
   * Reads the counts of a day and waits: {@link #countsAsync(LocalDate)}, joined.
   *
   * @param day the UTC day
   * @return the counts
   * @throws java.util.concurrent.CompletionException if the store failed, with the cause
   */
  default List<TlsRptCounts> counts(LocalDate day) {
    return countsAsync(day).join();
  }

  /**
   * Lists the days that have counts and waits: {@link #daysAsync()}, joined.
   *
   * @return the days, earliest first
   * @throws java.util.concurrent.CompletionException if the store failed, with the cause
   */
  default List<LocalDate> days() {
    return daysAsync().join();
  }

  /**
   * Removes a day's counts and waits: {@link #removeAsync(LocalDate)}, joined.
   *
   * @param day the UTC day
   * @throws java.util.concurrent.CompletionException if the store failed, with the cause
   */
  default void remove(LocalDate day) {
    removeAsync(day).join();
  }
}
