/**
 * DANE for SMTP (RFC 7672, RFC 6698, RFC 7671) and the sending MTA's transport decision.
 *
 * <ul>
 *   <li>{@link org.mailauth4j.dane.TlsaRecord}: one TLSA record, parsed, matched against a
 *       certificate, or made for one.
 *   <li>{@link org.mailauth4j.dane.TlsaResolver} → {@link org.mailauth4j.dane.TlsaLookup}: the TLSA
 *       records of an SMTP server, trusted only when DNSSEC validated every answer on the way (RFC
 *       7672 §2).
 *   <li>{@link org.mailauth4j.dane.DaneVerifier} → {@link org.mailauth4j.dane.DaneResult}: a
 *       presented chain judged against those records (RFC 7672 §3).
 *   <li>{@link org.mailauth4j.dane.TransportPolicyResolver} → {@link
 *       org.mailauth4j.dane.TransportPolicy}: per recipient domain, its MX hosts and, for each,
 *       DANE, else MTA-STS, else opportunistic TLS (RFC 8461 §2); each {@link
 *       org.mailauth4j.dane.MxTransport} gives the {@link org.mailauth4j.mtasts.MxVerdict} the
 *       TLS-RPT recorder takes.
 *   <li>{@code SmtpTlsProbe}: connects to an MX, EHLO, STARTTLS, and collects what the server
 *       presented, for posture checks.
 * </ul>
 *
 * <p>MTA-STS and DANE authenticate the receiving server, never the message.
 */
package org.mailauth4j.dane;
