/**
 * MTA-STS (RFC 8461): whether the channel to a recipient's MX is encrypted and authenticated. The
 * {@code _mta-sts} record ({@link org.mailauth4j.mtasts.MtaStsRecord}), the policy file ({@link
 * org.mailauth4j.mtasts.MtaStsPolicy}, parsed with every problem by line, and written), MX
 * patterns, the HTTPS fetch ({@link org.mailauth4j.mtasts.MtaStsPolicyFetcher}), the sender's
 * policy cache and decision ({@link org.mailauth4j.mtasts.MtaStsPolicyResolver}), the verdict on an
 * MX's certificate ({@link org.mailauth4j.mtasts.MxTlsVerifier}) with TLS-RPT (RFC 8460) result
 * types, and a check of a domain's own set-up ({@link org.mailauth4j.mtasts.MtaStsSetupCheck}).
 *
 * <p>MTA-STS authenticates the receiving server, never the message.
 *
 * <pre>{@code
 * MtaStsPolicyResolver sts = MtaStsPolicyResolver.builder(dns).build();
 * PolicyLookup lookup = sts.lookup(DomainName.parse("example.com"));
 * MxVerdict verdict = MxTlsVerifier.builder().build().verify(lookup, mxHost, peerCertificates);
 * }</pre>
 */
package org.mailauth4j.mtasts;
