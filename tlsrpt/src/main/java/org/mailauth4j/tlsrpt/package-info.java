/**
 * SMTP TLS Reporting (RFC 8460). {@link org.mailauth4j.tlsrpt.TlsReport} is the report, {@link
 * org.mailauth4j.tlsrpt.TlsReportJson} writes its JSON and {@link
 * org.mailauth4j.tlsrpt.TlsReportReader} reads it (§4.4, leniently, within limits), from JSON, gzip
 * or a whole report e-mail (§5.3, {@link org.mailauth4j.tlsrpt.ReceivedTlsReport}); {@link
 * org.mailauth4j.tlsrpt.TlsReportSummary} adds received reports up.
 *
 * <pre>{@code
 * TlsReportReader reader = TlsReportReader.builder().build();
 * ReceivedTlsReport received = reader.readMessage(messageBytes);
 * TlsReportSummary summary = TlsReportSummary.of(received.report());
 * }</pre>
 */
package org.mailauth4j.tlsrpt;
