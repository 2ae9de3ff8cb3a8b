/**
 * SMTP TLS Reporting (RFC 8460): the {@code _smtp._tls} record, the report model and its JSON, the
 * sender's recorder of TLS sessions, delivery of reports, and reading received ones.
 */
// mime4j-core has no module descriptor, so it is an automatic module; javac's requires-automatic
// lint would fail the -Werror build. It stays behind the door: no mime4j type is in the API.
@SuppressWarnings("requires-automatic")
module org.mailauth4j.tlsrpt {
  requires transitive org.mailauth4j.dns;
  requires transitive org.mailauth4j.mtasts;
  requires transitive org.mailauth4j.dkim;
  requires tools.jackson.core;
  // JdbcTlsRptStore takes a javax.sql.DataSource
  requires transitive java.sql;
  // reading report e-mails (TlsReportReader.readMessage)
  requires apache.mime4j.core;

  exports org.mailauth4j.tlsrpt;
}
