package org.mailauth4j.dane;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MxTlsVerifier;
import org.mailauth4j.mtasts.TlsRptResultType;

/** MX transports for the probe's tests, made directly rather than by a {@link TransportPolicy}. */
final class ProbeTransports {
  static final DomainName DOMAIN = DomainName.parse("example.test");

  private ProbeTransports() {}

  /** A host with DNSSEC-validated TLSA records at its own name, judged by DANE. */
  static MxTransport dane(
      DomainName host, int port, List<InetAddress> addresses, TlsaRecord record) {
    TlsaLookup tlsa = TlsaLookup.secure(host, port, host, List.of(record), addresses, "test TLSA");
    return transport(
        host,
        addresses,
        MxTransport.Security.DANE,
        Optional.of(tlsa),
        List.of(host, DOMAIN),
        Optional.empty());
  }

  /** A host with neither DANE nor MTA-STS. */
  static MxTransport opportunistic(DomainName host, List<InetAddress> addresses) {
    return transport(
        host,
        addresses,
        MxTransport.Security.OPPORTUNISTIC,
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /** A host whose TLSA lookup was bogus, not to be tried. */
  static MxTransport unreachable(DomainName host, List<InetAddress> addresses) {
    return transport(
        host,
        addresses,
        MxTransport.Security.UNREACHABLE,
        Optional.empty(),
        List.of(),
        Optional.of(TlsRptResultType.DNSSEC_INVALID));
  }

  private static MxTransport transport(
      DomainName host,
      List<InetAddress> addresses,
      MxTransport.Security security,
      Optional<TlsaLookup> tlsa,
      List<DomainName> referenceIds,
      Optional<TlsRptResultType> refusal) {
    return new MxTransport(
        DOMAIN,
        host,
        10,
        addresses,
        security,
        tlsa,
        Optional.empty(),
        referenceIds,
        refusal,
        "test transport " + security,
        DaneVerifier.builder().build(),
        MxTlsVerifier.builder().build());
  }
}
