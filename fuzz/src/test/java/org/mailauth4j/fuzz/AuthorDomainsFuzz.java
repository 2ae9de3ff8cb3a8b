package org.mailauth4j.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dmarc.AuthorDomains;
import org.mailauth4j.dmarc.AuthorDomains.Status;
import org.mailauth4j.dns.DomainName;

/**
 * {@link AuthorDomains} on any From value and any message: nothing is thrown for bad input (the
 * outcome is a status), the domains are distinct host names within the cap, the detail carries no
 * control characters, a lower cap reads a prefix of the same domains, and each address found reads
 * back to its domain.
 */
class AuthorDomainsFuzz {
  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

  /** The input is the value of the one From field, as UTF-8. */
  @FuzzTarget
  void parse(byte[] input) {
    String value = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          AuthorDomains authors = read(value, AuthorDomains.DEFAULT_MAX_DOMAINS);
          AuthorDomains capped = read(value, 1);
          if (authors.isFound()) {
            check(capped.isFound(), "found with 10, not with 1: " + capped);
            assertEqual(
                "first domain under a cap of 1", authors.domains().get(0), capped.domains().get(0));
            assertEqual(
                "truncated under a cap of 1",
                authors.domains().size() > 1 || authors.truncated(),
                capped.truncated());
          } else if (!capped.truncated()) {
            // Reading to the same point meets the same problem.
            assertEqual("status under a cap of 1", authors.status(), capped.status());
            assertEqual("detail under a cap of 1", authors.detail(), capped.detail());
          }
          for (int k = 0; k < authors.domains().size(); k++) {
            String address = authors.addresses().get(k);
            AuthorDomains again = read(address, 1);
            check(again.isFound(), "address " + address + " does not read back: " + again);
            assertEqual("domain of " + address, authors.domains().get(k), again.domains().get(0));
          }
          assertEqual(
              "two From fields",
              Status.SEVERAL_FROM_FIELDS,
              AuthorDomains.parse(List.of(value, value), 10).status());
          if (value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            // The same value in a message header: HeaderField.value() only drops leading WSP.
            byte[] message = ("From: " + value + "\r\n\r\n").getBytes(UTF_8);
            AuthorDomains fromHeader =
                AuthorDomains.of(MessageHeader.parse(message), AuthorDomains.DEFAULT_MAX_DOMAINS);
            assertEqual("status from a header", authors.status(), fromHeader.status());
            assertEqual("domains from a header", authors.domains(), fromHeader.domains());
          }
        });
  }

  /** The input is a whole message, any octets: its From fields are whatever it holds. */
  @FuzzTarget
  void of(byte[] message) {
    Contract.timed(
        message.length,
        () -> {
          MessageHeader header = MessageHeader.parse(message);
          AuthorDomains authors = AuthorDomains.of(header, 3);
          checkInvariants(authors, Integer.MAX_VALUE, 3);
          int fields = header.fields("From").size();
          if (fields != 1) {
            assertEqual(
                "status for " + fields + " From fields",
                fields == 0 ? Status.NO_FROM_FIELD : Status.SEVERAL_FROM_FIELDS,
                authors.status());
          }
        });
  }

  private static AuthorDomains read(String value, int max) {
    AuthorDomains authors = AuthorDomains.parse(List.of(value), max);
    checkInvariants(authors, value.length(), max);
    assertEqual("the same again", authors, AuthorDomains.parse(List.of(value), max));
    return authors;
  }

  private static void checkInvariants(AuthorDomains authors, int length, int max) {
    check(authors.status() != null, "no status");
    assertEqual("isFound", authors.status() == Status.FOUND, authors.isFound());
    check(!UNSAFE.matcher(authors.detail()).find(), "unsafe detail: " + authors.detail());
    check(!authors.detail().isEmpty(), "empty detail");
    assertEqual("addresses and domains", authors.domains().size(), authors.addresses().size());
    check(authors.domains().size() <= max, "more than " + max + " domains: " + authors);
    if (!authors.isFound()) {
      check(authors.domains().isEmpty() && !authors.truncated(), "domains without FOUND");
    } else {
      check(!authors.domains().isEmpty(), "FOUND without domains");
    }
    Set<DomainName> seen = new HashSet<>();
    for (DomainName domain : authors.domains()) {
      check(domain.isHostName(), "not a host name: " + domain);
      check(seen.add(domain), "domain twice: " + domain);
    }
    authors
        .errorIndex()
        .ifPresent(i -> check(i >= 0 && i <= length, "error index " + i + " outside " + length));
  }
}
