package org.mailauth4j.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jspf.impl.SPF;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.MxHost;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfResult;
import org.mailauth4j.spf.SpfVerifier;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The Java side of the peer comparison in {@code benchmarks/peers/}: writes the corpus every peer
 * reads (the generated messages, their key records, the SPF zone and clients: {@code corpus.json},
 * with {@code messages.tsv} and {@code keys.tsv} for the C driver) and measures mailauth4j, the
 * crypto floor, Apache jDKIM and Apache jSPF on it, the same way the other peers' drivers measure:
 * one thread, a warm-up, then the median of timed rounds.
 *
 * <pre>
 * java -cp benchmarks.jar org.mailauth4j.benchmarks.PeerHarness corpus DIR
 * java -cp benchmarks.jar org.mailauth4j.benchmarks.PeerHarness measure DIR [--quick]
 * </pre>
 *
 * <p>{@code measure} prints one JSON object per line: {@code peer}, {@code version}, {@code kind}
 * ({@code dkim} or {@code spf}), {@code case} and {@code perSecond}.
 */
public final class PeerHarness {
  private static final JsonFactory JSON = new JsonFactory();

  /** The messages of the comparison: generated text, both algorithms, three sizes. */
  private static final List<String> MESSAGES =
      List.of(
          "RSA/2048", "RSA/20480", "RSA/204800", "ED25519/2048", "ED25519/20480", "ED25519/204800");

  private PeerHarness() {}

