package org.mailauth4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mailauth4j.tlsrpt.FailureDetail;
import org.mailauth4j.tlsrpt.PolicyResult;
import org.mailauth4j.tlsrpt.ReceivedTlsReport;
import org.mailauth4j.tlsrpt.TlsReport;
import org.mailauth4j.tlsrpt.TlsReportException;
import org.mailauth4j.tlsrpt.TlsReportReader;
import org.mailauth4j.tlsrpt.TlsReportSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mailauth tlsrpt}: TLS-RPT (RFC 8460) tools. */
@Command(
    name = "tlsrpt",
    mixinStandardHelpOptions = true,
    description = "TLS-RPT (RFC 8460) report tools.",
    footerHeading = "%nExample:%n",
    footer = "  mailauth tlsrpt parse samples/reports/tlsrpt/example.test.json --json",
    subcommands = TlsRptCommand.Parse.class)
final class TlsRptCommand implements Runnable {
  @ParentCommand Mailauth root;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is needed: parse");
  }

  /** {@code mailauth tlsrpt parse}: one received report, as a table or JSON. */
  @Command(
      name = "parse",
      mixinStandardHelpOptions = true,
      description = {
        "Read a TLS-RPT report: JSON, gzip-compressed JSON (.json.gz), or the whole report e-mail"
            + " (.eml), within the reader's limits; show each policy's session counts and"
            + " failures.",
        "Exit code 0 when read (whatever the report says), 2 when it is no readable report."
      },
      footerHeading = "%nExample:%n",
      footer = "  mailauth tlsrpt parse samples/reports/tlsrpt/example.test.json")
  static final class Parse implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The report, or - for standard input.")
    Path file;

    @Mixin OutputOptions output;
    @ParentCommand TlsRptCommand parent;

    @Override
    public Integer call() {
      Io io = parent.root.io;
      byte[] data = Inputs.read(file, io, "report");
      TlsReportReader reader = TlsReportReader.builder().build();
      TlsReport report;
      ReceivedTlsReport received = null;
      try {
        if (ReportFiles.isMessage(file, data)) {
          received = reader.readMessage(data);
          report = received.report();
        } else {
          report = reader.read(data);
        }
      } catch (TlsReportException e) {
        throw CliException.input("report " + file + ": " + e.getMessage());
      }
      TlsReportSummary summary = TlsReportSummary.of(report);
      if (output.json) {
        ObjectNode doc = Json.document("tlsrpt parse");
        doc.put("file", file.toString());
        doc.set("report", json(report));
        ObjectNode s = doc.putObject("summary");
        s.put("successfulSessions", summary.successfulSessions());
        s.put("failedSessions", summary.failedSessions());
        ObjectNode byType = s.putObject("failuresByResultType");
        summary.failuresByResultType().forEach(byType::put);
        if (received != null) {
          ObjectNode m = doc.putObject("message");
          Json.put(m, "subject", received.subject());
          Json.put(m, "reportDomain", received.reportDomain());
          Json.put(m, "submitter", received.submitter());
          Json.put(m, "filename", received.filename());
          m.put("mediaType", received.mediaType());
        } else {
          doc.putNull("message");
        }
        Json.print(io.out(), doc);
      } else {
        print(io.out(), report, summary);
      }
      return ExitCode.OK;
    }
  }

  static ObjectNode json(TlsReport r) {
    ObjectNode n = Json.object();
    n.put("organizationName", r.organizationName());
    n.put("reportId", r.reportId());
    Json.put(n, "contactInfo", r.contactInfo());
    n.put("begin", r.dateRange().start().toString());
    n.put("end", r.dateRange().end().toString());
    ArrayNode policies = n.putArray("policies");
    for (PolicyResult p : r.policies()) {
      ObjectNode j = policies.addObject();
      j.put("type", p.policy().type());
      Json.put(j, "domain", p.policy().domain());
      j.set("mxHosts", Json.strings(p.policy().mxHosts()));
      j.set("strings", Json.strings(p.policy().strings()));
      j.put("successfulSessions", p.successfulSessions());
      j.put("failedSessions", p.failedSessions());
      ArrayNode failures = j.putArray("failureDetails");
      for (FailureDetail f : p.failureDetails()) {
        ObjectNode d = failures.addObject();
        d.put("resultType", f.resultType());
        Json.put(d, "sendingMtaIp", f.sendingMtaIp());
        Json.put(d, "receivingMxHostname", f.receivingMxHostname());
        Json.put(d, "receivingIp", f.receivingIp());
        d.put("failedSessionCount", f.failedSessionCount());
        Json.put(d, "failureReasonCode", f.failureReasonCode());
        Json.put(d, "additionalInformation", f.additionalInformation());
      }
    }
    return n;
  }

  private static void print(PrintWriter out, TlsReport r, TlsReportSummary s) {
    out.printf("TLS-RPT report %s from %s%n", r.reportId(), r.organizationName());
    out.printf("  period: %s to %s%n", r.dateRange().start(), r.dateRange().end());
    r.contactInfo().ifPresent(c -> out.println("  contact: " + c));
    out.printf(
        "  sessions: %d successful, %d failed%n", s.successfulSessions(), s.failedSessions());
    out.printf("%n  %-8s %-28s %12s %8s%n", "POLICY", "DOMAIN", "SUCCESSFUL", "FAILED");
    for (PolicyResult p : r.policies()) {
      out.printf(
          "  %-8s %-28s %12d %8d%n",
          p.policy().type(),
          p.policy().domain().orElse("-"),
          p.successfulSessions(),
          p.failedSessions());
      for (FailureDetail f : p.failureDetails()) {
        out.printf(
            "    %-30s %6d  mx %s ip %s%s%n",
            f.resultType(),
            f.failedSessionCount(),
            f.receivingMxHostname().orElse("-"),
            f.receivingIp().orElse("-"),
            f.failureReasonCode().map(c -> "  (" + c + ")").orElse(""));
      }
    }
    out.flush();
  }
}
