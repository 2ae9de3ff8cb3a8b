package org.mailauth4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mailauth4j.dmarc.report.AggregateReport;
import org.mailauth4j.dmarc.report.AggregateReportReader;
import org.mailauth4j.dmarc.report.DkimAuthResult;
import org.mailauth4j.dmarc.report.DmarcReportException;
import org.mailauth4j.dmarc.report.PublishedPolicy;
import org.mailauth4j.dmarc.report.ReceivedAggregateReport;
import org.mailauth4j.dmarc.report.ReportRecord;
import org.mailauth4j.dmarc.report.ReportWarning;
import org.mailauth4j.dmarc.report.SpfAuthResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mailauth report}: DMARC aggregate report (RFC 9990, RFC 7489) tools. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "DMARC aggregate report tools (RFC 9990, and RFC 7489's reports).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  mailauth report summarize samples/reports/dmarc",
      "  mailauth report parse message.eml --json"
    },
    subcommands = {ReportCommand.Parse.class, ReportCommand.Summarize.class})
final class ReportCommand implements Runnable {
  @ParentCommand Mailauth root;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is needed: parse or summarize");
  }

  /** Reads one file: a report document (XML, gzip, zip) or a report e-mail. */
  static ReceivedAggregateReport read(AggregateReportReader reader, Path file, byte[] data) {
    try {
      return ReportFiles.isMessage(file, data) ? reader.readMessage(data) : reader.read(data);
    } catch (DmarcReportException e) {
      throw CliException.input("report " + file + ": " + e.getMessage());
    }
  }

  /**
   * The report's messages and DMARC passes, refusing a report whose counts add up past what a long
   * holds: the counts are the sender's, and a hostile one must not make totals negative.
   */
  static long[] checkedTotal(AggregateReport r) {
    long messages = 0;
    long pass = 0;
    try {
      for (ReportRecord rec : r.records()) {
        messages = Math.addExact(messages, rec.count());
        if (passed(rec)) {
          pass = Math.addExact(pass, rec.count());
        }
      }
    } catch (ArithmeticException e) {
      throw CliException.input("the report's counts add up to more than 2^63 messages");
    }
    return new long[] {messages, pass};
  }

  /** Whether a record's messages passed DMARC: an aligned DKIM or SPF pass (RFC 9989 §4.4). */
  static boolean passed(ReportRecord r) {
    return r.dkimAligned().orElse(false) || r.spfAligned().orElse(false);
  }

  /** {@code mailauth report parse}: one aggregate report as a table or JSON. */
  @Command(
      name = "parse",
      mixinStandardHelpOptions = true,
      description = {
        "Read a DMARC aggregate report: XML, .xml.gz, .zip, or the whole report e-mail (.eml),"
            + " within the reader's limits (no DTDs or entities, bounded decompression); show its"
            + " policy and one row per source.",
        "Exit code 0 when read (whatever the report says), 2 when it is no readable report."
      },
      footerHeading = "%nExample:%n",
      footer = "  mailauth report parse samples/reports/dmarc/*4f1c2a.xml")
  static final class Parse implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The report, or - for standard input.")
    Path file;

    @Mixin OutputOptions output;
    @ParentCommand ReportCommand parent;

    @Override
    public Integer call() {
      Io io = parent.root.io;
      ReceivedAggregateReport received =
          read(AggregateReportReader.builder().build(), file, Inputs.read(file, io, "report"));
      AggregateReport r = received.report();
      checkedTotal(r);
      if (output.json) {
        ObjectNode doc = Json.document("report parse");
        doc.put("file", file.toString());
        doc.put("packing", Describe.token(received.packing()));
        Json.put(doc, "namespace", received.namespace());
        doc.set("report", json(r));
        ArrayNode warnings = doc.putArray("warnings");
        for (ReportWarning w : received.warnings()) {
          ObjectNode n = warnings.addObject();
          n.put("kind", Describe.token(w.kind()));
          Json.put(n, "location", w.location());
          n.put("detail", w.detail());
        }
        Json.print(io.out(), doc);
      } else {
        print(io.out(), received);
      }
      return ExitCode.OK;
    }
  }

  static ObjectNode json(AggregateReport r) {
    ObjectNode n = Json.object();
    ObjectNode m = n.putObject("metadata");
    m.put("organizationName", r.metadata().organizationName());
    m.put("email", r.metadata().email());
    m.put("reportId", r.metadata().reportId());
    m.put("begin", r.metadata().begin().toString());
    m.put("end", r.metadata().end().toString());
    m.set("errors", Json.strings(r.metadata().errors()));
    PublishedPolicy p = r.policy();
    ObjectNode policy = n.putObject("policy");
    policy.put("domain", p.domain());
    Json.put(policy, "p", p.policy().map(x -> x.token()));
    Json.put(policy, "sp", p.subdomainPolicy().map(x -> x.token()));
    Json.put(policy, "np", p.nonexistentDomainPolicy().map(x -> x.token()));
    Json.put(policy, "adkim", p.dkimAlignment().map(Describe::token));
    Json.put(policy, "aspf", p.spfAlignment().map(Describe::token));
    Json.putBoolean(policy, "testing", p.testing());
    if (p.percent().isPresent()) {
      policy.put("pct", p.percent().getAsInt());
    } else {
      policy.putNull("pct");
    }
    n.put("messages", checkedTotal(r)[0]);
    ArrayNode records = n.putArray("records");
    for (ReportRecord rec : r.records()) {
      ObjectNode j = records.addObject();
      j.put("sourceIp", Addresses.text(rec.sourceIp()));
      j.put("count", rec.count());
      Json.put(j, "disposition", rec.disposition().map(d -> d.token()));
      Json.putBoolean(j, "dkimAligned", rec.dkimAligned());
      Json.putBoolean(j, "spfAligned", rec.spfAligned());
      j.put("dmarc", passed(rec) ? "pass" : "fail");
      j.put("headerFrom", rec.headerFrom());
      Json.put(j, "envelopeFrom", rec.envelopeFrom());
      ArrayNode dkim = j.putArray("dkim");
      for (DkimAuthResult d : rec.dkim()) {
        ObjectNode x = dkim.addObject();
        x.put("domain", d.domain());
        Json.put(x, "selector", d.selector());
        x.put("result", d.result().token());
      }
      ArrayNode spf = j.putArray("spf");
      for (SpfAuthResult s : rec.spf()) {
        ObjectNode x = spf.addObject();
        x.put("domain", s.domain());
        Json.put(x, "scope", s.scope().map(Describe::token));
        x.put("result", s.result().token());
      }
    }
    return n;
  }

  private static void print(PrintWriter out, ReceivedAggregateReport received) {
    AggregateReport r = received.report();
    PublishedPolicy p = r.policy();
    out.printf(
        "DMARC aggregate report %s from %s <%s>%n",
        r.metadata().reportId(), r.metadata().organizationName(), r.metadata().email());
    out.printf("  period: %s to %s%n", r.metadata().begin(), r.metadata().end());
    out.printf(
        "  policy: %s p=%s%s%n",
        p.domain(),
        p.policy().map(x -> x.token()).orElse("-"),
        p.subdomainPolicy().map(x -> " sp=" + x.token()).orElse(""));
    long[] totals = checkedTotal(r);
    long pass = totals[1];
    out.printf("  messages: %d, DMARC pass %d, fail %d%n", totals[0], pass, totals[0] - pass);
    out.printf(
        "%n  %-39s %7s %-11s %-5s %-5s %-24s %s%n",
        "SOURCE", "COUNT", "DISPOSITION", "DKIM", "SPF", "HEADER FROM", "AUTH RESULTS");
    for (ReportRecord rec : r.records()) {
      List<String> auth = new ArrayList<>();
      rec.dkim().forEach(d -> auth.add("dkim " + d.domain() + "=" + d.result().token()));
      rec.spf().forEach(s -> auth.add("spf " + s.domain() + "=" + s.result().token()));
      out.printf(
          "  %-39s %7d %-11s %-5s %-5s %-24s %s%n",
          Addresses.text(rec.sourceIp()),
          rec.count(),
          rec.disposition().map(d -> d.token()).orElse("-"),
          rec.dkimAligned().map(b -> b ? "pass" : "fail").orElse("-"),
          rec.spfAligned().map(b -> b ? "pass" : "fail").orElse("-"),
          rec.headerFrom(),
          String.join(", ", auth));
    }
    if (!received.warnings().isEmpty()) {
      out.println();
      out.println("  warnings:");
      received.warnings().forEach(w -> out.println("    " + w));
    }
    out.flush();
  }

  /** {@code mailauth report summarize}: the totals of a folder of reports. */
  @Command(
      name = "summarize",
      mixinStandardHelpOptions = true,
      description = {
        "Read every report in a folder (XML, .xml.gz, .zip, .eml; sub-folders with --recursive)"
            + " and total them per policy domain and per source address: messages, DMARC pass"
            + " and fail. Files that are no report are listed and skipped.",
        "Exit code 0 when every file was read, 1 when some were skipped, 2 when none was read."
      },
      footerHeading = "%nExample:%n",
      footer = "  mailauth report summarize samples/reports/dmarc")
  static final class Summarize implements Callable<Integer> {
    /** Files in a folder read at most; a larger folder is an input error, not a long wait. */
    static final int MAX_FILES = 100_000;

    @Parameters(paramLabel = "DIR", description = "The folder of reports.")
    Path dir;

    @Option(names = "--recursive", description = "Also read the folders below DIR.")
    boolean recursive;

    @Option(
        names = "--top",
        paramLabel = "N",
        defaultValue = "20",
        description = "Show the N sources with the most messages (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin OutputOptions output;
    @ParentCommand ReportCommand parent;

    /** Totals of one key: messages, and how many passed DMARC. */
    private static final class Totals {
      long reports;
      long messages;
      long pass;

      void add(ReportRecord r) {
        messages = Math.addExact(messages, r.count()); // counts from a report are not trusted
        if (passed(r)) {
          pass = Math.addExact(pass, r.count());
        }
      }

      ObjectNode json() {
        ObjectNode n = Json.object();
        n.put("reports", reports);
        n.put("messages", messages);
        n.put("pass", pass);
        n.put("fail", messages - pass);
        return n;
      }
    }

    @Override
    public Integer call() throws IOException {
      Io io = parent.root.io;
      if (!Files.isDirectory(dir)) {
        throw CliException.input(
            "folder " + dir + (Files.exists(dir) ? ": not a folder" : ": no such folder"));
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir, recursive ? 16 : 1)) {
        files = walk.filter(Files::isRegularFile).sorted().limit(MAX_FILES + 1L).toList();
      } catch (NoSuchFileException e) {
        throw CliException.input("folder " + dir + ": no such folder");
      }
      if (files.size() > MAX_FILES) {
        throw CliException.input("folder " + dir + ": more than " + MAX_FILES + " files");
      }
      AggregateReportReader reader = AggregateReportReader.builder().build();
      Map<String, Totals> byDomain = new TreeMap<>();
      Map<String, Totals> bySource = new TreeMap<>();
      Map<String, String> skipped = new TreeMap<>();
      Map<String, String> seen = new java.util.HashMap<>();
      Map<String, String> duplicates = new TreeMap<>();
      int read = 0;
      for (Path f : files) {
        ReceivedAggregateReport received;
        try {
          received = ReportCommand.read(reader, f, Inputs.read(f, io, "report"));
        } catch (CliException e) {
          String why = e.getMessage();
          String prefix = "report " + f + ": ";
          skipped.put(
              dir.relativize(f).toString(),
              why.startsWith(prefix) ? why.substring(prefix.length()) : why);
          continue;
        }
        AggregateReport r = received.report();
        String id = r.metadata().organizationName() + "\u0000" + r.metadata().reportId();
        String first = seen.putIfAbsent(id, dir.relativize(f).toString());
        if (first != null) {
          duplicates.put(dir.relativize(f).toString(), first); // the same report, sent twice
          continue;
        }
        read++;
        try {
          checkedTotal(r);
        } catch (CliException e) {
          skipped.put(dir.relativize(f).toString(), e.getMessage());
          continue;
        }
        Totals d = byDomain.computeIfAbsent(r.policy().domain(), k -> new Totals());
        d.reports++;
        try {
          for (ReportRecord rec : r.records()) {
            d.add(rec);
            bySource.computeIfAbsent(Addresses.text(rec.sourceIp()), k -> new Totals()).add(rec);
          }
        } catch (ArithmeticException e) {
          throw CliException.input("folder " + dir + ": the totals exceed 2^63 messages");
        }
      }
      List<Map.Entry<String, Totals>> topSources =
          bySource.entrySet().stream()
              .sorted(
                  Comparator.comparingLong((Map.Entry<String, Totals> e) -> e.getValue().messages)
                      .reversed()
                      .thenComparing(Map.Entry::getKey))
              .limit(Math.max(0, top))
              .toList();
      if (output.json) {
        ObjectNode doc = Json.document("report summarize");
        doc.put("folder", dir.toString());
        doc.put("files", files.size());
        doc.put("reports", read);
        ObjectNode domains = doc.putObject("domains");
        byDomain.forEach((k, v) -> domains.set(k, v.json()));
        ArrayNode sources = doc.putArray("topSources");
        for (Map.Entry<String, Totals> e : topSources) {
          ObjectNode s = e.getValue().json();
          s.remove("reports");
          s.put("sourceIp", e.getKey());
          sources.add(s);
        }
        ObjectNode skip = doc.putObject("skipped");
        skipped.forEach(skip::put);
        ObjectNode dup = doc.putObject("duplicates");
        duplicates.forEach(dup::put);
        Json.print(io.out(), doc);
      } else {
        PrintWriter out = io.out();
        out.printf("%d reports read from %d files in %s%n", read, files.size(), dir);
        out.printf(
            "%n  %-32s %8s %10s %10s %10s%n",
            "POLICY DOMAIN", "REPORTS", "MESSAGES", "PASS", "FAIL");
        byDomain.forEach(
            (k, v) ->
                out.printf(
                    "  %-32s %8d %10d %10d %10d%n",
                    k, v.reports, v.messages, v.pass, v.messages - v.pass));
        out.printf("%n  %-39s %10s %10s %10s%n", "SOURCE", "MESSAGES", "PASS", "FAIL");
        for (Map.Entry<String, Totals> e : topSources) {
          Totals v = e.getValue();
          out.printf(
              "  %-39s %10d %10d %10d%n", e.getKey(), v.messages, v.pass, v.messages - v.pass);
        }
        if (!duplicates.isEmpty()) {
          out.printf("%n  duplicates, counted once:%n");
          duplicates.forEach((k, v) -> out.println("    " + k + ": the report of " + v));
        }
        if (!skipped.isEmpty()) {
          out.printf("%n  skipped:%n");
          skipped.forEach((k, v) -> out.println("    " + k + ": " + v));
        }
        out.flush();
      }
      if (read == 0) {
        io.err().println("mailauth report summarize: no report could be read in " + dir);
        return ExitCode.INPUT;
      }
      return skipped.isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }
  }
}
