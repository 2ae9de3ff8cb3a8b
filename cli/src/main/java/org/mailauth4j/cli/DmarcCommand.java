package org.mailauth4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailauth4j.dmarc.AuthorDomains;
import org.mailauth4j.dmarc.DmarcLookup;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.DmarcRecordFinding;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DomainName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mailauth dmarc}: the policy that applies to a domain, how it was found, and its lint. */
@Command(
    name = "dmarc",
    mixinStandardHelpOptions = true,
    description = {
      "Find the DMARC policy that applies to mail from a domain (RFC 9989 DNS tree walk, or RFC"
          + " 7489 with --profile rfc7489), its organizational domain, every lookup made, and"
          + " what is wrong or weak in the record.",
      "Exit code 0 when a usable policy applies and has no error findings, 1 otherwise, 3 when"
          + " DNS failed."
    },
    footerHeading = "%nExample:%n",
    footer = "  mailauth dmarc news.example.test --zone samples/zone/example.test.zone")
final class DmarcCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DOMAIN", description = "The author (From) domain.")
  String domain;

  @Mixin DnsOptions dns;
  @Mixin OutputOptions output;
  @ParentCommand Mailauth root;

  @Override
  public Integer call() {
    DomainName name = Domains.parse(domain);
    DmarcOutcome o = lookup(dns, name);
    List<DmarcRecordFinding> lint =
        o.record().map(r -> r.lint(dns.dmarcProfile())).orElse(List.of());
    int code = exitCode(o, lint);
    if (output.json) {
      ObjectNode doc = Json.document("dmarc");
      doc.put("domain", name.toString());
      doc.put("profile", Describe.token(dns.dmarcProfile()));
      Json.put(doc, "policyDomain", o.policyDomain());
      Json.put(doc, "organizationalDomain", o.organizationalDomain());
      Json.put(doc, "record", o.record().map(DmarcRecord::text));
      ObjectNode policy = doc.putObject("policy");
      o.record().ifPresentOrElse(r -> policy(policy, r), () -> doc.putNull("policy"));
      doc.set("trace", Describe.dmarcTrace(o));
      ArrayNode problems = doc.putArray("findings");
      lint.forEach(p -> problems.add(Describe.recordProblem(p)));
      doc.put("detail", o.detail());
      Json.print(root.io.out(), doc);
    } else {
      print(root.io.out(), name, o, lint);
    }
    return code;
  }

  /** The policy for mail from a domain: DMARC evaluated with no authenticated identifier. */
  static DmarcOutcome lookup(DnsOptions dns, DomainName domain) {
    DmarcVerifier verifier =
        DmarcVerifier.builder(dns.resolver())
            .profile(dns.dmarcProfile())
            .timeout(dns.timeout())
            .build();
    return verifier.evaluate(
        AuthorDomains.parse(List.of("postmaster@" + domain), 1), List.of(), List.of());
  }

  static boolean temporaryFailure(DmarcOutcome o) {
    return o.trace().stream().anyMatch(l -> l.status() == DnsStatus.TEMP_FAIL)
        && o.record().isEmpty();
  }

  private static int exitCode(DmarcOutcome o, List<DmarcRecordFinding> lint) {
    if (temporaryFailure(o)) {
      return ExitCode.TEMPORARY;
    }
    if (o.record().isEmpty() || !o.record().get().hasUsablePolicy()) {
      return ExitCode.FINDINGS;
    }
    return lint.stream().anyMatch(p -> p.severity() == org.mailauth4j.dns.Severity.ERROR)
        ? ExitCode.FINDINGS
        : ExitCode.OK;
  }

  private static void policy(ObjectNode n, DmarcRecord r) {
    Json.put(n, "p", r.policy().map(p -> p.token()));
    Json.put(n, "sp", r.subdomainPolicy().map(p -> p.token()));
    Json.put(n, "np", r.nonexistentDomainPolicy().map(p -> p.token()));
    n.put("adkim", Describe.token(r.dkimAlignment()));
    n.put("aspf", Describe.token(r.spfAlignment()));
    n.put("testing", r.testing());
    n.put("pct", r.percent());
    n.put("psd", Describe.token(r.psd()));
    n.set("rua", Json.strings(r.aggregateReportUris()));
    n.set("ruf", Json.strings(r.failureReportUris()));
  }

  private static void print(
      PrintWriter out, DomainName name, DmarcOutcome o, List<DmarcRecordFinding> lint) {
    out.printf("DMARC policy for mail from %s (%s)%n", name, Describe.token(o.profile()));
    if (o.record().isPresent()) {
      DmarcRecord r = o.record().get();
      out.println("  record:                " + r.text());
      out.println("  policy domain:         " + o.policyDomain().map(Object::toString).orElse("-"));
      out.println(
          "  organizational domain: " + o.organizationalDomain().map(Object::toString).orElse("-"));
      out.printf(
          "  policy:                p=%s sp=%s np=%s adkim=%s aspf=%s%s%n",
          r.policy().map(p -> p.token()).orElse("-"),
          r.subdomainPolicy().map(p -> p.token()).orElse("-"),
          r.nonexistentDomainPolicy().map(p -> p.token()).orElse("-"),
          Describe.token(r.dkimAlignment()),
          Describe.token(r.spfAlignment()),
          r.testing() ? " t=y (testing)" : "");
      out.println(
          "  aggregate reports:     "
              + (r.aggregateReportUris().isEmpty() ? "none" : r.aggregateReportUris()));
    } else {
      out.println("  no policy: " + o.detail());
    }
    out.println("Discovery:");
    for (DmarcLookup l : o.trace()) {
      out.printf(
          "  %-4s %-40s %s%s%n",
          l.purpose() == DmarcLookup.Purpose.EXISTENCE ? "A" : "TXT",
          l.name(),
          Describe.token(l.status()),
          l.hasRecord() ? ": " + l.dmarcRecords().get(0) : "");
    }
    if (!lint.isEmpty()) {
      out.println("Findings:");
      for (DmarcRecordFinding p : lint) {
        out.printf("  %-8s %s%n", Describe.token(p.severity()), p.message());
      }
    }
    out.flush();
  }
}
