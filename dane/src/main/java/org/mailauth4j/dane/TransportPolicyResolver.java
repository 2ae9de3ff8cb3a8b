package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.MxHost;
import org.mailauth4j.mtasts.MtaStsMode;
import org.mailauth4j.mtasts.MtaStsPolicyResolver;
import org.mailauth4j.mtasts.MxTlsVerifier;
import org.mailauth4j.mtasts.PolicyLookup;
import org.mailauth4j.mtasts.TlsRptResultType;

/**
 * Works out the sending MTA's {@link TransportPolicy} for a recipient domain: its MX hosts in the
 * order to try them, and for each whether DANE, TLS without authentication, MTA-STS or
 * opportunistic TLS applies, or that it is not to be tried.
 *
 * <ul>
 *   <li>The MX records and, if an {@link MtaStsPolicyResolver} is configured, the MTA-STS policy
 *       are looked up at once. A failed or bogus MX lookup defers delivery ({@link
 *       TransportPolicy.Status#TEMP_FAIL}, RFC 7672 §2.1.1); a null MX (RFC 7505) and a domain that
 *       does not exist are told apart; no MX records make the domain its own host (RFC 5321 §5.1).
 *   <li>Only when the MX RRset (or its denial) is DNSSEC-validated are TLSA records looked up for
 *       the hosts. RFC 7672 §2.2.1 allows DANE with hosts from an insecure MX RRset; this resolver
 *       does not apply it, since an attacker who can forge that RRset chooses the hosts, and their
 *       TLSA records, anyway.
 *   <li>Per host: a failed TLSA lookup makes it unreachable ({@code dnssec-invalid}); usable TLSA
 *       records make it {@link MxTransport.Security#DANE}; only unusable ones, {@link
 *       MxTransport.Security#TLS_ONLY}. DANE takes precedence over MTA-STS host by host (RFC 8461
 *       §2: a valid or testing MTA-STS policy must not override failing DANE); the hosts without
 *       DANE are unreachable ({@code dane-required}) if DANE is required for the domain, else
 *       judged by the MTA-STS policy in mode {@code enforce} or {@code testing}, else
 *       opportunistic.
 * </ul>
 *
 * <p>DNS trouble never throws: every failure is a value in the policy. Immutable and thread-safe.
 *
 * <pre>{@code
 * TransportPolicyResolver transport = TransportPolicyResolver.builder(dns)
 *     .mtaSts(MtaStsPolicyResolver.builder(dns).build())
 *     .build();
 * TransportPolicy policy = transport.resolve(DomainName.parse("example.com"));
 * for (MxTransport mx : policy.mxHosts()) { ... }
 * }</pre>
 */
