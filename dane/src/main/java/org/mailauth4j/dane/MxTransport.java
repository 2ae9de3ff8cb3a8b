package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MtaStsMode;
import org.mailauth4j.mtasts.MxTlsVerifier;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.PolicyLookup;
import org.mailauth4j.mtasts.TlsRptPolicy;
import org.mailauth4j.mtasts.TlsRptResultType;

/**
 * One MX host of a {@link TransportPolicy}: how the sending MTA must treat it — DANE, TLS without
 * authentication, MTA-STS, opportunistic TLS, or not at all — what to send in SNI, and the verdict
 * on the session, which the TLS-RPT recorder takes as it is. Immutable and thread-safe.
 *
 * <pre>{@code
 * for (MxTransport mx : policy.mxHosts()) {
 *   Optional<MxVerdict> refused = mx.refusal();
 *   if (refused.isPresent()) { recorder.record(refused.get()); continue; }
 *   // connect to mx.addresses(), EHLO, STARTTLS with SNI mx.serverName() ...
 *   MxVerdict verdict = handshakeDone ? mx.verify(peerChain)
 *       : offeredStartTls ? mx.handshakeFailed(alert) : mx.noStartTls();
 *   recorder.record(verdict.withReceivingIp(peer));
 *   if (verdict.mayDeliver()) { ... send ...; break; }
 * }
 * }</pre>
 */
public final class MxTransport {

  /** How the host is treated, in the order RFC 8461 §2 and RFC 7672 §2 rank them. */
  public enum Security {
    /**
     * DNSSEC-validated, usable TLSA records: STARTTLS is required and the chain is judged by DANE
     * alone; an MTA-STS policy does not override it (RFC 8461 §2).
     */
    DANE,
    /**
     * DNSSEC-validated TLSA records, none usable: STARTTLS is required, the server is not
     * authenticated (RFC 7672 §2.2, §3.1).
     */
    TLS_ONLY,
    /**
     * No DANE; the recipient domain's MTA-STS policy (mode enforce or testing) judges the chain.
     */
    MTA_STS,
    /** Neither DANE nor an MTA-STS policy: TLS if the server offers it, not authenticated. */
    OPPORTUNISTIC,
    /**
     * Not to be tried: its TLSA lookup failed or was bogus (RFC 7672 §2.1.1), or DANE is required
     * for the destination and the host has none.
     */
    UNREACHABLE
  }

  private final DomainName recipientDomain;
  private final DomainName host;
  private final int preference;
  private final List<InetAddress> addresses;
  private final Security security;
  private final Optional<TlsaLookup> tlsa;
  private final Optional<PolicyLookup> mtaSts;
  private final List<DomainName> referenceIdentifiers;
  private final Optional<TlsRptResultType> refusalType;
  private final String detail;
  private final DaneVerifier daneVerifier;
  private final MxTlsVerifier mxTlsVerifier;

  MxTransport(
      DomainName recipientDomain,
      DomainName host,
      int preference,
      List<InetAddress> addresses,
      Security security,
      Optional<TlsaLookup> tlsa,
      Optional<PolicyLookup> mtaSts,
      List<DomainName> referenceIdentifiers,
      Optional<TlsRptResultType> refusalType,
      String detail,
      DaneVerifier daneVerifier,
      MxTlsVerifier mxTlsVerifier) {
    this.recipientDomain = requireNonNull(recipientDomain, "recipientDomain");
    this.host = requireNonNull(host, "host");
    this.preference = preference;
    this.addresses = List.copyOf(addresses);
    this.security = requireNonNull(security, "security");
    this.tlsa = requireNonNull(tlsa, "tlsa");
    this.mtaSts = requireNonNull(mtaSts, "mtaSts");
    this.referenceIdentifiers = List.copyOf(referenceIdentifiers);
    this.refusalType = requireNonNull(refusalType, "refusalType");
    this.detail = requireNonNull(detail, "detail");
    this.daneVerifier = requireNonNull(daneVerifier, "daneVerifier");
    this.mxTlsVerifier = requireNonNull(mxTlsVerifier, "mxTlsVerifier");
    if ((security == Security.DANE || security == Security.TLS_ONLY)
        && !tlsa.map(TlsaLookup::tlsRequired).orElse(false)) {
      throw new IllegalArgumentException(security + " needs secure TLSA records");
    }
    if ((security == Security.UNREACHABLE) != refusalType.isPresent()) {
      throw new IllegalArgumentException("a refusal type goes with UNREACHABLE, and only with it");
    }
    if (security == Security.MTA_STS && mtaSts.flatMap(PolicyLookup::policy).isEmpty()) {
      throw new IllegalArgumentException("MTA_STS needs an MTA-STS policy");
    }
  }

