package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.check;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import org.mailauth4j.dmarc.PublicSuffixList;
import org.mailauth4j.dns.DomainName;

/**
 * {@link PublicSuffixList#parse} on any text, then organizational domains of fixed names under the
 * list it made: always the name or one of its ancestors, and never shorter than its public suffix.
 */
class PublicSuffixListFuzz {
  private static final List<DomainName> NAMES =
      List.of(
          DomainName.parse("a.b.c.example.com"),
          DomainName.parse("www.example.co.uk"),
          DomainName.parse("x.y.ck"),
          DomainName.parse("com"),
          DomainName.parse("_dmarc.mail.example.org"));

  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          PublicSuffixList list;
          try {
            list = PublicSuffixList.parse(new StringReader(text));
          } catch (IllegalArgumentException e) {
            return; // no rule in the text
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          check(list.ruleCount() > 0, "a parsed list without rules");
          for (DomainName name : NAMES) {
            DomainName org = list.organizationalDomain(name);
            DomainName suffix = list.publicSuffix(name).orElseThrow();
            check(name.isWithin(org), org + " is not an ancestor of " + name);
            check(org.isWithin(suffix), org + " is not within its suffix " + suffix);
            check(
                org.labelCount() <= suffix.labelCount() + 1,
                org + " has more than one label over " + suffix);
          }
        });
  }
}
