package org.mailauth4j.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.MxHost;
import org.mailauth4j.dns.TxtRecord;

/**
 * One run of check_host() (RFC 7208 §4) with everything it shares across includes and redirects:
 * the lookup counters, the trace and the deadline. Steps run one after another, each when the
 * previous one's DNS answer arrives; nothing blocks. Not thread-safe; one per check.
 */
final class Evaluation {
  private final SpfVerifier verifier;
  private final InetAddress ip;
  private final MacroExpander.Values values;
  private final long deadline;
  private int dnsTerms;
  private int voidLookups;
  private final List<SpfLookup> trace = new ArrayList<>();

  /** What a record, or a term, came to. */
  record Step(
      SpfResult result,
      SpfProblem problem,
      String mechanism,
      String detail,
      SpfRecord record,
      DomainName domain) {

    static Step error(SpfResult result, SpfProblem problem, String detail) {
      return new Step(result, problem, null, detail, null, null);
    }
  }

  /** A mechanism's verdict: matched, or not; or an error that ends the evaluation. */
  private record Match(boolean matched, Step error) {
    static final Match YES = new Match(true, null);
    static final Match NO = new Match(false, null);

    static Match error(Step step) {
      return new Match(false, step);
    }
  }

  Evaluation(SpfVerifier verifier, InetAddress ip, MacroExpander.Values values) {
    this.verifier = verifier;
    this.ip = ip;
    this.values = values;
    this.deadline = System.nanoTime() + verifier.timeout().toNanos();
  }

  int dnsTerms() {
    return dnsTerms;
  }

  int voidLookups() {
    return voidLookups;
  }

  List<SpfLookup> trace() {
    return trace;
  }

  // --- check_host(): fetch, select, parse, evaluate (RFC 7208 §4.4 to §4.7) ---

  CompletableFuture<Step> checkHost(DomainName domain, int depth, String term) {
    return lookup(DnsQuery.txt(domain), domain, depth, term, false)
        .thenCompose(
            answer -> {
              if (answer == null) {
                return done(timeLimit());
              }
              switch (answer.status()) {
                case TEMP_FAIL:
                  return done(
                      Step.error(
                          SpfResult.TEMPERROR,
                          SpfProblem.DNS_ERROR,
                          "DNS error fetching the SPF record of "
                              + domain
                              + ": "
                              + answer.failure().orElseThrow().detail()));
                case NXDOMAIN:
                case NO_DATA:
                  return done(
                      Step.error(
                          SpfResult.NONE,
                          SpfProblem.NO_RECORD,
                          domain
                              + (answer.status() == DnsStatus.NXDOMAIN
                                  ? " does not exist"
                                  : " has no TXT records")));
                default:
                  return select(answer.records(), domain, depth);
              }
            });
  }

  /** RFC 7208 §4.5: exactly one record starting with "v=spf1". */
  private CompletableFuture<Step> select(List<TxtRecord> records, DomainName domain, int depth) {
    TxtRecord chosen = null;
    int count = 0;
    for (TxtRecord r : records) {
      if (SpfRecord.isSpfRecord(r.text())) {
        chosen = r;
        count++;
      }
    }
    if (count == 0) {
      return done(
          Step.error(SpfResult.NONE, SpfProblem.NO_RECORD, domain + " publishes no SPF record"));
    }
    if (count > 1) {
      return done(
          Step.error(
              SpfResult.PERMERROR,
              SpfProblem.MULTIPLE_RECORDS,
              domain + " publishes " + count + " SPF records; there must be one"));
    }
    if (!chosen.isAscii()) {
      return done(
          Step.error(
              SpfResult.PERMERROR,
              SpfProblem.NON_ASCII_RECORD,
              "the SPF record of " + domain + " holds octets outside ASCII"));
    }
    SpfRecord record;
    try {
      record = verifier.parse(chosen.text());
    } catch (SpfSyntaxException e) {
      return done(
          Step.error(
              SpfResult.PERMERROR,
              SpfProblem.SYNTAX,
              "syntax error in the SPF record of " + domain + ": " + e.getMessage()));
    }
    return evaluate(record, domain, depth, 0);
  }

