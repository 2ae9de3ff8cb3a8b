package org.mailauth4j.cli;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailauth4j.dns.DomainName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mailauth check}: the posture of domains, message authentication and transport side by
 * side.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check domains as a domain owner or a monitoring product would: message authentication (SPF"
          + " record, lookup count and trace, void lookups; DMARC record lint and discovery; DKIM"
          + " keys of the --selector names) and transport security (MX, MTA-STS record and policy,"
          + " TLS-RPT record, DANE TLSA under DNSSEC; STARTTLS of each MX with --probe).",
      "Each finding has a severity and a fix. Many domains: name them, or give --file (- for"
          + " standard input, one per line, # for comments), with --parallel and --format"
          + " csv or jsonl.",
      "Exit code 0 when no finding is an error (or a warning, with --fail-on warning), 1 when"
          + " one is, 3 when a temporary failure hid part of the answer, 2 for invalid names."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  mailauth check example.test --selector rsa2026,ed2026 --zone samples/zone/example.test.zone"
          + " \\",
      "      --mta-sts-policy samples/mta-sts/example.test.txt",
      "  mailauth check --file domains.txt --parallel 32 --format csv > posture.csv"
    })
final class CheckCommand implements Callable<Integer> {
  /** The output formats: text for people, the others for tools. */
  enum Format {
    text,
    json,
    jsonl,
    csv
  }

  /** Which findings make the exit code 1. */
  enum FailOn {
    error,
    warning
  }

