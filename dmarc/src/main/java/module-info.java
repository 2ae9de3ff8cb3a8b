/**
 * DMARC (RFC 9989, with an RFC 7489 profile), its aggregate and failure reports (RFC 9990, RFC
 * 9991), Authentication-Results (RFC 8601), and one-call message authentication over SPF and DKIM.
 */
// mime4j-core has no module descriptor, so it is an automatic module; javac's requires-automatic
// lint would fail the -Werror build. It stays behind the door: no mime4j type is in the API.
@SuppressWarnings("requires-automatic")
module org.mailauth4j.dmarc {
  requires transitive org.mailauth4j.dns;
  requires transitive org.mailauth4j.dkim;
  requires transitive org.mailauth4j.spf;
  requires com.google.common;
  // StAX: writing and reading aggregate report XML
  requires java.xml;
  // JdbcDmarcReportStore takes a javax.sql.DataSource
  requires transitive java.sql;
  // reading report e-mails (AggregateReportReader, FailureReportReader)
  requires apache.mime4j.core;

  exports org.mailauth4j.dmarc;
  exports org.mailauth4j.dmarc.report;
}