  /**
   * Writes the corpus or measures the JVM peers.
   *
   * @param args {@code corpus DIR} or {@code measure DIR [--quick]}
   * @throws Exception if writing, reading or a peer fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: PeerHarness corpus|measure DIR [--quick]");
    }
    Path dir = Path.of(args[1]);
    boolean quick = Arrays.asList(args).contains("--quick");
    switch (args[0]) {
      case "corpus" -> writeCorpus(dir);
      case "measure" -> measure(dir, new Timing(quick));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /** Writes the messages as {@code .eml}, {@code keys.zone}, and {@code corpus.json} for peers. */
  private static void writeCorpus(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Writer out = Files.newBufferedWriter(dir.resolve("corpus.json"), UTF_8);
        JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeStartObject();
      g.writeName("messages");
      g.writeStartArray();
      for (String name : MESSAGES) {
        String[] parts = name.split("/");
        Files.write(
            dir.resolve(fileName(name)),
            BenchmarkMessages.signed(parts[0], Integer.parseInt(parts[1])));
        g.writeStartObject();
        g.writeStringProperty("case", name);
        g.writeStringProperty("file", fileName(name));
        g.writeEndObject();
      }
      g.writeEndArray();
      // The same as case TAB file lines, for the C driver.
      StringBuilder tsv = new StringBuilder();
      MESSAGES.forEach(m -> tsv.append(m).append('\t').append(fileName(m)).append('\n'));
      Files.writeString(dir.resolve("messages.tsv"), tsv);

      // The key records as TXT text by owner name: what every peer's key lookup returns. Also as
      // a zone file (for the JVM peers) and as name TAB record lines (for the C driver).
      Map<String, String> keys =
          Map.of(
              "rsa._domainkey." + BenchmarkMessages.DOMAIN, BenchmarkMessages.RSA.keyRecord(),
              "ed._domainkey." + BenchmarkMessages.DOMAIN, BenchmarkMessages.ED25519.keyRecord());
      Files.writeString(
          dir.resolve("keys.zone"),
          BenchmarkMessages.RSA.zoneFileRecord(BenchmarkMessages.DOMAIN, "rsa")
              + "\n"
              + BenchmarkMessages.ED25519.zoneFileRecord(BenchmarkMessages.DOMAIN, "ed")
              + "\n");
      tsv.setLength(0);
      keys.forEach((name, record) -> tsv.append(name).append('\t').append(record).append('\n'));
      Files.writeString(dir.resolve("keys.tsv"), tsv);
      g.writeName("keys");
      g.writeStartObject();
      for (Map.Entry<String, String> k : keys.entrySet()) {
        g.writeStringProperty(k.getKey(), k.getValue());
      }
      g.writeEndObject();

      // The SPF zone as answers by name and type, so that no peer needs a zone-file parser.
      DnsResolver zone = ZoneFileResolver.fromZoneText(SpfBenchmark.ZONE);
      Set<String> owners = new LinkedHashSet<>();
      for (String line : SpfBenchmark.ZONE.split("\n")) {
        if (!line.isBlank()) {
          owners.add(line.substring(0, line.indexOf(' ')).replaceAll("\\.$", ""));
        }
      }
      g.writeName("spfZone");
      g.writeStartObject();
      for (String owner : owners) {
        DomainName name = DomainName.parse(owner);
        g.writeName(owner);
        g.writeStartObject();
        g.writeName("TXT");
        g.writeStartArray();
        for (TxtRecord r : zone.lookup(DnsQuery.txt(name)).records()) {
          g.writeString(r.text());
        }
        g.writeEndArray();
        g.writeName("A");
        g.writeStartArray();
        for (InetAddress a : zone.lookup(DnsQuery.a(name)).records()) {
          g.writeString(a.getHostAddress());
        }
        g.writeEndArray();
        g.writeName("MX");
        g.writeStartArray();
        for (MxHost h : zone.lookup(DnsQuery.mx(name)).records()) {
          g.writeStartObject();
          g.writeNumberProperty("preference", h.preference());
          g.writeStringProperty("exchange", h.exchange().toString());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeName("spfClients");
      g.writeStartArray();
      for (Map.Entry<String, String> c : SpfBenchmark.CLIENTS.entrySet()) {
        g.writeStartObject();
        g.writeStringProperty("case", c.getKey());
        g.writeStringProperty("ip", c.getValue());
        g.writeStringProperty("sender", SpfBenchmark.SENDER);
        g.writeStringProperty("helo", SpfBenchmark.HELO);
        g.writeStringProperty("result", c.getKey());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static String fileName(String message) {
    return message.toLowerCase(Locale.ROOT).replace('/', '-') + ".eml";
  }

  private static void measure(Path dir, Timing timing) throws Exception {
    DnsResolver keys = ZoneFileResolver.builder().zoneFile(dir.resolve("keys.zone")).build();
    String ours = version("org.mailauth4j", "mailauth4j-dkim") + ", JDK " + Runtime.version();
    String floorVersion = "JDK " + Runtime.version() + ", Bouncy Castle";
    String jdkim = version("org.apache.james.jdkim", "apache-jdkim-library");
    String jspf = version("org.apache.james.jspf", "apache-jspf-resolver");

    DkimVerifier verifier = DkimVerifier.builder(keys).clock(BenchmarkMessages.CLOCK).build();
    DKIMVerifier jdkimVerifier = new DKIMVerifier(JdkimVerifyBenchmark.fromMemory(keys));
    for (String name : MESSAGES) {
      byte[] bytes = Files.readAllBytes(dir.resolve(fileName(name)));
      DkimVerification verification = verifier.verify(bytes);
      if (verification.result() != DkimResult.PASS) {
        throw new IllegalStateException(name + " does not verify: " + verification);
      }
      VerificationFloor floor = VerificationFloor.of(bytes, keys, verification);
      byte[][] last = new byte[1][];
      // Rounds of the two alternate, so that both see the machine in the same state.
      double[] rates =
          timing.perSecond(
              List.of(() -> verifier.verify(bytes), () -> floor.run(d -> last[0] = d)));
      report("mailauth4j", ours, "dkim", name, rates[0]);
      report("crypto floor", floorVersion, "dkim", name, rates[1]);
      if (name.startsWith("RSA/")) { // jDKIM has no Ed25519
        Callable<List<?>> once =
            () -> {
              jdkimVerifier.resetResults();
              try (InputStream in = new ByteArrayInputStream(bytes)) {
                return jdkimVerifier.verify(in);
              }
            };
        if (once.call().isEmpty()) {
          throw new IllegalStateException("jDKIM does not verify " + name);
        }
        report("Apache jDKIM", jdkim, "dkim", name, timing.perSecond(once));
      }
    }

    DnsResolver zone = ZoneFileResolver.fromZoneText(SpfBenchmark.ZONE);
    SpfVerifier spf = SpfVerifier.builder(zone).build();
    SPF jspfVerifier = new SPF(new SpfBenchmark.JspfDns(zone));
    for (Map.Entry<String, String> c : SpfBenchmark.CLIENTS.entrySet()) {
      String ip = c.getValue();
      InetAddress address = InetAddress.getByName(ip);
      SpfResult expected = c.getKey().equals("pass") ? SpfResult.PASS : SpfResult.FAIL;
      if (spf.check(address, SpfBenchmark.HELO, SpfBenchmark.SENDER).result() != expected
          || !jspfVerifier
              .checkSPF(ip, SpfBenchmark.SENDER, SpfBenchmark.HELO)
              .getResult()
              .equals(expected.token())) {
        throw new IllegalStateException("the SPF peers do not both say " + expected);
      }
      report(
          "mailauth4j",
          ours,
          "spf",
          c.getKey(),
          timing.perSecond(() -> spf.check(address, SpfBenchmark.HELO, SpfBenchmark.SENDER)));
      report(
          "Apache jSPF",
          jspf,
          "spf",
          c.getKey(),
          timing.perSecond(
              () -> jspfVerifier.checkSPF(ip, SpfBenchmark.SENDER, SpfBenchmark.HELO)));
    }
  }

  private static void report(String peer, String version, String kind, String name, double rate)
      throws IOException {
    StringWriter line = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), line)) {
      g.writeStartObject();
      g.writeStringProperty("peer", peer);
      g.writeStringProperty("version", version);
      g.writeStringProperty("kind", kind);
      g.writeStringProperty("case", name);
      g.writeNumberProperty("perSecond", Math.round(rate * 10) / 10.0);
      g.writeEndObject();
    }
    System.out.println(line);
  }

  /** The version of a jar in the shaded benchmarks jar, from the pom.properties Maven wrote. */
  private static String version(String group, String artifact) throws IOException {
    String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = PeerHarness.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "?";
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, UTF_8));
      return p.getProperty("version", "?");
    }
  }

  /**
   * The measurement every driver of the harness makes: warm up, then time rounds of calls and take
   * the median rate. The JVM warms up longer, since its compiler needs it.
   */
  private static final class Timing {
    private final long warmUpNanos;
    private final long roundNanos;
    private final int rounds;

    Timing(boolean quick) {
      warmUpNanos = quick ? 1_000_000_000L : 5_000_000_000L;
      roundNanos = quick ? 500_000_000L : 1_000_000_000L;
      rounds = quick ? 3 : 5;
    }

    double perSecond(Callable<?> op) throws Exception {
      return perSecond(List.of(op))[0];
    }

    /** The median rate of each operation, their timed rounds taken in turn. */
    double[] perSecond(List<Callable<?>> ops) throws Exception {
      for (Callable<?> op : ops) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < warmUpNanos) {
          op.call();
        }
      }
      double[][] rates = new double[ops.size()][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < ops.size(); k++) {
          Callable<?> op = ops.get(k);
          long t0 = System.nanoTime();
          long n = 0;
          long t;
          do {
            op.call();
            n++;
            t = System.nanoTime();
          } while (t - t0 < roundNanos);
          rates[k][r] = n * 1e9 / (t - t0);
        }
      }
      double[] medians = new double[ops.size()];
      for (int k = 0; k < ops.size(); k++) {
        Arrays.sort(rates[k]);
        medians[k] = rates[k][rounds / 2];
      }
      return medians;
    }
  }
}
