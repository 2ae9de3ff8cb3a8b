package org.mailauth4j.spf;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.TestEnvironment;

/**
 * The SPF cases of stalwartlabs/mail-auth in {@code ../shared/conformance/spf/stalwart/}. Their
 * YAML repeats keys, which YAML parsers reject or collapse, so it is read line by line. Records are
 * written {@code type: <name> <data>}; an {@code mx} line lists the addresses of the MX hosts,
 * which become generated host names here; a domain starting with {@code _dns_error} fails.
 */
class StalwartSpfTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);

  private static final Pattern DNS_ERROR = Pattern.compile("_dns_error(\\.[a-z0-9-]+)+");
  private static final Set<String> RECORD_TYPES =
      Set.of("spf", "exp", "txt", "a", "aaaa", "mx", "ptr");

  /** Expected results we decide differently, by case name; see the file for the reasons. */
  private static final Map<String, String> EXCLUSIONS =
      Cases.load(StalwartSpfTest.class, "/spf/stalwart-exclusions.cases").stream()
          .collect(Collectors.toMap(Cases.Row::name, r -> r.get(0)));

  record StalwartCase(DnsResolver dns, Map<String, String> test) {}

  static Stream<Arguments> cases() throws IOException {
    return TestEnvironment.conformanceCases("spf/stalwart", 1, StalwartSpfTest::load);
  }

  private static Stream<Arguments> load(Path dir) throws IOException {
    List<Arguments> cases = new ArrayList<>();
    Set<String> excluded = new HashSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String[] documents = Files.readString(file, UTF_8).split("(?m)^---\\s*$");
        for (String document : documents) {
          parse(file.getFileName().toString(), document, cases, excluded);
        }
      }
    }
    // An exclusion that names no case is stale: the data or the naming changed.
    assertThat(excluded).as("exclusions in use").isEqualTo(EXCLUSIONS.keySet());
    return cases.stream();
  }

  private static void parse(
      String file, String document, List<Arguments> cases, Set<String> excluded) {
    String name = "";
    List<String[]> records = new ArrayList<>();
    // Each test item keeps its key-value pairs in order, repeated keys included.
    List<List<String[]>> items = new ArrayList<>();
    String section = "";
    for (String line : document.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("name:")) {
        name = line.substring(5).strip();
      } else if (line.equals("records:") || line.equals("tests:")) {
        section = line;
      } else if (section.equals("records:") && line.startsWith("  ")) {
        records.add(record(line.strip()));
      } else if (section.equals("tests:")) {
        String entry = line.strip();
        if (entry.startsWith("- ")) {
          items.add(new ArrayList<>());
          entry = entry.substring(2);
        }
        int colon = entry.indexOf(':');
        items
            .get(items.size() - 1)
            .add(new String[] {entry.substring(0, colon), entry.substring(colon + 1).strip()});
      }
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    for (List<String[]> item : items) {
      if (item.stream().noneMatch(kv -> kv[0].equals("ip"))) {
        item.forEach(kv -> defaults.put(kv[0], kv[1])); // defaults, such as every test's sender
        continue;
      }
      // Record keys inside an item add records of the item's own to the shared ones.
      List<String[]> zone = new ArrayList<>(records);
      item.stream()
          .filter(kv -> RECORD_TYPES.contains(kv[0]))
          .forEach(kv -> zone.add(record(kv[0] + ": " + kv[1])));
      DnsResolver dns = zone(zone);
      // The other keys apply in order; each expect closes one test.
      Map<String, String> test = new LinkedHashMap<>(defaults);
      for (String[] kv : item) {
        if (RECORD_TYPES.contains(kv[0])) {
          continue;
        }
        test.put(kv[0], kv[1]);
        if (kv[0].equals("expect")) {
          Map<String, String> t = new LinkedHashMap<>(test);
          String itemName = t.getOrDefault("name", "");
          String caseName =
              file
                  + " / "
                  + name
                  + (itemName.isEmpty() ? "" : " / " + itemName)
                  + " / "
                  + t.get("ip")
                  + " from "
                  + abbreviate(t.get("sender"));
          if (EXCLUSIONS.containsKey(caseName)) {
            t.put("expect", EXCLUSIONS.get(caseName));
            excluded.add(caseName);
          }
          cases.add(Arguments.of(Named.of(caseName, new StalwartCase(dns, t))));
        }
      }
    }
  }

  private static String[] record(String entry) {
    int colon = entry.indexOf(':');
    String rest = entry.substring(colon + 1).strip();
    int space = rest.indexOf(' ');
    return new String[] {
      entry.substring(0, colon), rest.substring(0, space), rest.substring(space + 1)
    };
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static DnsResolver zone(List<String[]> records) {
    StringBuilder text = new StringBuilder();
    int host = 0;
    for (String[] r : records) {
      String owner;
      if (r[0].equals("ptr")) {
        owner = DomainName.reverseLookupName(InetAddresses.forString(r[1])).toAbsoluteString();
      } else if (DomainName.isValid(r[1])) {
        owner = DomainName.parse(r[1]).toAbsoluteString();
      } else {
        continue; // malformed names in the data: nothing can query them
      }
      switch (r[0]) {
        case "spf":
        case "exp":
        case "txt":
          text.append(owner).append(" 300 IN TXT ").append(TxtRecord.split(r[2])).append('\n');
          break;
        case "a":
        case "aaaa":
          for (String address : r[2].split(",")) {
            text.append(owner)
                .append(address.contains(":") ? " 300 IN AAAA " : " 300 IN A ")
                .append(address.strip())
                .append('\n');
          }
          break;
        case "mx":
          for (String address : r[2].split(",")) {
            String exchange = "mx" + host++ + ".hosts.test.";
            text.append(owner).append(" 300 IN MX 10 ").append(exchange).append('\n');
            text.append(exchange)
                .append(address.contains(":") ? " 300 IN AAAA " : " 300 IN A ")
                .append(address.strip())
                .append('\n');
          }
          break;
        case "ptr":
          for (String target : r[2].split(",")) {
            text.append(owner)
                .append(" 300 IN PTR ")
                .append(DomainName.parse(target.strip()).toAbsoluteString())
                .append('\n');
          }
          break;
        default:
          throw new IllegalArgumentException("record type " + r[0]);
      }
    }
    ZoneFileResolver.Builder zone = ZoneFileResolver.builder().zone(text.toString());
    // Every name starting with _dns_error that the data mentions answers SERVFAIL.
    Matcher failing =
        DNS_ERROR.matcher(
            records.stream().map(r -> String.join(" ", r)).collect(Collectors.joining(" "))
                + " _dns_error.org");
    while (failing.find()) {
      zone.fail(DomainName.parse(failing.group()), DnsFailure.Kind.SERVER_FAILURE);
    }
    return zone.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reachesTheExpectedResult(StalwartCase c) throws Exception {
    TestEnvironment.conformance("spf/stalwart");
    Map<String, String> t = c.test();
    // "domain" is the client's HELO name. As RFC 7208 §2.3 suggests, the HELO identity is
    // checked first and a fail there is conclusive; otherwise the MAIL FROM identity decides:
    // the sender's domain or, for an empty sender, postmaster at the HELO name.
    String sender = t.getOrDefault("sender", "");
    String helo = t.getOrDefault("helo", t.get("domain"));
    InetAddress ip = InetAddress.getByName(t.get("ip"));
    String[] expect = t.get("expect").split(" ", 2);
    SpfVerifier spf = SpfVerifier.builder(c.dns()).clock(CLOCK).build();
    SpfOutcome heloOutcome = spf.checkHelo(ip, helo);
    SpfOutcome outcome =
        heloOutcome.result() == SpfResult.FAIL ? heloOutcome : spf.check(ip, helo, sender);
    String trace =
        outcome.trace().stream().map(SpfLookup::toString).collect(Collectors.joining("\n"));
    assertThat(outcome.result().token())
        .as("%s%n%s%n%s", t, outcome.detail(), trace)
        .isEqualTo(expect[0]);
    if (expect.length > 1) {
      assertThat(outcome.explanation()).contains(expect[1].strip());
    }
  }
}
