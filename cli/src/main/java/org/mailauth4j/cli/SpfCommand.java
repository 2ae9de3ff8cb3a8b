package org.mailauth4j.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;
import org.mailauth4j.spf.SpfVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mailauth spf}: RFC 7208 check_host() for a domain and a client address, with its trace.
 */
@Command(
    name = "spf",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a domain's SPF record for a client address (RFC 7208 check_host()), and show"
          + " every DNS lookup it made with the running lookup and void-lookup counts.",
      "Exit code 0 for pass, 1 for any other result, 3 for temperror."
    },
    footerHeading = "%nExample:%n",
    footer = "  mailauth spf example.test --ip 192.0.2.25 --zone samples/zone/example.test.zone")
final class SpfCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DOMAIN", description = "The domain whose record is evaluated.")
  String domain;

  @Option(
      names = "--ip",
      required = true,
      paramLabel = "ADDRESS",
      description = "The client's IP address.")
  String ip;

  @Option(
      names = "--sender",
      paramLabel = "ADDRESS",
      description = "The sender for macros (%%{s}, %%{l}); default postmaster@DOMAIN.")
  String sender;

  @Option(
      names = "--helo",
      paramLabel = "NAME",
      description = "The HELO name for macros (%%{h}); default DOMAIN.")
  String helo;

  @Mixin DnsOptions dns;
  @Mixin OutputOptions output;
  @ParentCommand Mailauth root;

  @Override
  public Integer call() {
    DomainName name = Domains.parse(domain);
    InetAddress client = Addresses.parse(ip, "--ip");
    SpfVerifier verifier =
        SpfVerifier.builder(dns.resolver()).receiver("mailauth").timeout(dns.timeout()).build();
    SpfOutcome o =
        verifier.checkHost(
            client,
            helo != null ? helo : name.toString(),
            name,
            sender != null ? sender : "postmaster@" + name);
    if (output.json) {
      ObjectNode doc = Json.document("spf");
      doc.set("spf", Describe.spf(o));
      doc.put("receivedSpf", o.receivedSpf());
      Json.print(root.io.out(), doc);
    } else {
      PrintWriter out = root.io.out();
      out.printf("SPF %s for %s: %s%n", name, Addresses.text(client), o.result().token());
      out.println("  " + o.detail());
      o.mechanism().ifPresent(m -> out.println("  decided by: " + m));
      o.explanation().ifPresent(e -> out.println("  explanation: " + e));
      out.printf(
          "  DNS lookups: %d (at most 10), void lookups: %d (at most 2)%n",
          o.dnsLookups(), o.voidLookups());
      out.println("Trace:");
      Describe.spfTrace(out, o, "  ");
      out.println(o.receivedSpf());
      out.flush();
    }
    return exitCode(o.result());
  }

  static int exitCode(SpfResult result) {
    if (result == SpfResult.PASS) {
      return ExitCode.OK;
    }
    return result == SpfResult.TEMPERROR ? ExitCode.TEMPORARY : ExitCode.FINDINGS;
  }
}
