package org.mailauth4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints, beside JMH's own output, tables: DKIM verifications per second
 * for mailauth4j, the crypto floor and jDKIM, their ratios, the scaling from one to two threads on
 * one shared verifier, and the bytes allocated per verification; signing; the verification steps;
 * SPF checks against the DNS floor and jSPF, and SPF record parsing.
 *
 * <p>Options: {@code --quick} for shorter iterations; {@code --only <regex>} to run only the
 * matching benchmarks, once, without the two-thread and allocation runs; {@code
 * -Dbench.corpus=<dir>} to verify the {@code .eml} files of a directory (with their keys in {@code
 * keys.zone}) instead of generated messages.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  /**
   * Runs the benchmarks.
   *
   * @param args {@code --quick} for a shorter run, {@code --only <regex>} for some benchmarks
   * @throws RunnerException if JMH fails
   * @throws IOException if the corpus cannot be listed
   */
  public static void main(String[] args) throws RunnerException, IOException {
    List<String> arguments = Arrays.asList(args);
    boolean quick = arguments.contains("--quick");
    int only = arguments.indexOf("--only");
    String corpus = System.getProperty("bench.corpus");
    List<String> messages = new ArrayList<>();
    if (corpus != null) {
      try (Stream<Path> files = Files.list(Path.of(corpus))) {
        files
            .map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".eml"))
            .sorted()
            .forEach(messages::add);
      }
    }

    if (only >= 0) {
      ChainedOptionsBuilder some = options(quick, corpus).include(arguments.get(only + 1));
      if (corpus != null) {
        some.param("message", messages.toArray(new String[0]));
      }
      Collection<RunResult> results = run(some);
      printVerification(results, List.of(), List.of());
      printSimple("Signing (signatures/s)", results, "DkimSignBenchmark", "mailauth4j", "jcaFloor");
      printPieces(results);
      printSpf(results);
      printDmarc(results);
      return;
    }
    // Each message's figures are measured one right after the other (mailauth4j, the floor, jDKIM,
    // two threads), so that the machine's drift over a long run does not skew their ratios.
    List<String> verified = corpus != null ? messages : paramValues(DkimVerifyBenchmark.class);
    List<String> jdkimToo = corpus != null ? messages : paramValues(JdkimVerifyBenchmark.class);
    List<RunResult> main = new ArrayList<>();
    List<RunResult> twoThreads = new ArrayList<>();
    for (String message : verified) {
      ChainedOptionsBuilder one =
          options(quick, corpus).include(benchmark(DkimVerifyBenchmark.class, ".*"));
      if (jdkimToo.contains(message)) {
        one.include(benchmark(JdkimVerifyBenchmark.class, ".*"));
      }
      main.addAll(run(one.param("message", message)));
      twoThreads.addAll(
          run(
              options(quick, corpus)
                  .include(benchmark(DkimVerifyBenchmark.class, "mailauth4j"))
                  .param("message", message)
                  .threads(2)));
    }
    for (String message : paramValues(DkimSignBenchmark.class)) {
      main.addAll(
          run(
              options(quick, null)
                  .include(benchmark(DkimSignBenchmark.class, ".*"))
                  .param("message", message)));
    }
    ChainedOptionsBuilder pieces =
        options(quick, corpus).include(benchmark(DkimPiecesBenchmark.class, ".*"));
    if (corpus != null) {
      pieces.param("message", messages.toArray(new String[0]));
    }
    main.addAll(run(pieces));
    main.addAll(
        run(
            options(quick, null)
                .include(benchmark(SpfBenchmark.class, ".*"))
                .include(benchmark(SpfParseBenchmark.class, ".*"))
                .include(benchmark(DmarcBenchmark.class, ".*"))
                .include(benchmark(DmarcPartsBenchmark.class, ".*"))));
    ChainedOptionsBuilder gc =
        options(quick, corpus)
            .include(benchmark(DkimVerifyBenchmark.class, "mailauth4j"))
            .addProfiler(GCProfiler.class);
    if (corpus != null) {
      gc.param("message", messages.toArray(new String[0]));
    }
    Collection<RunResult> allocation = run(gc);

    printVerification(main, twoThreads, allocation);
    printSimple("Signing (signatures/s)", main, "DkimSignBenchmark", "mailauth4j", "jcaFloor");
    printPieces(main);
    printSpf(main);
    printDmarc(main);
  }

  /** What DMARC and Authentication-Results add to SPF and DKIM on the same message. */
  private static void printDmarc(Collection<RunResult> results) {
    Map<String, Result<?>> s = scores(results);
    if (!anyStartsWith(s, "DmarcBenchmark.") && !anyStartsWith(s, "DmarcPartsBenchmark.")) {
      return;
    }
    System.out.println();
    System.out.println("DMARC (operations/s, warm cache)");
    System.out.printf(
        Locale.ROOT, "%-16s %14s %14s %10s%n", "message", "SPF+DKIM", "+DMARC+A-R", "added");
    for (String key : s.keySet()) {
      if (!key.startsWith("DmarcBenchmark.spfAndDkim ")) {
        continue;
      }
      String message = key.substring(key.indexOf(' ') + 1);
      double base = score(s, key);
      double all = score(s, "DmarcBenchmark.authenticate " + message);
      System.out.printf(
          Locale.ROOT, "%-16s %14.0f %14.0f %9.1f%%%n", message, base, all, 100 * (base / all - 1));
    }
    System.out.printf(
        Locale.ROOT,
        "record parse %.0f/s, tree walk of a subdomain (7 names, cached) %.0f/s%n",
        score(s, "DmarcPartsBenchmark.recordParse null"),
        score(s, "DmarcPartsBenchmark.treeWalk null"));
  }

  /** JMH's options for one run; in corpus mode the benchmarks' JVMs read the corpus. */
  private static ChainedOptionsBuilder options(boolean quick, String corpus) {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .forks(1)
            .warmupIterations(quick ? 2 : 3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgsAppend("-Xmx1g")
            .shouldFailOnError(corpus == null);
    if (corpus != null) {
      b.jvmArgsAppend("-Dbench.corpus=" + corpus);
    }
    return b;
  }

  /** The include pattern of one benchmark method (or a regex of methods) of a class. */
  private static String benchmark(Class<?> type, String method) {
    return "\\." + type.getSimpleName() + "\\." + method + "$";
  }

  /** The values of a benchmark class's {@code message} parameter, as its annotation lists them. */
  private static List<String> paramValues(Class<?> type) {
    try {
      return List.of(type.getField("message").getAnnotation(Param.class).value());
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(type + " has no message parameter", e);
    }
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
    return new Runner(options.build()).run();
  }

  /** Scores by "Class.method message". */
  private static Map<String, Result<?>> scores(Collection<RunResult> results) {
    Map<String, Result<?>> scores = new LinkedHashMap<>();
    for (RunResult r : results) {
      String benchmark = r.getParams().getBenchmark();
      String simple =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      String param = r.getParams().getParam("message");
      if (param == null) {
        param = r.getParams().getParam("client");
      }
      scores.put(simple + " " + param, r.getPrimaryResult());
    }
    return scores;
  }

  private static boolean anyStartsWith(Map<String, Result<?>> scores, String prefix) {
    return scores.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  private static double score(Map<String, Result<?>> scores, String key) {
    Result<?> r = scores.get(key);
    return r == null ? Double.NaN : r.getScore();
  }

  private static void printVerification(
      Collection<RunResult> main, Collection<RunResult> twoThreads, Collection<RunResult> gc) {
    Map<String, Result<?>> s = scores(main);
    Map<String, Result<?>> t2 = scores(twoThreads);
    Map<String, Double> bytes = new LinkedHashMap<>();
    for (RunResult r : gc) {
      for (String name : r.getSecondaryResults().keySet()) {
        if (name.endsWith("gc.alloc.rate.norm")) {
          bytes.put(
              r.getParams().getParam("message"), r.getSecondaryResults().get(name).getScore());
        }
      }
    }
    if (!anyStartsWith(s, "DkimVerifyBenchmark.")) {
      return;
    }
    System.out.println();
    System.out.println("DKIM verification (verifications/s, single thread unless noted)");
    System.out.printf(
        Locale.ROOT,
        "%-22s %12s %12s %9s %12s %10s %12s %12s%n",
        "message",
        "mailauth4j",
        "floor",
        "of floor",
        "jDKIM",
        "x jDKIM",
        "2 threads",
        "bytes/op");
    for (String key : s.keySet()) {
      if (!key.startsWith("DkimVerifyBenchmark.mailauth4j ")) {
        continue;
      }
      String message = key.substring(key.indexOf(' ') + 1);
      double ours = score(s, key);
      double floor = score(s, "DkimVerifyBenchmark.cryptoFloor " + message);
      double jdkim = score(s, "JdkimVerifyBenchmark.jdkim " + message);
      double two = score(t2, key);
      System.out.printf(
          Locale.ROOT,
          "%-22s %12.0f %12.0f %8.0f%% %12s %10s %11.2fx %12.0f%n",
          message,
          ours,
          floor,
          100 * ours / floor,
          Double.isNaN(jdkim) ? "-" : String.format(Locale.ROOT, "%.0f", jdkim),
          Double.isNaN(jdkim) ? "-" : String.format(Locale.ROOT, "%.1fx", ours / jdkim),
          two / ours,
          bytes.getOrDefault(message, Double.NaN));
    }
  }

  private static void printSimple(
      String title, Collection<RunResult> main, String benchmark, String ours, String floor) {
    Map<String, Result<?>> s = scores(main);
    if (!anyStartsWith(s, benchmark + ".")) {
      return;
    }
    System.out.println();
    System.out.println(title);
    System.out.printf(
        Locale.ROOT, "%-22s %12s %12s %9s%n", "message", "mailauth4j", "floor", "of floor");
    for (String key : s.keySet()) {
      if (!key.startsWith(benchmark + "." + ours + " ")) {
        continue;
      }
      String message = key.substring(key.indexOf(' ') + 1);
      double o = score(s, key);
      double f = score(s, benchmark + "." + floor + " " + message);
      System.out.printf(Locale.ROOT, "%-22s %12.0f %12.0f %8.0f%%%n", message, o, f, 100 * o / f);
    }
  }

  private static void printPieces(Collection<RunResult> main) {
    Map<String, Result<?>> s = scores(main);
    if (!anyStartsWith(s, "DkimPiecesBenchmark.")) {
      return;
    }
    System.out.println();
    System.out.println("Verification steps (operations/s)");
    for (Map.Entry<String, Result<?>> e : s.entrySet()) {
      if (e.getKey().startsWith("DkimPiecesBenchmark.")) {
        System.out.printf(
            Locale.ROOT,
            "%-60s %14.0f%n",
            e.getKey().substring("DkimPiecesBenchmark.".length()),
            e.getValue().getScore());
      }
    }
  }

  private static void printSpf(Collection<RunResult> main) {
    Map<String, Result<?>> s = scores(main);
    if (anyStartsWith(s, "SpfBenchmark.")) {
      System.out.println();
      System.out.println("SPF check_host(), 10 DNS-querying terms on an in-memory zone (checks/s)");
      System.out.printf(
          Locale.ROOT,
          "%-8s %12s %12s %9s %12s %9s%n",
          "client",
          "mailauth4j",
          "DNS floor",
          "of floor",
          "jSPF",
          "vs jSPF");
      for (String client : List.of("pass", "fail")) {
        double ours = score(s, "SpfBenchmark.mailauth4j " + client);
        double floor = score(s, "SpfBenchmark.dnsFloor " + client);
        double jspf = score(s, "SpfBenchmark.jspf " + client);
        System.out.printf(
            Locale.ROOT,
            "%-8s %12.0f %12.0f %8.0f%% %12.0f %8.1fx%n",
            client,
            ours,
            floor,
            100 * ours / floor,
            jspf,
            ours / jspf);
      }
    }
    if (anyStartsWith(s, "SpfParseBenchmark.")) {
      double ours = score(s, "SpfParseBenchmark.mailauth4j null");
      double jspf = score(s, "SpfParseBenchmark.jspf null");
      System.out.printf(
          Locale.ROOT,
          "%nSPF record parsing (records/s): mailauth4j %.0f, jSPF %.0f, %.1fx%n",
          ours,
          jspf,
          ours / jspf);
    }
  }
}
