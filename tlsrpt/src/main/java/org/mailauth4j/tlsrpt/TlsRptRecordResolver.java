package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.tlsrpt.TlsRptRecordLookup.Status;

/**
 * Finds a domain's TLS-RPT record (RFC 8460 §3): queries TXT at {@code _smtp._tls.<domain>}, joins
 * each record's character-strings with nothing between them, drops the records that do not begin
 * with {@code v=TLSRPTv1}, and takes the one that remains; none, or more than one, means the domain
 * does not use TLS-RPT. A reporter calls it when it is about to send a domain's report; a
 * domain-checking tool calls it to show an owner what reporters see.
 *
 * <p>Never throws for what DNS or the record holds: a DNS failure is a {@link Status#TEMP_FAIL}
 * lookup, a broken record an {@link Status#INVALID_RECORD} one. Immutable and thread-safe; build
 * one and share it. Put a {@link org.mailauth4j.dns.CachingDnsResolver} behind it to cache.
 *
 * <pre>{@code
 * TlsRptRecordResolver tlsrpt = TlsRptRecordResolver.builder(dns).build();
 * TlsRptRecordLookup found = tlsrpt.lookup(DomainName.parse("example.com"));
 * List<TlsRptUri> destinations =
 *     found.record().map(TlsRptRecord::reportUris).orElse(List.of());
 * }</pre>
 */
public final class TlsRptRecordResolver {
  /** The default cap on a record's length. */
  public static final int DEFAULT_MAX_RECORD_OCTETS = 8192;

  /** How much of a record's text a detail quotes. */
  private static final int QUOTE_LIMIT = 120;

  private final DnsResolver dns;
  private final int maxRecordOctets;

  private TlsRptRecordResolver(Builder b) {
    this.dns = b.dns;
    this.maxRecordOctets = b.maxRecordOctets;
  }

