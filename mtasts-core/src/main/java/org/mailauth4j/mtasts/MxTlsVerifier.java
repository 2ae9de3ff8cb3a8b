package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.mailauth4j.dns.DomainName;

/**
 * Decides, after the TLS handshake with an MX, whether the mail may go there under MTA-STS (RFC
 * 8461 §4, §5): the MX host must fit the policy's patterns, its certificate chain must be valid
 * under PKIX and unexpired, and a DNS-ID in it must name the MX host (RFC 6125, the wildcard only
 * as the whole left-most label). The mode turns a failure into {@code do not deliver} ({@code
 * enforce}), {@code deliver and report} ({@code testing}) or nothing ({@code none}), and each
 * failure carries its TLS-RPT result type.
 *
 * <p>Immutable and thread-safe. The trust anchors are the JDK's unless a trust store is given.
 */
public final class MxTlsVerifier {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private final Set<TrustAnchor> anchors;
  private final Clock clock;
  private final boolean revocationChecking;

  private MxTlsVerifier(Builder b) {
    this.anchors = b.anchors;
    this.clock = b.clock;
    this.revocationChecking = b.revocationChecking;
  }

  /**
   * Starts configuring a verifier.
   *
   * @return a builder: JDK trust anchors, system clock, no revocation checking
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Judges the certificate chain an MX presented.
   *
   * @param lookup the policy lookup for the recipient domain
   * @param mxHost the MX host name, from the MX record
   * @param chain the chain the MX presented, its own certificate first
   * @return the verdict
   */
  public MxVerdict verify(PolicyLookup lookup, DomainName mxHost, List<X509Certificate> chain) {
    if (lookup.policy().isEmpty()) {
      return withoutPolicy(lookup, mxHost);
    }
    return verify(lookup.domain(), lookup.policy().get().policy(), mxHost, chain);
  }

  /**
   * Judges the certificate chain an MX presented, under a policy.
   *
   * @param policyDomain the recipient domain that published the policy
   * @param policy the recipient domain's policy
   * @param mxHost the MX host name, from the MX record
   * @param chain the chain the MX presented, its own certificate first
   * @return the verdict
   */
  public MxVerdict verify(
      DomainName policyDomain,
      MtaStsPolicy policy,
      DomainName mxHost,
      List<X509Certificate> chain) {
    requireNonNull(mxHost, "mxHost");
    TlsRptPolicy described = TlsRptPolicy.sts(policyDomain, policy);
    List<X509Certificate> certificates = List.copyOf(chain);
    if (!policy.permits(mxHost)) {
      return verdict(
          policy,
          described,
          mxHost,
          TlsRptResultType.VALIDATION_FAILURE,
          null,
          mxHost + " fits none of the policy's mx patterns " + policy.mx());
    }
    if (certificates.isEmpty()) {
      return verdict(
          policy,
          described,
          mxHost,
          TlsRptResultType.VALIDATION_FAILURE,
          null,
          mxHost + " presented no certificate");
    }
    Optional<PathFailure> pkix = validatePath(certificates);
    if (pkix.isPresent()) {
      PathFailure failed = pkix.get();
      return verdict(
          policy,
          described,
          mxHost,
          failed.problem().resultType(),
          failed.reasonCode(),
          failed.problem().describe(mxHost.toString()) + ": " + failed.detail());
    }
    if (!namesHost(certificates.get(0), mxHost)) {
      return verdict(
          policy,
          described,
          mxHost,
          TlsRptResultType.CERTIFICATE_HOST_MISMATCH,
          null,
          "the certificate of " + mxHost + " does not name it");
    }
    return MxVerdict.builder(MxVerdict.Action.DELIVER, policy.mode(), mxHost, described)
        .detail(mxHost + " fits the policy and presented a valid certificate")
        .build();
  }

  /**
   * Judges an MX that did not offer STARTTLS, or refused it (RFC 8461 §4: the sender MUST use
   * STARTTLS).
   *
   * @param lookup the policy lookup for the recipient domain
   * @param mxHost the MX host name
   * @return the verdict, with {@code starttls-not-supported} as the failure
   */
  public MxVerdict noStartTls(PolicyLookup lookup, DomainName mxHost) {
    return withoutSession(
        lookup,
        mxHost,
        TlsRptResultType.STARTTLS_NOT_SUPPORTED,
        null,
        mxHost + " did not offer STARTTLS");
  }

