package org.mailauth4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.apache.james.jspf.core.SPF1Record;
import org.apache.james.jspf.impl.DefaultTermsFactory;
import org.apache.james.jspf.parser.RFC4408SPF1Parser;
import org.mailauth4j.spf.SpfRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** SPF record parsing, side by side with Apache jSPF's parser, on one large record. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpfParseBenchmark {

  /** A large real-world-shaped record: many networks, includes, a macro and modifiers. */
  static final String RECORD =
      "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ip4:203.0.113.0/25 ip4:203.0.113.128/26"
          + " ip6:2001:db8::/32 ip6:2001:db8:1234::/48 a:mail.example.com/28 mx:example.com"
          + " include:_spf.example.com include:_spf.mailer.example.net"
          + " exists:%{i}._spf.%{d} ~all exp=explain._spf.%{d} x-note=bench";

  private final RFC4408SPF1Parser jspfParser = new RFC4408SPF1Parser(new DefaultTermsFactory());

  /** Parses {@link #RECORD} with mailauth4j. */
  @Benchmark
  public SpfRecord mailauth4j() {
    return SpfRecord.parse(RECORD);
  }

  /** Parses {@link #RECORD} with Apache jSPF. */
  @Benchmark
  public SPF1Record jspf() throws Exception {
    return jspfParser.parse(RECORD);
  }
}
