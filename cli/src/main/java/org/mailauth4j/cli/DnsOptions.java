package org.mailauth4j.cli;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dns.CachingDnsResolver;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.NetworkDnsResolver;
import org.mailauth4j.dns.ZoneFileResolver;
import picocli.CommandLine.Option;

/**
 * Where DNS answers come from, how long to wait, and which DMARC rules apply: the options every
 * command that looks something up shares.
 */
final class DnsOptions {
  /** The DMARC rules to apply, as {@code --profile} spells them. */
  enum Profile {
    rfc9989(DmarcProfile.RFC9989),
    rfc7489(DmarcProfile.RFC7489);

    final DmarcProfile profile;

    Profile(DmarcProfile profile) {
      this.profile = profile;
    }
  }

  @Option(
      names = "--zone",
      paramLabel = "FILE",
      description = {
        "Answer every DNS question from this RFC 1035 zone file (repeatable): offline, no network.",
        "Names outside the zones do not exist."
      })
  List<Path> zones = new ArrayList<>();

  @Option(
      names = "--dns",
      paramLabel = "SERVER[:PORT]",
      split = ",",
      description =
          "Ask these recursive resolvers (IP address, [IPv6]:port) instead of the system's"
              + " (/etc/resolv.conf).")
  List<String> servers = new ArrayList<>();

  @Option(
      names = "--trust-ad",
      description = {
        "Trust the AD bit of the resolvers' answers as DNSSEC validation (RFC 4035 §3.2.3): only"
            + " for a validating resolver on this host or a secure path. Without it or"
            + " --dnssec-anchors no answer is DNSSEC-validated, so DANE shows as insecure."
      })
  boolean trustAd;

  @Option(
      names = "--dnssec-anchors",
      paramLabel = "FILE",
      description =
          "Validate DNSSEC here, from the DS or DNSKEY trust anchors in this zone-format file"
              + " (such as the root's); the resolvers need only recurse.")
  Path dnssecAnchors;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long one check may wait for DNS and servers, such as 5s or 500ms"
              + " (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      defaultValue = "rfc9989",
      description =
          "DMARC rules: rfc9989 (DNS tree walk, default) or rfc7489 (public suffix list,"
              + " pct).")
  Profile profile;

  private DnsResolver resolver;

  /** Whether answers come from zone files only. */
  boolean offline() {
    return !zones.isEmpty();
  }

  DmarcProfile dmarcProfile() {
    return profile.profile;
  }

  Duration timeout() {
    return timeout;
  }

  /** The resolver these options describe, made once per command and cached by TTL. */
  synchronized DnsResolver resolver() {
    if (resolver == null) {
      resolver = CachingDnsResolver.builder(build()).build();
    }
    return resolver;
  }

  private DnsResolver build() {
    if (!zones.isEmpty() && !servers.isEmpty()) {
      throw CliException.input("--zone and --dns exclude each other: answers come from one place");
    }
    if (!zones.isEmpty() && (trustAd || dnssecAnchors != null)) {
      throw CliException.input(
          "--trust-ad and --dnssec-anchors need DNS servers: a zone file is never DNSSEC-validated");
    }
    if (!zones.isEmpty()) {
      ZoneFileResolver.Builder zone = ZoneFileResolver.builder();
      for (Path file : zones) {
        String text;
        try {
          text = Files.readString(file);
        } catch (NoSuchFileException e) {
          throw CliException.input("zone file " + file + ": no such file");
        } catch (IOException | UncheckedIOException e) {
          throw CliException.input("zone file " + file + ": cannot be read: " + e.getMessage());
        }
        try {
          zone.zone(text);
        } catch (IllegalArgumentException e) {
          throw CliException.input("zone file " + file + ": " + e.getMessage());
        }
      }
      return zone.build();
    }
    NetworkDnsResolver.Builder network = NetworkDnsResolver.builder().lookupTimeout(timeout);
    Duration attempt = Duration.ofSeconds(3);
    network.timeout(timeout.compareTo(attempt) < 0 ? timeout : attempt);
    network.trustAuthenticatedData(trustAd);
    if (dnssecAnchors != null) {
      String anchors;
      try {
        anchors = Files.readString(dnssecAnchors);
      } catch (NoSuchFileException e) {
        throw CliException.input("trust anchors " + dnssecAnchors + ": no such file");
      } catch (IOException | UncheckedIOException e) {
        throw CliException.input("trust anchors " + dnssecAnchors + ": " + e.getMessage());
      }
      try {
        network.dnssecTrustAnchors(anchors);
      } catch (IllegalArgumentException e) {
        throw CliException.input("trust anchors " + dnssecAnchors + ": " + e.getMessage());
      }
    }
    if (!servers.isEmpty()) {
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (String server : servers) {
        addresses.add(server(server));
      }
      network.servers(addresses);
    }
    try {
      return network.build();
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      throw CliException.input("DNS: " + e.getMessage());
    }
  }

  private static InetSocketAddress server(String text) {
    HostAndPort hp;
    try {
      hp = HostAndPort.fromString(text.strip()).withDefaultPort(53);
    } catch (IllegalArgumentException e) {
      throw CliException.input("--dns " + text + ": not SERVER[:PORT]");
    }
    String host = hp.getHost();
    InetAddress address;
    if (InetAddresses.isInetAddress(host)) {
      address = InetAddresses.forString(host);
    } else {
      try {
        address = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw CliException.input("--dns " + text + ": unknown host " + host);
      }
    }
    return new InetSocketAddress(address, hp.getPort());
  }
}