  /**
   * Judges an MX that accepted STARTTLS but whose TLS handshake failed before its certificate chain
   * could be judged: no TLS version or cipher in common, a TLS alert, a broken connection (RFC 8460
   * §4.3.1: {@code validation-failure}, with a {@code failure-reason-code}).
   *
   * @param lookup the policy lookup for the recipient domain
   * @param mxHost the MX host name
   * @param reasonCode a short code for the failure, such as the TLS alert ({@code
   *     handshake_failure}, {@code protocol_version})
   * @return the verdict, with {@code validation-failure} as the failure
   */
  public MxVerdict handshakeFailed(PolicyLookup lookup, DomainName mxHost, String reasonCode) {
    requireNonNull(reasonCode, "reasonCode");
    return withoutSession(
        lookup,
        mxHost,
        TlsRptResultType.VALIDATION_FAILURE,
        reasonCode,
        mxHost + " accepted STARTTLS, but the TLS handshake failed (" + reasonCode + ")");
  }

  /** A session that ended before a chain could be judged, under the lookup's policy if any. */
  private MxVerdict withoutSession(
      PolicyLookup lookup,
      DomainName mxHost,
      TlsRptResultType failure,
      String reasonCode,
      String detail) {
    if (lookup.policy().isEmpty()) {
      return withoutPolicy(lookup, mxHost);
    }
    MtaStsPolicy policy = lookup.policy().get().policy();
    return verdict(
        policy, TlsRptPolicy.sts(lookup.domain(), policy), mxHost, failure, reasonCode, detail);
  }

  /**
   * No policy applies. RFC 8460 §4.3.2.2: when the domain publishes a record but its policy could
   * not be fetched, the session is reported under that failure; otherwise it is a success under
   * {@code no-policy-found}, whatever became of TLS.
   */
  private static MxVerdict withoutPolicy(PolicyLookup lookup, DomainName mxHost) {
    requireNonNull(mxHost, "mxHost");
    Optional<TlsRptResultType> failure = lookup.reportableFailure();
    if (failure.isPresent()) {
      return MxVerdict.builder(
              MxVerdict.Action.DELIVER_AND_REPORT, MtaStsMode.NONE, mxHost, lookup.reportPolicy())
          .failure(failure.get())
          .detail(
              "the MTA-STS policy of "
                  + lookup.domain()
                  + " could not be fetched ("
                  + lookup.fetchFailure().orElseThrow()
                  + "); deliver as without MTA-STS and report")
          .build();
    }
    return MxVerdict.builder(
            MxVerdict.Action.DELIVER, MtaStsMode.NONE, mxHost, lookup.reportPolicy())
        .detail("no MTA-STS policy applies to " + lookup.domain())
        .build();
  }

  private static MxVerdict verdict(
      MtaStsPolicy policy,
      TlsRptPolicy described,
      DomainName mxHost,
      TlsRptResultType failure,
      String reasonCode,
      String detail) {
    MxVerdict.Builder b;
    switch (policy.mode()) {
      case ENFORCE:
        b =
            MxVerdict.builder(MxVerdict.Action.DO_NOT_DELIVER, policy.mode(), mxHost, described)
                .failure(failure)
                .detail(detail + "; mode enforce: try the next MX");
        break;
      case TESTING:
        b =
            MxVerdict.builder(MxVerdict.Action.DELIVER_AND_REPORT, policy.mode(), mxHost, described)
                .failure(failure)
                .detail(detail + "; mode testing: deliver and report");
        break;
      default:
        // Mode none: as if there were no policy, so nothing is reported as failing.
        return MxVerdict.builder(MxVerdict.Action.DELIVER, policy.mode(), mxHost, described)
            .detail(detail + "; mode none: as if there were no policy")
            .build();
    }
    if (reasonCode != null) {
      b.failureReasonCode(reasonCode);
    }
    return b.build();
  }

  /**
   * Why a chain failed PKIX validation; the reason code is the JDK's name for it (RFC 8460 §4.3.3
   * asks for a code such as the TLS stack's error name).
   */
  private record PathFailure(CertificateProblem problem, String detail, String reasonCode) {}

