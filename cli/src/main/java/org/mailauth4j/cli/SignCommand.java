package org.mailauth4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mailauth4j.dkim.Canonicalization;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mailauth sign}: adds DKIM-Signature fields, one per key, to a message. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a message with DKIM (RSA or Ed25519, RFC 6376 and 8463): one signature per --key,"
          + " each with its --selector and --domain; the signed message goes to standard output"
          + " or --output.",
      "Exit code 0 when signed, 2 for a bad key, message or option."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  mailauth sign samples/messages/unsigned.eml \\",
      "      --key samples/keys/rsa2026.pem --selector rsa2026 --domain example.test \\",
      "      --key samples/keys/ed2026.pem --selector ed2026 --domain example.test"
    })
final class SignCommand implements Callable<Integer> {
  /** One key and where its public half is published. */
  static final class Key {
    @Option(
        names = "--key",
        required = true,
        paramLabel = "FILE",
        description = "A private key in PEM (PKCS#8 or PKCS#1), as mailauth keygen writes.")
    Path key;

    @Option(
        names = "--selector",
        required = true,
        paramLabel = "SELECTOR",
        description = "The key's selector, s=.")
    String selector;

    @Option(
        names = "--domain",
        required = true,
        paramLabel = "DOMAIN",
        description = "The signing domain, d=.")
    String domain;
  }

  @Parameters(paramLabel = "FILE", description = "The message, or - for standard input.")
  Path file;

  @ArgGroup(exclusive = false, multiplicity = "1..*", heading = "Keys (repeat for several):%n")
  List<Key> keys = new ArrayList<>();

  @Option(
      names = {"-c", "--canonicalization"},
      paramLabel = "HEADER/BODY",
      defaultValue = "relaxed/relaxed",
      description =
          "c=: simple or relaxed, for the header and the body (default: ${DEFAULT-VALUE}).")
  String canonicalization;

  @Option(
      names = "--headers",
      paramLabel = "NAME",
      split = ",",
      description = "The header fields to sign (default: the usual set; From always).")
  List<String> headers;

  @Option(
      names = "--expire",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Add x=, this long after t=, such as 7d.")
  Duration expire;

  @Option(names = "--no-timestamp", description = "Leave out t= (and so x=).")
  boolean noTimestamp;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the signed message here instead of standard output.")
  Path outputFile;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log what the modules do to standard error, and show stack traces.")
  boolean verbose;

  @ParentCommand Mailauth root;

  @Override
  public Integer call() throws IOException {
    DkimSigner.Builder builder = DkimSigner.builder();
    for (Key k : keys) {
      DkimSigningKey key;
      try {
        key = DkimSigningKey.fromPem(Inputs.readText(k.key, root.io, "key"));
      } catch (IllegalArgumentException e) {
        throw CliException.input("key " + k.key + ": " + e.getMessage());
      }
      try {
        builder.key(Domains.parse(k.domain), k.selector, key);
      } catch (IllegalArgumentException e) {
        throw CliException.input("key " + k.key + ": " + e.getMessage());
      }
    }
    String[] c = canonicalization.toUpperCase(Locale.ROOT).split("/", -1);
    try {
      builder.canonicalization(
          Canonicalization.valueOf(c[0]), Canonicalization.valueOf(c.length > 1 ? c[1] : "SIMPLE"));
    } catch (IllegalArgumentException e) {
      throw CliException.input(
          "--canonicalization "
              + canonicalization
              + ": write simple or relaxed, as header/body such as relaxed/relaxed");
    }
    if (headers != null) {
      builder.signedHeaders(headers);
    }
    if (noTimestamp) {
      if (expire != null) {
        throw CliException.input("--expire needs t=: leave out --no-timestamp");
      }
      builder.timestamp(false);
    }
    if (expire != null) {
      builder.expireAfter(expire);
    }
    DkimSigner signer;
    try {
      signer = builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.input(e.getMessage());
    }
    byte[] message = Inputs.read(file, root.io, "message");
    byte[] signed;
    try {
      signed = signer.signMessage(message);
    } catch (IllegalArgumentException e) {
      throw CliException.input("message " + file + ": " + e.getMessage());
    }
    if (outputFile != null) {
      Files.write(outputFile, signed);
    } else {
      OutputStream out = root.io.rawOut();
      out.write(signed);
      out.flush();
    }
    return ExitCode.OK;
  }
}