  /** RFC 7208 §4.6.2, §4.7: directives left to right; the first match decides. */
  private CompletableFuture<Step> evaluate(
      SpfRecord record, DomainName domain, int depth, int from) {
    List<Term> terms = record.terms();
    for (int k = from; k < terms.size(); k++) {
      if (!(terms.get(k) instanceof Directive)) {
        continue;
      }
      Directive directive = (Directive) terms.get(k);
      Mechanism m = directive.mechanism();
      if (m instanceof Mechanism.All) {
        return done(matched(directive, record, domain));
      }
      if (m instanceof Mechanism.Ip4 || m instanceof Mechanism.Ip6) {
        if (addressMatches(m)) {
          return done(matched(directive, record, domain));
        }
        continue;
      }
      Step overLimit = countTerm(directive.toString());
      if (overLimit != null) {
        return done(overLimit);
      }
      int next = k + 1;
      return match(m, domain, depth, directive.toString())
          .thenCompose(
              verdict -> {
                if (verdict.error() != null) {
                  return done(verdict.error());
                }
                return verdict.matched()
                    ? done(matched(directive, record, domain))
                    : evaluate(record, domain, depth, next);
              });
    }
    Optional<Modifier.Redirect> redirect = record.redirect();
    if (redirect.isEmpty()) {
      // RFC 7208 §4.7: no match and no redirect is neutral.
      return done(
          new Step(
              SpfResult.NEUTRAL,
              null,
              "default",
              "no term of the SPF record of " + domain + " matched",
              record,
              domain));
    }
    String term = redirect.get().toString();
    Step overLimit = countTerm(term);
    if (overLimit != null) {
      return done(overLimit);
    }
    return target(redirect.get().domain(), domain, depth, term, "TXT")
        .thenCompose(
            target -> {
              if (target.error != null) {
                return done(target.error);
              }
              if (target.name == null) {
                return done(noTarget(term, domain));
              }
              return checkHost(target.name, depth + 1, term)
                  .thenApply(
                      step ->
                          // RFC 7208 §6.1: a target without a record is permerror.
                          step.result() == SpfResult.NONE ? noTarget(term, domain) : step);
            });
  }

  private static Step noTarget(String term, DomainName domain) {
    return Step.error(
        SpfResult.PERMERROR,
        SpfProblem.TARGET_WITHOUT_RECORD,
        term + " in the SPF record of " + domain + " leads to no SPF record");
  }

  private static Step matched(Directive directive, SpfRecord record, DomainName domain) {
    return new Step(
        directive.qualifier().result(),
        null,
        directive.toString(),
        directive + " in the SPF record of " + domain + " matched",
        record,
        domain);
  }

  /** RFC 7208 §4.6.4: at most 10 terms that query DNS, across includes and redirects. */
  private Step countTerm(String term) {
    if (++dnsTerms > verifier.maxDnsLookups()) {
      return Step.error(
          SpfResult.PERMERROR,
          SpfProblem.DNS_LOOKUP_LIMIT,
          "more than "
              + verifier.maxDnsLookups()
              + " DNS-querying terms (at "
              + term
              + "); see the lookup trace");
    }
    return null;
  }

  private Match voidLookup(String term) {
    Step over = overVoid(term);
    return over == null ? Match.NO : Match.error(over);
  }

  /** Counts a void lookup; returns the error when that is one too many, else null. */
  private Step overVoid(String term) {
    // RFC 7208 §4.6.4: more than two void lookups is permerror.
    if (++voidLookups > verifier.maxVoidLookups()) {
      return Step.error(
          SpfResult.PERMERROR,
          SpfProblem.VOID_LOOKUP_LIMIT,
          "more than " + verifier.maxVoidLookups() + " lookups found nothing (at " + term + ")");
    }
    return null;
  }

  // --- mechanisms (RFC 7208 §5) ---