  /**
   * Starts a resolver.
   *
   * @param dns where {@code _smtp._tls} records are looked up
   * @return a builder with the defaults
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(requireNonNull(dns, "dns"));
  }

  /**
   * Looks up a domain's TLS-RPT record without blocking.
   *
   * @param domain the policy domain, such as the domain of recipients
   * @return a future that completes normally with the lookup, whatever DNS does
   */
  public CompletableFuture<TlsRptRecordLookup> lookupAsync(DomainName domain) {
    requireNonNull(domain, "domain");
    DomainName name;
    try {
      name = domain.prepend("_smtp._tls");
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new TlsRptRecordLookup(
              domain,
              Optional.empty(),
              Status.NO_RECORD,
              Optional.empty(),
              List.of(),
              List.of(),
              Optional.empty(),
              Duration.ZERO,
              "_smtp._tls." + domain + " is longer than 253 octets, so the domain has no record"));
    }
    CompletableFuture<DnsAnswer<TxtRecord>> answer;
    try {
      answer = dns.lookupAsync(DnsQuery.txt(name));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (a, error) ->
            error != null || a == null
                ? tempFail(domain, name, Optional.empty(), "the DNS resolver failed: " + error)
                : decide(domain, name, a));
  }

  /**
   * Looks up a domain's TLS-RPT record and waits for the answer. This only joins {@link
   * #lookupAsync(DomainName)}.
   *
   * @param domain the policy domain
   * @return the lookup, whatever DNS does
   */
  public TlsRptRecordLookup lookup(DomainName domain) {
    return lookupAsync(domain).join();
  }

  private TlsRptRecordLookup decide(DomainName domain, DomainName name, DnsAnswer<TxtRecord> a) {
    switch (a.status()) {
      case TEMP_FAIL:
        DnsFailure failure = a.failure().orElseThrow();
        return tempFail(
            domain,
            name,
            Optional.of(failure),
            "DNS lookup of "
                + name
                + " failed for now ("
                + failure.kind()
                + "): "
                + failure.detail());
      case NXDOMAIN:
        return none(domain, name, a.ttl(), name + " does not exist");
      case NO_DATA:
        return none(domain, name, a.ttl(), name + " has no TXT record");
      default:
        break;
    }
    // RFC 8460 §3: discard records that do not begin with "v=TLSRPTv1"; exactly one must remain.
    List<TxtRecord> candidates = new ArrayList<>();
    for (TxtRecord r : a.records()) {
      if (TlsRptRecord.isTlsRptRecord(r.text())) {
        candidates.add(r);
      }
    }
    List<String> texts = candidates.stream().map(TxtRecord::text).toList();
    if (candidates.isEmpty()) {
      return none(
          domain,
          name,
          a.ttl(),
          name + " has " + a.records().size() + " TXT records, none v=TLSRPTv1");
    }
    if (candidates.size() > 1) {
      return new TlsRptRecordLookup(
          domain,
          Optional.of(name),
          Status.MULTIPLE_RECORDS,
          Optional.empty(),
          texts,
          List.of(),
          Optional.empty(),
          a.ttl(),
          name
              + " has "
              + candidates.size()
              + " v=TLSRPTv1 records; RFC 8460 §3 counts them as none");
    }
    TxtRecord txt = candidates.get(0);
    String text = texts.get(0);
    if (txt.length() > maxRecordOctets) {
      TlsRptRecordFinding tooLong =
          new TlsRptRecordFinding(
              Math.min(maxRecordOctets, text.length()),
              Severity.ERROR,
              TlsRptRecordProblem.RECORD_TOO_LONG,
              "a record of " + txt.length() + " octets; at most " + maxRecordOctets + " are read");
      return invalid(domain, name, a.ttl(), texts, List.of(tooLong));
    }
    TlsRptRecordParser.Result parsed = TlsRptRecordParser.parse(text);
    if (parsed.record() == null) {
      return invalid(domain, name, a.ttl(), texts, parsed.findings());
    }
    return new TlsRptRecordLookup(
        domain,
        Optional.of(name),
        Status.FOUND,
        Optional.of(parsed.record()),
        texts,
        parsed.findings(),
        Optional.empty(),
        a.ttl(),
        name + ": " + quote(text));
  }

  private static TlsRptRecordLookup invalid(
      DomainName domain,
      DomainName name,
      Duration ttl,
      List<String> texts,
      List<TlsRptRecordFinding> problems) {
    TlsRptRecordFinding error = problems.get(problems.size() - 1);
    return new TlsRptRecordLookup(
        domain,
        Optional.of(name),
        Status.INVALID_RECORD,
        Optional.empty(),
        texts,
        problems,
        Optional.empty(),
        ttl,
        "invalid record at "
            + name
            + ": "
            + error.message()
            + " at index "
            + error.position()
            + " in "
            + quote(texts.get(0)));
  }

  private static TlsRptRecordLookup none(
      DomainName domain, DomainName name, Duration ttl, String detail) {
    return new TlsRptRecordLookup(
        domain,
        Optional.of(name),
        Status.NO_RECORD,
        Optional.empty(),
        List.of(),
        List.of(),
        Optional.empty(),
        ttl,
        detail);
  }

  private static TlsRptRecordLookup tempFail(
      DomainName domain, DomainName name, Optional<DnsFailure> failure, String detail) {
    return new TlsRptRecordLookup(
        domain,
        Optional.of(name),
        Status.TEMP_FAIL,
        Optional.empty(),
        List.of(),
        List.of(),
        failure,
        Duration.ZERO,
        detail);
  }

  /** Quotes record text for a detail: abridged, control characters escaped, so logs stay whole. */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder("\"");
    int end = Math.min(text.length(), QUOTE_LIMIT);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || c >= 0x80 && c < 0xA0) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (text.length() > QUOTE_LIMIT) {
      return sb.append("...\" (").append(text.length()).append(" characters)").toString();
    }
    return sb.append('"').toString();
  }

  /** Configures a {@link TlsRptRecordResolver}. Not thread-safe. */
  public static final class Builder {
    private final DnsResolver dns;
    private int maxRecordOctets = DEFAULT_MAX_RECORD_OCTETS;

    private Builder(DnsResolver dns) {
      this.dns = dns;
    }

    /**
     * Sets the longest record read, in octets of its joined strings; a longer one is an {@link
     * Status#INVALID_RECORD} with {@link TlsRptRecordProblem#RECORD_TOO_LONG}, unparsed. A record
     * of a few URIs has a hundred octets; the default, {@value
     * TlsRptRecordResolver#DEFAULT_MAX_RECORD_OCTETS}, leaves ample room.
     *
     * @param octets 1 to 65535, the most one TXT record can hold
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
    public Builder maxRecordOctets(int octets) {
      if (octets < 1 || octets > 65_535) {
        throw new IllegalArgumentException("maxRecordOctets " + octets + " outside 1 to 65535");
      }
      this.maxRecordOctets = octets;
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return the resolver
     */
    public TlsRptRecordResolver build() {
      return new TlsRptRecordResolver(this);
    }
  }
}
