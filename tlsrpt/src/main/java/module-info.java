/**
 * SMTP TLS Reporting (RFC 8460): the {@code _smtp._tls} record, the report model and its JSON, the
 * sender's recorder of TLS sessions, delivery of reports, and reading received ones.
 */
module org.mailauth4j.tlsrpt {
  requires transitive org.mailauth4j.dns;
  requires transitive org.mailauth4j.mtasts;
  requires transitive org.mailauth4j.dkim;
  requires tools.jackson.core;
  // JdbcTlsRptStore takes a javax.sql.DataSource
  requires transitive java.sql;

  exports org.mailauth4j.tlsrpt;
}
