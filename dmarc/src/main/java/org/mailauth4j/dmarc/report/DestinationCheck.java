package org.mailauth4j.dmarc.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.PsdFlag;
import org.mailauth4j.dmarc.PublicSuffixList;
import org.mailauth4j.dmarc.ReportUri;
import org.mailauth4j.dmarc.report.ReportDestinationVerifier.ReportType;
import org.mailauth4j.dmarc.report.ReportDestinations.Destination;
import org.mailauth4j.dmarc.report.ReportDestinations.Status;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;

/**
 * One call of {@link ReportDestinationVerifier}: its lookups are memoised here, so that the walks
 * of the policy domain and of every destination host, and the checks of URIs on one host, ask each
 * name once.
 */
final class DestinationCheck {
  private static final String REPORT_LABELS = "_report._dmarc";

  private final ReportDestinationVerifier verifier;
  private final DomainName policyDomain;
  private final ReportType type;
  private final long deadline;
  private final PublicSuffixList suffixes;

  /** Lookups started, by name queried; guarded by itself. */
  private final Map<DomainName, CompletableFuture<DnsAnswer<TxtRecord>>> lookups = new HashMap<>();

  /** Organizational domains, by the domain walked from; guarded by {@link #lookups}. */
  private final Map<DomainName, CompletableFuture<Optional<DomainName>>> organizational =
      new HashMap<>();

  DestinationCheck(ReportDestinationVerifier verifier, DomainName policyDomain, ReportType type) {
    this.verifier = verifier;
    this.policyDomain = policyDomain;
    this.type = type;
    this.deadline = System.nanoTime() + verifier.timeout.toNanos();
    this.suffixes =
        verifier.profile == DmarcProfile.RFC7489 ? verifier.publicSuffixList.get() : null;
  }

