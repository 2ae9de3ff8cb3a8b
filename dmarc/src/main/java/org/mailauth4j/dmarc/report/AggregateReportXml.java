package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes an {@link AggregateReport} as the XML document a receiver sends: the RFC 9990 form
 * (namespace {@code urn:ietf:params:xml:ns:dmarc-2.0}, valid against its XSD) or the RFC 7489
 * Appendix C form (namespace {@code http://dmarc.org/dmarc-xml/0.1}). Elements come in the order of
 * the form's XSD, indented by two spaces, in UTF-8 with an XML declaration; the same report always
 * gives the same bytes. Reading is {@code AggregateReportReader}'s job.
 *
 * <p>The model holds both forms' elements, so each form leaves some out or maps them:
 *
 * <ul>
 *   <li>RFC 9990: no {@code pct}; at most one {@code auth_results/spf}, the first with scope {@code
 *       mfrom} (or none), else the first, whose {@code helo} scope is then left out and said in
 *       {@code human_result} ({@code scope=helo}); the reasons {@code forwarded} and {@code
 *       sampled_out} become {@code other} with the original type leading the comment; several
 *       {@code error}s are joined with {@code "; "} into the one the XSD allows. A {@code selector}
 *       is required.
 *   <li>RFC 7489: no {@code np}, {@code testing}, {@code discovery_method}, {@code generator}, SPF
 *       {@code human_result} or extensions; disposition {@code pass} is written {@code none};
 *       reason {@code policy_test_mode} becomes {@code other} with the type leading the comment;
 *       SPF result {@code policy} (RFC 8601) is written {@code fail}. Required elements the model
 *       may lack take defaults: {@code version} {@code 1.0}, {@code pct} 100 (RFC 7489 §6.3), an
 *       empty {@code envelope_from} (a null reverse-path), SPF {@code scope} {@code mfrom} (the
 *       only one RFC 9990 has), and, with no SPF result at all, {@code none} for the MAIL FROM
 *       domain ("no domain to check"). IPv6 source addresses are written with all eight groups,
 *       because the XSD's address pattern accepts no {@code ::} (RFC 7489 errata 5221); RFC 9990
 *       uses the RFC 5952 form.
 * </ul>
 *
 * <p>A value the form requires and no default can stand for ({@code p}, a record's {@code
 * disposition} and aligned {@code dkim}/{@code spf} results, an RFC 9990 DKIM {@code selector}, at
 * least one record, a {@code version} that is an {@code xs:decimal}) is refused with an {@link
 * IllegalArgumentException} naming the element, before anything is written. Characters XML 1.0
 * cannot carry (control characters, lone surrogates, U+FFFE, U+FFFF) are replaced with U+FFFD
 * rather than dropped, so that a hostile value cannot turn into a plausible one; line ends become
 * LF, as a reader would see them. Extensions are copied element by element through a StAX reader
 * without DTD or entities.
 *
 * <p>Thread-safe: the methods keep no state.
 */
public final class AggregateReportXml {
  private AggregateReportXml() {}

  /**
   * Writes the report as a UTF-8 XML document.
   *
   * @param report the report
   * @param format the form
   * @return the document
   * @throws IllegalArgumentException if the report lacks an element the form requires
   */
  public static byte[] write(AggregateReport report, ReportFormat format) {
    // about 600 bytes a record; a large report grows the buffer from 1 MiB
    int guess = (int) Math.min(1 << 20, 2048 + 600L * report.records().size());
    ByteArrayOutputStream out = new ByteArrayOutputStream(guess);
    write(report, format, out);
    return out.toByteArray();
  }

  /**
   * Streams the report as a UTF-8 XML document: records are written as they come, so a large report
   * is never held whole as XML. The stream is flushed and left open.
   *
   * @param report the report
   * @param format the form
   * @param out where to write
   * @throws IllegalArgumentException if the report lacks an element the form requires; nothing has
   *     been written then
   * @throws UncheckedIOException if writing to the stream fails
   */
  public static void write(AggregateReport report, ReportFormat format, OutputStream out) {
    requireNonNull(report, "report");
    requireNonNull(format, "format");
    requireNonNull(out, "out");
    ReportXmlWriter.checkComplete(report, format);
    ReportXmlWriter.write(report, format, out);
  }
}