  private CompletableFuture<Match> match(Mechanism m, DomainName domain, int depth, String term) {
    if (m instanceof Mechanism.Include) {
      return include((Mechanism.Include) m, domain, depth, term);
    } else if (m instanceof Mechanism.A) {
      Mechanism.A a = (Mechanism.A) m;
      return targetOrCurrent(
          a.domain(),
          domain,
          depth,
          term,
          ip instanceof Inet4Address ? "A" : "AAAA",
          name -> addresses(name, depth, domain, term, a.ip4Prefix(), a.ip6Prefix(), true));
    } else if (m instanceof Mechanism.Mx) {
      Mechanism.Mx mx = (Mechanism.Mx) m;
      return targetOrCurrent(
          mx.domain(),
          domain,
          depth,
          term,
          "MX",
          name -> mx(name, depth, domain, term, mx.ip4Prefix(), mx.ip6Prefix()));
    } else if (m instanceof Mechanism.Ptr) {
      return targetOrCurrent(
          ((Mechanism.Ptr) m).domain(),
          domain,
          depth,
          term,
          "PTR",
          name ->
              validatedNames(depth, domain, term, true)
                  .thenApply(
                      names ->
                          names.error() != null
                              ? Match.error(names.error())
                              : names.names().stream().anyMatch(n -> n.isWithin(name))
                                  ? Match.YES
                                  : Match.NO));
    } else {
      Mechanism.Exists exists = (Mechanism.Exists) m;
      return target(exists.domain(), domain, depth, term, "A")
          .thenCompose(
              target -> {
                if (target.error != null) {
                  return CompletableFuture.completedFuture(Match.error(target.error));
                }
                if (target.name == null) {
                  return CompletableFuture.completedFuture(Match.NO);
                }
                // RFC 7208 §5.7: an A query, whatever the client's address family.
                return lookup(DnsQuery.a(target.name), domain, depth, term, true)
                    .thenApply(answer -> addressAnswer(answer, term, a -> true));
              });
    }
  }

  private CompletableFuture<Match> include(
      Mechanism.Include include, DomainName domain, int depth, String term) {
    return target(include.domain(), domain, depth, term, "TXT")
        .thenCompose(
            target -> {
              if (target.error != null) {
                return CompletableFuture.completedFuture(Match.error(target.error));
              }
              if (target.name == null) {
                return CompletableFuture.completedFuture(Match.error(noTarget(term, domain)));
              }
              return checkHost(target.name, depth + 1, term)
                  .thenApply(
                      step -> {
                        // RFC 7208 §5.2: how the included record's result maps to a match.
                        switch (step.result()) {
                          case PASS:
                            return Match.YES;
                          case FAIL:
                          case SOFTFAIL:
                          case NEUTRAL:
                            return Match.NO;
                          case NONE:
                            return Match.error(noTarget(term, domain));
                          default:
                            return Match.error(step);
                        }
                      });
            });
  }

  /** The addresses of a name, in the client's family, compared under the prefix lengths. */
  private CompletableFuture<Match> addresses(
      DomainName name,
      int depth,
      DomainName domain,
      String term,
      int ip4Prefix,
      int ip6Prefix,
      boolean countVoid) {
    if (ip instanceof Inet4Address) {
      return lookup(DnsQuery.a(name), domain, depth, term, countVoid)
          .thenApply(answer -> addressAnswer(answer, term, a -> inNetwork(a, ip4Prefix)));
    }
    return lookup(DnsQuery.aaaa(name), domain, depth, term, countVoid)
        .thenApply(answer -> addressAnswer(answer, term, a -> inNetwork(a, ip6Prefix)));
  }

  private <T extends InetAddress> Match addressAnswer(
      DnsAnswer<T> answer, String term, java.util.function.Predicate<T> matches) {
    if (answer == null) {
      return Match.error(timeLimit());
    }
    switch (answer.status()) {
      case TEMP_FAIL:
        // RFC 7208 §5: a DNS error while fetching addresses ends the check with temperror.
        return Match.error(dnsError(answer, term));
      case NXDOMAIN:
      case NO_DATA:
        return voidLookup(term);
      default:
        return answer.records().stream().anyMatch(matches) ? Match.YES : Match.NO;
    }
  }

  /** RFC 7208 §5.4: the MX hosts' addresses; needing more than 10 hosts is permerror. */
  private CompletableFuture<Match> mx(
      DomainName name, int depth, DomainName domain, String term, int ip4Prefix, int ip6Prefix) {
    return lookup(DnsQuery.mx(name), domain, depth, term, true)
        .thenCompose(
            answer -> {
              if (answer == null) {
                return CompletableFuture.completedFuture(Match.error(timeLimit()));
              }
              switch (answer.status()) {
                case TEMP_FAIL:
                  return CompletableFuture.completedFuture(Match.error(dnsError(answer, term)));
                case NXDOMAIN:
                case NO_DATA:
                  return CompletableFuture.completedFuture(voidLookup(term));
                default:
                  break;
              }
              // RFC 7208 §4.6.4: evaluating the mechanism may look up at most 10 hosts. They
              // are taken in order of preference; needing an 11th is permerror.
              List<DomainName> hosts =
                  answer.records().stream()
                      .filter(host -> !host.isNullMx())
                      .sorted(Comparator.comparingInt(MxHost::preference))
                      .map(MxHost::exchange)
                      .toList();
              return eachHost(hosts, 0, depth, domain, term, ip4Prefix, ip6Prefix);
            });
  }