  /** RFC 8461 §4.2: the chain leads to a trusted root and no certificate in it has expired. */
  private Optional<PathFailure> validatePath(List<X509Certificate> chain) {
    // The path ends below the trust anchor; a root the server sent along is left out.
    List<X509Certificate> path = new ArrayList<>(chain);
    while (path.size() > 1 && isAnchor(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(revocationChecking);
      parameters.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      return Optional.of(new PathFailure(CertificateProblem.of(e), e.getMessage(), reasonCode(e)));
    } catch (GeneralSecurityException e) {
      return Optional.of(
          new PathFailure(CertificateProblem.OTHER, e.toString(), e.getClass().getSimpleName()));
    }
    try {
      List<String> usages = chain.get(0).getExtendedKeyUsage();
      if (usages != null
          && !usages.contains(SERVER_AUTH)
          && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
        return Optional.of(
            new PathFailure(
                CertificateProblem.OTHER,
                "the certificate is not for TLS servers (extended key usage)",
                "INVALID_KEY_USAGE"));
      }
    } catch (CertificateParsingException e) {
      return Optional.of(
          new PathFailure(CertificateProblem.OTHER, e.toString(), "CERTIFICATE_PARSING"));
    }
    return Optional.empty();
  }

  private static String reasonCode(CertPathValidatorException e) {
    // The JDK's reasons are enum constants, such as EXPIRED or NO_TRUST_ANCHOR.
    return e.getReason() instanceof Enum<?> reason ? reason.name() : "UNSPECIFIED";
  }

  private boolean isAnchor(X509Certificate certificate) {
    for (TrustAnchor anchor : anchors) {
      if (certificate.equals(anchor.getTrustedCert())) {
        return true;
      }
    }
    return false;
  }

  /**
   * RFC 8461 §4.2, RFC 6125 §6.4: a subjectAltName DNS-ID equal to the host, or a wildcard that is
   * the whole left-most label and stands for exactly one label. The common name is not used.
   */
  static boolean namesHost(X509Certificate certificate, DomainName host) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    for (List<?> name : names) {
      if (!Integer.valueOf(2).equals(name.get(0)) || !(name.get(1) instanceof String)) {
        continue; // not a dNSName
      }
      String dnsId = ((String) name.get(1)).toLowerCase(Locale.ROOT);
      if (dnsId.endsWith(".")) {
        dnsId = dnsId.substring(0, dnsId.length() - 1);
      }
      try {
        if (MxPattern.parse(dnsId).matches(host)) {
          return true;
        }
      } catch (MtaStsSyntaxException e) {
        // not a usable DNS-ID, such as a partial wildcard: it names nothing
      }
    }
    return false;
  }

  /** Configures an {@link MxTlsVerifier}. Not thread-safe; build once and share. */
  public static final class Builder {
    private Set<TrustAnchor> anchors;
    private Clock clock = Clock.systemUTC();
    private boolean revocationChecking;

    private Builder() {}

    /**
     * Sets the trust anchors: the certificates in a key store. Default: the JDK's trust store.
     *
     * @param trustStore a loaded key store with trusted certificate entries
     * @return this builder
     */
    public Builder trustStore(KeyStore trustStore) {
      this.anchors = anchorsOf(requireNonNull(trustStore, "trustStore"));
      return this;
    }

    /**
     * Sets the clock that says whether a certificate has expired. Default: the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Turns revocation checking (CRL and OCSP, which RFC 8461 §4.2 allows but does not require) on
     * or off. Default off: it needs network access to the certificate authorities.
     *
     * @param on whether to check
     * @return this builder
     */
    public Builder revocationChecking(boolean on) {
      this.revocationChecking = on;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return the verifier
     */
    public MxTlsVerifier build() {
      if (anchors == null) {
        anchors = jdkAnchors();
      }
      return new MxTlsVerifier(this);
    }

    private static Set<TrustAnchor> anchorsOf(KeyStore store) {
      try {
        Set<TrustAnchor> result = new HashSet<>();
        for (String alias : Collections.list(store.aliases())) {
          if (store.isCertificateEntry(alias)
              && store.getCertificate(alias) instanceof X509Certificate) {
            result.add(new TrustAnchor((X509Certificate) store.getCertificate(alias), null));
          }
        }
        if (result.isEmpty()) {
          throw new IllegalArgumentException("the trust store holds no trusted certificates");
        }
        return Set.copyOf(result);
      } catch (KeyStoreException e) {
        throw new IllegalArgumentException("the trust store is not loaded", e);
      }
    }

    private static Set<TrustAnchor> jdkAnchors() {
      try {
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        Set<TrustAnchor> result = new HashSet<>();
        for (TrustManager manager : factory.getTrustManagers()) {
          if (manager instanceof X509TrustManager) {
            for (X509Certificate ca : ((X509TrustManager) manager).getAcceptedIssuers()) {
              result.add(new TrustAnchor(ca, null));
            }
          }
        }
        return Set.copyOf(result);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK's trust store cannot be read", e);
      }
    }
  }
}
