package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.check;

import java.util.LinkedHashSet;
import java.util.Set;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * {@link ZoneFileResolver#fromZoneText} on any text (the CLI's {@code --zone} is user input), then
 * lookups of the names the text seems to own: they must complete normally, whatever the records.
 */
class ZoneFileFuzz {
  private static final int MAX_NAMES = 16;

  @FuzzTarget
  void fromZoneText(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          ZoneFileResolver dns;
          try {
            dns = ZoneFileResolver.fromZoneText(text);
          } catch (IllegalArgumentException e) {
            // Documented: "the message gives the line". A dnsjava exception that leaks past the
            // builder (an IllegalArgumentException subclass of its own) does not.
            check(
                e.getClass() == IllegalArgumentException.class
                    && String.valueOf(e.getMessage()).startsWith("zone text, "),
                "not the documented refusal: " + e);
            return;
          }
          for (DomainName name : ownerNames(text)) {
            lookUp(dns, DnsQuery.txt(name));
            lookUp(dns, DnsQuery.a(name));
            lookUp(dns, DnsQuery.aaaa(name));
            lookUp(dns, DnsQuery.mx(name));
            lookUp(dns, DnsQuery.ptr(name));
            lookUp(dns, DnsQuery.ofType(name, 16));
            lookUp(dns, DnsQuery.ofType(name, 6));
          }
        });
  }

  private static <T> void lookUp(ZoneFileResolver dns, DnsQuery<T> query) {
    DnsAnswer<T> answer = dns.lookup(query);
    check(answer != null, "no answer to " + query);
    for (T record : answer.records()) {
      check(record != null, "null record in " + answer);
      if (record instanceof TxtRecord) {
        check(((TxtRecord) record).text() != null, "TXT without text");
      }
    }
  }

  /** The first token of each line that starts with one and is a valid name, plus fixed names. */
  static Set<DomainName> ownerNames(String text) {
    Set<DomainName> names = new LinkedHashSet<>();
    names.add(DomainName.parse("example.com"));
    names.add(DomainName.parse("www.example.com"));
    int start = 0;
    while (start < text.length() && names.size() < MAX_NAMES) {
      int end = text.indexOf('\n', start);
      end = end < 0 ? text.length() : end;
      int tokenEnd = start;
      while (tokenEnd < end && " \t\r;(".indexOf(text.charAt(tokenEnd)) < 0) {
        tokenEnd++;
      }
      String token = text.substring(start, tokenEnd);
      if (!token.isEmpty() && !token.startsWith("$") && DomainName.isValid(token)) {
        names.add(DomainName.parse(token));
      }
      start = end + 1;
    }
    return names;
  }
}