  private CompletableFuture<Match> eachHost(
      List<DomainName> hosts,
      int index,
      int depth,
      DomainName domain,
      String term,
      int ip4Prefix,
      int ip6Prefix) {
    if (index == hosts.size()) {
      return CompletableFuture.completedFuture(Match.NO);
    }
    if (index == verifier.maxMxNames()) {
      return CompletableFuture.completedFuture(
          Match.error(
              Step.error(
                  SpfResult.PERMERROR,
                  SpfProblem.MX_LIMIT,
                  term
                      + ": none of the first "
                      + index
                      + " of "
                      + hosts.size()
                      + " MX hosts matched, and no more may be looked up")));
    }
    return addresses(hosts.get(index), depth, domain, term, ip4Prefix, ip6Prefix, true)
        .thenCompose(
            verdict ->
                verdict.matched() || verdict.error() != null
                    ? CompletableFuture.completedFuture(verdict)
                    : eachHost(hosts, index + 1, depth, domain, term, ip4Prefix, ip6Prefix));
  }

  /** The validated names of the client, or the error (a void lookup limit) that ends the check. */
  private record Names(List<DomainName> names, Step error) {}

  /**
   * RFC 7208 §5.5: the client's PTR names whose own addresses include the client. DNS errors make a
   * name, or all of them, drop out rather than fail; names beyond the limit are ignored. When the
   * lookups belong to a term ({@code ptr}, or {@code %{p}} in a domain-spec), a reverse lookup that
   * finds nothing is a void lookup (§4.6.4). The address lookups that validate each name are not: a
   * name that does not resolve "is skipped and the search continues" (§5.5), as stale reverse DNS
   * is common and is no fault of the domain being checked.
   */
  private CompletableFuture<Names> validatedNames(
      int depth, DomainName domain, String term, boolean countVoid) {
    return lookup(DnsQuery.ptr(ip), domain, depth, term, countVoid)
        .thenCompose(
            answer -> {
              if (answer == null) {
                // Out of time: the check ends in temperror, as for every other term.
                return CompletableFuture.completedFuture(new Names(List.of(), timeLimit()));
              }
              if (!answer.isFound()) {
                Step over = countVoid && answer.isVoid() ? overVoid(term) : null;
                return CompletableFuture.completedFuture(new Names(List.of(), over));
              }
              List<DomainName> names = answer.records();
              if (names.size() > verifier.maxPtrNames()) {
                names = names.subList(0, verifier.maxPtrNames());
              }
              return validate(names, 0, new ArrayList<>(), depth, domain, term);
            });
  }

  private CompletableFuture<Names> validate(
      List<DomainName> names,
      int index,
      List<DomainName> valid,
      int depth,
      DomainName domain,
      String term) {
    if (index == names.size()) {
      return CompletableFuture.completedFuture(new Names(valid, null));
    }
    DomainName name = names.get(index);
    CompletableFuture<? extends DnsAnswer<? extends InetAddress>> addresses =
        ip instanceof Inet4Address
            ? lookup(DnsQuery.a(name), domain, depth, term, false)
            : lookup(DnsQuery.aaaa(name), domain, depth, term, false);
    return addresses.thenCompose(
        a -> {
          if (a == null) {
            return CompletableFuture.completedFuture(new Names(List.of(), timeLimit()));
          }
          if (a.records().stream().anyMatch(ip::equals)) {
            valid.add(name);
          }
          return validate(names, index + 1, valid, depth, domain, term);
        });
  }

  private boolean addressMatches(Mechanism m) {
    if (m instanceof Mechanism.Ip4) {
      Mechanism.Ip4 ip4 = (Mechanism.Ip4) m;
      return ip instanceof Inet4Address && sameNetwork(ip4.network(), ip, ip4.prefix());
    }
    Mechanism.Ip6 ip6 = (Mechanism.Ip6) m;
    // RFC 7208 §5: an IPv4 client, IPv4-mapped ones included, is matched by ip4 only; an ip6
    // network written in mapped form (::ffff:192.0.2.0/120) matches IPv6 clients alone.
    return !(ip instanceof Inet4Address) && sameNetwork(ip6.network(), ip, ip6.prefix());
  }

