package org.mailauth4j.fuzz;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimKeyRecord;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSignature;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSyntaxException;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dmarc.AuthenticationResults;
import org.mailauth4j.dmarc.AuthorDomains;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.PublicSuffixList;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.mtasts.MtaStsPolicy;
import org.mailauth4j.mtasts.MtaStsRecord;
import org.mailauth4j.mtasts.MtaStsSyntaxException;
import org.mailauth4j.mtasts.MxPattern;
import org.mailauth4j.mtasts.PolicyLeniency;
import org.mailauth4j.spf.MacroString;
import org.mailauth4j.spf.SpfRecord;
import org.mailauth4j.spf.SpfSyntaxException;
import org.mailauth4j.spf.SpfVerifier;

/**
 * Each parser and verifier fed a repeated pattern at 64 KiB, 256 KiB, 1 MiB and 4 MiB must stay
 * linear: the best of 3 runs (in CPU time of the calling thread) at 4n may take at most {@value
 * #MAX_RATIO} times as long as at n (quadratic growth gives 16). Input beyond a documented limit
 * (253 octets for a name, the verifier's 1 MiB of header) must be refused quickly: at most {@value
 * #REFUSAL_MILLIS} ms at 4 MiB. A single run over {@value #GIVE_UP_MILLIS} ms stops the sweep
 * there, and fails it: no linear parser needs that long for a few megabytes.
 *
 * <p>Timings go to standard output (and so into the Surefire report) for every case, passing or
 * not. This is a guard against blow-ups, not a benchmark: those live in {@code benchmarks/}.
 */
class SizeSweepTest {
  static final double MAX_RATIO = 10;
  static final long REFUSAL_MILLIS = 100;
  static final long GIVE_UP_MILLIS = 2_000;

  /** Below this, a step's time is noise and its ratio is not judged. */
  private static final long MEANINGFUL_NANOS = 5_000_000;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static final int KIB = 1024;
  private static final int[] SIZES = {64 * KIB, 256 * KIB, 1024 * KIB, 4096 * KIB};

  /** One parser, one pattern; the input builder gets a size in octets. */
  record Sweep<T>(String name, IntFunction<T> input, Consumer<T> run, boolean refusedOverLimit) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sweeps")
  @Timeout(60) // the preemptive guard below fires first; this keeps JUnit's default out of it
  <T> void staysLinear(Sweep<T> sweep) {
    assertTimeoutPreemptively(Duration.ofSeconds(25), () -> measure(sweep), sweep.name());
  }

