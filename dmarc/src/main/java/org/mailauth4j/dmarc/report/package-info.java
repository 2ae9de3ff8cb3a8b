/**
 * DMARC reports: the aggregate report model (RFC 9990, and the RFC 7489 form), the receiver's
 * collector that rolls evaluated messages up into daily reports and its stores, the XML writer and
 * the lenient reader of received reports, the report e-mail and the external destination check (RFC
 * 9990 §4), and failure reports (RFC 9991, ARF).
 *
 * <p>Start with {@code DmarcReportCollector} to produce reports and {@code AggregateReportReader}
 * to read received ones.
 */
package org.mailauth4j.dmarc.report;
