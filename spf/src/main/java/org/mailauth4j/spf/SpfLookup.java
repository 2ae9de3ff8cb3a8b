package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
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
 * <p>It has no public constructor, so that later versions can add fields without breaking callers.
 * Immutable and thread-safe; equal when all their fields are.
 */
public final class SpfLookup {

  private final int depth;
  private final DomainName domain;
  private final String term;
  private final String name;
  private final String type;
  private final Optional<DnsStatus> status;
  private final int records;
  private final int dnsLookups;
  private final int voidLookups;
  private final Optional<String> notLookedUp;

  SpfLookup(
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
    requireNonNull(domain, "domain");
    requireNonNull(term, "term");
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(status, "status");
    requireNonNull(notLookedUp, "notLookedUp");
    if (status.isPresent() == notLookedUp.isPresent()) {
      throw new IllegalArgumentException("status " + status + " with notLookedUp " + notLookedUp);
    }
    this.depth = depth;
    this.domain = domain;
    this.term = term;
    this.name = name;
    this.type = type;
    this.status = status;
    this.records = records;
    this.dnsLookups = dnsLookups;
    this.voidLookups = voidLookups;
    this.notLookedUp = notLookedUp;
  }

  /**
   * Returns how deep in includes and redirects: 0 for the checked domain's own record.
   *
   * @return the depth
   */
  public int depth() {
    return depth;
  }

  /**
   * Returns the domain whose record was being evaluated.
   *
   * @return the domain
   */
  public DomainName domain() {
    return domain;
  }

  /**
   * Returns the term that made the lookup, such as {@code include:_spf.example.net}, or {@code
   * record} for fetching a record itself.
   *
   * @return the term
   */
  public String term() {
    return term;
  }

  /**
   * Returns the name looked up, as {@link DomainName#toString()} writes it; for a target that is no
   * name, the expanded domain-spec as it came out.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the record type asked for, such as {@code TXT}.
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * Returns what came back; empty when the name could not be looked up.
   *
   * @return the status
   */
  public Optional<DnsStatus> status() {
    return status;
  }

  /**
   * Returns how many records came back.
   *
   * @return the records
   */
  public int records() {
    return records;
  }

  /**
   * Returns the DNS-querying terms counted so far, this one included.
   *
   * @return the DNS lookups
   */
  public int dnsLookups() {
    return dnsLookups;
  }

  /**
   * Returns the void lookups counted so far, this one included.
   *
   * @return the void lookups
   */
  public int voidLookups() {
    return voidLookups;
  }

  /**
   * Returns why the target was not looked up, such as {@code label longer than 63 octets}; present
   * exactly when {@code status} is empty.
   *
   * @return the not looked up
   */
  public Optional<String> notLookedUp() {
    return notLookedUp;
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

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code SpfLookup} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof SpfLookup o
        && depth == o.depth
        && domain.equals(o.domain)
        && term.equals(o.term)
        && name.equals(o.name)
        && type.equals(o.type)
        && status.equals(o.status)
        && records == o.records
        && dnsLookups == o.dnsLookups
        && voidLookups == o.voidLookups
        && notLookedUp.equals(o.notLookedUp);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(
        depth, domain, term, name, type, status, records, dnsLookups, voidLookups, notLookedUp);
  }
}
