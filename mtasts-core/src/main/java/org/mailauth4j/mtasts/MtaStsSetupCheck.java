package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.MxHost;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.dns.TxtRecord;

/**
 * Checks a domain's own MTA-STS set-up, as its owner would want before switching to {@code
 * enforce}: the {@code _mta-sts} record, the policy file and how it is served, whether every MX
 * host fits the policy's patterns, {@code max_age}, the mode, and whether a TLS-RPT record is there
 * to report failures. Each finding has a severity and a fix.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * SetupReport report = MtaStsSetupCheck.builder(dns).build().check(DomainName.parse("example.com"));
 * report.findings().forEach(System.out::println);
 * }</pre>
 */
public final class MtaStsSetupCheck {
  /** RFC 8461 §3.2 suggests weeks or more; less than a day protects little. */
  /** How the fetcher words a 5xx answer in {@link FetchFailure#detail()}. */
  private static final Pattern SERVER_ERROR = Pattern.compile("HTTP 5\\d\\d\\b");

  private static final Duration SHORT_MAX_AGE = Duration.ofDays(1);

  private static final Duration GOOD_MAX_AGE = Duration.ofDays(7);

  private final DnsResolver dns;
  private final MtaStsPolicyFetcher fetcher;

  private MtaStsSetupCheck(Builder b) {
    this.dns = b.dns;
    this.fetcher = b.fetcher != null ? b.fetcher : MtaStsPolicyFetcher.builder().build();
  }

  /**
   * Starts configuring a check.
   *
   * @param dns where the domain's records are looked up
   * @return a builder
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(requireNonNull(dns, "dns"));
  }

  /**
   * Checks a domain.
   *
   * @param domain the domain that receives mail
   * @return a future of the report; it always completes normally
   */
  public CompletableFuture<SetupReport> checkAsync(DomainName domain) {
    requireNonNull(domain, "domain");
    return checkAsync(domain, () -> fetcher.fetchAsync(domain));
  }

  /**
   * Checks a domain against a policy file given here instead of the one it serves: a policy about
   * to be published, or a check made without HTTPS. The file is read strictly, as senders read
   * policies; every other step is the same as {@link #checkAsync(DomainName)}, and findings about
   * the policy name the address it is to be served at.
   *
   * @param domain the domain that receives mail
   * @param policyText the policy file's text
   * @return a future of the report; it always completes normally
   */
  public CompletableFuture<SetupReport> checkAsync(DomainName domain, CharSequence policyText) {
    requireNonNull(domain, "domain");
    requireNonNull(policyText, "policyText");
    return checkAsync(
        domain,
        () -> {
          PolicyParseResult parsed =
              MtaStsPolicy.parseWithFindings(policyText, PolicyLeniency.STRICT);
          Optional<FetchFailure> failure =
              parsed.policy().isPresent()
                  ? Optional.empty()
                  : Optional.of(
                      new FetchFailure(FetchFailure.Kind.INVALID_POLICY, "the file is no policy"));
          return CompletableFuture.completedFuture(
              new PolicyFetchResult(
                  fetcher.policyUri(domain), parsed.policy(), failure, parsed.findings()));
        });
  }

  private CompletableFuture<SetupReport> checkAsync(
      DomainName domain, Supplier<CompletableFuture<PolicyFetchResult>> policySource) {
    List<SetupFinding> findings = new ArrayList<>();
    try {
      domain.prepend("_mta-sts");
      domain.prepend("_smtp._tls");
    } catch (DnsSyntaxException e) {
      findings.add(
          error(
              "record",
              "_mta-sts." + domain + " is longer than a domain name may be",
              "MTA-STS needs a shorter domain name"));
      return CompletableFuture.completedFuture(
          new SetupReport(domain, Optional.empty(), Optional.empty(), findings));
    }
    CompletableFuture<DnsAnswer<TxtRecord>> txt = lookup(DnsQuery.txt(domain.prepend("_mta-sts")));
    CompletableFuture<DnsAnswer<MxHost>> mx = lookup(DnsQuery.mx(domain));
    CompletableFuture<DnsAnswer<TxtRecord>> tlsRpt =
        lookup(DnsQuery.txt(domain.prepend("_tls").prepend("_smtp")));
    CompletableFuture<PolicyFetchResult> fetched = policySource.get();
    return CompletableFuture.allOf(txt, mx, tlsRpt, fetched)
        .thenApply(
            done -> {
              Optional<MtaStsRecord> record = record(domain, txt.join(), findings);
              Optional<MtaStsPolicy> policy = policy(domain, fetched.join(), findings);
              policy.ifPresent(p -> mxCoverage(domain, p, mx.join(), findings));
              policy.ifPresent(p -> modeAndAge(p, findings));
              tlsRpt(domain, tlsRpt.join(), findings);
              return new SetupReport(domain, record, policy, findings);
            });
  }

  /**
   * Checks a domain and waits. This only joins {@link #checkAsync(DomainName)}.
   *
   * @param domain the domain
   * @return the report
   */
  public SetupReport check(DomainName domain) {
    return checkAsync(domain).join();
  }

