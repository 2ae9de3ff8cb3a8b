/**
 * SMTP TLS Reporting (RFC 8460): how a receiving domain learns that senders could not reach it over
 * authenticated TLS.
 *
 * <ul>
 *   <li>The record: {@link org.mailauth4j.tlsrpt.TlsRptRecord} (parse, write) and its {@link
 *       org.mailauth4j.tlsrpt.TlsRptUri}s; {@link org.mailauth4j.tlsrpt.TlsRptRecordResolver} finds
 *       a domain's record at {@code _smtp._tls}.
 *   <li>The report: {@link org.mailauth4j.tlsrpt.TlsReport} and its parts; {@link
 *       org.mailauth4j.tlsrpt.TlsReportJson} writes its JSON, {@link
 *       org.mailauth4j.tlsrpt.TlsReportReader} reads received reports (JSON, gzip, whole e-mails)
 *       within limits, {@link org.mailauth4j.tlsrpt.TlsReportSummary} adds them up.
 *   <li>The sender's side: {@link org.mailauth4j.tlsrpt.TlsRptRecorder} counts each TLS session's
 *       {@link org.mailauth4j.mtasts.MxVerdict} into daily reports over a {@link
 *       org.mailauth4j.tlsrpt.TlsRptStore} ({@link org.mailauth4j.tlsrpt.InMemoryTlsRptStore},
 *       {@link org.mailauth4j.tlsrpt.JdbcTlsRptStore}); {@link
 *       org.mailauth4j.tlsrpt.TlsReportDelivery} sends them to the record's destinations by {@link
 *       org.mailauth4j.tlsrpt.TlsReportSubmitter} (HTTPS) and {@link
 *       org.mailauth4j.tlsrpt.TlsReportMail} (a DKIM-signed e-mail for the caller's MTA).
 * </ul>
 */
package org.mailauth4j.tlsrpt;
