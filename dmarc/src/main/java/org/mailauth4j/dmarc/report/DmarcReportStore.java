package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@link DmarcReportCollector}s keep the message counts of each UTC day until the day's
 * aggregate reports are sent (RFC 9990 §3.1). {@link InMemoryDmarcReportStore} serves one process;
 * {@link JdbcDmarcReportStore} lets several MTAs of one receiver count into one database, so that
 * each policy domain gets one report per configuration and day from all of them.
 *
 * <p>The contract, which every implementation keeps:
 *
 * <ul>
 *   <li><b>Additive.</b> {@link #addAsync(List)} adds counts to what is stored: the counts of equal
 *       {@code (day, policy, group)} keys are summed, the group being the record without its count
 *       ({@link ReportRecord#sameGroup(ReportRecord)}). Nothing is ever replaced.
 *   <li><b>Atomic per batch.</b> A batch is added whole or not at all.
 *   <li><b>Idempotent per batch id.</b> {@link #addAsync(UUID, List)} adds a batch under an id its
 *       sender made; a batch whose id the store already holds is skipped, and the future completes
 *       as if it were added. So a sender whose add failed without a known outcome (a connection
 *       lost during the commit, a timeout) sends the same batch again under the same id, and
 *       nothing is counted twice. A store whose adds never end with an unknown outcome, such as
 *       {@link InMemoryDmarcReportStore}, whose futures are complete when returned, may ignore the
 *       id, as the default method does; {@link JdbcDmarcReportStore} keeps the ids.
 *   <li><b>Shared.</b> Any number of collectors, in one process or in many, may add to one store at
 *       once; no count is lost. Implementations are thread-safe.
 *   <li><b>Non-blocking.</b> The methods return at once; work that waits for I/O runs elsewhere
 *       (the JDBC store's executor), so that an MTA thread that flushes a collector never waits for
 *       a database.
 * </ul>
 *
 * <p>Each method also has a blocking form, which only joins the future.
 */
public interface DmarcReportStore {

  /**
   * Adds a batch of counts.
   *
   * @param batch the counts; keys may repeat, and are summed
   * @return a future that completes once the whole batch is stored, or fails having stored none, or
   *     (a database) with an unknown outcome; to send a batch again, use {@link #addAsync(UUID,
   *     List)}
   */
  CompletableFuture<Void> addAsync(List<DmarcReportCounts> batch);

  /**
   * Adds a batch of counts under an id, once: a batch whose id the store holds already is skipped.
   * The default ignores the id and calls {@link #addAsync(List)}, which is right only for a store
   * whose add cannot end with an unknown outcome.
   *
   * @param batchId the batch's id, made by its sender, the same each time it is sent again
   * @param batch the counts; keys may repeat, and are summed
   * @return a future that completes once the whole batch is stored, now or before, or fails having
   *     stored none of it, or with an unknown outcome that sending it again under its id resolves
   */
  default CompletableFuture<Void> addAsync(UUID batchId, List<DmarcReportCounts> batch) {
    requireNonNull(batchId, "batchId");
    return addAsync(batch);
  }

  /**
   * Reads the counts of a day: one element per policy and group counted that day, in no particular
   * order.
   *
   * @param day the UTC day
   * @return a future of the counts; empty if none are stored for that day
   */
  CompletableFuture<List<DmarcReportCounts>> countsAsync(LocalDate day);

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
  default void add(List<DmarcReportCounts> batch) {
    addAsync(batch).join();
  }

  /**
   * Reads the counts of a day and waits: {@link #countsAsync(LocalDate)}, joined.
   *
   * @param day the UTC day
   * @return the counts
   * @throws java.util.concurrent.CompletionException if the store failed, with the cause
   */
  default List<DmarcReportCounts> counts(LocalDate day) {
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
