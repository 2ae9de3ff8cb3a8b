/**
 * SMTP TLS Reporting (RFC 8460). {@link org.mailauth4j.tlsrpt.TlsReport} is the report, {@link
 * org.mailauth4j.tlsrpt.TlsReportJson} writes its JSON and {@link
 * org.mailauth4j.tlsrpt.TlsReportReader} reads it.
 */
package org.mailauth4j.tlsrpt;