public final class TransportPolicyResolver {
  private static final Pattern IPV4_LITERAL =
      Pattern.compile(
          "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern IPV6_LITERAL =
      Pattern.compile("\\[[0-9a-f:.]*:[0-9a-f:.]*\\]|[0-9a-f:.]*:[0-9a-f:.]*");

  private final DnsResolver dns;
  private final Optional<MtaStsPolicyResolver> mtaSts;
  private final MxTlsVerifier mxTlsVerifier;
  private final DaneVerifier daneVerifier;
  private final TlsaResolver tlsaResolver;
  private final Predicate<DomainName> requireDane;
  private final int maxMxHosts;

  private TransportPolicyResolver(Builder b) {
    this.dns = b.dns;
    this.mtaSts = Optional.ofNullable(b.mtaSts);
    this.mxTlsVerifier =
        b.mxTlsVerifier != null ? b.mxTlsVerifier : MxTlsVerifier.builder().build();
    this.daneVerifier = b.daneVerifier != null ? b.daneVerifier : DaneVerifier.builder().build();
    this.tlsaResolver =
        b.tlsaResolver != null ? b.tlsaResolver : TlsaResolver.builder(b.dns).build();
    this.requireDane = b.requireDane;
    this.maxMxHosts = b.maxMxHosts;
  }

  /**
   * Starts configuring a resolver.
   *
   * @param dns where MX, address and TLSA records are looked up; DANE applies only if it reports
   *     DNSSEC validation
   * @return a builder: no MTA-STS, default verifiers, DANE required for no domain, 16 MX hosts
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(requireNonNull(dns, "dns"));
  }

  /**
   * Works out how to deliver to a recipient domain.
   *
   * @param recipientDomain the domain of the recipient address
   * @return a future of the policy; it always completes normally
   */
  public CompletableFuture<TransportPolicy> resolveAsync(DomainName recipientDomain) {
    requireNonNull(recipientDomain, "recipientDomain");
    CompletableFuture<DnsAnswer<MxHost>> mx = ask(DnsQuery.mx(recipientDomain));
    CompletableFuture<Optional<PolicyLookup>> sts = stsLookup(recipientDomain);
    return mx.thenCombine(sts, (m, s) -> new Step(m, s))
        .thenCompose(step -> decide(recipientDomain, step.mx, step.sts));
  }

  /**
   * Works out how to deliver to a recipient domain and waits. This only joins {@link
   * #resolveAsync(DomainName)}.
   *
   * @param recipientDomain the domain of the recipient address
   * @return the policy
   */
  public TransportPolicy resolve(DomainName recipientDomain) {
    return resolveAsync(recipientDomain).join();
  }

  private record Step(DnsAnswer<MxHost> mx, Optional<PolicyLookup> sts) {}

  private CompletableFuture<Optional<PolicyLookup>> stsLookup(DomainName domain) {
    if (mtaSts.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<PolicyLookup> lookup;
    try {
      lookup = mtaSts.get().lookupAsync(domain);
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    // A lookup that broke counts as one whose record could not be read: no policy applies.
    return lookup.handle(
        (l, e) ->
            Optional.of(
                e == null
                    ? l
                    : PolicyLookup.builder()
                        .domain(domain)
                        .source(PolicyLookup.Source.NONE)
                        .recordStatus(PolicyLookup.RecordStatus.DNS_TEMPORARY_FAILURE)
                        .detail("the MTA-STS lookup failed: " + e)
                        .build()));
  }

  private <T> CompletableFuture<DnsAnswer<T>> ask(DnsQuery<T> query) {
    return Lookups.ask(dns, query);
  }

  private CompletableFuture<TransportPolicy> decide(
      DomainName domain, DnsAnswer<MxHost> mx, Optional<PolicyLookup> sts) {
    boolean authenticated = mx.authenticated();
    List<MxHost> hosts;
    boolean implicit = false;
    switch (mx.status()) {
      case TEMP_FAIL:
        DnsFailure failure = mx.failure().orElseThrow();
        return done(
            new TransportPolicy(
                domain,
                TransportPolicy.Status.TEMP_FAIL,
                false,
                false,
                List.of(),
                sts,
                Optional.of(failure),
                (failure.kind() == DnsFailure.Kind.DNSSEC_BOGUS
                        ? "the MX records of " + domain + " are bogus (RFC 7672 §2.1.1): "
                        : "the MX lookup for " + domain + " failed: ")
                    + failure.kind()
                    + ", "
                    + failure.detail()));
      case NXDOMAIN:
        return done(
            new TransportPolicy(
                domain,
                TransportPolicy.Status.NO_SUCH_DOMAIN,
                authenticated,
                false,
                List.of(),
                sts,
                Optional.empty(),
                domain + " does not exist"));
      case NO_DATA:
        // RFC 5321 §5.1: without MX records, the domain itself is the host, at preference 0.
        hosts = List.of(new MxHost(0, domain));
        implicit = true;
        break;
      default:
        // RFC 7505 §3: a null MX among other MX records is ignored; alone, no mail is accepted.
        hosts = mx.records().stream().filter(h -> !h.isNullMx()).toList();
        if (hosts.isEmpty()) {
          return done(
              new TransportPolicy(
                  domain,
                  TransportPolicy.Status.NULL_MX,
                  authenticated,
                  false,
                  List.of(),
                  sts,
                  Optional.empty(),
                  domain + " publishes a null MX: it accepts no mail (RFC 7505)"));
        }
        break;
    }
    List<MxHost> sorted = new ArrayList<>(hosts);
    sorted.sort(Comparator.comparingInt(MxHost::preference)); // stable: equal ones keep DNS order
    int dropped = Math.max(0, sorted.size() - maxMxHosts);
    List<MxHost> kept = sorted.subList(0, sorted.size() - dropped);

    List<CompletableFuture<MxTransport>> transports = new ArrayList<>();
    for (MxHost host : kept) {
      transports.add(transport(domain, host, authenticated, sts));
    }
    StringBuilder detail =
        new StringBuilder()
            .append(implicit ? "no MX records: " + domain + " is its own host" : "")
            .append(implicit ? "" : kept.size() + " MX hosts")
            .append(authenticated ? ", MX DNSSEC-validated" : ", MX not DNSSEC-validated")
            .append(authenticated ? "" : ": no TLSA lookups (RFC 7672 §2.2.1)");
    if (dropped > 0) {
      detail.append("; ").append(dropped).append(" MX hosts beyond the first ").append(maxMxHosts);
      detail.append(" dropped");
    }
    sts.ifPresent(l -> detail.append("; MTA-STS ").append(l.mode().token()));
    boolean implicitMx = implicit;
    return CompletableFuture.allOf(transports.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<MxTransport> resolved =
                  transports.stream().map(CompletableFuture::join).toList();
              if (resolved.stream()
                  .allMatch(t -> t.security() == MxTransport.Security.UNREACHABLE)) {
                // RFC 7672 §2.1.1: no host may be tried, so the delivery is deferred; the
                // refusals are still there for TLS-RPT.
                detail.append("; no MX host may be tried: defer delivery");
              }
              return new TransportPolicy(
                  domain,
                  TransportPolicy.Status.RESOLVED,
                  authenticated,
                  implicitMx,
                  resolved,
                  sts,
                  Optional.empty(),
                  detail.toString());
            });
  }

  private CompletableFuture<MxTransport> transport(
      DomainName domain, MxHost mx, boolean mxAuthenticated, Optional<PolicyLookup> sts) {
    DomainName host = mx.exchange();
    Optional<InetAddress> literal = addressLiteral(host);
    if (literal.isPresent()) {
      // RFC 5321 §5.1 wants a name in an MX record; a literal has no TLSA records to look up.
      // It is still a host without DANE: a DANE requirement refuses it, and an MTA-STS policy
      // judges it (its patterns name no address, so enforce refuses it too).
      return done(
          withoutDane(
              domain,
              mx,
              List.of(literal.get()),
              Optional.empty(),
              sts,
              host + " is an address literal, not a host name: no TLSA lookup"));
    }
    if (!mxAuthenticated) {
      // RFC 7672 §2.2.1: with an insecure MX RRset, DANE need not apply, and here it does not.
      return addresses(host)
          .thenApply(
              addresses ->
                  withoutDane(
                      domain,
                      mx,
                      addresses,
                      Optional.empty(),
                      sts,
                      "the MX records are not DNSSEC-validated: DANE does not apply"));
    }
    CompletableFuture<TlsaLookup> lookup;
    try {
      lookup = tlsaResolver.lookupAsync(host);
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    return lookup
        .handle(
            (l, e) ->
                e == null
                    ? l
                    : TlsaLookup.failed(
                        host,
                        25,
                        DnsFailure.of(DnsFailure.Kind.NETWORK_ERROR, "TLSA lookup failed: " + e, e),
                        "the TLSA lookup for " + host + " failed: " + e))
        .thenApply(tlsa -> withTlsa(domain, mx, tlsa, sts));
  }

  private MxTransport withTlsa(
      DomainName domain, MxHost mx, TlsaLookup tlsa, Optional<PolicyLookup> sts) {
    DomainName host = mx.exchange();
    switch (tlsa.status()) {
      case FAILED:
        // RFC 7672 §2.1.1, §2.2: a failed or bogus lookup makes the host unreachable.
        return new MxTransport(
            domain,
            host,
            mx.preference(),
            tlsa.addresses(),
            MxTransport.Security.UNREACHABLE,
            Optional.of(tlsa),
            sts,
            List.of(),
            Optional.of(TlsRptResultType.DNSSEC_INVALID),
            tlsa.detail(),
            daneVerifier,
            mxTlsVerifier);
      case USABLE:
        {
          // RFC 7672 §3.2.2: the TLSA base domain, the MX host name, the recipient domain.
          LinkedHashSet<DomainName> ids = new LinkedHashSet<>();
          ids.add(tlsa.baseDomain().orElse(host));
          ids.add(host);
          ids.add(domain);
          return new MxTransport(
              domain,
              host,
              mx.preference(),
              tlsa.addresses(),
              MxTransport.Security.DANE,
              Optional.of(tlsa),
              sts,
              List.copyOf(ids),
              Optional.empty(),
              tlsa.detail(),
              daneVerifier,
              mxTlsVerifier);
        }
      case UNUSABLE:
        // RFC 7672 §2.2, §3.1: secure TLSA records, none usable: TLS is still mandatory.
        return new MxTransport(
            domain,
            host,
            mx.preference(),
            tlsa.addresses(),
            MxTransport.Security.TLS_ONLY,
            Optional.of(tlsa),
            sts,
            List.of(),
            Optional.empty(),
            tlsa.detail(),
            daneVerifier,
            mxTlsVerifier);
      default:
        return withoutDane(domain, mx, tlsa.addresses(), Optional.of(tlsa), sts, tlsa.detail());
    }
  }

  /** A host without DANE: refused if DANE is required, else MTA-STS if it applies, else neither. */
  private MxTransport withoutDane(
      DomainName domain,
      MxHost mx,
      List<InetAddress> addresses,
      Optional<TlsaLookup> tlsa,
      Optional<PolicyLookup> sts,
      String why) {
    MxTransport.Security security;
    Optional<TlsRptResultType> refusal = Optional.empty();
    String detail;
    MtaStsMode mode = sts.map(PolicyLookup::mode).orElse(MtaStsMode.NONE);
    Optional<String> daneRequired = daneRequired(domain);
    if (daneRequired.isPresent()) {
      security = MxTransport.Security.UNREACHABLE;
      refusal = Optional.of(TlsRptResultType.DANE_REQUIRED);
      detail = why + "; " + daneRequired.get();
    } else if (mode == MtaStsMode.ENFORCE || mode == MtaStsMode.TESTING) {
      security = MxTransport.Security.MTA_STS;
      detail = why + "; MTA-STS policy in mode " + mode.token();
    } else {
      security = MxTransport.Security.OPPORTUNISTIC;
      detail = why + "; no MTA-STS policy applies: opportunistic TLS";
    }
    return new MxTransport(
        domain,
        mx.exchange(),
        mx.preference(),
        addresses,
        security,
        tlsa,
        sts,
        List.of(),
        refusal,
        detail,
        daneVerifier,
        mxTlsVerifier);
  }

  /**
   * Whether the domain requires DANE, and why. A predicate that throws fails closed: the domain is
   * taken to require DANE, so that a broken configuration defers mail rather than sending it with
   * less protection than asked for, and the future still completes normally.
   */
  private Optional<String> daneRequired(DomainName domain) {
    try {
      return requireDane.test(domain)
          ? Optional.of("DANE is required for " + domain)
          : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(
          "the requireDane predicate failed for "
              + domain
              + " ("
              + e
              + "): DANE taken as required");
    }
  }

  /** The host's addresses, IPv4 before IPv6; whatever failed adds none. */
  private CompletableFuture<List<InetAddress>> addresses(DomainName host) {
    CompletableFuture<DnsAnswer<Inet4Address>> a = ask(DnsQuery.a(host));
    CompletableFuture<DnsAnswer<Inet6Address>> aaaa = ask(DnsQuery.aaaa(host));
    return a.thenCombine(
        aaaa,
        (four, six) -> {
          List<InetAddress> all = new ArrayList<>(four.records());
          all.addAll(six.records());
          return List.copyOf(all);
        });
  }

  /** An MX target written as an IPv4 or IPv6 address, which some domains publish by mistake. */
  static Optional<InetAddress> addressLiteral(DomainName host) {
    String text = host.toString();
    try {
      if (IPV4_LITERAL.matcher(text).matches()) {
        byte[] octets = new byte[4];
        String[] parts = text.split("\\.");
        for (int i = 0; i < 4; i++) {
          octets[i] = (byte) Integer.parseInt(parts[i]);
        }
        return Optional.of(InetAddress.getByAddress(octets));
      }
      if (IPV6_LITERAL.matcher(text).matches()) {
        String bare = text.startsWith("[") ? text.substring(1, text.length() - 1) : text;
        // In brackets, the JDK parses the text as an IPv6 literal and never asks DNS.
        return Optional.of(InetAddress.getByName("[" + bare + "]"));
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /**
   * Configures a {@link TransportPolicyResolver}. Not thread-safe; build once, then share the
   * result.
   */
  public static final class Builder {
    private final DnsResolver dns;
    private MtaStsPolicyResolver mtaSts;
    private MxTlsVerifier mxTlsVerifier;
    private DaneVerifier daneVerifier;
    private TlsaResolver tlsaResolver;
    private Predicate<DomainName> requireDane = d -> false;
    private int maxMxHosts = 16;

    private Builder(DnsResolver dns) {
      this.dns = dns;
    }

    /**
     * Looks up the recipient domain's MTA-STS policy, which judges the hosts without DANE. Default:
     * none.
     *
     * @param resolver the MTA-STS resolver
     * @return this builder
     */
    public Builder mtaSts(MtaStsPolicyResolver resolver) {
      this.mtaSts = requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Sets the verifier of chains under MTA-STS. Default: {@link MxTlsVerifier} with its defaults.
     *
     * @param verifier the verifier
     * @return this builder
     */
    public Builder mxTlsVerifier(MxTlsVerifier verifier) {
      this.mxTlsVerifier = requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Sets the verifier of chains under DANE. Default: {@link DaneVerifier} with its defaults.
     *
     * @param verifier the verifier
     * @return this builder
     */
    public Builder daneVerifier(DaneVerifier verifier) {
      this.daneVerifier = requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Sets the resolver of TLSA records. Default: a {@link TlsaResolver} on the same DNS resolver.
     *
     * @param resolver the TLSA resolver
     * @return this builder
     */
    public Builder tlsaResolver(TlsaResolver resolver) {
      this.tlsaResolver = requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Names the recipient domains whose mail goes only to hosts with DANE: a host without usable or
     * unusable DNSSEC-validated TLSA records is refused with {@code dane-required} (RFC 8460
     * §4.3.2.1). Default: no domain. A predicate that throws is taken to say the domain requires
     * DANE.
     *
     * @param recipientDomains true for the domains that require DANE
     * @return this builder
     */
    public Builder requireDane(Predicate<DomainName> recipientDomains) {
      this.requireDane = requireNonNull(recipientDomains, "recipientDomains");
      return this;
    }

    /**
     * Sets how many MX hosts, in order of preference, are considered; the rest are dropped, so that
     * a hostile MX RRset cannot make a delivery look up hundreds of hosts.
     *
     * @param max at least 1; 16 by default
     * @return this builder
     */
    public Builder maxMxHosts(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxMxHosts must be at least 1: " + max);
      }
      this.maxMxHosts = max;
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return an immutable, thread-safe resolver
     */
    public TransportPolicyResolver build() {
      return new TransportPolicyResolver(this);
    }
  }
}
