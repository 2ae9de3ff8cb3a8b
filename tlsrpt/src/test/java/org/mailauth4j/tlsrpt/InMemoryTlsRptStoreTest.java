package org.mailauth4j.tlsrpt;

/** The store contract, kept by the in-memory store. */
class InMemoryTlsRptStoreTest extends TlsRptStoreContract {
  @Override
  TlsRptStore newStore() {
    return new InMemoryTlsRptStore();
  }
}
