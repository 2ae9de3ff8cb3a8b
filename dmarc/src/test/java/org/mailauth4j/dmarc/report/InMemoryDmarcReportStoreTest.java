package org.mailauth4j.dmarc.report;

/** The store contract, kept by the in-memory store. */
class InMemoryDmarcReportStoreTest extends DmarcReportStoreContract {
  @Override
  DmarcReportStore newStore() {
    return new InMemoryDmarcReportStore();
  }
}
