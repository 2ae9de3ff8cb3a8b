package org.mailauth4j.dmarc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dmarc.DmarcEvaluation.PolicyTag;
import org.mailauth4j.dmarc.IdentifierAlignment.Kind;
import org.mailauth4j.dmarc.IdentifierAlignment.Status;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;

/**
 * The evaluation of one message: its lookups are memoised here, so that policy discovery and the
 * organizational-domain walks of every identifier ask each name once.
 */
final class Evaluation {
  private final DmarcVerifier verifier;
  private final AuthorDomains author;
  private final Optional<SpfOutcome> spf;
  private final List<DkimOutcome> dkim;
  private final Instant startedAt;
  private final long deadline;
  private final PublicSuffixList suffixes;

  /** Every lookup started, in order; guarded by itself. */
  private final Map<Object, CompletableFuture<Node>> lookups = new LinkedHashMap<>();

  private final Map<DomainName, CompletableFuture<Org>> organizational = new LinkedHashMap<>();

  /** Lookups started by identifiers' walks, out of the verifier's limit; guarded by lookups. */
  private int limitedLookups;

  Evaluation(
      DmarcVerifier verifier,
      AuthorDomains author,
      Optional<SpfOutcome> spf,
      List<DkimOutcome> dkim) {
    this.verifier = verifier;
    this.author = author;
    this.spf = spf;
    this.dkim = dkim;
    this.startedAt = verifier.clock.instant();
    this.deadline = System.nanoTime() + verifier.timeout.toNanos();
    this.suffixes =
        verifier.profile == DmarcProfile.RFC7489 ? verifier.publicSuffixList.get() : null;
  }

