/**
 * DMARC (RFC 9989, with an RFC 7489 profile), Authentication-Results (RFC 8601), and the one-call
 * authentication of a received message.
 *
 * <ul>
 *   <li>{@link org.mailauth4j.dmarc.MessageAuthenticator}: a raw message, the client's address,
 *       HELO and MAIL FROM in; SPF, DKIM and DMARC outcomes and the Authentication-Results field
 *       out ({@link org.mailauth4j.dmarc.MessageAuthentication}).
 *   <li>{@link org.mailauth4j.dmarc.DmarcVerifier}: DMARC from SPF and DKIM outcomes the caller
 *       has: policy discovery and organizational domains by the RFC 9989 DNS tree walk (or the
 *       {@link org.mailauth4j.dmarc.PublicSuffixList} under {@link
 *       org.mailauth4j.dmarc.DmarcProfile#RFC7489}), alignment, the choice of {@code p}, {@code sp}
 *       or {@code np}, {@code t=y} and {@code pct}; a {@link org.mailauth4j.dmarc.DmarcOutcome}
 *       with one {@link org.mailauth4j.dmarc.DmarcEvaluation} per author domain and a trace of
 *       every lookup.
 *   <li>{@link org.mailauth4j.dmarc.AuthorDomains}: the author domains of a From field, read
 *       strictly, within a cap.
 *   <li>{@link org.mailauth4j.dmarc.DmarcRecord}: records parsed with every problem's position,
 *       linted for posture, and written; {@link org.mailauth4j.dmarc.ReportUri} for {@code rua} and
 *       {@code ruf}.
 *   <li>{@link org.mailauth4j.dmarc.AuthenticationResults}: the field written so that nothing from
 *       a message can inject into it, and read leniently in the forms real servers emit.
 * </ul>
 *
 * <pre>{@code
 * MessageAuthenticator auth = MessageAuthenticator.builder(dns, "mx.example.org").build();
 * MessageAuthentication a = auth.authenticate(message, clientIp, helo, mailFrom);
 * String field = a.authenticationResults().field();
 * if (a.dmarc().appliedPolicy() == DmarcPolicy.REJECT) { ... }
 * }</pre>
 */
package org.mailauth4j.dmarc;
