/**
 * DMARC reports: the aggregate report model (RFC 9990, and the RFC 7489 form), the receiver's
 * collector that rolls evaluated messages up into daily reports and its stores, the XML writer and
 * the lenient reader of received reports, the report e-mail and the external destination check (RFC
 * 9990 §4), and failure reports (RFC 9991, ARF).
 *
 * <p>Where to start:
 *
 * <ul>
 *   <li>a receiver producing reports: {@link org.mailauth4j.dmarc.report.DmarcReportCollector}
 *       (over an {@link org.mailauth4j.dmarc.report.InMemoryDmarcReportStore} or a {@link
 *       org.mailauth4j.dmarc.report.JdbcDmarcReportStore} shared by several MTAs), then {@link
 *       org.mailauth4j.dmarc.report.ReportDestinationVerifier} and {@link
 *       org.mailauth4j.dmarc.report.AggregateReportMail} to send each report, or {@link
 *       org.mailauth4j.dmarc.report.AggregateReportXml} for the XML alone;
 *   <li>a monitoring product reading them: {@link
 *       org.mailauth4j.dmarc.report.AggregateReportReader};
 *   <li>failure reports: {@link org.mailauth4j.dmarc.report.FailureReportComposer} and {@link
 *       org.mailauth4j.dmarc.report.FailureReportReader}.
 * </ul>
 */
package org.mailauth4j.dmarc.report;
