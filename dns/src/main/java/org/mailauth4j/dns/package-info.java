/**
 * The shared DNS abstraction of mailauth4j: one door to DNS for SPF, DKIM, DMARC, MTA-STS and
 * TLS-RPT.
 *
 * <p>A {@link org.mailauth4j.dns.DnsResolver} answers a typed {@link org.mailauth4j.dns.DnsQuery}
 * with a {@link org.mailauth4j.dns.DnsAnswer} that tells apart the four outcomes the protocols need
 * (RFC 1035, RFC 2308, RFC 7208 §4.6.4): records found, no data, no such name, and temporary
 * failure with its cause. Answers carry TTLs and whether DNSSEC authenticated them (RFC 4035).
 * Names are validated once as {@link org.mailauth4j.dns.DomainName}s: any octet DNS allows (RFC
 * 2181 §11) within the limits of RFC 1035 §2.3.4, A-labels (RFC 5890), with a separate check for
 * host names (RFC 1123 §2.1, RFC 5321 §4.1.2) where a protocol requires one.
 *
 * <p>Three implementations ship: {@link org.mailauth4j.dns.NetworkDnsResolver} (dnsjava over UDP
 * and TCP), {@link org.mailauth4j.dns.ZoneFileResolver} (RFC 1035 zone files in memory, with
 * failures on demand) and {@link org.mailauth4j.dns.CachingDnsResolver} (a TTL-honouring cache in
 * front of either).
 *
 * <pre>{@code
 * DnsResolver dns = CachingDnsResolver.builder(NetworkDnsResolver.builder().build()).build();
 * DnsAnswer<MxHost> mx = dns.lookup(DnsQuery.mx(DomainName.parse("example.com")));
 * mx.records().forEach(host -> System.out.println(host.preference() + " " + host.exchange()));
 * }</pre>
 */
package org.mailauth4j.dns;