  /**
   * Returns the recipient domain whose MX host this is.
   *
   * @return the domain
   */
  public DomainName recipientDomain() {
    return recipientDomain;
  }

  /**
   * Returns the host name, as the MX record gives it (or the recipient domain, without MX records).
   *
   * @return the host name
   */
  public DomainName host() {
    return host;
  }

  /**
   * Returns the MX preference: lower is tried first.
   *
   * @return the preference, 0 without MX records
   */
  public int preference() {
    return preference;
  }

  /**
   * Returns the host's addresses, as DNS gave them.
   *
   * @return an immutable list, IPv4 before IPv6; empty if none were found
   */
  public List<InetAddress> addresses() {
    return addresses;
  }

  /**
   * Returns how the host is treated.
   *
   * @return the security
   */
  public Security security() {
    return security;
  }

  /**
   * Tells whether the session must use TLS: DANE, TLS-only, or an MTA-STS policy in mode {@code
   * enforce}. Without it, a host that does not offer STARTTLS may get the mail in clear text.
   *
   * @return true if delivery without TLS is not allowed
   */
  public boolean tlsRequired() {
    return switch (security) {
      case DANE, TLS_ONLY -> true;
      case MTA_STS -> mtaSts.get().mode() == MtaStsMode.ENFORCE;
      case OPPORTUNISTIC, UNREACHABLE -> false;
    };
  }

  /**
   * Returns the name to send in the TLS server name indication: the TLSA base domain under DANE
   * (RFC 7672 §8.1), else the host name.
   *
   * @return the SNI name
   */
  public DomainName serverName() {
    return security == Security.DANE || security == Security.TLS_ONLY
        ? tlsa.get().baseDomain().orElse(host)
        : host;
  }

  /**
   * Returns the names a DANE-TA certificate may carry (RFC 7672 §3.2.2): the TLSA base domain, the
   * MX host name, and the recipient domain.
   *
   * @return an immutable list, empty unless the security is {@link Security#DANE}
   */
  public List<DomainName> referenceIdentifiers() {
    return referenceIdentifiers;
  }

  /**
   * Returns the host's TLSA lookup.
   *
   * @return the lookup, or empty when none was made (the MX records were not DNSSEC-validated)
   */
  public Optional<TlsaLookup> tlsa() {
    return tlsa;
  }

  /**
   * Returns the recipient domain's MTA-STS lookup.
   *
   * @return the lookup, or empty when the policy resolver has no MTA-STS resolver
   */
  public Optional<PolicyLookup> mtaSts() {
    return mtaSts;
  }

  /**
   * Returns a human-readable account of why the host is treated as it is.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the verdict on a host that must not be tried, for the TLS-RPT recorder: {@code
   * dnssec-invalid} when its TLSA lookup failed, {@code dane-required} when DANE is required and
   * the host has none.
   *
   * @return a {@code do not deliver} verdict for {@link Security#UNREACHABLE}, else empty
   */
  public Optional<MxVerdict> refusal() {
    return refusalType.map(
        type ->
            MxVerdict.builder(MxVerdict.Action.DO_NOT_DELIVER, MtaStsMode.NONE, host, tlsaPolicy())
                .failure(type)
                .detail(detail)
                .build());
  }

