package org.mailauth4j.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a {@link TlsReport} as RFC 8460 §4.4 JSON: the fields in the RFC's order, absent optional
 * fields left out, counts as JSON integers, {@code policies}, {@code policy-string} and {@code
 * mx-host} as arrays, instants in RFC 3339 UTC form. The output is I-JSON (RFC 7493) in UTF-8.
 * Reading is {@link TlsReportReader}'s job.
 *
 * <p>Thread-safe: the methods keep no state.
 */
public final class TlsReportJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private TlsReportJson() {}

  /**
   * Writes the report as UTF-8 JSON.
   *
   * @param report the report
   * @return the JSON, without insignificant whitespace
   */
  public static byte[] toJson(TlsReport report) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    write(report, out);
    return out.toByteArray();
  }

  /**
   * Writes the report as gzip-compressed UTF-8 JSON, the form RFC 8460 §5 says both transports
   * SHOULD use ({@code application/tlsrpt+gzip}).
   *
   * @param report the report
   * @return the compressed JSON
   */
  public static byte[] toGzip(TlsReport report) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      write(report, gzip);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
    return out.toByteArray();
  }

  /**
   * Writes the report as UTF-8 JSON to a stream, which is left open.
   *
   * @param report the report
   * @param out where to write
   */
  public static void write(TlsReport report, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), nonClosing(out))) {
      g.writeStartObject();
      g.writeStringProperty("organization-name", report.organizationName());
      g.writeName("date-range");
      g.writeStartObject();
      g.writeStringProperty("start-datetime", report.dateRange().start().toString());
      g.writeStringProperty("end-datetime", report.dateRange().end().toString());
      g.writeEndObject();
      optional(g, "contact-info", report.contactInfo());
      g.writeStringProperty("report-id", report.reportId());
      g.writeName("policies");
      g.writeStartArray();
      for (PolicyResult result : report.policies()) {
        writePolicyResult(g, result);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void writePolicyResult(JsonGenerator g, PolicyResult result) {
    g.writeStartObject();
    g.writeName("policy");
    g.writeStartObject();
    ReportedPolicy policy = result.policy();
    g.writeStringProperty("policy-type", policy.type());
    strings(g, "policy-string", policy.strings());
    optional(g, "policy-domain", policy.domain());
    strings(g, "mx-host", policy.mxHosts());
    g.writeEndObject();
    g.writeName("summary");
    g.writeStartObject();
    g.writeNumberProperty("total-successful-session-count", result.successfulSessions());
    g.writeNumberProperty("total-failure-session-count", result.failedSessions());
    g.writeEndObject();
    if (!result.failureDetails().isEmpty()) {
      g.writeName("failure-details");
      g.writeStartArray();
      for (FailureDetail d : result.failureDetails()) {
        g.writeStartObject();
        g.writeStringProperty("result-type", d.resultType());
        optional(g, "sending-mta-ip", d.sendingMtaIp());
        optional(g, "receiving-mx-hostname", d.receivingMxHostname());
        optional(g, "receiving-mx-helo", d.receivingMxHelo());
        optional(g, "receiving-ip", d.receivingIp());
        g.writeNumberProperty("failed-session-count", d.failedSessionCount());
        optional(g, "additional-information", d.additionalInformation());
        optional(g, "failure-reason-code", d.failureReasonCode());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String name, Optional<String> value) {
    if (value.isPresent()) {
      g.writeStringProperty(name, value.get());
    }
  }

  private static void strings(JsonGenerator g, String name, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    g.writeName(name);
    g.writeStartArray();
    for (String value : values) {
      g.writeString(value);
    }
    g.writeEndArray();
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }
}
