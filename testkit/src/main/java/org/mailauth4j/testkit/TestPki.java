package org.mailauth4j.testkit;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority minted at test time, and the certificates it and others issue: a root, or
 * an {@linkplain #intermediate intermediate} below another one.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  /** A private key and its certificate chain, leaf first. */
  public record Identity(KeyPair keys, List<X509Certificate> chain) {
    /**
     * Returns the leaf certificate.
     *
     * @return the first certificate of the chain
     */
    public X509Certificate certificate() {
      return chain.get(0);
    }
  }

  private final Identity ca;

  /**
   * Mints a CA.
   *
   * @param name the CA's common name
   * @param notBefore start of validity
   * @param notAfter end of validity
   */
  public TestPki(String name, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    this.ca =
        new Identity(
            keys, List.of(certificate(name, List.of(), keys, null, notBefore, notAfter, true)));
  }

  private TestPki(Identity ca) {
    this.ca = ca;
  }

  /**
   * Mints an intermediate CA issued by this one. What it issues chains up through it to this CA:
   * leaf, intermediate, then this CA's own chain.
   *
   * @param name the intermediate's common name
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @return the intermediate, with {@link #ca()} its key and chain (intermediate first)
   */
  public TestPki intermediate(String name, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    X509Certificate certificate = certificate(name, List.of(), keys, ca, notBefore, notAfter, true);
    return new TestPki(new Identity(keys, concat(certificate, ca.chain())));
  }

  /**
   * Returns the CA's own identity.
   *
   * @return the CA key and certificate
   */
  public Identity ca() {
    return ca;
  }

  /**
   * Issues a server certificate for the DNS names.
   *
   * @param dnsNames the names, the first also the common name
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @return the key and the chain, leaf then CA
   */
  public Identity issue(List<String> dnsNames, Instant notBefore, Instant notAfter) {
    return issue(dnsNames.get(0), dnsNames, keyPair(), notBefore, notAfter);
  }

  /**
   * Issues a server certificate with a chosen common name, names and key: for a certificate without
   * subject alternative names (an empty list), or a renewal that keeps the key.
   *
   * @param commonName the subject's common name
   * @param dnsNames the DNS names of the subject alternative name extension; none: no extension
   * @param keys the key pair whose public key is certified, as from {@link #newKeyPair()}
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @return the key and the chain, leaf then this CA's chain
   */
  public Identity issue(
      String commonName, List<String> dnsNames, KeyPair keys, Instant notBefore, Instant notAfter) {
    X509Certificate leaf = certificate(commonName, dnsNames, keys, ca, notBefore, notAfter, false);
    return new Identity(keys, concat(leaf, ca.chain()));
  }

  /**
   * Makes a fresh key pair of the kind this class certifies (EC, P-256).
   *
   * @return the key pair
   */
  public static KeyPair newKeyPair() {
    return keyPair();
  }

  private static List<X509Certificate> concat(X509Certificate first, List<X509Certificate> rest) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(first);
    chain.addAll(rest);
    return List.copyOf(chain);
  }

  /**
   * Makes a server certificate that signs itself.
   *
   * @param dnsNames the names
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @return the key and the one certificate
   */
  public static Identity selfSigned(List<String> dnsNames, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    return new Identity(
        keys,
        List.of(certificate(dnsNames.get(0), dnsNames, keys, null, notBefore, notAfter, false)));
  }

  /**
   * Makes a TLS context that trusts this CA and nothing else.
   *
   * @return the context
   */
  public SSLContext trustingOnlyThis() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("test-ca", ca.certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes a key store holding this CA as the one trust anchor.
   *
   * @return the key store
   */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("test-ca", ca.certificate());
      return store;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate certificate(
      String commonName,
      List<String> dnsNames,
      KeyPair keys,
      Identity issuer,
      Instant notBefore,
      Instant notAfter,
      boolean isCa) {
    try {
      X500Name subject = new X500Name("CN=" + commonName);
      X500Name issuerName =
          issuer == null
              ? subject
              : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        GeneralName[] names =
            dnsNames.stream()
                .map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        if (names.length > 0) {
          builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
      }
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA")
              .build(issuer == null ? keys.getPrivate() : issuer.keys().getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
