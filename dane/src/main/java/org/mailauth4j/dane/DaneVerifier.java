package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.mailauth4j.dane.TlsaRecord.CertificateUsage;
import org.mailauth4j.dane.TlsaRecord.MatchingType;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MtaStsSyntaxException;
import org.mailauth4j.mtasts.MxPattern;
import org.mailauth4j.mtasts.TlsRptResultType;

/**
 * Judges the certificate chain an SMTP server presented against its DNSSEC-validated TLSA records
 * (RFC 7672 §3, RFC 7671). The caller makes the TLS handshake and hands over the chain, as with
 * {@link org.mailauth4j.mtasts.MxTlsVerifier}.
 *
 * <ul>
 *   <li>DANE-EE(3) records match the server's own certificate or key; names and validity dates are
 *       not checked (RFC 7672 §3.1.1).
 *   <li>DANE-TA(2) records match a certificate of the chain above the server's own (or, for {@code
 *       2 0 0} and {@code 2 1 0}, a certificate or bare public key not sent that signed one of
 *       them, RFC 7671 §5.2.2) that becomes the only trust anchor; the path from the server's
 *       certificate up to it is built from the certificates sent, in any order and with repeats
 *       ignored, and must validate under PKIX at the verifier's clock, and the server certificate
 *       must name one of the reference identifiers (RFC 7672 §3.1.2, §3.2): DNS-ID subject
 *       alternative names, the wildcard only as the whole left-most label, and the subject's common
 *       name only when there is no DNS-ID, SRV-ID or URI-ID. The trust anchor's own dates are not
 *       checked: DNS vouches for it, as a trust store for a root (RFC 5280 §6.1.1 (d)); those of
 *       the certificates below it are.
 *   <li>PKIX-TA(0), PKIX-EE(1) and malformed records are unusable (§3.1.3); of the records with one
 *       usage and selector, only those of the most preferred digest present take part (RFC 7671
 *       §9), so that a weak digest cannot be used once a strong one is published. Records of
 *       digests the verifier does not use are unusable to it: with none left, the server needs TLS
 *       but is not authenticated (RFC 7672 §2.2), as with an RRset of unusable records.
 *   <li>Failures are reported as TLS-RPT result types (RFC 8460 §4.3): {@code tlsa-invalid} when no
 *       record matches the chain; {@code certificate-expired}, {@code certificate-not-trusted} or
 *       {@code certificate-host-mismatch} when a DANE-TA record matches but the chain's dates, its
 *       signatures or the server's name do not pass; {@code validation-failure} for an empty or
 *       over-long chain.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class DaneVerifier {
  private final Clock clock;
  private final List<MatchingType> digestPreference;
  private final int maxChainLength;

  private DaneVerifier(Builder b) {
    this.clock = b.clock;
    this.digestPreference = b.digestPreference;
    this.maxChainLength = b.maxChainLength;
  }

  /**
   * Starts configuring a verifier.
   *
   * @return a builder: system clock, SHA2-512 preferred to SHA2-256, chains of up to 10
   *     certificates
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Judges a chain.
   *
   * @param lookup the server's TLSA lookup, {@link TlsaLookup.Status#USABLE} or {@link
   *     TlsaLookup.Status#UNUSABLE}
   * @param referenceIdentifiers the names a DANE-TA certificate may carry (RFC 7672 §3.2.2); when
   *     empty, the TLSA base domain and the host
   * @param chain the chain the server presented, its own certificate first
   * @return the result
   * @throws IllegalArgumentException if the lookup has no DNSSEC-validated TLSA records
   */
  public DaneResult verify(
      TlsaLookup lookup, Collection<DomainName> referenceIdentifiers, List<X509Certificate> chain) {
    requireNonNull(lookup, "lookup");
    List<X509Certificate> certificates = List.copyOf(chain);
    if (!lookup.tlsRequired()) {
      throw new IllegalArgumentException(
          "no DNSSEC-validated TLSA records to verify against: " + lookup);
    }
    DomainName host = lookup.host();
    if (lookup.status() == TlsaLookup.Status.UNUSABLE) {
      return DaneResult.passed(
          lookup,
          List.of(),
          Optional.empty(),
          "none of the TLSA records of "
              + host
              + " is usable: TLS without authentication (RFC 7672 §3.1)");
    }
    // RFC 2181 §5: an RRset holds each record once. A lookup made by other code may repeat one;
    // each is judged once, so that repeats cannot multiply the chain validations.
    List<TlsaRecord> used = agile(List.copyOf(new LinkedHashSet<>(lookup.usableRecords())));
    if (used.isEmpty()) {
      // RFC 7671 §9, RFC 7672 §2.2: records of digests this verifier does not use are unusable to
      // it; with none left, TLS is mandatory but the server is not authenticated.
      return DaneResult.passed(
          lookup,
          used,
          Optional.empty(),
          "no TLSA record of "
              + host
              + " has a matching type this verifier uses ("
              + digestPreference
              + " or FULL): TLS without authentication (RFC 7672 §2.2)");
    }
    if (certificates.isEmpty()) {
      return DaneResult.failed(
          lookup,
          used,
          TlsRptResultType.VALIDATION_FAILURE,
          "NO_CERTIFICATE",
          host + " presented no certificate");
    }
    if (certificates.size() > maxChainLength) {
      return DaneResult.failed(
          lookup,
          used,
          TlsRptResultType.VALIDATION_FAILURE,
          "CHAIN_TOO_LONG",
          host
              + " presented "
              + certificates.size()
              + " certificates; at most "
              + maxChainLength
              + " are considered");
    }

    X509Certificate leaf = certificates.get(0);
    for (TlsaRecord r : used) {
      if (r.usage() == CertificateUsage.DANE_EE.code() && r.matches(leaf)) {
        return DaneResult.passed(
            lookup,
            used,
            Optional.of(r),
            "the certificate of " + host + " matches DANE-EE record " + r);
      }
    }

    Set<DomainName> names = new LinkedHashSet<>(referenceIdentifiers);
    if (names.isEmpty()) {
      names.add(lookup.baseDomain().orElse(host));
      names.add(host);
    }
    DaneResult firstTaFailure = null;
    Issuance issuance = new Issuance(distinct(certificates));
    for (TlsaRecord r : used) {
      if (r.usage() != CertificateUsage.DANE_TA.code()) {
        continue;
      }
      PathCheck check = trustAnchorCheck(r, issuance);
      if (check == null) {
        continue; // this record names no certificate of the chain
      }
      if (check.problem.isPresent()) {
        if (firstTaFailure == null) {
          firstTaFailure =
              DaneResult.failed(
                  lookup,
                  used,
                  check.type.orElse(TlsRptResultType.VALIDATION_FAILURE),
                  check.reasonCode,
                  "DANE-TA record " + r + " matches, but " + check.problem.get());
        }
        continue;
      }
      Optional<DomainName> named = namedIdentifier(leaf, names);
      if (named.isEmpty()) {
        if (firstTaFailure == null) {
          firstTaFailure =
              DaneResult.failed(
                  lookup,
                  used,
                  TlsRptResultType.CERTIFICATE_HOST_MISMATCH,
                  "DANE-TA record "
                      + r
                      + " matches, but the certificate of "
                      + host
                      + " names none of "
                      + names
                      + " (RFC 7672 §3.2.2)");
        }
        continue;
      }
      return DaneResult.passed(
          lookup,
          used,
          Optional.of(r),
          "the chain of "
              + host
              + " leads to the trust anchor of DANE-TA record "
              + r
              + " and names "
              + named.get());
    }
    if (firstTaFailure != null) {
      return firstTaFailure;
    }
    return DaneResult.failed(
        lookup,
        used,
        TlsRptResultType.TLSA_INVALID,
        "none of the "
            + used.size()
            + " usable TLSA records of "
            + host
            + " matches the chain it presented");
  }

  /**
   * RFC 7671 §9: of the records with one usage and selector, keep those with the most preferred
   * digest present; full-value records (matching type 0) always take part.
   */
  private List<TlsaRecord> agile(List<TlsaRecord> usable) {
    Map<Integer, Integer> best = new LinkedHashMap<>();
    for (TlsaRecord r : usable) {
      int rank = digestPreference.indexOf(r.knownMatchingType().orElseThrow());
      if (rank >= 0) {
        best.merge(r.usage() * 256 + r.selector(), rank, Math::min);
      }
    }
    List<TlsaRecord> used = new ArrayList<>();
    for (TlsaRecord r : usable) {
      MatchingType m = r.knownMatchingType().orElseThrow();
      if (m == MatchingType.FULL
          || Integer.valueOf(digestPreference.indexOf(m))
              .equals(best.get(r.usage() * 256 + r.selector()))) {
        used.add(r);
      }
    }
    return List.copyOf(used);
  }

  /**
   * RFC 7671 §5.2, RFC 7672 §3.1.2: a DANE-TA record names a trust anchor that issued the server's
   * certificate, directly or through the intermediates the server sent. Its certificate is matched
   * above the server's own (a record that names the leaf itself is no trust anchor for it, as in
   * OpenSSL's DANE), and the path from the leaf up to it is built from the certificates sent,
   * whatever their order and however often one is repeated (RFC 8446 §4.4.2 lets servers send them
   * out of order). A {@code 2 0 0} or {@code 2 1 0} record whose certificate or key is not sent
   * names the anchor that signed one of them.
   *
   * @return the outcome, or null if the record names nothing of the chain
   */
  private PathCheck trustAnchorCheck(TlsaRecord r, Issuance issuance) {
    List<X509Certificate> certs = issuance.certificates;
    PathCheck first = null;
    for (int j = 1; j < certs.size(); j++) {
      if (!r.matches(certs.get(j))) {
        continue;
      }
      int anchor = j;
      List<X509Certificate> path = issuance.pathTo(k -> k == anchor, false);
      PathCheck check =
          validate(
              path != null ? path : certs.subList(0, anchor), new TrustAnchor(certs.get(j), null));
      if (check.problem.isEmpty()) {
        return check;
      }
      if (first == null) {
        first = check;
      }
    }
    if (first != null) {
      return first;
    }
    Optional<AnchorNotSent> notSent = anchorNotSent(r);
    if (notSent.isEmpty()) {
      return null;
    }
    // RFC 7671 §5.2.2, §5.2.3: "2 0 0" and "2 1 0" carry the whole trust anchor, so it can be one
    // the server does not send. When its key signed a certificate sent, the record matches: what
    // fails below it is a failure of the chain, not a record that names nothing.
    PublicKey key = notSent.get().key();
    int signed = -1;
    for (int k = 0; k < certs.size() && signed < 0; k++) {
      if (signedBy(certs.get(k), key)) {
        signed = k;
      }
    }
    if (signed < 0) {
      return null;
    }
    List<X509Certificate> path = issuance.pathTo(k -> signedBy(certs.get(k), key), true);
    List<X509Certificate> checked = path != null ? path : certs.subList(0, signed + 1);
    X509Certificate top = checked.get(checked.size() - 1);
    return validate(
        checked,
        notSent.get().certificate() != null
            ? new TrustAnchor(notSent.get().certificate(), null)
            : new TrustAnchor(top.getIssuerX500Principal(), key, null));
  }

  /**
   * A trust anchor a record carries whole: a certificate ({@code 2 0 0}) or a key ({@code 2 1 0}).
   */
  private record AnchorNotSent(PublicKey key, X509Certificate certificate) {}

  /** The certificates, each once, in the order first sent: the leaf stays first. */
  private static List<X509Certificate> distinct(List<X509Certificate> certificates) {
    return List.copyOf(new LinkedHashSet<>(certificates));
  }

  /**
   * Who issued whom among the certificates of a chain: an edge from a certificate to one whose
   * subject is its issuer and whose key verifies its signature. Each edge is checked at most once,
   * so a chain of n certificates costs at most n² signature checks however it is shaped.
   */
  private static final class Issuance {
    final List<X509Certificate> certificates;
    private final Boolean[][] issued;

    Issuance(List<X509Certificate> certificates) {
      this.certificates = certificates;
      this.issued = new Boolean[certificates.size()][certificates.size()];
    }

    private boolean issuedBy(int child, int parent) {
      if (issued[child][parent] == null) {
        X509Certificate c = certificates.get(child);
        X509Certificate p = certificates.get(parent);
        issued[child][parent] =
            c.getIssuerX500Principal().equals(p.getSubjectX500Principal())
                && signedBy(c, p.getPublicKey());
      }
      return issued[child][parent];
    }

    /**
     * The shortest issuance path from the leaf to a certificate the target accepts, by breadth
     * first search: the certificates from the leaf up, with the target's own one when {@code
     * inclusive}, else without it. Null when no path leads there.
     */
    List<X509Certificate> pathTo(IntPredicate target, boolean inclusive) {
      int n = certificates.size();
      int[] previous = new int[n];
      Arrays.fill(previous, -2);
      previous[0] = -1;
      ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(0));
      while (!queue.isEmpty()) {
        int at = queue.poll();
        if ((at > 0 || inclusive) && target.test(at)) {
          List<X509Certificate> path = new ArrayList<>();
          for (int k = inclusive ? at : previous[at]; k >= 0; k = previous[k]) {
            path.add(0, certificates.get(k));
          }
          return path;
        }
        for (int next = 1; next < n; next++) {
          if (previous[next] == -2 && issuedBy(at, next)) {
            previous[next] = at;
            queue.add(next);
          }
        }
      }
      return null;
    }
  }

  private record PathCheck(
      Optional<String> problem, Optional<TlsRptResultType> type, String reasonCode) {
    static final PathCheck OK = new PathCheck(Optional.empty(), Optional.empty(), "");
  }

  /** RFC 7672 §3.1.2: the certificates below the matched trust anchor validate under PKIX. */
  private PathCheck validate(List<X509Certificate> path, TrustAnchor anchor) {
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
      return PathCheck.OK;
    } catch (CertPathValidatorException e) {
      boolean dates =
          e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
              || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID;
      return new PathCheck(
          Optional.of("the chain below it does not validate: " + e.getMessage()),
          Optional.of(
              dates
                  ? TlsRptResultType.CERTIFICATE_EXPIRED
                  : TlsRptResultType.CERTIFICATE_NOT_TRUSTED),
          // RFC 8460 §4.3.3; the JDK's reasons are enum constants, as MxTlsVerifier reports them.
          e.getReason() instanceof Enum<?> reason ? reason.name() : "UNSPECIFIED");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return new PathCheck(
          Optional.of("the chain below it cannot be validated: " + e),
          Optional.of(TlsRptResultType.VALIDATION_FAILURE),
          e.getClass().getSimpleName());
    }
  }

  private static boolean signedBy(X509Certificate certificate, PublicKey key) {
    try {
      certificate.verify(key);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // another key, or one of another algorithm than the signature
    }
  }

  /** The anchor of a {@code 2 0 0} or {@code 2 1 0} record, if it decodes as one the JDK knows. */
  private static Optional<AnchorNotSent> anchorNotSent(TlsaRecord r) {
    if (r.matchingType() != MatchingType.FULL.code()) {
      return Optional.empty();
    }
    byte[] data = r.data();
    if (r.selector() == TlsaRecord.Selector.CERT.code()) {
      try {
        X509Certificate certificate =
            (X509Certificate)
                CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(data));
        return Optional.of(new AnchorNotSent(certificate.getPublicKey(), certificate));
      } catch (GeneralSecurityException | RuntimeException e) {
        return Optional.empty(); // not a certificate: it names nothing
      }
    }
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return Optional.of(
            new AnchorNotSent(
                KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(data)),
                null));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // not a key of this algorithm: try the next
      }
    }
    return Optional.empty();
  }

  /** RFC 7672 §3.2.3: the first reference identifier the certificate's names match. */
  private static Optional<DomainName> namedIdentifier(
      X509Certificate certificate, Set<DomainName> names) {
    List<String> dnsIds = new ArrayList<>();
    boolean otherIds = false;
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          Object type = alternative.get(0);
          if (Integer.valueOf(2).equals(type) && alternative.get(1) instanceof String dnsName) {
            dnsIds.add(dnsName);
          } else if (Integer.valueOf(0).equals(type) || Integer.valueOf(6).equals(type)) {
            otherIds = true; // an otherName, as an SRV-ID is, or a URI-ID
          }
        }
      }
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (dnsIds.isEmpty() && !otherIds) {
      // RFC 6125 §6.4.4: the common name only when there is no DNS-ID, SRV-ID or URI-ID.
      dnsIds.addAll(commonNames(certificate));
    }
    for (String id : dnsIds) {
      String dnsId = id.toLowerCase(Locale.ROOT);
      if (dnsId.endsWith(".")) {
        dnsId = dnsId.substring(0, dnsId.length() - 1);
      }
      MxPattern pattern;
      try {
        pattern = MxPattern.parse(dnsId);
      } catch (MtaStsSyntaxException e) {
        continue; // not a usable DNS-ID, such as a partial wildcard: it names nothing
      }
      for (DomainName name : names) {
        if (pattern.matches(name)) {
          return Optional.of(name);
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> commonNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn) {
          names.add(cn);
        }
      }
    } catch (InvalidNameException e) {
      return List.of();
    }
    return names;
  }

  /** Configures a {@link DaneVerifier}. Not thread-safe; build once, then share the result. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private List<MatchingType> digestPreference =
        List.of(MatchingType.SHA2_512, MatchingType.SHA2_256);
    private int maxChainLength = 10;

    private Builder() {}

    /**
     * Sets the clock DANE-TA chains are validated at.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the digests this verifier uses, most preferred first (RFC 7671 §9). Records with a
     * digest not listed are ignored; full-value records are always used.
     *
     * @param preference one or more of {@link MatchingType#SHA2_512} and {@link
     *     MatchingType#SHA2_256}
     * @return this builder
     */
    public Builder digestPreference(List<MatchingType> preference) {
      List<MatchingType> copy = List.copyOf(preference);
      if (copy.isEmpty()
          || copy.contains(MatchingType.FULL)
          || Set.copyOf(copy).size() != copy.size()) {
        throw new IllegalArgumentException(
            "digest preference: distinct digests, at least one, FULL not among them: " + copy);
      }
      this.digestPreference = copy;
      return this;
    }

    /**
     * Sets how many certificates of a chain are considered; a longer chain fails.
     *
     * @param max at least 1; 10 by default
     * @return this builder
     */
    public Builder maxChainLength(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("max chain length must be at least 1: " + max);
      }
      this.maxChainLength = max;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return an immutable, thread-safe verifier
     */
    public DaneVerifier build() {
      return new DaneVerifier(this);
    }
  }
}