  private static <T> void measure(Sweep<T> sweep) {
    // Warm up, so that compiling is not measured.
    for (int size : new int[] {16 * KIB, 16 * KIB, 16 * KIB, 64 * KIB}) {
      sweep.run().accept(sweep.input().apply(size));
    }
    long[] best = new long[SIZES.length];
    int measured = 0;
    while (measured < SIZES.length) {
      best[measured] = bestOf3(sweep, SIZES[measured]);
      measured++;
      if (best[measured - 1] > GIVE_UP_MILLIS * 1_000_000) {
        break;
      }
    }
    // A step that looks too steep is measured once more, on both sizes: a stray effect (the
    // compiler, a collection's work in this thread) can fake a blow-up; a real one shows again.
    for (int i = 1; i < measured; i++) {
      if (tooSteep(best[i - 1], best[i]) && best[i] < GIVE_UP_MILLIS * 1_000_000 / 2) {
        best[i - 1] = Math.min(best[i - 1], bestOf3(sweep, SIZES[i - 1]));
        best[i] = Math.min(best[i], bestOf3(sweep, SIZES[i]));
      }
    }
    StringBuilder report = new StringBuilder(sweep.name()).append(':');
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < measured; i++) {
      report.append(String.format(Locale.ROOT, " %d KiB %.1f ms", SIZES[i] / KIB, best[i] / 1e6));
      if (i > 0) {
        double ratio = (double) best[i] / best[i - 1];
        report.append(String.format(Locale.ROOT, " (x%.1f)", ratio));
        if (tooSteep(best[i - 1], best[i])) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "%d KiB -> %d KiB grew x%.1f",
                  SIZES[i - 1] / KIB,
                  SIZES[i] / KIB,
                  ratio));
        }
      }
      report.append(';');
    }
    System.out.println("sweep " + report);
    long last = best[measured - 1];
    if (measured < SIZES.length) {
      problems.add(
          String.format(
              Locale.ROOT,
              "%d KiB took %.0f ms, over %d ms: sweep stopped",
              SIZES[measured - 1] / KIB,
              last / 1e6,
              GIVE_UP_MILLIS));
    }
    if (sweep.refusedOverLimit() && last > REFUSAL_MILLIS * 1_000_000) {
      problems.add(
          String.format(
              Locale.ROOT,
              "refusing %d KiB over the limit took %.0f ms, over %d ms",
              SIZES[measured - 1] / KIB,
              last / 1e6,
              REFUSAL_MILLIS));
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("; ", problems) + " -- " + report);
    }
  }

  private static boolean tooSteep(long before, long after) {
    return after >= MEANINGFUL_NANOS && (double) after / before >= MAX_RATIO;
  }

  /**
   * The best of 3 runs on a fresh input, after a collection; one run if that one is too slow. Time
   * is the CPU time of this thread: the collector's threads and the neighbours on a shared machine
   * do not count, the parser's own work does.
   */
  private static <T> long bestOf3(Sweep<T> sweep, int size) {
    T input = sweep.input().apply(size);
    long best = Long.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      System.gc();
      long start = THREADS.getCurrentThreadCpuTime();
      sweep.run().accept(input);
      best = Math.min(best, THREADS.getCurrentThreadCpuTime() - start);
      if (best > GIVE_UP_MILLIS * 1_000_000) {
        break;
      }
    }
    return best;
  }

  static Stream<Sweep<?>> sweeps() {
    List<Sweep<?>> all = new ArrayList<>();
    dns(all);
    dkim(all);
    spf(all);
    mtaSts(all);
    dmarc(all);
    return all.stream();
  }

  // --- dns ---

  private static void dns(List<Sweep<?>> all) {
    all.add(refused("dns DomainName.parse: many labels 'a.'", n -> "a.".repeat(n / 2), name()));
    all.add(refused("dns DomainName.parse: one long label", n -> "a".repeat(n), name()));
    all.add(
        refused(
            "dns DomainName.parse: many IDN labels 'bücher.'",
            n -> "bücher.".repeat(n / 8),
            name()));
    all.add(
        refused(
            "dns DomainName.parseHostName: many labels",
            n -> "a.".repeat(n / 2),
            text -> ignore(DnsSyntaxException.class, () -> DomainName.parseHostName(text))));
    all.add(
        sweep(
            "dns ZoneFileResolver.fromZoneText: many TXT records",
            n -> lines(n, i -> "r" + i + ".example.com. TXT \"v=spf1 -all\"\n"),
            SizeSweepTest::zone));
    all.add(
        sweep(
            "dns ZoneFileResolver.fromZoneText: many records at one name, then a lookup",
            n -> lines(n, i -> "example.com. TXT \"record " + i + "\"\n"),
            text -> zone(text).lookup(DnsQuery.txt(DomainName.parse("example.com")))));
    all.add(
        sweep(
            "dns ZoneFileResolver.fromZoneText: one TXT of many strings",
            n -> "example.com. TXT " + "\"abcdefgh\" ".repeat(n / 11) + "\n",
            SizeSweepTest::zone));
    all.add(
        sweep(
            "dns ZoneFileResolver.fromZoneText: long comment lines",
            n -> lines(n, i -> "; " + "x".repeat(1000) + "\n") + "example.com. A 192.0.2.1\n",
            SizeSweepTest::zone));
    all.add(
        sweep(
            "dns ZoneFileResolver.fromZoneText: parenthesized record over many lines",
            n -> "example.com. TXT (\n" + "  \"abcdefgh\"\n".repeat(n / 13) + ")\n",
            SizeSweepTest::zone));
    all.add(
        sweep(
            "dns ZoneFileResolver.fromZoneText: many escapes",
            n -> "example.com. TXT \"" + "\\\"\\\\\\032".repeat(n / 8) + "\"\n",
            SizeSweepTest::zone));
    all.add(
        sweep(
            "dns TxtRecord.split and its presentation: long text",
            n -> "v=spf1 \"quoted\" \\ \u0001 ".repeat(n / 24),
            text -> TxtRecord.split(text).toString()));
  }

  private static Consumer<String> name() {
    return text -> ignore(DnsSyntaxException.class, () -> DomainName.parse(text));
  }

  /** The resolver, or an empty one when the text is refused as documented. */
  private static ZoneFileResolver zone(String text) {
    try {
      return ZoneFileResolver.fromZoneText(text);
    } catch (IllegalArgumentException documented) {
      return ZoneFileResolver.builder().build();
    }
  }

  // --- dkim ---

  private static final String SIGNATURE_TAGS =
      "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=rsa; t=1767225600;"
          + " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; h=from:to:subject; b=AAAA";

  private static void dkim(List<Sweep<?>> all) {
    all.add(
        sweep(
            "dkim DkimSignature.parse: many distinct tags 't<i>=v;'",
            n -> SIGNATURE_TAGS + lines(n, i -> "; t" + i + "=v"),
            signature()));
    all.add(
        sweep(
            "dkim DkimSignature.parse: one tag repeated 'x=v;' (refused at the 2nd)",
            n -> SIGNATURE_TAGS + "; x=v".repeat(n / 5),
            signature()));
    all.add(
        sweep(
            "dkim DkimSignature.parse: long h= list",
            n -> SIGNATURE_TAGS.replace("h=from:to:subject", "h=from" + ":x-header".repeat(n / 9)),
            signature()));
    all.add(
        sweep(
            "dkim DkimSignature.parse: long b= folded every 72 characters",
            n -> SIGNATURE_TAGS.replace("b=AAAA", "b=" + ("A".repeat(72) + "\r\n ").repeat(n / 75)),
            signature()));
    all.add(
        sweep(
            "dkim DkimSignature.parse: long z= of quoted-printable escapes",
            n -> SIGNATURE_TAGS + "; z=From:" + "=20".repeat(n / 3),
            signature()));
    all.add(
        sweep(
            "dkim DkimSignature.parse: long FWS runs",
            n -> SIGNATURE_TAGS.replace("d=", "d=" + " \r\n\t".repeat(n / 4)),
            signature()));
    all.add(
        sweep(
            "dkim DkimKeyRecord.parse: many distinct tags",
            n -> "v=DKIM1; k=rsa" + lines(n, i -> "; t" + i + "=v") + "; p=",
            text -> ignore(DkimSyntaxException.class, () -> DkimKeyRecord.parse(text))));
    all.add(
        sweep(
            "dkim DkimKeyRecord.parse: long p= folded with spaces",
            n -> "v=DKIM1; k=rsa; p=" + "AAAA ".repeat(n / 5),
            text -> ignore(DkimSyntaxException.class, () -> DkimKeyRecord.parse(text))));
    all.add(
        sweep(
            "dkim MessageHeader.parse: many fields",
            n -> bytes(lines(n, i -> "X-Field-" + i + ": value\r\n") + "\r\nbody\r\n"),
            MessageHeader::parse));
    all.add(
        sweep(
            "dkim MessageHeader.parse: one field folded over many lines",
            n -> bytes("Subject: x" + "\r\n x".repeat(n / 4) + "\r\n\r\nbody\r\n"),
            MessageHeader::parse));
    all.add(
        sweep(
            "dkim MessageHeader.parse: bare-LF lines without a blank line",
            n -> bytes("X: y\n".repeat(n / 5)),
            MessageHeader::parse));
    DkimVerifier verifier = DkimFixture.verifier(DkimFixture.ZONE);
    all.add(
        refused(
            "dkim DkimVerifier.verify: header of many fields (over the 1000-field limit)",
            n -> bytes(lines(n, i -> "X-Field-" + i + ": value\r\n") + "\r\nbody\r\n"),
            verifier::verify));
    all.add(
        refused(
            "dkim DkimVerifier.verify: header of long folded fields (over the 1 MiB limit)",
            n ->
                bytes(
                    ("Subject: x" + "\r\n x".repeat(15_000) + "\r\n")
                            .repeat(Math.max(1, n / 60_000))
                        + "From: a@example.com\r\n\r\nbody\r\n"),
            verifier::verify));
    DkimSigner signer = DkimFixture.signer().build();
    String header = "From: alice@example.com\r\nTo: bob@example.org\r\nSubject: big\r\n\r\n";
    all.add(
        sweep(
            "dkim DkimVerifier.verify: signed message, body of text lines",
            n ->
                signer.signMessage(
                    bytes(header + "a line of text,  with  spaces \r\n".repeat(n / 33))),
            passes(verifier)));
    all.add(
        sweep(
            "dkim DkimVerifier.verify: signed message, body of empty lines",
            n -> signer.signMessage(bytes(header + "x\r\n" + "\r\n".repeat(n / 2))),
            passes(verifier)));
    all.add(
        sweep(
            "dkim DkimVerifier.verify: signed message, body of whitespace runs",
            n -> signer.signMessage(bytes(header + " \t".repeat(n / 2) + "x\r\n")),
            passes(verifier)));
    all.add(
        sweep(
            "dkim DkimVerifier.verify: signed message, bare-LF body",
            n -> signer.signMessage(bytes(header.replace("\r\n", "\n") + "line\n".repeat(n / 5))),
            passes(verifier)));
    all.add(
        sweep(
            "dkim DkimVerifier.verify: many DKIM-Signature fields",
            n -> {
              byte[] signed = signer.signMessage(bytes(header + "body\r\n"));
              String text = new String(signed, US_ASCII);
              String fields = text.substring(0, text.indexOf("From:"));
              return bytes(fields.repeat(Math.max(1, n / fields.length())) + text);
            },
            verifier::verify));
  }

  private static Consumer<String> signature() {
    return text -> ignore(DkimSyntaxException.class, () -> DkimSignature.parse(text));
  }

  private static Consumer<byte[]> passes(DkimVerifier verifier) {
    return message -> {
      if (!verifier.verify(message).outcomes().stream()
          .allMatch(o -> o.result() == DkimResult.PASS)) {
        throw new AssertionError("the sweep's signed message does not verify");
      }
    };
  }

  // --- spf ---

  private static void spf(List<Sweep<?>> all) {
    all.add(
        sweep(
            "spf SpfRecord.parse: many ip4 mechanisms",
            n -> "v=spf1" + " ip4:192.0.2.1".repeat(n / 14) + " -all",
            spfRecord()));
    all.add(
        sweep(
            "spf SpfRecord.parse: many 'a' mechanisms",
            n -> "v=spf1" + " a".repeat(n / 2),
            spfRecord()));
    all.add(
        sweep(
            "spf SpfRecord.parse: many distinct unknown modifiers",
            n -> "v=spf1" + lines(n, i -> " x" + i + "=y"),
            spfRecord()));
    all.add(
        sweep(
            "spf SpfRecord.parse: one long macro-string",
            n -> "v=spf1 exists:%{i}" + ".%{d2r}".repeat(n / 7) + " -all",
            spfRecord()));
    all.add(
        sweep(
            "spf SpfRecord.parse: many '%%' escapes",
            n -> "v=spf1 exists:" + "%%".repeat(n / 2) + ".example.com -all", spfRecord()));
    all.add(
        sweep(
            "spf MacroString.parseExplanation: many macros",
            n -> "%{s} %{i} %{d} %% ".repeat(n / 18),
            text -> ignore(SpfSyntaxException.class, () -> MacroString.parseExplanation(text))));
    InetAddress ip = Contract.address("192.0.2.99", null);
    all.add(
        sweep(
            "spf SpfVerifier.check: record of many ip4 mechanisms",
            n -> spfZone("v=spf1" + " ip4:198.51.100.1".repeat(n / 17) + " -all", ""),
            zone ->
                SpfVerifier.builder(zone).build().check(ip, "mail.example.com", "a@example.com")));
    all.add(
        sweep(
            "spf SpfVerifier.check: explanation of many macros",
            n -> spfZone("v=spf1 -all exp=exp.example.com", "%{s} %{i} %{d} ".repeat(n / 15)),
            zone ->
                SpfVerifier.builder(zone).build().check(ip, "mail.example.com", "a@example.com")));
  }

  private static Consumer<String> spfRecord() {
    return text -> ignore(SpfSyntaxException.class, () -> SpfRecord.parse(text));
  }

  private static ZoneFileResolver spfZone(String record, String explanation) {
    return ZoneFileResolver.fromZoneText(
        "example.com. TXT "
            + TxtRecord.split(record)
            + "\nexp.example.com. TXT "
            + TxtRecord.split(explanation)
            + "\n");
  }

  // --- mtasts ---

  private static final String POLICY_HEAD = "version: STSv1\r\nmode: enforce\r\nmax_age: 86400\r\n";

  private static void mtaSts(List<Sweep<?>> all) {
    all.add(
        sweep(
            "mtasts MtaStsRecord.parse: many distinct extension fields",
            n -> "v=STSv1; id=1" + lines(n, i -> "; e" + i + "=v"),
            text -> ignore(MtaStsSyntaxException.class, () -> MtaStsRecord.parse(text))));
    all.add(
        sweep(
            "mtasts MtaStsRecord.parse: one extension field repeated",
            n -> "v=STSv1; id=1" + "; x=v".repeat(n / 5),
            text -> ignore(MtaStsSyntaxException.class, () -> MtaStsRecord.parse(text))));
    all.add(
        sweep(
            "mtasts MtaStsPolicy.parse (strict): many mx lines",
            n -> POLICY_HEAD + lines(n, i -> "mx: mx" + i + ".example.com\r\n"),
            text -> ignore(MtaStsSyntaxException.class, () -> MtaStsPolicy.parse(text))));
    all.add(
        sweep(
            "mtasts MtaStsPolicy.parseWithFindings (lenient): many mx lines, LF only",
            n ->
                (POLICY_HEAD + lines(n, i -> "mx: mx" + i + ".example.com.\r\n")).replace("\r", ""),
            text -> MtaStsPolicy.parseWithFindings(text, PolicyLeniency.LENIENT)));
    all.add(
        sweep(
            "mtasts MtaStsPolicy.parseWithFindings (strict): many bad lines",
            n -> POLICY_HEAD + "this is no field\r\n".repeat(n / 18),
            text -> MtaStsPolicy.parseWithFindings(text, PolicyLeniency.STRICT)));
    all.add(
        sweep(
            "mtasts MtaStsPolicy.parseWithFindings (lenient): many blank lines",
            n -> POLICY_HEAD + "\r\n".repeat(n / 2) + "mx: mail.example.com\r\n",
            text -> MtaStsPolicy.parseWithFindings(text, PolicyLeniency.LENIENT)));
    all.add(
        sweep(
            "mtasts MtaStsPolicy.parseWithFindings (strict): one very long line",
            n -> POLICY_HEAD + "mx: mail.example.com\r\nx: " + "v".repeat(n) + "\r\n",
            text -> MtaStsPolicy.parseWithFindings(text, PolicyLeniency.STRICT)));
    all.add(
        refused(
            "mtasts MxPattern.parse: long pattern (over 253 octets)",
            n -> "*." + "a.".repeat(n / 2) + "com",
            text -> ignore(MtaStsSyntaxException.class, () -> MxPattern.parse(text))));
    DomainName host = DomainName.parse("mail.example.org");
    all.add(
        sweep(
            "mtasts MtaStsPolicy.permits: a policy of many mx patterns",
            n ->
                MtaStsPolicy.parse(
                    POLICY_HEAD + lines(n, i -> "mx: *.mx" + i + ".example.com\r\n")),
            policy -> policy.permits(host)));
  }

  // --- helpers ---

  // --- dmarc ---

  private static void dmarc(List<Sweep<?>> all) {
    all.add(
        sweep(
            "dmarc DmarcRecord.parse: many unknown tags",
            n -> "v=DMARC1; p=reject" + lines(n, i -> "; x" + i + "=y"),
            text -> DmarcRecord.parse(text).lint(DmarcProfile.RFC9989)));
    all.add(
        sweep(
            "dmarc DmarcRecord.parse: many rua URIs",
            n -> "v=DMARC1; p=none; rua=" + lines(n, i -> "mailto:r" + i + "@example.com!10m,"),
            text -> DmarcRecord.parse(text).text()));
    all.add(
        sweep(
            "dmarc DmarcRecord.parse: one percent-escaped mailto",
            n -> "v=DMARC1; p=none; rua=mailto:" + "%2C".repeat(n / 3) + "@example.com",
            DmarcRecord::parse));
    all.add(
        refused(
            "dmarc AuthorDomains.parse: many mailboxes (refused over 1 MiB)",
            n -> lines(n, i -> "u" + i + "@d" + (i % 7) + ".example, "),
            text -> AuthorDomains.parse(List.of(text), 10)));
    all.add(
        refused(
            "dmarc AuthorDomains.parse: nested comments (refused over 1 MiB)",
            n -> "(".repeat(n / 2) + ")".repeat(n / 2) + "a@example.com",
            text -> AuthorDomains.parse(List.of(text), 10)));
    all.add(
        sweep(
            "dmarc AuthenticationResults.parse: many results",
            n -> "mx.example.org;" + lines(n, i -> " dkim=pass header.d=d" + i + ".example;"),
            text ->
                ignore(IllegalArgumentException.class, () -> AuthenticationResults.parse(text))));
    all.add(
        sweep(
            "dmarc AuthenticationResults.parse: nested comments",
            n -> "mx.example.org; spf=pass " + "(".repeat(n / 2) + ")".repeat(n / 2),
            text ->
                ignore(IllegalArgumentException.class, () -> AuthenticationResults.parse(text))));
    all.add(
        sweep(
            "dmarc PublicSuffixList.parse: many rules, then a lookup",
            n -> lines(n, i -> "*.r" + i + ".example\n!a.r" + i + ".example\n"),
            text -> {
              try {
                PublicSuffixList.parse(new java.io.StringReader(text))
                    .organizationalDomain(DomainName.parse("x.y.r1.example"));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }));
  }

  private static <T> Sweep<T> sweep(String name, IntFunction<T> input, Consumer<T> run) {
    return new Sweep<>(name, input, run, false);
  }

  private static <T> Sweep<T> refused(String name, IntFunction<T> input, Consumer<T> run) {
    return new Sweep<>(name, input, run, true);
  }

  /** Numbered lines up to about {@code size} octets. */
  private static String lines(int size, IntFunction<String> line) {
    StringBuilder sb = new StringBuilder(size + 100);
    for (int i = 0; sb.length() < size; i++) {
      sb.append(line.apply(i));
    }
    return sb.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(US_ASCII);
  }

  /** Runs a parse, tolerating only its documented refusal. */
  private static <E extends RuntimeException> void ignore(Class<E> documented, Runnable parse) {
    try {
      parse.run();
    } catch (RuntimeException e) {
      if (!documented.isInstance(e)) {
        throw e;
      }
    }
  }
}
