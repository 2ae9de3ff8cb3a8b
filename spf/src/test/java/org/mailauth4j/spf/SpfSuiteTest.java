package org.mailauth4j.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.TestEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The openspf RFC 7208 test suite, as published, through the in-memory resolver built from each
 * scenario's zone data. Every scenario and test is reported by name. Cases decided differently,
 * with the reason, are listed in {@code spf/openspf-exclusions.cases}.
 */
class SpfSuiteTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);

  /** One test of a scenario, with the scenario's DNS. */
  record SuiteCase(
      String scenario,
      String name,
      JsonNode test,
      DnsResolver dns,
      Set<String> expected,
      String explanation) {}

  /** A test decided differently from the suite, and why. */
  record Exclusion(String result, String explanation, String reason) {}

  private static final String SUITE = "spf/openspf";

  static Stream<Arguments> rfc7208() throws IOException {
    return TestEnvironment.conformanceCases(
        SUITE, 1, dir -> load(dir.resolve("rfc7208-tests.yml")));
  }

  static Stream<Arguments> load(Path yaml) throws IOException {
    Map<String, Exclusion> exclusions = exclusions();
    List<Arguments> cases = new ArrayList<>();
    Set<String> excluded = new java.util.HashSet<>();
    YAMLMapper mapper = YAMLMapper.builder().build();
    try (MappingIterator<JsonNode> documents =
        mapper.readerFor(JsonNode.class).readValues(Files.readString(yaml))) {
      while (documents.hasNext()) {
        JsonNode scenario = documents.next();
        if (scenario == null || scenario.isNull() || !scenario.has("tests")) {
          continue;
        }
        String description = scenario.get("description").asString();
        DnsResolver dns = zone(scenario.get("zonedata"));
        for (Map.Entry<String, JsonNode> test : scenario.get("tests").properties()) {
          Set<String> expected = new java.util.LinkedHashSet<>();
          JsonNode result = test.getValue().get("result");
          if (result.isArray()) {
            result.forEach(r -> expected.add(r.asString()));
          } else {
            expected.add(result.asString());
          }
          JsonNode explanation = test.getValue().get("explanation");
          String expectedExplanation = explanation == null ? null : explanation.asString();
          Exclusion exclusion = exclusions.get(test.getKey());
          if (exclusion != null) {
            excluded.add(test.getKey());
            expected.clear();
            expected.add(exclusion.result());
            expectedExplanation =
                exclusion.explanation().equals("-") ? null : exclusion.explanation();
          }
          cases.add(
              Arguments.of(
                  Named.of(
                      description + " / " + test.getKey(),
                      new SuiteCase(
                          description,
                          test.getKey(),
                          test.getValue(),
                          dns,
                          expected,
                          expectedExplanation))));
        }
      }
    }
    // An exclusion that names no test is stale: the suite or its names changed.
    assertThat(excluded).as("exclusions in use").isEqualTo(exclusions.keySet());
    return cases.stream();
  }

  /** Tests we decide differently from the suite: test name to our result. */
  private static Map<String, Exclusion> exclusions() {
    return Cases.load(SpfSuiteTest.class, "/spf/openspf-exclusions.cases").stream()
        .collect(
            Collectors.toMap(Cases.Row::name, r -> new Exclusion(r.get(0), r.get(1), r.get(2))));
  }

  /**
   * The scenario's zone data as zone-file text. As the suite asks for RFC 7208, records typed SPF
   * are served as TXT, but only at names that have no TXT records of their own.
   */
  static DnsResolver zone(JsonNode zonedata) {
    StringBuilder text = new StringBuilder();
    ZoneFileResolver.Builder zone = ZoneFileResolver.builder();
    Set<DomainName> timeouts = new java.util.HashSet<>();
    if (zonedata == null) {
      return zone.build();
    }
    for (Map.Entry<String, JsonNode> name : zonedata.properties()) {
      if (!DomainName.isValid(name.getKey())) {
        continue; // a name no query can ask for
      }
      String owner = DomainName.parse(name.getKey()).toAbsoluteString();
      boolean hasTxt = false;
      for (JsonNode entry : name.getValue()) {
        hasTxt |= entry.isObject() && entry.has("TXT");
      }
      for (JsonNode entry : name.getValue()) {
        if (entry.isString() && entry.asString().equals("TIMEOUT")) {
          timeouts.add(DomainName.parse(name.getKey()));
          continue;
        }
        for (Map.Entry<String, JsonNode> rr : entry.properties()) {
          String line = record(owner, rr.getKey(), rr.getValue(), hasTxt);
          if (line != null) {
            text.append(line).append('\n');
          }
        }
      }
    }
    ZoneFileResolver records = zone.zone(text.toString()).build();
    if (timeouts.isEmpty()) {
      return records;
    }
    // The suite's TIMEOUT: at that name, queries for types it has records of are answered, and
    // the others time out (so "TXT present, SPF lookup times out" can be written).
    return new DnsResolver() {
      @Override
      public <T> java.util.concurrent.CompletableFuture<DnsAnswer<T>> lookupAsync(
          DnsQuery<T> query) {
        return records
            .lookupAsync(query)
            .thenApply(
                a ->
                    timeouts.contains(query.name()) && !a.isFound()
                        ? DnsAnswer.tempFail(
                            query, DnsFailure.of(DnsFailure.Kind.TIMEOUT, "suite TIMEOUT"))
                        : a);
      }
    };
  }

  private static String record(String owner, String type, JsonNode value, boolean hasTxt) {
    switch (type) {
      case "SPF":
      case "TXT":
        if (type.equals("SPF") && hasTxt || value.isString() && value.asString().equals("NONE")) {
          return null; // served as TXT only where there is no TXT record; NONE means no record
        }
        List<String> strings = new ArrayList<>();
        if (value.isArray()) {
          value.forEach(s -> strings.add(s.asString()));
        } else {
          strings.add(value.asString());
        }
        List<byte[]> octets = new ArrayList<>();
        for (String s : strings) {
          byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          for (int i = 0; i < b.length || i == 0; i += 255) {
            octets.add(java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + 255)));
          }
        }
        return owner + " 300 IN TXT " + TxtRecord.ofBytes(octets);
      case "A":
      case "AAAA":
        return owner + " 300 IN " + type + " " + value.asString();
      case "MX":
        String exchange = value.get(1).asString();
        return owner
            + " 300 IN MX "
            + value.get(0).asInt()
            + " "
            + (exchange.endsWith(".") ? exchange : exchange + ".");
      case "PTR":
      case "CNAME":
        String target = value.asString();
        if (!DomainName.isValid(target)) {
          return null;
        }
        return owner + " 300 IN " + type + " " + DomainName.parse(target).toAbsoluteString();
      default:
        throw new IllegalArgumentException("record type " + type);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc7208")
  void rfc7208(SuiteCase c) throws Exception {
    TestEnvironment.conformance(SUITE);
    run(c);
  }

  static void run(SuiteCase c) throws Exception {
    JsonNode test = c.test();
    InetAddress ip = InetAddress.getByName(test.get("host").asString());
    String helo = test.get("helo").asString();
    String mailFrom = test.has("mailfrom") ? test.get("mailfrom").asString() : "";
    SpfVerifier spf =
        SpfVerifier.builder(c.dns()).clock(CLOCK).receiver("receiver.example.net").build();
    SpfOutcome outcome = spf.check(ip, helo, mailFrom);
    String trace =
        outcome.trace().stream().map(SpfLookup::toString).collect(Collectors.joining("\n"));
    assertThat(outcome.result().token())
        .as("%s%n%s%n%s", test.path("description").asString(""), outcome.detail(), trace)
        .isIn(c.expected());
    if (c.explanation() != null
        && !c.explanation().equals("DEFAULT")
        && outcome.result() == SpfResult.FAIL) {
      assertThat(outcome.explanation()).contains(c.explanation());
    }
  }
}