  CompletableFuture<DmarcOutcome> run() {
    if (!author.isFound()) {
      return CompletableFuture.completedFuture(
          new DmarcOutcome(
              DmarcResult.PERMERROR,
              verifier.profile,
              author,
              List.of(),
              Optional.empty(),
              List.of(),
              startedAt,
              "no author domain: " + author.detail()));
    }
    List<CompletableFuture<DmarcEvaluation>> each = new ArrayList<>();
    for (DomainName domain : author.domains()) {
      each.add(evaluate(domain));
    }
    return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> combine(each.stream().map(CompletableFuture::join).toList()));
  }

  // --- the message's result from each author domain's ---

  private DmarcOutcome combine(List<DmarcEvaluation> evaluations) {
    Optional<DmarcEvaluation> decisive =
        evaluations.stream()
            .filter(e -> e.result() == DmarcResult.FAIL)
            // RFC 7489 §6.6.1: of several failing domains, the strictest policy applies
            .max(Comparator.comparing(DmarcEvaluation::appliedPolicy));
    if (decisive.isEmpty()) {
      decisive = first(evaluations, DmarcResult.TEMPERROR);
    }
    if (decisive.isEmpty()) {
      decisive = first(evaluations, DmarcResult.PASS);
    }
    if (decisive.isEmpty()) {
      decisive = Optional.of(evaluations.get(0));
    }
    DmarcEvaluation chosen = decisive.get();
    DmarcResult result = chosen.result();
    String detail = chosen.detail();
    if (evaluations.size() > 1) {
      detail = evaluations.size() + " author domains; " + chosen.authorDomain() + ": " + detail;
    }
    if (author.truncated() && result != DmarcResult.FAIL) {
      // RFC 9989 §11.5: a capped evaluation is incomplete. A domain left out may fail, so only a
      // failure stands; anything else would let a From hide its real author behind others.
      result = DmarcResult.PERMERROR;
      detail =
          "From has more domains than the "
              + verifier.maxAuthorDomains
              + " evaluated, so the result cannot be known; "
              + detail;
    } else if (author.truncated()) {
      detail +=
          " (incomplete: From has more domains than the "
              + verifier.maxAuthorDomains
              + " evaluated)";
    }
    return new DmarcOutcome(
        result, verifier.profile, author, evaluations, decisive, trace(), startedAt, detail);
  }

  private static Optional<DmarcEvaluation> first(List<DmarcEvaluation> all, DmarcResult result) {
    return all.stream().filter(e -> e.result() == result).findFirst();
  }

  private List<DmarcLookup> trace() {
    List<CompletableFuture<Node>> started;
    synchronized (lookups) {
      started = new ArrayList<>(lookups.values());
    }
    List<DmarcLookup> trace = new ArrayList<>();
    for (CompletableFuture<Node> f : started) {
      f.join().lookup.ifPresent(trace::add);
    }
    return trace;
  }

  // --- one author domain ---

  private CompletableFuture<DmarcEvaluation> evaluate(DomainName authorDomain) {
    return discover(authorDomain).thenCompose(found -> withPolicy(authorDomain, found));
  }

  private CompletableFuture<DmarcEvaluation> withPolicy(DomainName authorDomain, Node found) {
    DiscoveryMethod method =
        verifier.profile == DmarcProfile.RFC9989 ? DiscoveryMethod.TREEWALK : DiscoveryMethod.PSL;
    if (found.kind == NodeKind.TEMP_FAIL || found.kind == NodeKind.LIMIT) {
      return done(
          noPolicy(
              authorDomain,
              DmarcResult.TEMPERROR,
              DmarcProblem.DISCOVERY_TEMPORARY_FAILURE,
              method,
              Optional.empty(),
              "policy discovery failed: " + found.describe()));
    }
    if (found.kind == NodeKind.SEVERAL) {
      return done(
          noPolicy(
              authorDomain,
              DmarcResult.NONE,
              DmarcProblem.SEVERAL_RECORDS,
              method,
              Optional.empty(),
              "several DMARC records at _dmarc." + found.name + ": DMARC does not apply"));
    }
    if (found.kind != NodeKind.RECORD) {
      return done(
          noPolicy(
              authorDomain,
              DmarcResult.NONE,
              DmarcProblem.NO_RECORD,
              method,
              Optional.empty(),
              "no DMARC record for " + authorDomain));
    }
    DmarcRecord record = found.record.orElseThrow();
    DomainName policyDomain = found.name;
    Optional<DmarcProblem> note = Optional.empty();
    DmarcRecord effective = record;
    if (!usable(record)) {
      // RFC 9989 §4.10.1: no valid p (or an invalid sp or np): p=none if rua has a valid URI,
      // otherwise no DMARC processing at all.
      if (record.aggregateReportUris().isEmpty()) {
        return done(
            noPolicy(
                authorDomain,
                DmarcResult.NONE,
                DmarcProblem.UNUSABLE_RECORD,
                method,
                Optional.of(record),
                "the record at _dmarc." + policyDomain + " has no valid policy and no rua"));
      }
      note = Optional.of(DmarcProblem.POLICY_TAKEN_AS_NONE);
    }
    Optional<DmarcProblem> policyNote = note;
    return requestedPolicy(authorDomain, policyDomain, record, policyNote.isPresent())
        .thenCompose(
            requested ->
                alignments(authorDomain, effective)
                    .thenCombine(
                        organizationalDomain(authorDomain),
                        (aligned, org) ->
                            decide(
                                authorDomain,
                                method,
                                policyDomain,
                                effective,
                                requested,
                                aligned,
                                org,
                                policyNote)));
  }

  /**
   * RFC 9989 §4.10.1: a valid p, and sp and np valid where present. RFC 7489 §6.6.3 step 6 names p
   * and sp only: np is an unknown tag there, which must be ignored (§6.3).
   */
  private boolean usable(DmarcRecord record) {
    if (verifier.profile == DmarcProfile.RFC9989) {
      return record.hasUsablePolicy();
    }
    return record.policy().isPresent()
        && (!record.tags().containsKey("sp") || record.subdomainPolicy().isPresent());
  }

  private DmarcEvaluation noPolicy(
      DomainName authorDomain,
      DmarcResult result,
      DmarcProblem problem,
      DiscoveryMethod method,
      Optional<DmarcRecord> record,
      String detail) {
    return new DmarcEvaluation(
        authorDomain,
        result,
        Optional.of(problem),
        method,
        Optional.empty(),
        Optional.empty(),
        record,
        Optional.empty(),
        Optional.empty(),
        DmarcPolicy.NONE,
        false,
        false,
        List.of(),
        detail);
  }

  /** The requested policy and which tag gave it; unknown existence leaves the choice open. */
  private record Requested(DmarcPolicy policy, PolicyTag tag, Optional<DmarcPolicy> ifMissing) {}

  private CompletableFuture<Requested> requestedPolicy(
      DomainName authorDomain, DomainName policyDomain, DmarcRecord record, boolean asNone) {
    if (asNone) {
      return done(new Requested(DmarcPolicy.NONE, PolicyTag.P, Optional.empty()));
    }
    DmarcPolicy p = record.policy().orElseThrow();
    if (policyDomain.equals(authorDomain)) {
      return done(new Requested(p, PolicyTag.P, Optional.empty())); // §4.10.1: the author's own
    }
    Requested sp =
        record
            .subdomainPolicy()
            .map(s -> new Requested(s, PolicyTag.SP, Optional.<DmarcPolicy>empty()))
            .orElse(new Requested(p, PolicyTag.P, Optional.empty()));
    if (verifier.profile == DmarcProfile.RFC7489 || record.nonexistentDomainPolicy().isEmpty()) {
      // RFC 7489 §6.6.3 knows sp only; RFC 9989 §4.7: without np, sp (or p) applies to
      // non-existent subdomains too, so existence does not matter
      return done(sp);
    }
    DmarcPolicy np = record.nonexistentDomainPolicy().get();
    if (np == sp.policy) {
      return done(sp); // the same policy either way: no need to ask whether the domain exists
    }
    // RFC 9989 §4.10.1 with §3.2 (RFC 8020): NXDOMAIN for the author domain means it does not exist
    return exists(authorDomain)
        .thenApply(
            exists ->
                switch (exists) {
                  case RECORD, NONE -> sp;
                  case NXDOMAIN -> new Requested(np, PolicyTag.NP, Optional.empty());
                  default -> new Requested(sp.policy, sp.tag, Optional.of(np));
                });
  }

  /** What an evaluation with a record concluded; the rest of it is the same for every result. */
  private record Verdict(
      DmarcResult result,
      Optional<DmarcProblem> problem,
      DmarcPolicy applied,
      boolean testing,
      boolean sampledOut,
      String detail) {}

  private DmarcEvaluation decide(
      DomainName authorDomain,
      DiscoveryMethod method,
      DomainName policyDomain,
      DmarcRecord record,
      Requested requested,
      List<IdentifierAlignment> alignments,
      Org org,
      Optional<DmarcProblem> note) {
    String where = "policy at _dmarc." + policyDomain;
    Optional<IdentifierAlignment> by =
        alignments.stream().filter(IdentifierAlignment::isAligned).findFirst();
    boolean temporary = alignments.stream().anyMatch(a -> a.status() == Status.TEMPORARY_FAILURE);
    Verdict verdict;
    if (by.isPresent()) {
      verdict =
          new Verdict(
              DmarcResult.PASS,
              note,
              DmarcPolicy.NONE,
              false,
              false,
              "aligned " + describe(by.get()) + "; " + where);
    } else if (temporary || requested.ifMissing.isPresent()) {
      String why =
          temporary
              ? "nothing aligned passed and an aligned check failed temporarily"
              : "nothing aligned passed and whether "
                  + authorDomain
                  + " exists (np or sp) could not be looked up";
      verdict =
          new Verdict(
              DmarcResult.TEMPERROR,
              Optional.of(DmarcProblem.CHECK_TEMPORARY_FAILURE),
              DmarcPolicy.NONE,
              false,
              false,
              why + "; " + where);
    } else {
      verdict = fail(record, requested, note, where);
    }
    return new DmarcEvaluation(
        authorDomain,
        verdict.result(),
        verdict.problem(),
        method,
        Optional.of(policyDomain),
        org.domain,
        Optional.of(record),
        Optional.of(requested.policy),
        Optional.of(requested.tag),
        verdict.applied(),
        verdict.testing(),
        verdict.sampledOut(),
        alignments,
        verdict.detail());
  }

  /** A failing message: the requested policy, after t=y (RFC 9989) or sampling (RFC 7489). */
  private Verdict fail(
      DmarcRecord record, Requested requested, Optional<DmarcProblem> note, String where) {
    DmarcPolicy applied = requested.policy;
    boolean testing = false;
    boolean sampledOut = false;
    if (verifier.profile == DmarcProfile.RFC9989) {
      if (record.testing() && applied != DmarcPolicy.NONE) {
        applied = applied.relaxed(); // §4.7 t=y: reject as quarantine, quarantine as none
        testing = true;
      }
    } else if (record.percent() < 100 && applied != DmarcPolicy.NONE) {
      // RFC 7489 §6.6.4: the policy applies to pct% of failing messages, the rest get the next
      // less strict one
      java.util.random.RandomGenerator random =
          verifier.random != null
              ? verifier.random
              : java.util.concurrent.ThreadLocalRandom.current();
      if (random.nextInt(100) >= record.percent()) {
        applied = applied.relaxed();
        sampledOut = true;
      }
    }
    String detail =
        "no aligned identifier passed; "
            + where
            + " asks "
            + requested.tag.name().toLowerCase(java.util.Locale.ROOT)
            + "="
            + requested.policy.token()
            + (testing ? ", applied as " + applied.token() + " (t=y)" : "")
            + (sampledOut
                ? ", applied as " + applied.token() + " (sampled out, pct=" + record.percent() + ")"
                : "");
    return new Verdict(DmarcResult.FAIL, note, applied, testing, sampledOut, detail);
  }

  private static String describe(IdentifierAlignment a) {
    return switch (a.kind()) {
      case SPF_MAILFROM -> "SPF (MAIL FROM " + a.domain().orElseThrow() + ")";
      case SPF_HELO -> "SPF (HELO " + a.domain().orElseThrow() + ")";
      case DKIM ->
          "DKIM (d=" + a.domain().orElseThrow() + a.selector().map(s -> " s=" + s).orElse("") + ")";
    };
  }

  // --- alignment (RFC 9989 §4.4) ---

  private CompletableFuture<List<IdentifierAlignment>> alignments(
      DomainName authorDomain, DmarcRecord record) {
    List<CompletableFuture<IdentifierAlignment>> all = new ArrayList<>();
    spf.ifPresent(
        o ->
            all.add(
                align(
                    authorDomain,
                    o.identity() == SpfIdentity.HELO ? Kind.SPF_HELO : Kind.SPF_MAILFROM,
                    o.domain(),
                    Optional.empty(),
                    o.result().token(),
                    o.result() == SpfResult.PASS,
                    o.result() == SpfResult.TEMPERROR,
                    record.spfAlignment())));
    for (DkimOutcome o : dkim) {
      all.add(
          align(
              authorDomain,
              Kind.DKIM,
              o.domain(),
              o.selector(),
              o.result().token(),
              o.isPass(),
              o.result() == DkimResult.TEMPERROR,
              record.dkimAlignment()));
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> all.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<IdentifierAlignment> align(
      DomainName authorDomain,
      Kind kind,
      Optional<DomainName> domain,
      Optional<String> selector,
      String result,
      boolean passed,
      boolean temporary,
      AlignmentMode mode) {
    if (domain.isEmpty() || !(passed || temporary)) {
      // §4.4: only identifiers that passed can align; a temperror may still matter (below)
      return done(
          new IdentifierAlignment(
              kind, domain, selector, result, mode, Optional.empty(), Status.NOT_AUTHENTICATED));
    }
    DomainName id = domain.get();
    Status ifAligned = passed ? Status.ALIGNED : Status.TEMPORARY_FAILURE;
    if (id.equals(authorDomain)) {
      return done(
          new IdentifierAlignment(
              kind, domain, selector, result, mode, Optional.empty(), ifAligned));
    }
    if (mode == AlignmentMode.STRICT) {
      return done(
          new IdentifierAlignment(
              kind, domain, selector, result, mode, Optional.empty(), Status.DOMAIN_MISMATCH));
    }
    // Organizational domains are ancestors: two can be equal only within the names' common
    // suffix, so an identifier under another top of the tree needs no walk at all.
    int common = commonSuffixLabels(authorDomain, id);
    if (common == 0) {
      return done(
          new IdentifierAlignment(
              kind, domain, selector, result, mode, Optional.empty(), Status.DOMAIN_MISMATCH));
    }
    return organizationalDomain(authorDomain)
        .thenCompose(
            a -> {
              if (a.failure.isEmpty() && a.domain.orElseThrow().labelCount() > common) {
                // the author's organization lies below the common suffix: the identifier's
                // cannot be the same one, whatever its walk would find
                return done(
                    new IdentifierAlignment(
                        kind,
                        domain,
                        selector,
                        result,
                        mode,
                        Optional.empty(),
                        Status.DOMAIN_MISMATCH));
              }
              return organizationalDomain(id)
                  .thenApply(
                      b -> {
                        if (a.failure.isPresent() || b.failure.isPresent()) {
                          Status s =
                              a.failure.orElse(b.failure.orElseThrow()) == NodeKind.LIMIT
                                  ? Status.LIMIT_REACHED
                                  : Status.TEMPORARY_FAILURE;
                          return new IdentifierAlignment(
                              kind, domain, selector, result, mode, b.domain, s);
                        }
                        Status s = a.domain.equals(b.domain) ? ifAligned : Status.DOMAIN_MISMATCH;
                        return new IdentifierAlignment(
                            kind, domain, selector, result, mode, b.domain, s);
                      });
            });
  }

  private static int commonSuffixLabels(DomainName a, DomainName b) {
    int max = Math.min(a.labelCount(), b.labelCount());
    int k = 0;
    while (k < max && a.suffix(k + 1).equals(b.suffix(k + 1))) {
      k++;
    }
    return k;
  }

  // --- policy discovery ---

  private CompletableFuture<Node> discover(DomainName authorDomain) {
    if (verifier.profile == DmarcProfile.RFC7489) {
      // RFC 7489 §6.6.3: the author domain, then its organizational domain
      DomainName org = suffixes.organizationalDomain(authorDomain);
      List<DomainName> names =
          org.equals(authorDomain) ? List.of(authorDomain) : List.of(authorDomain, org);
      return firstRecord(names, 0);
    }
    // RFC 9989 §4.10.1: the author domain's own record, else the organizational domain's (found by
    // the tree walk of §4.10.2), else the public suffix domain's. A record between the author and
    // its organizational domain is not the author's policy.
    return record(authorDomain)
        .thenCompose(
            own -> {
              if (own.kind == NodeKind.RECORD
                  || own.kind == NodeKind.TEMP_FAIL
                  || own.kind == NodeKind.LIMIT) {
                return done(own);
              }
              return organizationalDomain(authorDomain)
                  .thenCompose(
                      org -> {
                        if (org.failure.isPresent()) {
                          return done(
                              new Node(
                                  authorDomain,
                                  org.failure.get(),
                                  Optional.empty(),
                                  Optional.empty(),
                                  "the tree walk from " + authorDomain + " failed"));
                        }
                        DomainName orgDomain = org.domain.orElseThrow();
                        if (orgDomain.equals(authorDomain)) {
                          // an organization without a record of its own, under a PSD that has one
                          return org.publicSuffix.isPresent()
                              ? record(org.publicSuffix.get())
                              : done(own);
                        }
                        return record(orgDomain)
                            .thenCompose(
                                atOrg -> {
                                  if (atOrg.kind == NodeKind.RECORD
                                      || atOrg.kind == NodeKind.TEMP_FAIL
                                      || atOrg.kind == NodeKind.LIMIT
                                      || org.publicSuffix.isEmpty()) {
                                    return done(atOrg);
                                  }
                                  return record(org.publicSuffix.get());
                                });
                      });
            });
  }

  /**
   * RFC 7489 §6.6.3: the first of the names with exactly one DMARC record holds the policy; a
   * temporary failure before it leaves the policy unknown.
   */
  private CompletableFuture<Node> firstRecord(List<DomainName> names, int index) {
    return record(names.get(index))
        .thenCompose(
            node -> {
              if (node.kind == NodeKind.RECORD
                  || node.kind == NodeKind.TEMP_FAIL
                  || node.kind == NodeKind.LIMIT
                  || index + 1 == names.size()) {
                return done(node);
              }
              if (node.kind == NodeKind.SEVERAL) {
                // RFC 7489 §6.6.3 steps 3 and 5: only an empty set moves on to the organizational
                // domain; several records end discovery without DMARC
                return done(node);
              }
              return firstRecord(names, index + 1);
            });
  }

  // --- organizational domains ---

  /**
   * A domain's organizational domain, or why it is unknown, and the public suffix domain whose
   * {@code psd=y} record ended the walk, if one did.
   */
  private record Org(
      Optional<DomainName> domain, Optional<NodeKind> failure, Optional<DomainName> publicSuffix) {
    static Org found(DomainName domain) {
      return new Org(Optional.of(domain), Optional.empty(), Optional.empty());
    }

    static Org failed(NodeKind kind) {
      return new Org(Optional.empty(), Optional.of(kind), Optional.empty());
    }
  }

  private CompletableFuture<Org> organizationalDomain(DomainName domain) {
    if (verifier.profile == DmarcProfile.RFC7489) {
      return done(Org.found(suffixes.organizationalDomain(domain)));
    }
    // The author domains' walks are bounded by the cap on author domains; the lookup limit is for
    // the walks of the identifiers a message brings, which it can multiply.
    boolean limited = !author.domains().contains(domain);
    synchronized (organizational) {
      CompletableFuture<Org> known = organizational.get(domain);
      if (known != null) {
        return known;
      }
      CompletableFuture<Org> walk =
          orgWalk(
              domain, DmarcVerifier.walkNames(domain, verifier.maxWalkQueries), 0, null, limited);
      organizational.put(domain, walk);
      return walk;
    }
  }

  /**
   * RFC 9989 §4.10.2: walk up until a record with {@code psd=n} (that domain) or {@code psd=y} (the
   * domain one label below it) or the end of the walk (the record with the fewest labels, or the
   * starting domain when there was none).
   */
  private CompletableFuture<Org> orgWalk(
      DomainName start, List<DomainName> names, int index, DomainName fewest, boolean limited) {
    DomainName name = names.get(index);
    return record(name, limited)
        .thenCompose(
            node -> {
              if (node.kind == NodeKind.TEMP_FAIL || node.kind == NodeKind.LIMIT) {
                return done(Org.failed(node.kind));
              }
              DomainName found = fewest;
              if (node.kind == NodeKind.RECORD) {
                PsdFlag psd = node.record.orElseThrow().psd();
                if (psd == PsdFlag.NO) {
                  return done(Org.found(name));
                }
                if (psd == PsdFlag.YES && index > 0) {
                  // a public suffix domain: the organization is one label below it. At the start
                  // of the walk psd=y does not count (§4.10.2): the record is an ordinary one.
                  DomainName below = start.suffix(name.labelCount() + 1);
                  return done(new Org(Optional.of(below), Optional.empty(), Optional.of(name)));
                }
                found = name;
              }
              if (index + 1 == names.size()) {
                return done(Org.found(found == null ? start : found));
              }
              return orgWalk(start, names, index + 1, found, limited);
            });
  }

  // --- DNS, once per name ---

  enum NodeKind {
    /** No DMARC record: no name, no TXT, or none that starts with v=DMARC1. */
    NONE,
    /** Several DMARC records, which are all discarded. */
    SEVERAL,
    RECORD,
    /** The name does not exist (existence tests only). */
    NXDOMAIN,
    TEMP_FAIL,
    LIMIT
  }

  /** What one lookup found. */
  static final class Node {
    final DomainName name;
    final NodeKind kind;
    final Optional<DmarcRecord> record;
    final Optional<DmarcLookup> lookup;
    final String detail;

    Node(
        DomainName name,
        NodeKind kind,
        Optional<DmarcRecord> record,
        Optional<DmarcLookup> lookup,
        String detail) {
      this.name = name;
      this.kind = kind;
      this.record = record;
      this.lookup = lookup;
      this.detail = detail;
    }

    String describe() {
      return detail;
    }
  }

  private record Key(DmarcLookup.Purpose purpose, DomainName name) {}

  private CompletableFuture<Node> record(DomainName domain) {
    return record(domain, false);
  }

  private CompletableFuture<Node> record(DomainName domain, boolean limited) {
    return once(
        new Key(DmarcLookup.Purpose.DMARC_RECORD, domain), () -> lookupRecord(domain), limited);
  }

  private CompletableFuture<NodeKind> exists(DomainName domain) {
    return once(
            new Key(DmarcLookup.Purpose.EXISTENCE, domain), () -> lookupExistence(domain), false)
        .thenApply(n -> n.kind);
  }

  private CompletableFuture<Node> once(
      Key key, java.util.function.Supplier<CompletableFuture<Node>> start, boolean limited) {
    synchronized (lookups) {
      CompletableFuture<Node> known = lookups.get(key);
      if (known != null) {
        return known;
      }
      if (limited && limitedLookups >= verifier.maxLookups) {
        return done(
            new Node(
                key.name(),
                NodeKind.LIMIT,
                Optional.empty(),
                Optional.empty(),
                "the limit of " + verifier.maxLookups + " lookups per message was reached"));
      }
      if (limited) {
        limitedLookups++;
      }
      CompletableFuture<Node> started = start.get();
      lookups.put(key, started);
      return started;
    }
  }

  private CompletableFuture<Node> lookupRecord(DomainName domain) {
    DomainName name;
    try {
      name = domain.prepend("_dmarc");
    } catch (DnsSyntaxException e) {
      // too long to have a _dmarc name: no record can exist there
      return done(new Node(domain, NodeKind.NONE, Optional.empty(), Optional.empty(), "no name"));
    }
    DnsQuery<TxtRecord> query = DnsQuery.txt(name);
    return bounded(query)
        .thenApply(
            answer -> {
              List<String> dmarc = new ArrayList<>();
              int other = 0;
              for (TxtRecord txt : answer.records()) {
                String text = txt.text();
                if (DmarcRecord.isDmarcRecord(text)) {
                  dmarc.add(text); // §4.10 step 2: only v=DMARC1 records count
                } else {
                  other++;
                }
              }
              DmarcLookup lookup =
                  new DmarcLookup(
                      DmarcLookup.Purpose.DMARC_RECORD,
                      name,
                      answer.status(),
                      dmarc,
                      other,
                      answer.failure());
              if (answer.status() == DnsStatus.TEMP_FAIL) {
                return new Node(
                    domain,
                    NodeKind.TEMP_FAIL,
                    Optional.empty(),
                    Optional.of(lookup),
                    "TXT " + name + ": " + answer.failure().map(DnsFailure::kind).orElseThrow());
              }
              if (dmarc.size() != 1) {
                // §4.10 step 3: none, or several records, which are all discarded
                NodeKind kind = dmarc.isEmpty() ? NodeKind.NONE : NodeKind.SEVERAL;
                return new Node(domain, kind, Optional.empty(), Optional.of(lookup), "");
              }
              DmarcRecord record;
              try {
                record = verifier.parse(dmarc.get(0));
              } catch (IllegalArgumentException e) {
                return new Node(domain, NodeKind.NONE, Optional.empty(), Optional.of(lookup), "");
              }
              return new Node(
                  domain, NodeKind.RECORD, Optional.of(record), Optional.of(lookup), "");
            });
  }

  private CompletableFuture<Node> lookupExistence(DomainName domain) {
    DnsQuery<java.net.Inet4Address> query = DnsQuery.a(domain);
    return bounded(query)
        .thenApply(
            answer -> {
              DmarcLookup lookup =
                  new DmarcLookup(
                      DmarcLookup.Purpose.EXISTENCE,
                      domain,
                      answer.status(),
                      List.of(),
                      0,
                      answer.failure());
              NodeKind kind =
                  switch (answer.status()) {
                    case NXDOMAIN -> NodeKind.NXDOMAIN;
                    case TEMP_FAIL -> NodeKind.TEMP_FAIL;
                    default -> NodeKind.NONE; // the name exists: FOUND, or NODATA
                  };
              return new Node(domain, kind, Optional.empty(), Optional.of(lookup), "");
            });
  }

  /** A lookup that gives up at the message's deadline and never completes exceptionally. */
  private <T> CompletableFuture<DnsAnswer<T>> bounded(DnsQuery<T> query) {
    CompletableFuture<DnsAnswer<T>> answer;
    try {
      answer = verifier.dns.lookupAsync(query);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    if (answer == null) {
      answer = CompletableFuture.failedFuture(new NullPointerException("the resolver gave null"));
    }
    CompletableFuture<DnsAnswer<T>> safe =
        answer.handle(
            (a, e) ->
                a != null
                    ? a
                    : DnsAnswer.tempFail(
                        query,
                        e == null
                            ? DnsFailure.of(DnsFailure.Kind.NETWORK_ERROR, "no answer: null")
                            : DnsFailure.of(
                                DnsFailure.Kind.NETWORK_ERROR, "lookup failed: " + e, e)));
    if (safe.isDone()) {
      return safe; // answered at once, from a cache: nothing to time
    }
    long remaining = Math.max(0, deadline - System.nanoTime());
    return safe.completeOnTimeout(
        DnsAnswer.tempFail(
            query,
            DnsFailure.of(
                DnsFailure.Kind.TIMEOUT,
                "no answer within the DMARC time budget of " + verifier.timeout)),
        remaining,
        TimeUnit.NANOSECONDS);
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
