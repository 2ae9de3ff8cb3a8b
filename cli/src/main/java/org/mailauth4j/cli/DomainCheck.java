package org.mailauth4j.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dane.DaneResult;
import org.mailauth4j.dane.DaneVerifier;
import org.mailauth4j.dane.SmtpTlsProbe;
import org.mailauth4j.dane.SmtpTlsProbeResult;
import org.mailauth4j.dane.TlsaLookup;
import org.mailauth4j.dane.TlsaRecord;
import org.mailauth4j.dane.TlsaResolver;
import org.mailauth4j.dkim.DkimKeyRecord;
import org.mailauth4j.dmarc.AuthorDomains;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.DmarcRecordFinding;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.MxHost;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.mtasts.MtaStsPolicyFetcher;
import org.mailauth4j.mtasts.MtaStsRecord;
import org.mailauth4j.mtasts.MtaStsSetupCheck;
import org.mailauth4j.mtasts.MtaStsSyntaxException;
import org.mailauth4j.mtasts.SetupFinding;
import org.mailauth4j.mtasts.SetupReport;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfRecord;
import org.mailauth4j.spf.SpfResult;
import org.mailauth4j.spf.SpfVerifier;
import org.mailauth4j.tlsrpt.TlsRptRecordFinding;
import org.mailauth4j.tlsrpt.TlsRptRecordLookup;
import org.mailauth4j.tlsrpt.TlsRptRecordResolver;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The posture of one domain, both halves: message authentication (SPF, DMARC, DKIM keys) and
 * transport security (MX, MTA-STS, TLS-RPT, DANE, optionally each MX's STARTTLS). Every lookup that
 * can starts at once; only TLSA (after MX) and the probe wait for another, so a domain whose DNS
 * never answers is done within one timeout for the MX and one for what follows it. Thread-safe: one
 * instance checks many domains at the same time.
 */
final class DomainCheck {
  /**
   * The client address SPF is evaluated for: one no one sends mail from (RFC 5737 TEST-NET-2), so
   * that every mechanism is evaluated, the lookup count is the most a message can cost, and a
   * {@code pass} means the record lets anyone send.
   */
  static final InetAddress PROBE_ADDRESS = Addresses.parse("198.51.100.254", "probe");

  /** The same for IPv6 (RFC 3849): a record may close IPv4 and leave IPv6 open. */
  static final InetAddress PROBE_ADDRESS_6 = Addresses.parse("2001:db8:ffff::254", "probe");

  private static final String MESSAGE = "message";
  private static final String TRANSPORT = "transport";

  /** Where MX hosts receive mail, and so where their TLSA records are (RFC 7672 §2.2). */
  private static final int SMTP_PORT = 25;

  /** RFC 7208 §4.6.4. */
  private static final int MAX_DNS_LOOKUPS = 10;

  /** At most this many MX hosts are looked at (the DANE module's own default is the same). */
  private static final int MAX_MX_HOSTS = 10;

  private final DnsResolver dns;
  private final boolean offline;
  private final List<String> selectors;
  private final Optional<String> mtaStsPolicy;
  private final Optional<SmtpTlsProbe> probe;
  private final SpfVerifier spf;
  private final DmarcVerifier dmarc;
  private final MtaStsSetupCheck mtaSts;
  private final TlsRptRecordResolver tlsRpt;
  private final TlsaResolver tlsa;
  private final int smtpPort;

  DomainCheck(
      DnsOptions options,
      List<String> selectors,
      Optional<String> mtaStsPolicy,
      boolean probe,
      int smtpPort) {
    this.dns = options.resolver();
    this.offline = options.offline();
    this.selectors = List.copyOf(selectors);
    this.mtaStsPolicy = mtaStsPolicy;
    Duration timeout = options.timeout();
    this.smtpPort = smtpPort;
    this.probe =
        probe
            ? Optional.of(
                SmtpTlsProbe.builder()
                    .port(smtpPort)
                    .connectTimeout(timeout)
                    .timeout(timeout)
                    .build())
            : Optional.empty();
    this.spf = SpfVerifier.builder(dns).receiver("mailauth").timeout(timeout).build();
    this.dmarc =
        DmarcVerifier.builder(dns).profile(options.dmarcProfile()).timeout(timeout).build();
    this.mtaSts =
        MtaStsSetupCheck.builder(dns)
            .fetcher(MtaStsPolicyFetcher.builder().connectTimeout(timeout).timeout(timeout).build())
            .build();
    this.tlsRpt = TlsRptRecordResolver.builder(dns).build();
    this.tlsa = TlsaResolver.builder(dns).build();
  }

  /** The checked domain: facts for the JSON document and the text, and the findings. */
  static final class Posture {
    final DomainName domain;
    final ObjectNode message = Json.object();
    final ObjectNode transport = Json.object();
    final List<Finding> findings = new ArrayList<>();
    final List<String> summary = new ArrayList<>();

    /** A null MX, or no such domain: transport security has nothing to protect. */
    boolean receivesNoMail;

    Posture(DomainName domain) {
      this.domain = domain;
    }

    Finding.Severity worst() {
      return findings.stream()
          .map(Finding::severity)
          .max(Enum::compareTo)
          .orElse(Finding.Severity.OK);
    }

    boolean temporary() {
      return findings.stream().anyMatch(Finding::temporary);
    }

    void add(Finding.Severity severity, String area, String topic, String message, String fix) {
      findings.add(Finding.of(severity, area, topic, message, fix));
    }
  }

  CompletableFuture<Posture> checkAsync(DomainName domain) {
    Posture p = new Posture(domain);
    CompletableFuture<DnsAnswer<TxtRecord>> txt = lookup(DnsQuery.txt(domain));
    CompletableFuture<SpfOutcome> spfOutcome =
        (spf.checkHostAsync(PROBE_ADDRESS, domain.toString(), domain, "postmaster@" + domain));
    CompletableFuture<SpfOutcome> spfOutcome6 =
        spf.checkHostAsync(PROBE_ADDRESS_6, domain.toString(), domain, "postmaster@" + domain);
    CompletableFuture<DmarcOutcome> dmarcOutcome =
        (dmarc.evaluateAsync(
            AuthorDomains.parse(List.of("postmaster@" + domain), 1), List.of(), List.of()));
    List<CompletableFuture<DnsAnswer<TxtRecord>>> keys = new ArrayList<>();
    for (String selector : selectors) {
      keys.add(keyName(domain, selector).map(n -> lookup(DnsQuery.txt(n))).orElse(null));
    }
    CompletableFuture<DnsAnswer<MxHost>> mx = lookup(DnsQuery.mx(domain));
    Optional<DomainName> stsName = prepend(domain, "_mta-sts");
    CompletableFuture<DnsAnswer<TxtRecord>> sts =
        stsName.map(n -> lookup(DnsQuery.txt(n))).orElse(CompletableFuture.completedFuture(null));
    CompletableFuture<Optional<SetupReport>> setup =
        sts.thenCompose(
            answer -> {
              boolean published =
                  answer != null
                      && answer.records().stream()
                          .anyMatch(r -> MtaStsRecord.isMtaStsRecord(r.text()));
              if (!published) {
                return CompletableFuture.completedFuture(Optional.empty());
              }
              if (mtaStsPolicy.isPresent()) {
                return (mtaSts.checkAsync(domain, mtaStsPolicy.get())).thenApply(Optional::of);
              }
              if (offline) {
                return CompletableFuture.completedFuture(Optional.empty());
              }
              return (mtaSts.checkAsync(domain)).thenApply(Optional::of);
            });
    CompletableFuture<TlsRptRecordLookup> report = (tlsRpt.lookupAsync(domain));
    CompletableFuture<List<TlsaLookup>> dane =
        mx.thenCompose(
            answer -> {
              List<CompletableFuture<TlsaLookup>> each = new ArrayList<>();
              for (DomainName host : hosts(domain, answer)) {
                each.add(tlsa.lookupAsync(host, SMTP_PORT));
              }
              return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                  .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
            });
    CompletableFuture<List<Probed>> probed =
        probe.isEmpty()
            ? CompletableFuture.completedFuture(List.of())
            : dane.thenCompose(this::probeAll);

    List<CompletableFuture<?>> all =
        new ArrayList<>(List.of(txt, spfOutcome, spfOutcome6, dmarcOutcome, mx));
    keys.stream().filter(k -> k != null).forEach(all::add);
    all.addAll(List.of(sts, setup, report, dane, probed));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              spf(p, txt.join(), spfOutcome.join(), spfOutcome6.join());
              dmarc(p, dmarcOutcome.join());
              dkim(p, keys);
              mx(p, mx.join());
              mtaSts(p, sts.join(), setup.join());
              tlsRpt(p, report.join());
              dane(p, dane.join());
              starttls(p, probed.join());
              return p;
            });
  }

  // ---------------------------------------------------------------- message authentication

  private void spf(Posture p, DnsAnswer<TxtRecord> txt, SpfOutcome o, SpfOutcome o6) {
    ObjectNode n = p.message.putObject("spf");
    List<String> records =
        txt.records().stream().map(TxtRecord::text).filter(SpfRecord::isSpfRecord).toList();
    n.set("records", Json.strings(records));
    n.put("result", o.result().token());
    n.put("dnsLookups", o.dnsLookups());
    n.put("voidLookups", o.voidLookups());
    Json.put(n, "decidedBy", o.mechanism());
    n.set("trace", Describe.spf(o).get("trace"));
    p.summary.add(
        line(
            "SPF",
            txt.isTempFail()
                ? "not known: DNS failed"
                : records.isEmpty() ? "no record" : String.join(" | ", records),
            records.isEmpty()
                ? ""
                : o.dnsLookups() + " DNS lookups, " + o.voidLookups() + " void"));
    String fix = "publish a TXT record at " + p.domain + " such as \"v=spf1 mx -all\"";
    switch (o.result()) {
      case TEMPERROR:
        p.findings.add(
            Finding.temporary(MESSAGE, "spf", "SPF could not be checked: " + o.detail()));
        return;
      case NONE:
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "spf",
            "no SPF record: receivers cannot tell which servers send for " + p.domain,
            fix);
        return;
      case PERMERROR:
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "spf",
            "the SPF record is broken (permerror): " + o.detail(),
            o.dnsLookups() > MAX_DNS_LOOKUPS
                ? "flatten includes or drop unused mechanisms: at most 10 DNS lookups (RFC 7208"
                    + " §4.6.4)"
                : "correct the record (RFC 7208 §12)");
        return;
      case PASS:
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "spf",
            "the record passes "
                + Addresses.text(PROBE_ADDRESS)
                + ", an address that sends no mail: anyone may send as "
                + p.domain
                + " (decided by "
                + o.mechanism().orElse("?")
                + ")",
            "list only your own senders and end with -all or ~all");
        break;
      case FAIL:
        p.add(
            Finding.Severity.OK,
            MESSAGE,
            "spf",
            "others fail (decided by " + o.mechanism().orElse("the record") + ")",
            "");
        break;
      case SOFTFAIL:
        p.add(
            Finding.Severity.INFO,
            MESSAGE,
            "spf",
            "others get softfail (decided by "
                + o.mechanism().orElse("the record")
                + "), and DMARC decides",
            "");
        break;
      default:
        p.add(
            Finding.Severity.WARNING,
            MESSAGE,
            "spf",
            o.mechanism().isPresent()
                ? "the record ends in " + o.mechanism().get() + ": others get neutral"
                : "the record has no all mechanism: others get neutral",
            "end the record with -all or ~all");
    }
    if (o6.result() == SpfResult.PASS && o.result() != SpfResult.PASS) {
      p.add(
          Finding.Severity.ERROR,
          MESSAGE,
          "spf",
          "the record passes "
              + Addresses.text(PROBE_ADDRESS_6)
              + ", an IPv6 address that sends no mail: anyone may send as "
              + p.domain
              + " over IPv6 (decided by "
              + o6.mechanism().orElse("?")
              + ")",
          "close IPv6 as well: end the record with -all, not with ip4 exclusions and +all");
    }
    if (o.dnsLookups() >= MAX_DNS_LOOKUPS - 1) {
      p.add(
          Finding.Severity.WARNING,
          MESSAGE,
          "spf",
          o.dnsLookups() + " of at most 10 DNS lookups: one more include breaks SPF",
          "flatten includes or drop unused mechanisms (RFC 7208 §4.6.4)");
    }
    if (o.voidLookups() > 0) {
      p.add(
          Finding.Severity.WARNING,
          MESSAGE,
          "spf",
          o.voidLookups()
              + " lookup(s) found nothing (void); more than 2 make SPF fail with permerror",
          "remove mechanisms that name domains without records (RFC 7208 §4.6.4)");
    }
  }

  private void dmarc(Posture p, DmarcOutcome o) {
    ObjectNode n = p.message.putObject("dmarc");
    Json.put(n, "record", o.record().map(DmarcRecord::text));
    Json.put(n, "policyDomain", o.policyDomain());
    Json.put(n, "organizationalDomain", o.organizationalDomain());
    Json.put(n, "p", o.record().flatMap(DmarcRecord::policy).map(x -> x.token()));
    n.set("trace", Describe.dmarcTrace(o));
    if (DmarcCommand.temporaryFailure(o)) {
      p.summary.add(line("DMARC", "not known: DNS failed", ""));
      p.findings.add(
          Finding.temporary(MESSAGE, "dmarc", "DMARC could not be looked up: " + o.detail()));
      return;
    }
    if (o.record().isEmpty()) {
      p.summary.add(line("DMARC", "no policy", ""));
      p.add(
          Finding.Severity.ERROR,
          MESSAGE,
          "dmarc",
          "no DMARC policy applies to mail from " + p.domain + ": " + o.detail(),
          o.trace().stream().anyMatch(l -> l.dmarcRecords().size() > 1)
              ? "keep exactly one DMARC record: receivers discard them all (RFC 9989 §4.10)"
              : "publish a TXT record at _dmarc."
                  + p.domain
                  + " such as \"v=DMARC1; p=none; rua=mailto:dmarc-reports@"
                  + p.domain
                  + "\", then move to quarantine and reject");
      return;
    }
    DmarcRecord r = o.record().get();
    DomainName policyDomain = o.policyDomain().orElse(p.domain);
    p.summary.add(
        line("DMARC", r.text(), policyDomain.equals(p.domain) ? "" : "from " + policyDomain));
    if (!policyDomain.equals(p.domain)) {
      p.add(
          Finding.Severity.INFO,
          MESSAGE,
          "dmarc",
          "the policy comes from " + policyDomain + ", above " + p.domain,
          "");
    }
    boolean errors = false;
    for (DmarcRecordFinding finding : r.lint(dmarc.profile())) {
      Finding.Severity s =
          switch (finding.severity()) {
            case ERROR -> Finding.Severity.ERROR;
            case WARNING -> Finding.Severity.WARNING;
            case INFO -> Finding.Severity.INFO;
            case OK -> Finding.Severity.OK;
          };
      errors |= s == Finding.Severity.ERROR;
      p.add(s, MESSAGE, "dmarc", finding.message(), "");
    }
    if (!errors && r.hasUsablePolicy()) {
      p.add(
          Finding.Severity.OK,
          MESSAGE,
          "dmarc",
          "policy p=" + r.policy().map(x -> x.token()).orElse("?") + " at _dmarc." + policyDomain,
          "");
    }
  }

  private void dkim(Posture p, List<CompletableFuture<DnsAnswer<TxtRecord>>> keys) {
    ArrayNode list = p.message.putArray("dkim");
    if (selectors.isEmpty()) {
      p.add(
          Finding.Severity.INFO,
          MESSAGE,
          "dkim",
          "no selector given, so no DKIM key was checked: selectors cannot be discovered",
          "name the selectors in use with --selector");
      return;
    }
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < selectors.size(); i++) {
      String selector = selectors.get(i);
      ObjectNode k = list.addObject();
      k.put("selector", selector);
      Optional<DomainName> name = keyName(p.domain, selector);
      k.put("name", name.map(Object::toString).orElse(selector + "._domainkey." + p.domain));
      if (name.isEmpty() || keys.get(i) == null) {
        k.put("status", "invalid-selector");
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "dkim",
            "selector " + selector + " makes no valid DNS name",
            "");
        shown.add(selector + ": invalid");
        continue;
      }
      DnsAnswer<TxtRecord> answer = keys.get(i).join();
      String where = name.get().toString();
      if (answer.isTempFail()) {
        k.put("status", "temporary-failure");
        p.findings.add(
            Finding.temporary(
                MESSAGE,
                "dkim",
                "the key at "
                    + where
                    + " could not be looked up: "
                    + answer.failure().map(DnsFailure::detail).orElse("")));
        shown.add(selector + ": DNS failed");
        continue;
      }
      List<String> texts = answer.records().stream().map(TxtRecord::text).toList();
      if (texts.isEmpty()) {
        k.put("status", "not-found");
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "dkim",
            "no DKIM key at " + where,
            "publish the selector's key record (mailauth keygen prints it)");
        shown.add(selector + ": no key");
        continue;
      }
      if (texts.size() > 1) {
        k.put("status", "ambiguous");
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "dkim",
            where + " has " + texts.size() + " TXT records: verifiers may use any of them",
            "keep one key record per selector");
        shown.add(selector + ": " + texts.size() + " records");
        continue;
      }
      k.put("record", texts.get(0));
      DkimKeyRecord key;
      try {
        key = DkimKeyRecord.parse(texts.get(0));
      } catch (IllegalArgumentException e) {
        k.put("status", "invalid");
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "dkim",
            "the key record at " + where + " is invalid: " + e.getMessage(),
            "publish the record mailauth keygen prints");
        shown.add(selector + ": invalid");
        continue;
      }
      k.put("keyType", key.keyType());
      k.put("testing", key.testing());
      if (key.isRevoked()) {
        k.put("status", "revoked");
        k.putNull("keyBits");
        p.add(
            Finding.Severity.INFO, MESSAGE, "dkim", "the key at " + where + " is revoked (p=)", "");
        shown.add(selector + ": revoked");
        continue;
      }
      OptionalInt bits = Describe.keyBits(key);
      if (bits.isEmpty()) {
        k.put("status", "invalid");
        k.putNull("keyBits");
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "dkim",
            "the public key at " + where + " does not decode as a " + key.keyType() + " key",
            "publish the record mailauth keygen prints");
        shown.add(selector + ": bad key");
        continue;
      }
      k.put("status", "found");
      k.put("keyBits", bits.getAsInt());
      shown.add(selector + ": " + key.keyType() + " " + bits.getAsInt() + " bits");
      boolean rsa = !"ed25519".equalsIgnoreCase(key.keyType());
      if (rsa && bits.getAsInt() < 1024) {
        p.add(
            Finding.Severity.ERROR,
            MESSAGE,
            "dkim",
            "the RSA key at "
                + where
                + " has "
                + bits.getAsInt()
                + " bits: verifiers must refuse keys under 1024 bits (RFC 8301 §3.2)",
            "generate a 2048-bit key: mailauth keygen --type rsa --bits 2048");
      } else if (rsa && bits.getAsInt() < 2048) {
        p.add(
            Finding.Severity.WARNING,
            MESSAGE,
            "dkim",
            "the RSA key at " + where + " has " + bits.getAsInt() + " bits; 2048 are advised",
            "generate a 2048-bit key: mailauth keygen --type rsa --bits 2048");
      } else {
        p.add(
            Finding.Severity.OK,
            MESSAGE,
            "dkim",
            "key " + selector + ": " + key.keyType() + ", " + bits.getAsInt() + " bits",
            "");
      }
      if (key.testing()) {
        p.add(
            Finding.Severity.WARNING,
            MESSAGE,
            "dkim",
            "the key at " + where + " says t=y: verifiers may treat its signatures as absent",
            "remove t=y once signing works (RFC 6376 §3.6.1)");
      }
    }
    p.summary.add(line("DKIM", String.join("; ", shown), ""));
  }

  // ---------------------------------------------------------------- transport security

  private static List<DomainName> hosts(DomainName domain, DnsAnswer<MxHost> answer) {
    if (answer.isTempFail()) {
      return List.of();
    }
    if (answer.records().isEmpty()) {
      return answer.status() == DnsStatus.NXDOMAIN ? List.of() : List.of(domain); // implicit MX
    }
    return answer.records().stream()
        .filter(h -> !h.isNullMx())
        .sorted(java.util.Comparator.comparingInt(MxHost::preference))
        .map(MxHost::exchange)
        .distinct()
        .limit(MAX_MX_HOSTS)
        .toList();
  }

  private void mx(Posture p, DnsAnswer<MxHost> answer) {
    if (answer.isTempFail()) {
      p.transport.putNull("mx");
      p.summary.add(line("MX", "not known: DNS failed", ""));
      p.findings.add(
          Finding.temporary(
              TRANSPORT,
              "mx",
              "the MX records could not be looked up: "
                  + answer.failure().map(DnsFailure::detail).orElse("")));
      return;
    }
    ArrayNode list = p.transport.putArray("mx");
    for (MxHost h : answer.records()) {
      ObjectNode m = list.addObject();
      m.put("preference", h.preference());
      m.put("host", h.exchange().toString());
    }
    boolean nullMx = answer.records().stream().anyMatch(MxHost::isNullMx);
    if (nullMx && answer.records().size() > 1) {
      p.summary.add(line("MX", "a null MX among other MX records", ""));
      p.add(
          Finding.Severity.ERROR,
          TRANSPORT,
          "mx",
          "a null MX (\"0 .\") stands beside other MX records: RFC 7505 §3 forbids that, and"
              + " senders may take the domain as receiving no mail",
          "remove the null MX if the domain receives mail, else the other MX records");
    } else if (nullMx) {
      p.receivesNoMail = true;
      p.summary.add(line("MX", "null MX: the domain accepts no mail", ""));
      p.add(
          Finding.Severity.INFO,
          TRANSPORT,
          "mx",
          p.domain + " publishes a null MX (RFC 7505): it receives no mail",
          "");
    } else if (answer.status() == DnsStatus.NXDOMAIN) {
      p.receivesNoMail = true;
      p.summary.add(line("MX", "the domain does not exist (NXDOMAIN)", ""));
      p.add(
          Finding.Severity.INFO,
          TRANSPORT,
          "mx",
          p.domain + " does not exist: no mail is delivered to it",
          "");
    } else if (answer.records().isEmpty()) {
      p.summary.add(line("MX", "none: mail goes to the domain's own address", ""));
      p.add(
          Finding.Severity.INFO,
          TRANSPORT,
          "mx",
          "no MX records: senders deliver to the address of " + p.domain + " (RFC 5321 §5.1)",
          "");
    } else {
      p.summary.add(
          line(
              "MX",
              String.join(
                  ", ",
                  answer.records().stream().map(h -> h.preference() + " " + h.exchange()).toList()),
              ""));
    }
  }

  private void mtaSts(Posture p, DnsAnswer<TxtRecord> answer, Optional<SetupReport> setup) {
    ObjectNode n = p.transport.putObject("mtaSts");
    if (answer == null) {
      n.put("status", "invalid-name");
      n.putNull("record");
      p.summary.add(line("MTA-STS", "not possible: the domain name is too long", ""));
      return;
    }
    if (answer.isTempFail()) {
      n.put("status", "temporary-failure");
      n.putNull("record");
      p.summary.add(line("MTA-STS", "not known: DNS failed", ""));
      p.findings.add(
          Finding.temporary(
              TRANSPORT,
              "mta-sts",
              "the MTA-STS record could not be looked up: "
                  + answer.failure().map(DnsFailure::detail).orElse("")));
      return;
    }
    List<String> records =
        answer.records().stream()
            .map(TxtRecord::text)
            .filter(MtaStsRecord::isMtaStsRecord)
            .toList();
    if (records.isEmpty()) {
      n.put("status", "none");
      n.putNull("record");
      p.summary.add(line("MTA-STS", "no record", ""));
      if (p.receivesNoMail) {
        p.add(Finding.Severity.INFO, TRANSPORT, "mta-sts", "no MTA-STS record, none needed", "");
        return;
      }
      p.add(
          Finding.Severity.WARNING,
          TRANSPORT,
          "mta-sts",
          "no MTA-STS record: senders cannot tell that "
              + p.domain
              + " always offers authenticated TLS, so an attacker can strip it",
          "publish a policy at https://mta-sts."
              + p.domain
              + "/.well-known/mta-sts.txt and a TXT record at _mta-sts."
              + p.domain
              + " (RFC 8461); start with mode: testing");
      return;
    }
    n.set("record", Json.strings(records));
    if (setup.isEmpty()) {
      n.put("status", "not-fetched");
      String id;
      try {
        id = "id " + MtaStsRecord.parse(records.get(0)).id();
      } catch (MtaStsSyntaxException e) {
        id = "invalid: " + e.getMessage();
      }
      p.summary.add(line("MTA-STS", records.get(0), id));
      p.add(
          Finding.Severity.INFO,
          TRANSPORT,
          "mta-sts",
          "the policy was not fetched: offline (--zone); give it with --mta-sts-policy FILE",
          "");
      return;
    }
    SetupReport report = setup.get();
    n.put(
        "status", report.record().isPresent() && report.policy().isPresent() ? "valid" : "invalid");
    n.put("source", mtaStsPolicy.isPresent() ? "file" : "https");
    report
        .policy()
        .ifPresent(
            policy -> {
              n.put("mode", Describe.token(policy.mode()));
              n.put("maxAge", policy.maxAge().getSeconds());
              n.set("mx", Json.strings(policy.mx()));
            });
    p.summary.add(
        line(
            "MTA-STS",
            records.get(0),
            report
                .policy()
                .map(
                    policy ->
                        "mode "
                            + Describe.token(policy.mode())
                            + ", max_age "
                            + policy.maxAge().getSeconds()
                            + ", mx "
                            + policy.mx())
                .orElse("no valid policy")));
    for (SetupFinding f : report.findings()) {
      if (f.topic().equals("tls-rpt")) {
        continue; // the TLS-RPT record is checked on its own, with its problems
      }
      p.findings.add(
          new Finding(
              Finding.Severity.valueOf(f.severity().name()),
              TRANSPORT,
              "mta-sts",
              f.message(),
              f.fix(),
              f.temporary()));
    }
  }

  private void tlsRpt(Posture p, TlsRptRecordLookup lookup) {
    ObjectNode n = p.transport.putObject("tlsRpt");
    n.put("status", Describe.token(lookup.status()));
    Json.put(n, "record", lookup.record().map(r -> r.toText()));
    n.set("rua", Json.strings(lookup.record().map(r -> r.reportUris()).orElse(List.of())));
    switch (lookup.status()) {
      case FOUND:
        p.summary.add(line("TLS-RPT", lookup.record().orElseThrow().toText(), ""));
        p.add(Finding.Severity.OK, TRANSPORT, "tls-rpt", "senders report TLS failures", "");
        for (TlsRptRecordFinding problem : lookup.findings()) {
          p.add(
              Finding.Severity.valueOf(problem.severity().name()),
              TRANSPORT,
              "tls-rpt",
              problem.message(),
              "");
        }
        break;
      case TEMP_FAIL:
        p.summary.add(line("TLS-RPT", "not known: DNS failed", ""));
        p.findings.add(Finding.temporary(TRANSPORT, "tls-rpt", lookup.detail()));
        break;
      case NO_RECORD:
        p.summary.add(line("TLS-RPT", "no record", ""));
        if (p.receivesNoMail) {
          p.add(Finding.Severity.INFO, TRANSPORT, "tls-rpt", "no TLS-RPT record, none needed", "");
          break;
        }
        p.add(
            Finding.Severity.WARNING,
            TRANSPORT,
            "tls-rpt",
            "no TLS-RPT record: no sender reports the TLS failures it sees",
            "publish \"v=TLSRPTv1; rua=mailto:tls-reports@"
                + p.domain
                + "\" at _smtp._tls."
                + p.domain
                + " (RFC 8460)");
        break;
      default:
        p.summary.add(line("TLS-RPT", "unusable", ""));
        p.add(
            Finding.Severity.ERROR,
            TRANSPORT,
            "tls-rpt",
            lookup.detail(),
            "keep exactly one valid" + " v=TLSRPTv1 record (RFC 8460 §3)");
    }
  }

  private void dane(Posture p, List<TlsaLookup> lookups) {
    ArrayNode list = p.transport.putArray("dane");
    List<String> shown = new ArrayList<>();
    for (TlsaLookup l : lookups) {
      ObjectNode d = list.addObject();
      d.put("host", l.host().toString());
      d.put("status", Describe.token(l.status()));
      d.set("records", Json.strings(l.records().stream().map(TlsaRecord::toText).toList()));
      d.put("detail", l.detail());
      shown.add(l.host() + ": " + Describe.token(l.status()));
      switch (l.status()) {
        case USABLE:
          p.add(
              Finding.Severity.OK,
              TRANSPORT,
              "dane",
              l.host()
                  + " has "
                  + l.usableRecords().size()
                  + " usable TLSA record(s) under DNSSEC: DANE senders authenticate it",
              "");
          break;
        case UNUSABLE:
          p.add(
              Finding.Severity.ERROR,
              TRANSPORT,
              "dane",
              l.host() + " has TLSA records but none usable: " + l.detail(),
              "publish DANE-EE (3 1 1) or DANE-TA (2 1 1) records (RFC 7672 §3.1)");
          break;
        case FAILED:
          boolean temporary =
              l.failure().map(f -> f.kind() != DnsFailure.Kind.DNSSEC_BOGUS).orElse(false);
          p.findings.add(
              new Finding(
                  Finding.Severity.ERROR,
                  TRANSPORT,
                  "dane",
                  "the TLSA lookup for "
                      + l.host()
                      + " failed, so DANE senders cannot deliver"
                      + " to it: "
                      + l.detail(),
                  temporary ? "check again when DNS answers" : "fix the zone's DNSSEC signatures",
                  temporary));
          break;
        case NOT_FOUND:
          p.add(
              Finding.Severity.INFO,
              TRANSPORT,
              "dane",
              l.host() + " is DNSSEC-signed without TLSA records: DANE is not used",
              "publish TLSA records at _25._tcp." + l.host() + " (RFC 7672)");
          break;
        default:
          p.add(
              Finding.Severity.INFO,
              TRANSPORT,
              "dane",
              l.host() + " is not DNSSEC-validated: DANE cannot apply",
              "");
      }
    }
    p.summary.add(
        line(
            "DANE",
            shown.isEmpty()
                ? (p.transport.path("mx").isNull() ? "not known: DNS failed" : "no MX host")
                : String.join("; ", shown),
            ""));
  }

  // ---------------------------------------------------------------- STARTTLS probe

  private record Probed(
      TlsaLookup lookup, Optional<InetAddress> address, SmtpTlsProbeResult result) {}

  private CompletableFuture<List<Probed>> probeAll(List<TlsaLookup> lookups) {
    List<CompletableFuture<Probed>> each = new ArrayList<>();
    for (TlsaLookup l : lookups) {
      each.add(
          address(l)
              .thenCompose(
                  address -> {
                    if (address.isEmpty()) {
                      return CompletableFuture.completedFuture(new Probed(l, address, null));
                    }
                    return (probe
                            .orElseThrow()
                            .probeAsync(new InetSocketAddress(address.get(), smtpPort), l.host()))
                        .thenApply(r -> new Probed(l, address, r));
                  }));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<Optional<InetAddress>> address(TlsaLookup l) {
    if (!l.addresses().isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(l.addresses().get(0)));
    }
    return lookup(DnsQuery.a(l.host()))
        .thenApply(a -> a.records().stream().findFirst().map(InetAddress.class::cast));
  }

  private void starttls(Posture p, List<Probed> probed) {
    if (probe.isEmpty()) {
      p.transport.putNull("starttls");
      return;
    }
    ArrayNode list = p.transport.putArray("starttls");
    DaneVerifier dane = DaneVerifier.builder().build();
    for (Probed x : probed) {
      ObjectNode s = list.addObject();
      s.put("host", x.lookup().host().toString());
      Json.put(s, "address", x.address().map(Addresses::text));
      if (x.result() == null) {
        s.put("status", "no-address");
        p.add(
            Finding.Severity.ERROR,
            TRANSPORT,
            "starttls",
            "MX host " + x.lookup().host() + " has no address",
            "publish an A or AAAA record for it");
        continue;
      }
      SmtpTlsProbeResult r = x.result();
      s.put("status", Describe.token(r.status()));
      Json.put(s, "tlsProtocol", r.tlsProtocol());
      Json.put(s, "cipherSuite", r.cipherSuite());
      s.put("detail", r.detail());
      String host = x.lookup().host().toString();
      switch (r.status()) {
        case TLS_ESTABLISHED:
          p.add(
              Finding.Severity.OK,
              TRANSPORT,
              "starttls",
              host
                  + " offers STARTTLS: "
                  + r.tlsProtocol().orElse("?")
                  + ", "
                  + r.cipherSuite().orElse("?"),
              "");
          if (x.lookup().status() == TlsaLookup.Status.USABLE) {
            DaneResult d = dane.verify(x.lookup(), List.of(), r.chain());
            s.put("dane", d.passed() ? "pass" : "fail");
            p.add(
                d.passed() ? Finding.Severity.OK : Finding.Severity.ERROR,
                TRANSPORT,
                "dane",
                host + ": " + d.detail(),
                d.passed() ? "" : "publish TLSA records that match the served certificate");
          }
          break;
        case CONNECT_FAILED:
        case TIMEOUT:
          p.findings.add(
              new Finding(
                  Finding.Severity.ERROR,
                  TRANSPORT,
                  "starttls",
                  host + " could not be probed: " + r.detail(),
                  "check again later, from a network that reaches port " + smtpPort,
                  true));
          break;
        default:
          p.add(
              Finding.Severity.ERROR,
              TRANSPORT,
              "starttls",
              host + ": " + r.detail(),
              "offer STARTTLS with a certificate for the MX name (RFC 3207)");
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String line(String what, String value, String note) {
    return String.format("%-8s %s%s", what, value, note.isEmpty() ? "" : "  (" + note + ")");
  }

  private static Optional<DomainName> keyName(DomainName domain, String selector) {
    // RFC 6376 §3.1: a selector is dot-separated labels of letters, digits, hyphens, underscores
    if (!selector.matches(
        "[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*")) {
      return Optional.empty();
    }
    try {
      return Optional.of(domain.prepend(DomainName.parse(selector + "._domainkey").toString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<DomainName> prepend(DomainName domain, String labels) {
    try {
      return Optional.of(domain.prepend(labels));
    } catch (DnsSyntaxException e) {
      return Optional.empty();
    }
  }

  private <T> CompletableFuture<DnsAnswer<T>> lookup(DnsQuery<T> query) {
    return dns.lookupAsync(query)
        .exceptionally(
            e ->
                DnsAnswer.tempFail(
                    query, DnsFailure.of(DnsFailure.Kind.NETWORK_ERROR, e.toString(), e)));
  }
}
