package org.mailauth4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dns.DomainName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ObjectNode;

/** {@code mailauth keygen}: a new DKIM key, written to a file, and the record to publish. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a DKIM key (RSA, default 2048 bits, or Ed25519), write the private key as PKCS#8"
          + " PEM to --out (readable by its owner only), and print the TXT record to publish at"
          + " SELECTOR._domainkey.DOMAIN, as a zone-file line.",
      "Exit code 0 when written, 2 when the file exists (see --force) or an option is wrong."
    },
    footerHeading = "%nExample:%n",
    footer =
        "  mailauth keygen --type ed25519 --domain example.test --selector ed2027 --out ed2027.pem")
final class KeygenCommand implements Callable<Integer> {
  /** The key types DKIM signs with. */
  enum Type {
    rsa,
    ed25519
  }

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "rsa",
      description = "rsa (default) or ed25519.")
  Type type;

  @Option(
      names = "--bits",
      paramLabel = "N",
      defaultValue = "2048",
      description = "RSA modulus size, 1024 to 8192 (default: ${DEFAULT-VALUE}).")
  int bits;

  @Option(names = "--domain", required = true, paramLabel = "DOMAIN", description = "d=")
  String domain;

  @Option(names = "--selector", required = true, paramLabel = "SELECTOR", description = "s=")
  String selector;

  @Option(names = "--out", paramLabel = "FILE", description = "Where the private key goes.")
  Path out;

  @Option(
      names = "--from",
      paramLabel = "FILE",
      description =
          "Print the record of this existing private key (PEM) instead of making one; nothing is"
              + " written.")
  Path from;

  @Option(names = "--force", description = "Replace --out if it exists.")
  boolean force;

  @Mixin OutputOptions output;
  @ParentCommand Mailauth root;

  @Override
  public Integer call() throws IOException {
    if (type == Type.rsa && (bits < 1024 || bits > 8192)) {
      throw CliException.input("--bits must be from 1024 to 8192 (RFC 8301 §3.2)");
    }
    if ((out == null) == (from == null)) {
      throw CliException.input("give --out FILE for a new key, or --from FILE for an existing one");
    }
    DomainName d = Domains.parse(domain);
    DkimSigningKey key;
    if (from != null) {
      try {
        key = DkimSigningKey.fromPem(Inputs.readText(from, root.io, "key"));
      } catch (IllegalArgumentException e) {
        throw CliException.input("key " + from + ": " + e.getMessage());
      }
    } else {
      key = type == Type.rsa ? DkimSigningKey.generateRsa(bits) : DkimSigningKey.generateEd25519();
    }
    try {
      // the signer's own checks of d= and s= (RFC 6376 §3.5), so that a key made here can sign
      org.mailauth4j.dkim.DkimSigner.builder().key(d, selector, key);
    } catch (IllegalArgumentException e) {
      throw CliException.input(e.getMessage());
    }
    String zoneLine;
    DomainName owner;
    try {
      zoneLine = key.zoneFileRecord(d, selector);
      owner = d.prepend(selector + "._domainkey");
    } catch (IllegalArgumentException e) {
      throw CliException.input("--selector " + selector + ": " + e.getMessage());
    }
    if (out != null) {
      write(key.toPem().getBytes(StandardCharsets.US_ASCII));
    }
    if (output.json) {
      ObjectNode doc = Json.document("keygen");
      doc.put("privateKeyFile", (out != null ? out : from).toString());
      doc.put("algorithm", key.algorithm().token());
      doc.put("bits", key.bits());
      doc.put("name", owner.toString());
      doc.put("record", key.keyRecord());
      doc.put("zoneFileRecord", zoneLine);
      Json.print(root.io.out(), doc);
    } else {
      root.io
          .out()
          .printf(
              "%s the %s private key (%d bits) %s %s.%n",
              out != null ? "Wrote" : "Read",
              key.algorithm().token(),
              key.bits(),
              out != null ? "to" : "from",
              out != null ? out : from);
      root.io.out().printf("Publish this TXT record at %s:%n%n", owner);
      root.io.out().println(zoneLine);
      root.io.out().flush();
    }
    return ExitCode.OK;
  }

  private void write(byte[] pem) throws IOException {
    try {
      if (Files.isDirectory(out)) {
        throw CliException.input("--out " + out + ": is a folder");
      }
      if (force) {
        Files.deleteIfExists(out);
      }
      Files.createFile(out, owner());
    } catch (FileAlreadyExistsException e) {
      throw CliException.input("--out " + out + ": exists; give --force to replace it");
    } catch (UnsupportedOperationException e) {
      Files.createFile(out);
    }
    try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.TRUNCATE_EXISTING)) {
      o.write(pem);
    }
  }

  private static java.nio.file.attribute.FileAttribute<?> owner() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  }
}