  /**
   * Checks a domain against a policy file and waits. This only joins {@link #checkAsync(DomainName,
   * CharSequence)}.
   *
   * @param domain the domain
   * @param policyText the policy file's text
   * @return the report
   */
  public SetupReport check(DomainName domain, CharSequence policyText) {
    return checkAsync(domain, policyText).join();
  }

  private <T> CompletableFuture<DnsAnswer<T>> lookup(DnsQuery<T> query) {
    try {
      return dns.lookupAsync(query);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          DnsAnswer.tempFail(query, DnsFailure.of(DnsFailure.Kind.NETWORK_ERROR, e.toString(), e)));
    }
  }

  private static Optional<MtaStsRecord> record(
      DomainName domain, DnsAnswer<TxtRecord> answer, List<SetupFinding> findings) {
    String name = "_mta-sts." + domain;
    String publish = "publish a TXT record at " + name + ": \"v=STSv1; id=20260101000000;\"";
    if (answer.status() == DnsStatus.TEMP_FAIL) {
      findings.add(
          SetupFinding.temporary(
              Severity.ERROR,
              "record",
              "looking up " + name + " failed: " + answer.failure().orElseThrow().detail(),
              "make the domain's name servers answer"));
      return Optional.empty();
    }
    List<TxtRecord> sts =
        answer.records().stream().filter(r -> MtaStsRecord.isMtaStsRecord(r.text())).toList();
    if (sts.isEmpty()) {
      findings.add(
          error(
              "record",
              "there is no v=STSv1 record at " + name + "; senders never look for the policy",
              publish));
      return Optional.empty();
    }
    if (sts.size() > 1) {
      findings.add(
          error(
              "record",
              name
                  + " has "
                  + sts.size()
                  + " v=STSv1 records; senders ignore them all (RFC 8461 §3.1)",
              "keep exactly one"));
      return Optional.empty();
    }
    try {
      MtaStsRecord record = MtaStsRecord.parse(sts.get(0).text());
      findings.add(ok("record", name + " is valid, id " + record.id()));
      return Optional.of(record);
    } catch (MtaStsSyntaxException e) {
      findings.add(
          error("record", "the record at " + name + " is invalid: " + e.getMessage(), publish));
      return Optional.empty();
    }
  }

  private Optional<MtaStsPolicy> policy(
      DomainName domain, PolicyFetchResult result, List<SetupFinding> findings) {
    for (PolicyFinding problem : result.findings()) {
      findings.add(
          SetupFinding.of(
              problem.severity() == Severity.ERROR ? Severity.ERROR : Severity.WARNING,
              "policy",
              problem.toString(),
              "correct the policy file at " + result.uri()));
    }
    if (result.failure().isPresent()) {
      FetchFailure failure = result.failure().get();
      if (failure.kind() != FetchFailure.Kind.INVALID_POLICY || result.findings().isEmpty()) {
        String message = "fetching " + result.uri() + " failed: " + failure;
        String fix = fix(domain, failure.kind());
        findings.add(
            isTemporary(failure)
                ? SetupFinding.temporary(Severity.ERROR, "policy", message, fix)
                : error("policy", message, fix));
      }
      return Optional.empty();
    }
    findings.add(ok("policy", "the policy at " + result.uri() + " is valid"));
    return result.policy();
  }

  /**
   * A fetch that failed for a reason that may go away on retry: the connection failed or timed out,
   * or the server answered 5xx. A policy host that does not resolve counts as the set-up's fault
   * (the HTTP client cannot tell NXDOMAIN from SERVFAIL), as do all other kinds.
   */
  static boolean isTemporary(FetchFailure failure) {
    switch (failure.kind()) {
      case CONNECTION:
      case TIMEOUT:
        return true;
      case HTTP_STATUS:
        return SERVER_ERROR.matcher(failure.detail()).lookingAt();
      default:
        return false;
    }
  }

  private static String fix(DomainName domain, FetchFailure.Kind kind) {
    String host = "mta-sts." + domain;
    switch (kind) {
      case DNS:
        return "publish an A or AAAA record for " + host;
      case CONNECTION:
      case TIMEOUT:
        return "serve HTTPS on port 443 of " + host + ", reachable from the Internet";
      case TLS:
      case CERTIFICATE:
        return "install a certificate for "
            + host
            + " from a public certificate authority, with its intermediate certificates";
      case REDIRECT:
        return "serve the policy at /.well-known/mta-sts.txt itself: senders do not follow redirects";
      case HTTP_STATUS:
        return "serve the policy at https://" + host + "/.well-known/mta-sts.txt with status 200";
      case MEDIA_TYPE:
        return "serve the policy with Content-Type: text/plain";
      case TOO_LARGE:
        return "keep the policy under 64 KiB";
      case NON_PUBLIC_ADDRESS:
        return "give " + host + " public addresses only: senders will not reach it otherwise";
      case CONTENT_ENCODING:
        return "serve the policy uncompressed: senders ask for Accept-Encoding: identity";
      default:
        return "correct the policy file";
    }
  }

  private static void mxCoverage(
      DomainName domain,
      MtaStsPolicy policy,
      DnsAnswer<MxHost> answer,
      List<SetupFinding> findings) {
    if (answer.status() == DnsStatus.TEMP_FAIL) {
      findings.add(
          SetupFinding.temporary(
              Severity.WARNING,
              "mx",
              "the MX records of "
                  + domain
                  + " could not be looked up: "
                  + answer.failure().orElseThrow().detail(),
              "check again when DNS answers"));
      return;
    }
    List<DomainName> hosts =
        answer.records().stream().filter(h -> !h.isNullMx()).map(MxHost::exchange).toList();
    if (hosts.isEmpty()) {
      findings.add(
          SetupFinding.of(
              Severity.WARNING,
              "mx",
              domain + " has no MX hosts, so the policy has nothing to protect",
              "publish MX records, or remove the MTA-STS record"));
      return;
    }
    for (DomainName host : hosts) {
      if (policy.permits(host)) {
        findings.add(ok("mx", "MX host " + host + " fits the policy"));
      } else {
        findings.add(
            error(
                "mx",
                "MX host "
                    + host
                    + " fits none of the patterns "
                    + policy.mx()
                    + "; senders in enforce mode will not deliver to it",
                "add \"mx: " + host + "\" to the policy, and change the record's id"));
      }
    }
    for (MxPattern pattern : policy.mx()) {
      if (hosts.stream().noneMatch(pattern::matches)) {
        findings.add(
            SetupFinding.of(
                Severity.INFO,
                "mx",
                "pattern " + pattern + " matches none of the current MX hosts",
                "remove it if it is left over from an old MX"));
      }
    }
  }

  private static void modeAndAge(MtaStsPolicy policy, List<SetupFinding> findings) {
    switch (policy.mode()) {
      case ENFORCE:
        findings.add(ok("mode", "mode enforce: senders refuse MX hosts that fail validation"));
        break;
      case TESTING:
        findings.add(
            SetupFinding.of(
                Severity.INFO,
                "mode",
                "mode testing: senders deliver despite failures and only report them",
                "switch to mode enforce once TLS-RPT reports show no failures"));
        break;
      default:
        findings.add(
            SetupFinding.of(
                Severity.WARNING,
                "mode",
                "mode none: the policy is switched off",
                "use testing, then enforce"));
    }
    Duration age = policy.maxAge();
    if (age.compareTo(SHORT_MAX_AGE) < 0) {
      findings.add(
          SetupFinding.of(
              Severity.WARNING,
              "max_age",
              "max_age "
                  + age.getSeconds()
                  + " is less than a day; a policy that expires quickly"
                  + " protects little against an attacker who blocks its refresh",
              "use weeks, such as max_age: 1209600 (RFC 8461 §3.2)"));
    } else if (age.compareTo(GOOD_MAX_AGE) < 0) {
      findings.add(
          SetupFinding.of(
              Severity.INFO,
              "max_age",
              "max_age " + age.getSeconds() + " is less than a week",
              "once the policy is stable, use weeks (RFC 8461 §3.2)"));
    } else {
      findings.add(ok("max_age", "max_age " + age.getSeconds() + " seconds"));
    }
  }

  private static void tlsRpt(
      DomainName domain, DnsAnswer<TxtRecord> answer, List<SetupFinding> findings) {
    boolean present = answer.records().stream().anyMatch(r -> r.text().startsWith("v=TLSRPTv1"));
    if (present) {
      findings.add(ok("tls-rpt", "a TLS-RPT record asks senders to report failures"));
    } else if (answer.status() != DnsStatus.TEMP_FAIL) {
      findings.add(
          SetupFinding.of(
              Severity.WARNING,
              "tls-rpt",
              "there is no TLS-RPT record at _smtp._tls."
                  + domain
                  + ", so no sender reports the failures it sees",
              "publish \"v=TLSRPTv1; rua=mailto:tls-reports@" + domain + "\" (RFC 8460)"));
    }
  }

  private static SetupFinding ok(String topic, String message) {
    return SetupFinding.of(Severity.OK, topic, message, "");
  }

  private static SetupFinding error(String topic, String message, String fix) {
    return SetupFinding.of(Severity.ERROR, topic, message, fix);
  }

  /** Configures an {@link MtaStsSetupCheck}. Not thread-safe; build once and share. */
  public static final class Builder {
    private final DnsResolver dns;
    private MtaStsPolicyFetcher fetcher;

    private Builder(DnsResolver dns) {
      this.dns = dns;
    }

    /**
     * Sets the fetcher of the policy. Default: {@link MtaStsPolicyFetcher} with its defaults,
     * strict, as senders read policies by default.
     *
     * @param fetcher the fetcher
     * @return this builder
     */
    public Builder fetcher(MtaStsPolicyFetcher fetcher) {
      this.fetcher = requireNonNull(fetcher, "fetcher");
      return this;
    }

    /**
     * Builds the check.
     *
     * @return the check
     */
    public MtaStsSetupCheck build() {
      return new MtaStsSetupCheck(this);
    }
  }
}
