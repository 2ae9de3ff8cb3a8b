package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link DmarcReportStore} in this process's memory: for a receiver that runs one MTA and may
 * lose a day's counts when it restarts, and for tests. Its memory grows with the distinct records
 * of the days kept, so remove each day once its reports are sent. Thread-safe: a batch is added
 * under one lock, and the futures it returns are already complete.
 */
public final class InMemoryDmarcReportStore implements DmarcReportStore {
  private final ReportCountsTable table = new ReportCountsTable();

  /** Makes an empty store. */
  public InMemoryDmarcReportStore() {}

  @Override
  public CompletableFuture<Void> addAsync(List<DmarcReportCounts> batch) {
    List<DmarcReportCounts> copy = List.copyOf(batch);
    synchronized (table) {
      table.addAll(copy);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<List<DmarcReportCounts>> countsAsync(LocalDate day) {
    requireNonNull(day, "day");
    synchronized (table) {
      return CompletableFuture.completedFuture(table.counts(day));
    }
  }

  @Override
  public CompletableFuture<List<LocalDate>> daysAsync() {
    synchronized (table) {
      return CompletableFuture.completedFuture(table.days());
    }
  }

  @Override
  public CompletableFuture<Void> removeAsync(LocalDate day) {
    requireNonNull(day, "day");
    synchronized (table) {
      table.remove(day);
    }
    return CompletableFuture.completedFuture(null);
  }
}
