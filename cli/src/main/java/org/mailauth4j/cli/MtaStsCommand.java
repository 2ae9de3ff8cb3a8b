package org.mailauth4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.mtasts.MtaStsPolicy;
import org.mailauth4j.mtasts.MtaStsPolicyFetcher;
import org.mailauth4j.mtasts.MtaStsSetupCheck;
import org.mailauth4j.mtasts.SetupFinding;
import org.mailauth4j.mtasts.SetupReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mailauth mta-sts}: a domain's MTA-STS record and policy, and whether its MX hosts fit. */
@Command(
    name = "mta-sts",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch and show a domain's MTA-STS policy (RFC 8461) the way senders read it: the"
          + " _mta-sts record, the policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt and"
          + " how it is served, whether every MX host fits its patterns, mode and max_age.",
      "With --policy FILE the file is checked instead of the served one: offline (--zone), or"
          + " before publishing it. The HTTPS fetch resolves names through the system, not --dns.",
      "Exit code 0 without error findings, 1 with, 3 when every error is a temporary failure"
          + " (DNS, or the policy server unreachable, timing out or answering 5xx)."
    },
    footerHeading = "%nExample:%n",
    footer =
        "  mailauth mta-sts example.test --zone samples/zone/example.test.zone"
            + " --policy samples/mta-sts/example.test.txt")
final class MtaStsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DOMAIN", description = "The domain that receives mail.")
  String domain;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "Check this policy file instead of fetching the served one.")
  Path policy;

  @Mixin DnsOptions dns;
  @Mixin OutputOptions output;
  @ParentCommand Mailauth root;

  @Override
  public Integer call() {
    DomainName name = Domains.parse(domain);
    if (policy == null && dns.offline()) {
      throw CliException.input(
          "the policy is fetched over HTTPS, which --zone leaves out: give --policy FILE");
    }
    MtaStsSetupCheck check =
        MtaStsSetupCheck.builder(dns.resolver())
            .fetcher(
                MtaStsPolicyFetcher.builder()
                    .connectTimeout(dns.timeout())
                    .timeout(dns.timeout())
                    .build())
            .build();
    SetupReport report =
        policy == null
            ? check.check(name)
            : check.check(name, Inputs.readText(policy, root.io, "MTA-STS policy"));
    if (output.json) {
      ObjectNode doc = Json.document("mta-sts");
      doc.put("domain", name.toString());
      doc.put("source", policy == null ? "https" : "file");
      Json.put(doc, "recordId", report.record().map(r -> r.id()));
      report.policy().ifPresentOrElse(p -> doc.set("policy", json(p)), () -> doc.putNull("policy"));
      doc.put("worst", Describe.token(report.worst()));
      ArrayNode findings = doc.putArray("findings");
      for (SetupFinding f : report.findings()) {
        ObjectNode n = findings.addObject();
        n.put("severity", Describe.token(f.severity()));
        n.put("topic", f.topic());
        n.put("message", f.message());
        if (f.fix().isEmpty()) {
          n.putNull("fix");
        } else {
          n.put("fix", f.fix());
        }
      }
      Json.print(root.io.out(), doc);
    } else {
      print(root.io.out(), name, report);
    }
    return exitCode(report);
  }

  /** 0 without errors; 3 when every error is temporary, so that trying later may help; else 1. */
  static int exitCode(SetupReport report) {
    List<SetupFinding> errors = report.findings(Severity.ERROR);
    if (errors.isEmpty()) {
      return ExitCode.OK;
    }
    return errors.stream().allMatch(SetupFinding::temporary)
        ? ExitCode.TEMPORARY
        : ExitCode.FINDINGS;
  }

  static ObjectNode json(MtaStsPolicy p) {
    ObjectNode n = Json.object();
    n.put("mode", Describe.token(p.mode()));
    n.put("maxAge", p.maxAge().getSeconds());
    n.set("mx", Json.strings(p.mx()));
    ObjectNode ext = n.putObject("extensions");
    p.extensions().forEach(ext::put);
    return n;
  }

  private static void print(PrintWriter out, DomainName name, SetupReport report) {
    out.println("MTA-STS for " + name);
    out.println("  record id: " + report.record().map(r -> r.id()).orElse("-"));
    report
        .policy()
        .ifPresentOrElse(
            p -> {
              out.println("  mode:      " + Describe.token(p.mode()));
              out.println("  max_age:   " + p.maxAge().getSeconds() + " seconds");
              out.println("  mx:        " + p.mx());
            },
            () -> out.println("  policy:    none usable"));
    out.println("Findings:");
    for (SetupFinding f : report.findings()) {
      out.printf("  %-8s %-8s %s%n", Describe.token(f.severity()), f.topic(), f.message());
      if (!f.fix().isEmpty() && f.severity() != Severity.OK) {
        out.printf("  %-8s %-8s fix: %s%n", "", "", f.fix());
      }
    }
    out.flush();
  }
}
