package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DomainName;

/**
 * One DNS lookup made while evaluating SPF, or one that could not be made, for the lookup trace of
 * an {@link SpfOutcome}: which record's which term asked for what, what came back, and the running
 * counts. When a domain runs into the limit of 10 DNS-querying terms, the trace shows its owner
 * which include cost what.
 *
 * <p>A term whose target expands to something that is not a DNS name (an empty label, a label of
 * more than 63 octets) cannot be looked up; its entry has no {@link #status()} and says why in
 * {@link #notLookedUp()}, so that a skipped term never goes unseen.
 *
 * @param depth how deep in includes and redirects: 0 for the checked domain's own record
 * @param domain the domain whose record was being evaluated
 * @param term the term that made the lookup, such as {@code include:_spf.example.net}, or {@code
 *     record} for fetching a record itself
 * @param name the name looked up, as {@link DomainName#toString()} writes it; for a target that is
 *     no name, the expanded domain-spec as it came out
 * @param type the record type asked for, such as {@code TXT}
 * @param status what came back; empty when the name could not be looked up
 * @param records how many records came back
 * @param dnsLookups the DNS-querying terms counted so far, this one included
 * @param voidLookups the void lookups counted so far, this one included
 * @param notLookedUp why the target was not looked up, such as {@code label longer than 63 octets};
 *     present exactly when {@code status} is empty
 */
public record SpfLookup(
    int depth,
    DomainName domain,
    String term,
    String name,
    String type,
    Optional<DnsStatus> status,
    int records,
    int dnsLookups,
    int voidLookups,
    Optional<String> notLookedUp) {

  /**
   * Creates a trace entry.
   *
   * @param depth the include depth
   * @param domain the domain being evaluated
   * @param term the term
   * @param name the name looked up, or the text that is no name
   * @param type the record type
   * @param status the outcome, empty if not looked up
   * @param records the number of records
   * @param dnsLookups the DNS-querying terms so far
   * @param voidLookups the void lookups so far
   * @param notLookedUp why it was not looked up, present exactly when status is empty
   */
  public SpfLookup {
    requireNonNull(domain, "domain");
    requireNonNull(term, "term");
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(status, "status");
    requireNonNull(notLookedUp, "notLookedUp");
    if (status.isPresent() == notLookedUp.isPresent()) {
      throw new IllegalArgumentException("status " + status + " with notLookedUp " + notLookedUp);
    }
  }

  /**
   * Tells whether the lookup was made.
   *
   * @return {@code false} for a target that is no DNS name
   */
  public boolean isLookedUp() {
    return status.isPresent();
  }

  /**
   * Returns a line for logs, such as {@code example.com: include:_spf.example.net ->
   * _spf.example.net/TXT FOUND (1) [lookups 3, void 0]}.
   */
  @Override
  public String toString() {
    String what =
        status
            .map(s -> name + "/" + type + " " + s + " (" + records + ")")
            .orElseGet(() -> "'" + name + "' not looked up: " + notLookedUp.orElseThrow());
    return "  ".repeat(depth)
        + domain
        + ": "
        + term
        + " -> "
        + what
        + " [lookups "
        + dnsLookups
        + ", void "
        + voidLookups
        + "]";
  }
}
