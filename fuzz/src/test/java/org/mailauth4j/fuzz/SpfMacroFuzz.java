package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.net.InetAddress;
import java.util.List;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.MacroString;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfSyntaxException;
import org.mailauth4j.spf.SpfVerifier;

/**
 * SPF macros (RFC 7208 §7): {@link MacroString} parsing, and expansion reached the way DNS data
 * reaches it, through {@link SpfVerifier#check} of a domain whose record is {@code v=spf1
 * exists:<fuzzed macro-string> -all exp=exp.example.com} and whose explanation TXT is fuzzed, with
 * fuzzed sender, HELO name and client address.
 */
class SpfMacroFuzz {
  private static final InetAddress DEFAULT_IP = Contract.address("192.0.2.1", null);

  @FuzzTarget
  void parseMacroString(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          for (boolean explanation : new boolean[] {false, true}) {
            MacroString macro =
                Contract.parseOrNull(
                    SpfSyntaxException.class,
                    () ->
                        explanation ? MacroString.parseExplanation(text) : MacroString.parse(text));
            if (macro == null) {
              continue;
            }
            assertEqual("toString() is the text as written", text, macro.toString());
            check(macro.isLiteral() || text.indexOf('%') >= 0, "a macro without '%'");
            for (char letter : "slodiphcrtv".toCharArray()) {
              macro.uses(letter);
            }
          }
        });
  }

  /** Fields, one per line: macro-string, explanation text, sender, HELO name, client address. */
  @FuzzTarget
  void expandThroughCheck(byte[] input) {
    List<byte[]> fields = Contract.fields(input, 5);
    String macro = Contract.field(fields, 0);
    String explanation = Contract.field(fields, 1);
    String sender = Contract.field(fields, 2);
    String helo = Contract.field(fields, 3);
    InetAddress ip = Contract.address(Contract.field(fields, 4), DEFAULT_IP);
    Contract.timed(
        input.length,
        () -> {
          String record = "v=spf1 exists:" + macro + " -all exp=exp.example.com";
          ZoneFileResolver zone =
              ZoneFileResolver.fromZoneText(
                  "example.com. TXT "
                      + TxtRecord.split(record)
                      + "\nexp.example.com. TXT "
                      + TxtRecord.split(explanation)
                      + "\n*.in.example.com. A 127.0.0.2\n"
                      + "example.com. A 192.0.2.10\n"
                      + "mail.example.com. A 192.0.2.20\n");
          SpfVerifier spf = SpfVerifier.builder(zone).clock(DkimFixture.CLOCK).build();
          SpfOutcome outcome =
              spf.check(ip, helo, sender.contains("@") ? sender : sender + "@example.com");
          SpfOutcomes.checkOutcome(outcome);
        });
  }
}