  CompletableFuture<ReportDestinations> run(List<ReportUri> uris) {
    Set<ReportUri> distinct = new LinkedHashSet<>(uris);
    List<CompletableFuture<Destination>> checks = new ArrayList<>();
    for (ReportUri uri : distinct) {
      if (checks.size() >= verifier.maxUris) {
        // standards §7.5: a bounded number of destinations is checked and used
        checks.add(
            done(
                destination(
                    uri,
                    Status.OVER_LIMIT,
                    Optional.empty(),
                    "after the first " + verifier.maxUris + " URIs: not checked")));
      } else {
        checks.add(check(uri));
      }
    }
    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                new ReportDestinations(
                    policyDomain,
                    checks.stream().map(CompletableFuture::join).toList(),
                    verifier.maxUris));
  }

  private CompletableFuture<Destination> check(ReportUri uri) {
    Optional<DomainName> found = uri.host();
    if (found.isEmpty()) {
      return done(
          destination(
              uri,
              Status.NO_HOST,
              Optional.empty(),
              "the URI names no domain (an IP address or no host): it cannot be authorized"));
    }
    DomainName host = found.get();
    if (host.equals(policyDomain)) {
      return done(
          destination(uri, Status.SAME_ORGANIZATION, Optional.empty(), "the policy domain"));
    }
    CompletableFuture<Optional<DomainName>> ours = organizationalDomain(policyDomain);
    CompletableFuture<Optional<DomainName>> theirs = organizationalDomain(host);
    return ours.thenCombine(theirs, Pair::new)
        .thenCompose(
            orgs -> {
              if (orgs.a().isEmpty() || orgs.b().isEmpty()) {
                return done(
                    destination(
                        uri,
                        Status.TEMPORARY_FAILURE,
                        Optional.empty(),
                        "DNS failed while finding the organizational domain of "
                            + (orgs.a().isEmpty() ? policyDomain : host)));
              }
              if (orgs.a().get().equals(orgs.b().get())) {
                // RFC 9990 §4: only destinations outside the policy domain's organization are
                // checked
                return done(
                    destination(
                        uri,
                        Status.SAME_ORGANIZATION,
                        Optional.empty(),
                        "both in the organizational domain " + orgs.a().get()));
              }
              return authorize(uri, host);
            });
  }

  private record Pair(Optional<DomainName> a, Optional<DomainName> b) {}

  /** RFC 9990 §4, RFC 7489 §7.1: the destination's record for the policy domain. */
  private CompletableFuture<Destination> authorize(ReportUri uri, DomainName host) {
    DomainName name;
    try {
      // Both names are A-labels already: DomainName converts U-labels when it is made.
      name = host.prepend(REPORT_LABELS).prepend(policyDomain.toString());
    } catch (DnsSyntaxException e) {
      // RFC 9990 §4: a name over DNS limits gives no positive determination; stop
      return done(
          destination(
              uri,
              Status.NAME_TOO_LONG,
              Optional.empty(),
              policyDomain + "." + REPORT_LABELS + "." + host + " is longer than DNS allows"));
    }
    Optional<DomainName> queried = Optional.of(name);
    return lookup(name)
        .thenApply(
            answer -> {
              if (answer.status() == DnsStatus.TEMP_FAIL) {
                // RFC 9990 §4: the receiver may try again later
                return destination(
                    uri,
                    Status.TEMPORARY_FAILURE,
                    queried,
                    "TXT "
                        + name
                        + ": "
                        + answer.failure().map(DnsFailure::detail).orElse("temporary failure"));
              }
              List<DmarcRecord> verifying = new ArrayList<>();
              for (TxtRecord txt : answer.records()) {
                String text = txt.text();
                // RFC 7489 §7.1 step 5: records that do not start with v=DMARC1 are discarded
                if (DmarcRecord.isDmarcRecord(text)) {
                  verifying.add(DmarcRecord.parse(text));
                }
              }
              if (verifying.isEmpty()) {
                // RFC 7489 §7.1 step 6: no positive determination; the URI MUST NOT be used
                return destination(
                    uri,
                    Status.NOT_AUTHORIZED,
                    queried,
                    "TXT " + name + ": " + describe(answer) + ", so " + host + " did not agree");
              }
              return replaced(uri, host, queried, verifying);
            });
  }

  /**
   * RFC 7489 §7.1 step 7: a verifying record's own {@code rua} ({@code ruf}) replaces the URI, but
   * an override "MUST use the same destination host". When several records carry the tag and do not
   * agree, none is taken: which one wins would depend on the order of the DNS answer.
   */
  private Destination replaced(
      ReportUri uri, DomainName host, Optional<DomainName> queried, List<DmarcRecord> records) {
    Set<Set<ReportUri>> offered = new LinkedHashSet<>();
    List<ReportUri> first = List.of();
    for (DmarcRecord r : records) {
      List<ReportUri> uris =
          type == ReportType.AGGREGATE ? r.aggregateReportUris() : r.failureReportUris();
      if (!uris.isEmpty() && offered.add(new LinkedHashSet<>(uris)) && offered.size() == 1) {
        first = uris;
      }
    }
    String authorized =
        "authorized by " + records.size() + " v=DMARC1 record(s) at " + queried.get();
    if (offered.isEmpty()) {
      return destination(uri, Status.AUTHORIZED, queried, authorized);
    }
    if (offered.size() > 1) {
      return destination(
          uri,
          Status.AUTHORIZED,
          queried,
          authorized + "; their " + type.tag() + " disagree, so the URI is used as it is");
    }
    List<ReportUri> sameHost = new ArrayList<>();
    int elsewhere = 0;
    for (ReportUri u : first) {
      // RFC 7489 §7.1: never follow an override to another host
      if (u.host().isPresent() && u.host().get().equals(host)) {
        sameHost.add(u);
      } else {
        elsewhere++;
      }
    }
    String ignored =
        elsewhere == 0 ? "" : "; " + elsewhere + " replacement(s) on another host ignored";
    if (sameHost.isEmpty()) {
      return destination(uri, Status.AUTHORIZED, queried, authorized + ignored);
    }
    return new Destination(
        uri,
        Status.AUTHORIZED,
        queried,
        sameHost,
        authorized + "; replaced by its " + type.tag() + ignored);
  }

  private static String describe(DnsAnswer<TxtRecord> answer) {
    return switch (answer.status()) {
      case NXDOMAIN -> "no such name";
      case NO_DATA -> "no TXT record";
      default -> answer.records().size() + " TXT record(s), none starting with v=DMARC1";
    };
  }

  private static Destination destination(
      ReportUri uri, Status status, Optional<DomainName> queried, String detail) {
    return new Destination(uri, status, queried, List.of(), detail);
  }

  // --- organizational domains ---

  /** A domain's organizational domain; empty if DNS failed on the way. */
  private CompletableFuture<Optional<DomainName>> organizationalDomain(DomainName domain) {
    if (suffixes != null) {
      return done(Optional.of(suffixes.organizationalDomain(domain))); // RFC 7489 §3.2
    }
    synchronized (lookups) {
      CompletableFuture<Optional<DomainName>> known = organizational.get(domain);
      if (known == null) {
        known = walk(domain, walkNames(domain, verifier.maxWalkQueries), 0, null);
        organizational.put(domain, known);
      }
      return known;
    }
  }

  /**
   * RFC 9989 §4.10.2: walk up until a record with {@code psd=n} (that domain) or {@code psd=y} (the
   * domain one label below it) or the end of the walk (the record with the fewest labels, or the
   * starting domain when there was none).
   */
  private CompletableFuture<Optional<DomainName>> walk(
      DomainName start, List<DomainName> names, int index, DomainName fewest) {
    DomainName name = names.get(index);
    return dmarcRecord(name)
        .thenCompose(
            found -> {
              if (found == null) {
                return done(Optional.empty()); // a temporary failure
              }
              DomainName latest = fewest;
              if (found.isPresent()) {
                PsdFlag psd = found.get().psd();
                if (psd == PsdFlag.NO) {
                  return done(Optional.of(name));
                }
                if (psd == PsdFlag.YES && index > 0) {
                  // a public suffix domain; at the start of the walk psd=y does not count
                  return done(Optional.of(start.suffix(name.labelCount() + 1)));
                }
                latest = name;
              }
              if (index + 1 == names.size()) {
                return done(Optional.of(latest == null ? start : latest));
              }
              return walk(start, names, index + 1, latest);
            });
  }

  /**
   * The one DMARC record at {@code _dmarc.<domain>} (RFC 9989 §4.10 steps 2 and 3: other TXT
   * records are dropped, several DMARC records discarded); empty if there is none, null if DNS
   * failed.
   */
  private CompletableFuture<Optional<DmarcRecord>> dmarcRecord(DomainName domain) {
    DomainName name;
    try {
      name = domain.prepend("_dmarc");
    } catch (DnsSyntaxException e) {
      return done(Optional.empty()); // too long to have a _dmarc name: no record there
    }
    return lookup(name)
        .thenApply(
            answer -> {
              if (answer.status() == DnsStatus.TEMP_FAIL) {
                return null;
              }
              List<String> dmarc =
                  answer.records().stream()
                      .map(TxtRecord::text)
                      .filter(DmarcRecord::isDmarcRecord)
                      .toList();
              return dmarc.size() == 1
                  ? Optional.of(DmarcRecord.parse(dmarc.get(0)))
                  : Optional.<DmarcRecord>empty();
            });
  }

  /** The names a tree walk asks, from the start up (RFC 9989 §4.10), the 8-label jump included. */
  static List<DomainName> walkNames(DomainName start, int maxQueries) {
    List<DomainName> names = new ArrayList<>();
    names.add(start);
    DomainName current = start;
    while (current.labelCount() > 1 && names.size() < maxQueries) {
      // §4.10 step 6: below 8 labels drop one; from 8 on, drop down to 7
      current = start.suffix(Math.min(current.labelCount() - 1, 7));
      names.add(current);
    }
    return names;
  }

  // --- DNS, once per name ---

  private CompletableFuture<DnsAnswer<TxtRecord>> lookup(DomainName name) {
    synchronized (lookups) {
      return lookups.computeIfAbsent(name, n -> bounded(DnsQuery.txt(n)));
    }
  }

  /** A lookup that gives up at the call's deadline and never completes exceptionally. */
  private CompletableFuture<DnsAnswer<TxtRecord>> bounded(DnsQuery<TxtRecord> query) {
    CompletableFuture<DnsAnswer<TxtRecord>> answer;
    try {
      answer = verifier.dns.lookupAsync(query);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    if (answer == null) {
      answer = CompletableFuture.failedFuture(new NullPointerException("the resolver gave null"));
    }
    CompletableFuture<DnsAnswer<TxtRecord>> safe =
        answer.handle(
            (a, e) ->
                a != null
                    ? a
                    : DnsAnswer.tempFail(
                        query,
                        DnsFailure.of(
                            DnsFailure.Kind.NETWORK_ERROR,
                            "lookup failed: " + e,
                            e == null ? new NullPointerException("no answer") : e)));
    if (safe.isDone()) {
      return safe;
    }
    long remaining = Math.max(0, deadline - System.nanoTime());
    return safe.completeOnTimeout(
        DnsAnswer.tempFail(
            query,
            DnsFailure.of(
                DnsFailure.Kind.TIMEOUT,
                "no answer within the destination check's time budget of " + verifier.timeout)),
        remaining,
        TimeUnit.NANOSECONDS);
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
