package org.mailauth4j.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dmarc.AuthenticationResults;
import org.mailauth4j.dmarc.AuthorDomains;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcResult;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dmarc.IdentifierAlignment;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dmarc.MessageAuthenticator;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;
import org.mailauth4j.spf.SpfVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** {@code mailauth verify}: SPF, DKIM and DMARC of one message, as a receiving server sees it. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Authenticate a message: SPF (with --ip, --helo and --mail-from), every DKIM signature, and"
          + " DMARC; prints the Authentication-Results field and an explanation per signature.",
      "Exit code 0 when DMARC passes (or, without a DMARC policy, SPF or DKIM passes), 1 when it"
          + " does not, 3 when a temporary DNS failure decided."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  mailauth verify samples/messages/pass.eml --zone samples/zone/example.test.zone \\",
      "      --ip 192.0.2.25 --helo mail.example.test --mail-from alice@example.test"
    })
final class VerifyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "The message (RFC 5322), or - for standard input.")
  Path file;

  @Option(names = "--ip", paramLabel = "ADDRESS", description = "The SMTP client's IP address.")
  String ip;

  @Option(names = "--helo", paramLabel = "NAME", description = "The name the client gave in HELO.")
  String helo;

  @Option(
      names = "--mail-from",
      paramLabel = "ADDRESS",
      description = "The SMTP MAIL FROM address; empty (\"\") for a bounce.")
  String mailFrom;

  @Option(
      names = "--authserv-id",
      paramLabel = "NAME",
      defaultValue = "mailauth",
      description =
          "The authserv-id of the Authentication-Results field (default: ${DEFAULT-VALUE}).")
  String authservId;

  @Mixin DnsOptions dns;
  @Mixin OutputOptions output;
  @picocli.CommandLine.ParentCommand Mailauth root;

  @Override
  public Integer call() {
    InetAddress client = null;
    if (ip != null) {
      client = Addresses.parse(ip, "--ip");
      if (helo == null || mailFrom == null) {
        throw CliException.input("SPF needs --helo and --mail-from with --ip");
      }
    } else if (helo != null || mailFrom != null) {
      throw CliException.input("SPF needs --ip with --helo and --mail-from");
    }
    byte[] message = Inputs.read(file, root.io, "message");

    DkimVerifier dkimVerifier = DkimVerifier.builder(dns.resolver()).build();
    DmarcVerifier dmarcVerifier =
        DmarcVerifier.builder(dns.resolver())
            .profile(dns.dmarcProfile())
            .timeout(dns.timeout())
            .build();
    SpfOutcome spf = null;
    DkimVerification dkim;
    DmarcOutcome dmarc;
    String field;
    if (client != null) {
      SpfVerifier spfVerifier =
          SpfVerifier.builder(dns.resolver()).receiver(authservId).timeout(dns.timeout()).build();
      MessageAuthentication auth =
          MessageAuthenticator.builder(dns.resolver(), authservId)
              .spfVerifier(spfVerifier)
              .dkimVerifier(dkimVerifier)
              .dmarcVerifier(dmarcVerifier)
              .build()
              .authenticate(message, client, helo, mailFrom);
      spf = auth.spf();
      dkim = auth.dkim();
      dmarc = auth.dmarc();
      field = auth.authenticationResults().field();
    } else {
      dkim = dkimVerifier.verify(message);
      dmarc =
          dmarcVerifier.evaluate(
              AuthorDomains.of(unreadable(dkim), dmarcVerifier.maxAuthorDomains()),
              List.of(),
              dkim.outcomes());
      field =
          AuthenticationResults.builder(authservId)
              .addDkim(dkim)
              .add(dmarc.authResult())
              .build()
              .field();
    }
    if (unreadable(dkim).fields().stream().noneMatch(f -> isFieldName(f.name()))) {
      throw CliException.input("message " + file + ": not a message: it has no header field");
    }

    if (output.json) {
      ObjectNode doc = Json.document("verify");
      doc.put("file", file.toString());
      doc.put("authenticationResults", field);
      doc.set("spf", spf == null ? null : Describe.spf(spf));
      doc.set("dkim", Describe.dkim(dkim));
      doc.set("dmarc", Describe.dmarc(dmarc));
      Json.print(root.io.out(), doc);
    } else {
      print(root.io.out(), field, spf, dkim, dmarc);
    }
    return exitCode(spf, dkim, dmarc);
  }

  /** The header, or an input error when the message has none to read. */
  private org.mailauth4j.dkim.MessageHeader unreadable(DkimVerification dkim) {
    return dkim.header()
        .orElseThrow(
            () ->
                CliException.input(
                    "message "
                        + file
                        + ": unreadable: "
                        + dkim.outcomes().stream()
                            .findFirst()
                            .map(DkimOutcome::detail)
                            .orElse("no header")));
  }

  /** RFC 5322 §3.6.8: a field name is printable US-ASCII except the colon. */
  private static boolean isFieldName(String name) {
    return !name.isEmpty() && name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':');
  }

  static int exitCode(SpfOutcome spf, DkimVerification dkim, DmarcOutcome dmarc) {
    switch (dmarc.result()) {
      case PASS:
        return ExitCode.OK;
      case TEMPERROR:
        return ExitCode.TEMPORARY;
      case NONE:
        if (dkim.result() == DkimResult.PASS || (spf != null && spf.result() == SpfResult.PASS)) {
          return ExitCode.OK;
        }
        if (dkim.result() == DkimResult.TEMPERROR
            || (spf != null && spf.result() == SpfResult.TEMPERROR)) {
          return ExitCode.TEMPORARY;
        }
        return ExitCode.FINDINGS;
      default:
        return ExitCode.FINDINGS;
    }
  }

  private static void print(
      PrintWriter out, String field, SpfOutcome spf, DkimVerification dkim, DmarcOutcome dmarc) {
    out.println(field);
    out.println();
    if (spf == null) {
      out.println("SPF    not checked: give --ip, --helo and --mail-from");
    } else {
      out.printf("SPF    %-10s %s%n", spf.result().token(), spf.detail());
    }
    List<DkimOutcome> outcomes = dkim.outcomes();
    out.printf(
        "DKIM   %-10s %s%n",
        dkim.result().token(),
        outcomes.isEmpty()
            ? "the message is not signed"
            : outcomes.size() + (outcomes.size() == 1 ? " signature" : " signatures"));
    int i = 1;
    for (DkimOutcome o : outcomes) {
      StringBuilder what = new StringBuilder();
      o.domain().ifPresent(d -> what.append("d=").append(d).append(' '));
      o.selector().ifPresent(s -> what.append("s=").append(s).append(' '));
      o.algorithm().ifPresent(a -> what.append(a.token()).append(' '));
      o.key()
          .map(Describe::keyBits)
          .filter(b -> b.isPresent())
          .ifPresent(b -> what.append(b.getAsInt()).append(" bits "));
      if (o.testing()) {
        what.append("(key in testing, t=y) ");
      }
      out.printf("  #%-3d %-10s %s%n", i++, o.result().token(), what.toString().strip());
      out.printf("       %-10s %s%n", "", o.detail());
    }
    out.printf("DMARC  %-10s %s%n", dmarc.result().token(), dmarc.detail());
    if (spf == null && dmarc.result() == DmarcResult.FAIL) {
      out.printf(
          "       %-10s (SPF was not checked: an aligned SPF pass could still make DMARC pass)%n",
          "");
    }
    for (IdentifierAlignment a : dmarc.alignments()) {
      out.printf("       %-10s %s%n", "", Describe.alignment(a));
    }
    if (dmarc.result() == DmarcResult.FAIL) {
      out.printf("       %-10s policy applied: %s%n", "", dmarc.appliedPolicy().token());
    }
    out.flush();
  }
}
