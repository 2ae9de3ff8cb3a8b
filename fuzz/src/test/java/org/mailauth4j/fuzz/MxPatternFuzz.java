package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;

import java.util.List;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MtaStsSyntaxException;
import org.mailauth4j.mtasts.MxPattern;

/**
 * {@link MxPattern#parse} on any text, and {@link MxPattern#matches} against any name (RFC 8461
 * §4.1: the wildcard stands for exactly one left-most label, of a host name).
 */
class MxPatternFuzz {

  /** Fields, one per line: the pattern, then the MX host name. */
  @FuzzTarget
  void parseAndMatch(byte[] input) {
    List<byte[]> fields = Contract.fields(input, 2);
    String patternText = Contract.field(fields, 0);
    String hostText = Contract.field(fields, 1);
    Contract.timed(
        input.length,
        () -> {
          MxPattern pattern =
              Contract.parseOrNull(MtaStsSyntaxException.class, () -> MxPattern.parse(patternText));
          if (pattern == null) {
            return;
          }
          assertEqual("parse(toString())", pattern, MxPattern.parse(pattern.toString()));
          DomainName host =
              Contract.parseOrNull(DnsSyntaxException.class, () -> DomainName.parse(hostText));
          if (host == null) {
            return;
          }
          List<String> labels = host.labels();
          // MX hosts are host names (RFC 5321 §5.1): the wildcard stands for no "_x" label.
          boolean expected =
              pattern.wildcard()
                  ? labels.size() >= 2
                      && host.isHostName()
                      && labels.subList(1, labels.size()).equals(pattern.domain().labels())
                  : host.equals(pattern.domain());
          assertEqual(pattern + " matches " + host, expected, pattern.matches(host));
        });
  }
}
