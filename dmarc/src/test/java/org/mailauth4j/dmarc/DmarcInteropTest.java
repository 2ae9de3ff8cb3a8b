package org.mailauth4j.dmarc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.NetworkDnsResolver;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.NsdServer;
import org.mailauth4j.testkit.TestEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Interoperability with independent DMARC implementations, offline: Node's {@code mailauth} (the
 * RFC 9989 tree walk) against the {@link DmarcProfile#RFC9989} profile, and Debian's Mail::DMARC
 * (RFC 7489, public suffix list) against {@link DmarcProfile#RFC7489}. All three ask the same nsd,
 * serving {@code interop.zone}, about the cases of {@code interop-cases.jsonl}; each DKIM
 * identifier of a case is a real signature that mailauth4j verifies against keys in the zone.
 *
 * <p>Where a peer decides differently, {@code interop-differences.cases} lists the case, the field,
 * both values and the RFC reason; the test fails on any unlisted difference and on any listed one
 * that no longer occurs. Without nsd, node and the npm package, or Mail::DMARC, the tests are
 * skipped (and fail under {@code CI=true}).
 */
class DmarcInteropTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DkimSigningKey KEY = DkimSigningKey.generateEd25519();
  private static final DkimSigningKey OTHER = DkimSigningKey.generateEd25519();
  private static final Path DRIVERS = Path.of("src/test/interop");
  private static final List<JsonNode> CASES = cases();

  @RegisterExtension static final NsdServer NSD = new NsdServer().zone(".", zone());

  /** The peers' answers by peer and case name, asked once per peer. */
  private static final Map<String, Map<String, JsonNode>> ANSWERS = new HashMap<>();

  private static final Map<String, Cases.Row> DIFFERENCES = differences();

  private static List<JsonNode> cases() {
    List<JsonNode> all = new ArrayList<>();
    for (String line : resource("/dmarc/interop-cases.jsonl").split("\n")) {
      if (!line.isBlank()) {
        all.add(JSON.readTree(line));
      }
    }
    return List.copyOf(all);
  }

  private static String resource(String name) {
    try (InputStream in = DmarcInteropTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The interop zone, with the keys of every signing domain: pass.* verifies, fail.* does not. */
  private static String zone() {
    Set<String> signers = new LinkedHashSet<>();
    for (JsonNode c : CASES) {
      if (c.path("dkim").isArray()) {
        c.path("dkim").forEach(d -> signers.add(d.path("domain").asString()));
      }
    }
    StringBuilder zone = new StringBuilder(resource("/dmarc/interop.zone")).append('\n');
    for (String d : signers) {
      zone.append("pass._domainkey.")
          .append(d)
          .append(". TXT \"")
          .append(KEY.keyRecord())
          .append("\"\n");
      zone.append("fail._domainkey.")
          .append(d)
          .append(". TXT \"")
          .append(OTHER.keyRecord())
          .append("\"\n");
    }
    return zone.toString();
  }

  private static Map<String, Cases.Row> differences() {
    Map<String, Cases.Row> all = new LinkedHashMap<>();
    for (Cases.Row row : Cases.load(DmarcInteropTest.class, "/dmarc/interop-differences.cases")) {
      all.put(row.get(0) + "|" + row.name() + "|" + row.get(1), row);
    }
    return all;
  }

  static Stream<Arguments> comparisons() {
    List<Arguments> all = new ArrayList<>();
    for (String peer : List.of("mailauth", "mail-dmarc")) {
      for (JsonNode c : CASES) {
        String name = c.path("name").asString();
        all.add(Arguments.of(peer, Named.of(peer + ": " + name, c)));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("comparisons")
  void agreesWithThePeer(String peer, JsonNode c) {
    String name = c.path("name").asString();
    JsonNode theirs = answers(peer).get(name);
    assertThat(theirs).as("the %s driver's answer", peer).isNotNull();
    if (!c.path("spf").isArray() || !c.path("dkim").isArray()) {
      // a case neither side can read: the driver says so and goes on
      assertThat(theirs.has("error")).as("%s reports the unreadable case", peer).isTrue();
      return;
    }
    assertThat(theirs.has("error")).as("%s failed: %s", peer, theirs).isFalse();
    DmarcProfile profile = peer.equals("mailauth") ? DmarcProfile.RFC9989 : DmarcProfile.RFC7489;
    DmarcOutcome ours = evaluate(c, profile);

    Map<String, String> mine = fields(ours);
    List<String> unexplained = new ArrayList<>();
    for (Map.Entry<String, String> field : mine.entrySet()) {
      String key = field.getKey();
      String other = text(theirs.path(key));
      if (!comparable(key, mine.get("result"), text(theirs.path("result")))) {
        continue;
      }
      String listed = peer + "|" + name + "|" + key;
      Cases.Row difference = DIFFERENCES.get(listed);
      if (field.getValue().equals(other)) {
        assertThat(difference).as("listed difference %s no longer occurs", listed).isNull();
        continue;
      }
      if (difference != null
          && difference.get(2).equals(field.getValue())
          && difference.get(3).equals(other)) {
        continue;
      }
      unexplained.add(key + ": ours " + field.getValue() + ", " + peer + " " + other);
    }
    assertThat(unexplained)
        .as("unlisted differences; ours: %s, theirs: %s", ours, theirs)
        .isEmpty();
  }

  /** Policies and domains only mean something when both sides found a policy. */
  private static boolean comparable(String key, String ours, String theirs) {
    if (key.equals("result")) {
      return true;
    }
    boolean both = isPassOrFail(ours) && isPassOrFail(theirs);
    if (key.equals("applied")) {
      return both && ours.equals("fail") && theirs.equals("fail");
    }
    return both;
  }

  private static boolean isPassOrFail(String result) {
    return result.equals("pass") || result.equals("fail");
  }

  private static Map<String, String> fields(DmarcOutcome o) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("result", o.result().token());
    f.put(
        "policy",
        o.evaluation()
            .flatMap(DmarcEvaluation::requestedPolicy)
            .map(DmarcPolicy::token)
            .orElse("null"));
    f.put("applied", o.appliedPolicy().token());
    f.put("policyDomain", o.policyDomain().map(DomainName::toString).orElse("null"));
    f.put("orgDomain", o.organizationalDomain().map(DomainName::toString).orElse("null"));
    return f;
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull()
        ? "null"
        : node.asString().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
  }

  private static DmarcOutcome evaluate(JsonNode c, DmarcProfile profile) {
    DnsResolver dns =
        NetworkDnsResolver.builder()
            .servers(List.of(NSD.address()))
            .timeout(Duration.ofSeconds(2))
            .build();
    List<SpfOutcome> spf = new ArrayList<>();
    for (JsonNode s : c.path("spf")) {
      boolean helo = s.path("scope").asString().equals("helo");
      String domain = s.path("domain").asString();
      spf.add(
          DmarcEvaluationTest.spfOutcome(
              SpfResult.valueOf(s.path("result").asString().toUpperCase(Locale.ROOT)),
              helo ? SpfIdentity.HELO : SpfIdentity.MAILFROM,
              Optional.of(DomainName.parse(domain)),
              (helo ? "postmaster@" : "bounce@") + domain));
    }
    String from = c.path("from").asString();
    byte[] message =
        DmarcEvaluationTest.message(from.contains("@") ? from : "someone@" + from, List.of());
    if (!c.path("dkim").isEmpty()) {
      DkimSigner.Builder signer = DkimSigner.builder();
      for (JsonNode d : c.path("dkim")) {
        String result = d.path("result").asString();
        signer.key(DomainName.parse(d.path("domain").asString()), result, KEY);
      }
      message = signer.build().signMessage(message);
    }
    DkimVerification dkim = DkimVerifier.builder(dns).build().verify(message);
    for (int i = 0; i < c.path("dkim").size(); i++) {
      // the signatures are what the case says: pass verifies, fail does not
      assertThat(dkim.outcomes().get(i).result().token())
          .isEqualTo(c.path("dkim").get(i).path("result").asString());
    }
    DmarcVerifier verifier =
        DmarcVerifier.builder(dns)
            .profile(profile)
            // Mail::DMARC's driver draws 0 for pct sampling, so the policy applies whenever pct > 0
            .random(() -> 0L)
            .build();
    return verifier.evaluate(
        AuthorDomains.of(dkim.header().orElseThrow(), 10), spf, dkim.outcomes());
  }

  // --- the peers ---

  private static synchronized Map<String, JsonNode> answers(String peer) {
    Map<String, JsonNode> known = ANSWERS.get(peer);
    if (known == null) {
      known = run(peer);
      ANSWERS.put(peer, known);
    }
    return known;
  }

  private static Map<String, JsonNode> run(String peer) {
    List<String> command = new ArrayList<>();
    if (peer.equals("mailauth")) {
      Path node = TestEnvironment.program("node", "apt-get install nodejs");
      if (!Files.isDirectory(DRIVERS.resolve("node_modules/mailauth"))) {
        TestEnvironment.unavailable(
            "Node mailauth is not installed; run: (cd dmarc/src/test/interop && npm install)");
      }
      command.addAll(List.of(node.toString(), DRIVERS.resolve("mailauth-dmarc.mjs").toString()));
    } else {
      Path perl = TestEnvironment.program("perl", "apt-get install perl");
      if (exitCode(List.of(perl.toString(), "-MMail::DMARC::PurePerl", "-e", "1")) != 0) {
        TestEnvironment.unavailable(
            "Mail::DMARC is not installed; install it with: apt-get install libmail-dmarc-perl");
      }
      command.addAll(List.of(perl.toString(), DRIVERS.resolve("mail-dmarc.pl").toString()));
    }
    command.addAll(List.of("--dns", NSD.hostAndPort()));
    StringBuilder input = new StringBuilder();
    for (JsonNode c : CASES) {
      input.append(JSON.writeValueAsString(c)).append('\n');
    }
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      p.getOutputStream().write(input.toString().getBytes(UTF_8));
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new AssertionError(peer + " driver failed: " + output);
      }
      Map<String, JsonNode> byName = new HashMap<>();
      for (String line : output.split("\n")) {
        if (!line.isBlank()) {
          JsonNode answer = JSON.readTree(line);
          byName.put(answer.path("name").asString(), answer);
        }
      }
      return byName;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static int exitCode(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