  /**
   * Judges the certificate chain the host presented after STARTTLS: by DANE for {@link
   * Security#DANE} (and {@link Security#TLS_ONLY}, which any chain passes), by the MTA-STS policy
   * otherwise.
   *
   * @param chain the chain the host presented, its own certificate first
   * @return the verdict
   */
  public MxVerdict verify(List<X509Certificate> chain) {
    requireNonNull(chain, "chain");
    return switch (security) {
      case DANE, TLS_ONLY ->
          daneVerifier.verify(tlsa.get(), referenceIdentifiers, chain).toVerdict();
      case MTA_STS, OPPORTUNISTIC ->
          mtaSts.isPresent()
              ? mxTlsVerifier.verify(mtaSts.get(), host, chain)
              : opportunistic("presented a certificate; no policy asks for it to be checked");
      case UNREACHABLE -> refusal().get();
    };
  }

  /**
   * Judges a host that did not offer STARTTLS, or refused it: {@code starttls-not-supported}, which
   * DANE and an enforced MTA-STS policy do not deliver after.
   *
   * @return the verdict
   */
  public MxVerdict noStartTls() {
    return switch (security) {
      case DANE, TLS_ONLY ->
          MxVerdict.builder(MxVerdict.Action.DO_NOT_DELIVER, MtaStsMode.NONE, host, tlsaPolicy())
              .failure(TlsRptResultType.STARTTLS_NOT_SUPPORTED)
              .detail(host + " has TLSA records but did not offer STARTTLS (RFC 7672 §2.2)")
              .build();
      case MTA_STS, OPPORTUNISTIC ->
          mtaSts.isPresent()
              ? mxTlsVerifier.noStartTls(mtaSts.get(), host)
              : opportunistic("did not offer STARTTLS; no policy requires it");
      case UNREACHABLE -> refusal().get();
    };
  }

  /**
   * Judges a host that accepted STARTTLS but whose TLS handshake failed before its chain could be
   * judged: {@code validation-failure} with the reason code (RFC 8460 §4.3.1, §4.3.3), which DANE
   * and an enforced MTA-STS policy do not deliver after. Without a policy the mail may go in clear
   * text on a new connection, as opportunistic TLS allows.
   *
   * @param reasonCode a short code for the failure, such as the TLS alert ({@code
   *     handshake_failure}, {@code protocol_version})
   * @return the verdict
   */
  public MxVerdict handshakeFailed(String reasonCode) {
    requireNonNull(reasonCode, "reasonCode");
    return switch (security) {
      case DANE, TLS_ONLY ->
          MxVerdict.builder(MxVerdict.Action.DO_NOT_DELIVER, MtaStsMode.NONE, host, tlsaPolicy())
              .failure(TlsRptResultType.VALIDATION_FAILURE)
              .failureReasonCode(reasonCode)
              .detail(
                  host
                      + " has TLSA records and accepted STARTTLS, but the TLS handshake failed ("
                      + reasonCode
                      + ")")
              .build();
      case MTA_STS, OPPORTUNISTIC ->
          mtaSts.isPresent()
              ? mxTlsVerifier.handshakeFailed(mtaSts.get(), host, reasonCode)
              : opportunistic(
                  "failed the TLS handshake (" + reasonCode + "); no policy requires TLS");
      case UNREACHABLE -> refusal().get();
    };
  }

  private TlsRptPolicy tlsaPolicy() {
    return tlsa.map(TlsaLookup::reportPolicy)
        .orElseGet(() -> TlsRptPolicy.tlsa(host, List.of(), host));
  }

  private MxVerdict opportunistic(String what) {
    return MxVerdict.builder(
            MxVerdict.Action.DELIVER,
            MtaStsMode.NONE,
            host,
            TlsRptPolicy.noPolicyFound(recipientDomain))
        .detail(host + " " + what)
        .build();
  }

  @Override
  public String toString() {
    return "MxTransport["
        + preference
        + " "
        + host
        + " "
        + security
        + (tlsRequired() ? " tls-required" : "")
        + ", "
        + detail
        + "]";
  }
}