  @Parameters(paramLabel = "DOMAIN", arity = "0..*", description = "The domains to check.")
  List<String> domains = new ArrayList<>();

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description = "Read more domains from FILE, one per line (- for standard input).")
  Path file;

  @Option(
      names = "--selector",
      paramLabel = "SELECTOR",
      split = ",",
      description = "DKIM selectors whose keys to check (repeatable, or comma-separated).")
  List<String> selectors = new ArrayList<>();

  @Option(
      names = "--mta-sts-policy",
      paramLabel = "FILE",
      description =
          "Check this MTA-STS policy file instead of fetching the served one (offline, or before"
              + " publishing it).")
  Path mtaStsPolicy;

  @Option(names = "--probe", description = "Connect to each MX and try STARTTLS.")
  boolean probe;

  @Option(
      names = "--smtp-port",
      paramLabel = "PORT",
      defaultValue = "25",
      description =
          "The port --probe connects to (default: ${DEFAULT-VALUE}); TLSA records are"
              + " looked up at _25._tcp, where MX hosts receive mail (RFC 7672).")
  int smtpPort;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "8",
      description = "Check up to N domains at the same time (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "text (default), json (one document), jsonl (one line per domain) or csv.")
  Format format;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "error",
      description = "error (default) or warning: the findings that make the exit code 1.")
  FailOn failOn;

  @Option(names = "--no-progress", description = "Never draw the progress bar on standard error.")
  boolean noProgress;

  @Mixin DnsOptions dns;
  @Mixin OutputOptions output;
  @ParentCommand Mailauth root;

  @Override
  public Integer call() throws IOException {
    if (parallel < 1 || parallel > 1024) {
      throw CliException.input("--parallel must be from 1 to 1024");
    }
    if (smtpPort < 1 || smtpPort > 65535) {
      throw CliException.input("--smtp-port must be from 1 to 65535");
    }
    Format fmt = format != null ? format : output.json ? Format.json : Format.text;
    List<String> names = new ArrayList<>(domains);
    if (file != null) {
      names.addAll(readList(Inputs.read(file, root.io, "domain list")));
    }
    if (names.isEmpty()) {
      throw CliException.input("no domain to check: name one, or give --file");
    }
    if (file != null
        && mtaStsPolicy != null
        && Inputs.isStdin(file)
        && Inputs.isStdin(mtaStsPolicy)) {
      throw CliException.input("--file and --mta-sts-policy cannot both read standard input");
    }
    if (mtaStsPolicy != null && names.size() > 1) {
      throw CliException.input("--mta-sts-policy applies to one domain, not " + names.size());
    }
    Optional<String> policy =
        Optional.ofNullable(mtaStsPolicy).map(f -> Inputs.readText(f, root.io, "MTA-STS policy"));
    DomainCheck check = new DomainCheck(dns, selectors, policy, probe, smtpPort);

    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(parallel, names.size()),
            r -> {
              Thread t = new Thread(r, "mailauth-check");
              t.setDaemon(true);
              return t;
            });
    Progress progress =
        new Progress(root.io, names.size(), !noProgress && root.io.terminal() && names.size() > 1);
    List<CompletableFuture<Row>> rows = new ArrayList<>();
    try {
      for (String name : names) {
        rows.add(
            CompletableFuture.supplyAsync(() -> run(check, name), pool)
                .whenComplete((r, e) -> progress.step()));
      }
      return write(fmt, rows, progress);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One domain's line of the answer: its posture, or why its name could not be checked. */
  private record Row(String name, DomainCheck.Posture posture, String error) {}

  /**
   * Checks one domain; the pool's size, at most --parallel threads each waiting on one check, is
   * the bound on how many run at once.
   */
  private static Row run(DomainCheck check, String name) {
    DomainName domain;
    try {
      domain = Domains.parse(name);
    } catch (CliException e) {
      return new Row(name, null, e.getMessage());
    }
    try {
      return new Row(name, check.checkAsync(domain).join(), null);
    } catch (CompletionException | IllegalStateException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      DomainCheck.Posture p = new DomainCheck.Posture(domain);
      p.add(Finding.Severity.ERROR, "message", "check", "the check failed: " + cause, "");
      return new Row(name, p, null);
    }
  }

  private int write(Format fmt, List<CompletableFuture<Row>> rows, Progress progress) {
    PrintWriter out = root.io.out();
    int code = ExitCode.OK;
    ArrayNode all = Json.array();
    if (fmt == Format.csv) {
      out.println(Csv.HEADER);
    }
    boolean first = true;
    int invalid = 0;
    for (CompletableFuture<Row> future : rows) {
      Row row = future.join();
      if (row.posture() == null) {
        invalid++;
      }
      code = ExitCode.worse(code, exitCode(row));
      progress.clear();
      switch (fmt) {
        case json -> all.add(json(row));
        case jsonl -> out.println(Json.line(withHeader(json(row))));
        case csv -> out.println(Csv.row(row.name(), status(row), row.posture(), row.error()));
        default -> {
          if (!first) {
            out.println();
          }
          text(out, row);
        }
      }
      first = false;
      out.flush();
      progress.redraw();
    }
    progress.done();
    if (invalid > 0) {
      root.io
          .err()
          .printf(
              "mailauth check: %d of %d names are no domain names; see their rows%n",
              invalid, rows.size());
    }
    if (fmt == Format.json) {
      ObjectNode doc = Json.document("check");
      doc.set("domains", all);
      Json.print(out, doc);
    }
    return code;
  }

  private int exitCode(Row row) {
    if (row.posture() == null) {
      return ExitCode.INPUT;
    }
    DomainCheck.Posture p = row.posture();
    if (p.temporary()) {
      return ExitCode.TEMPORARY;
    }
    Finding.Severity threshold =
        failOn == FailOn.warning ? Finding.Severity.WARNING : Finding.Severity.ERROR;
    return p.worst().compareTo(threshold) >= 0 ? ExitCode.FINDINGS : ExitCode.OK;
  }

  private String status(Row row) {
    switch (exitCode(row)) {
      case ExitCode.OK:
        return "ok";
      case ExitCode.FINDINGS:
        return "findings";
      case ExitCode.TEMPORARY:
        return "temporary-failure";
      default:
        return "invalid";
    }
  }

  private static ObjectNode withHeader(ObjectNode domain) {
    ObjectNode doc = Json.document("check");
    doc.setAll(domain);
    return doc;
  }

  private ObjectNode json(Row row) {
    ObjectNode n = Json.object();
    n.put("domain", row.posture() == null ? row.name() : row.posture().domain.toString());
    n.put("status", status(row));
    if (row.posture() == null) {
      n.put("error", row.error());
      return n;
    }
    DomainCheck.Posture p = row.posture();
    n.put("worst", Describe.token(p.worst()));
    n.set("message", p.message);
    n.set("transport", p.transport);
    ArrayNode findings = n.putArray("findings");
    p.findings.forEach(f -> findings.add(f.toJson()));
    return n;
  }

  private void text(PrintWriter out, Row row) {
    if (row.posture() == null) {
      out.println(row.name() + ": " + row.error());
      return;
    }
    DomainCheck.Posture p = row.posture();
    long errors = p.findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
    long warnings =
        p.findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
    out.printf(
        "%s: %s (%s, %s)%n",
        p.domain, status(row), count(errors, "error"), count(warnings, "warning"));
    out.println(" Message authentication");
    p.summary.stream().filter(l -> isMessage(l)).forEach(l -> out.println("  " + l));
    out.println(" Transport security");
    p.summary.stream().filter(l -> !isMessage(l)).forEach(l -> out.println("  " + l));
    out.println(" Findings");
    for (String area : List.of("message", "transport")) {
      for (Finding f : p.findings) {
        if (!f.area().equals(area)) {
          continue;
        }
        out.printf("  %-8s %-9s %s%n", Describe.token(f.severity()), f.topic(), f.message());
        if (!f.fix().isEmpty() && f.severity() != Finding.Severity.OK) {
          out.printf("  %-8s %-9s fix: %s%n", "", "", f.fix());
        }
      }
    }
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static boolean isMessage(String summaryLine) {
    return summaryLine.startsWith("SPF")
        || summaryLine.startsWith("DMARC")
        || summaryLine.startsWith("DKIM");
  }

  /** Domains from a list: one per line, blank lines and # comments skipped. */
  static List<String> readList(byte[] data) throws IOException {
    List<String> names = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        int hash = line.indexOf('#');
        String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** A progress bar on standard error, drawn only when it is a terminal. */
  static final class Progress {
    private final Io io;
    private final int total;
    private final boolean enabled;
    private final AtomicInteger done = new AtomicInteger();

    Progress(Io io, int total, boolean enabled) {
      this.io = io;
      this.total = total;
      this.enabled = enabled;
    }

    void step() {
      done.incrementAndGet();
      redraw();
    }

    synchronized void redraw() {
      if (enabled) {
        io.err().print("\r" + bar(done.get(), total, 30));
        io.err().flush();
      }
    }

    synchronized void clear() {
      if (enabled) {
        io.err().print("\r" + " ".repeat(50) + "\r");
        io.err().flush();
      }
    }

    synchronized void done() {
      clear();
    }

    /** Such as {@code [#########.....................] 30/100}. */
    static String bar(int done, int total, int width) {
      int filled = total == 0 ? width : (int) ((long) done * width / total);
      return "["
          + "#".repeat(filled)
          + ".".repeat(width - filled)
          + "] "
          + String.format("%" + String.valueOf(total).length() + "d/%d", done, total);
    }
  }
}