  private boolean inNetwork(InetAddress address, int prefix) {
    return sameNetwork(address, ip, prefix);
  }

  /** Whether two addresses of one family share their first {@code prefix} bits. */
  static boolean sameNetwork(InetAddress a, InetAddress b, int prefix) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return false;
    }
    int full = prefix / 8;
    for (int k = 0; k < full; k++) {
      if (x[k] != y[k]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (x[full] & mask) == (y[full] & mask);
  }

  // --- domain-specs (RFC 7208 §4.8, §7) ---

  /** An expanded target: a name, no name (it is not a DNS name), or an error. */
  private record Target(DomainName name, Step error) {}

  private CompletableFuture<Match> targetOrCurrent(
      Optional<MacroString> spec,
      DomainName domain,
      int depth,
      String term,
      String type,
      Function<DomainName, CompletableFuture<Match>> then) {
    if (spec.isEmpty()) {
      return then.apply(domain); // RFC 7208 §4.8: no domain-spec means the current domain
    }
    return target(spec.get(), domain, depth, term, type)
        .thenCompose(
            target -> {
              if (target.error != null) {
                return CompletableFuture.completedFuture(Match.error(target.error));
              }
              // A target that cannot be queried matches nothing, as a name that does not exist.
              return target.name == null
                  ? CompletableFuture.completedFuture(Match.NO)
                  : then.apply(target.name);
            });
  }

  /**
   * Expands a domain-spec (RFC 7208 §7.3) into the name to look up. The expansion is taken
   * literally, label by label: DNS allows any octet (RFC 2181 §11), and %{l} brings whatever the
   * local part holds. What is still no name (an empty or over-long label) is put in the trace as
   * not looked up.
   */
  private CompletableFuture<Target> target(
      MacroString spec, DomainName domain, int depth, String term, String type) {
    return target(spec, domain, depth, term, type, true);
  }

  /**
   * As above; {@code ofTerm} says whether the lookups of {@code %{p}} belong to a term and so count
   * as void lookups (RFC 7208 §4.6.4), which those of {@code exp=} (§6.2) do not.
   */
  private CompletableFuture<Target> target(
      MacroString spec, DomainName domain, int depth, String term, String type, boolean ofTerm) {
    CompletableFuture<Named> v =
        spec.uses('p')
            ? validatedNameFor(domain, depth, term, ofTerm)
            : CompletableFuture.completedFuture(
                new Named(values.withDomain(literal(domain)), null));
    return v.thenApply(
        named -> {
          if (named.error() != null) {
            return new Target(null, named.error());
          }
          String expanded = MacroExpander.expandDomain(spec, named.values());
          try {
            return new Target(DomainName.fromLabels(labelsOf(expanded)), null);
          } catch (DnsSyntaxException e) {
            trace.add(
                new SpfLookup(
                    depth,
                    domain,
                    term,
                    expanded,
                    type,
                    Optional.empty(),
                    0,
                    dnsTerms,
                    voidLookups,
                    Optional.of(e.reason())));
            return new Target(null, null);
          }
        });
  }

  /** The labels of an expanded domain-spec, split at every dot, empty ones kept. */
  private static List<String> labelsOf(String expanded) {
    List<String> labels = new ArrayList<>();
    int start = 0;
    for (int dot = expanded.indexOf('.'); dot >= 0; dot = expanded.indexOf('.', start)) {
      labels.add(expanded.substring(start, dot));
      start = dot + 1;
    }
    labels.add(expanded.substring(start));
    return labels;
  }

  /**
   * A name as macros see it (RFC 7208 §7.3): its labels' own characters joined by dots, without the
   * escapes of {@link DomainName#toString()}.
   */
  static String literal(DomainName name) {
    String text = name.toString();
    if (text.indexOf('\\') < 0) {
      return text;
    }
    java.io.ByteArrayOutputStream octets = new java.io.ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        char next = text.charAt(i + 1);
        if (next >= '0' && next <= '9') {
          octets.write(Integer.parseInt(text.substring(i + 1, i + 4)));
          i += 3;
        } else {
          octets.write(next);
          i++;
        }
      } else {
        octets.write(c);
      }
    }
    return new String(octets.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The macro values with {@code %{p}}, or the void lookup error its lookups ran into. */
  private record Named(MacroExpander.Values values, Step error) {}

  /**
   * RFC 7208 §7.3: {@code %{p}} is a validated name of the client, preferring the current domain,
   * then a name below it, then any; {@code unknown} when there is none.
   */
  private CompletableFuture<Named> validatedNameFor(
      DomainName domain, int depth, String term, boolean countVoid) {
    return validatedNames(depth, domain, term, countVoid)
        .thenApply(
            found -> {
              if (found.error() != null) {
                return new Named(null, found.error());
              }
              DomainName best = null;
              for (DomainName n : found.names()) {
                if (n.equals(domain)) {
                  best = n;
                  break;
                }
                if (best == null || n.isWithin(domain) && !best.isWithin(domain)) {
                  best = n;
                }
              }
              return new Named(
                  values
                      .withDomain(literal(domain))
                      .withValidatedName(best == null ? null : literal(best)),
                  null);
            });
  }

  /** RFC 7208 §6.2: the explanation of a fail, or empty when it cannot be had. */
  CompletableFuture<Optional<String>> explanation(Step step, int depth) {
    if (step.record() == null || step.record().explanation().isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Modifier.Explanation exp = step.record().explanation().get();
    DomainName domain = step.domain();
    return target(exp.domain(), domain, depth, exp.toString(), "TXT", false)
        .thenCompose(
            target -> {
              if (target.name == null || target.error != null) {
                return CompletableFuture.completedFuture(Optional.empty());
              }
              return lookup(DnsQuery.txt(target.name), domain, depth, exp.toString(), false)
                  .thenCompose(answer -> explain(answer, domain, depth, exp.toString()));
            });
  }

  private CompletableFuture<Optional<String>> explain(
      DnsAnswer<TxtRecord> answer, DomainName domain, int depth, String term) {
    // Any error, no record, or more than one: as if there were no exp= (RFC 7208 §6.2).
    if (answer == null || !answer.isFound() || answer.records().size() != 1) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    TxtRecord record = answer.records().get(0);
    if (!record.isAscii()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    MacroString text;
    try {
      text = MacroString.parseExplanation(record.text());
    } catch (SpfSyntaxException e) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<Named> v =
        text.uses('p')
            ? validatedNameFor(domain, depth, term, false)
            : CompletableFuture.completedFuture(
                new Named(values.withDomain(literal(domain)), null));
    return v.thenApply(
        named -> Optional.ofNullable(MacroExpander.expandExplanation(text, named.values())));
  }

  // --- DNS ---

  /**
   * Looks up and records the lookup in the trace. Completes with null when the time budget has run
   * out, so that the caller ends the evaluation with temperror.
   */
  private <T> CompletableFuture<DnsAnswer<T>> lookup(
      DnsQuery<T> query, DomainName domain, int depth, String term, boolean countsVoid) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<DnsAnswer<T>> answer;
    try {
      answer = verifier.dns().lookupAsync(query);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    // A copy, so that giving up at the deadline leaves the resolver's own future, which a cache
    // may share with other callers, alone.
    return answer
        .exceptionally(
            e ->
                DnsAnswer.tempFail(
                    query,
                    DnsFailure.of(DnsFailure.Kind.NETWORK_ERROR, "resolver failed: " + e, e)))
        .copy()
        .completeOnTimeout(null, remaining, TimeUnit.NANOSECONDS)
        .thenApply(
            a -> {
              if (a == null) {
                return null;
              }
              trace.add(
                  new SpfLookup(
                      depth,
                      domain,
                      term,
                      query.name().toString(),
                      query.typeName(),
                      Optional.of(a.status()),
                      a.records().size(),
                      dnsTerms,
                      voidLookups + (countsVoid && a.isVoid() ? 1 : 0),
                      Optional.empty()));
              return a;
            });
  }

  private static Step dnsError(DnsAnswer<?> answer, String term) {
    return Step.error(
        SpfResult.TEMPERROR,
        SpfProblem.DNS_ERROR,
        "DNS error at " + term + ": " + answer.failure().orElseThrow().detail());
  }

  private Step timeLimit() {
    return Step.error(
        SpfResult.TEMPERROR,
        SpfProblem.TIME_LIMIT,
        "the check took longer than " + verifier.timeout().toMillis() + " ms");
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
