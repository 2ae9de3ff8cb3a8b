package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DomainName;

/**
 * One DNS lookup made while evaluating SPF, for the lookup trace of an {@link SpfOutcome}: which
 * record's which term asked for what, what came back, and the running counts. When a domain runs
 * into the limit of 10 DNS-querying terms, the trace shows its owner which include cost what.
 *
 * @param depth how deep in includes and redirects: 0 for the checked domain's own record
 * @param domain the domain whose record was being evaluated
 * @param term the term that made the lookup, such as {@code include:_spf.example.net}, or {@code
 *     record} for fetching a record itself
 * @param name the name looked up
 * @param type the record type asked for, such as {@code TXT}
 * @param status what came back
 * @param records how many records came back
 * @param dnsLookups the DNS-querying terms counted so far, this one included
 * @param voidLookups the void lookups counted so far, this one included
 */
public record SpfLookup(
    int depth,
    DomainName domain,
    String term,
    DomainName name,
    String type,
    DnsStatus status,
    int records,
    int dnsLookups,
    int voidLookups) {

  /**
   * Creates a trace entry.
   *
   * @param depth the include depth
   * @param domain the domain being evaluated
   * @param term the term
   * @param name the name looked up
   * @param type the record type
   * @param status the outcome
   * @param records the number of records
   * @param dnsLookups the DNS-querying terms so far
   * @param voidLookups the void lookups so far
   */
  public SpfLookup {
    requireNonNull(domain, "domain");
    requireNonNull(term, "term");
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(status, "status");
  }

  /**
   * Returns a line for logs, such as {@code include:_spf.example.net -> _spf.example.net/TXT FOUND
   * (1) [3/10]}.
   */
  @Override
  public String toString() {
    return "  ".repeat(depth)
        + domain
        + ": "
        + term
        + " -> "
        + name
        + "/"
        + type
        + " "
        + status
        + " ("
        + records
        + ") [lookups "
        + dnsLookups
        + ", void "
        + voidLookups
        + "]";
  }
}
