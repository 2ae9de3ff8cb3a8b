/**
 * SPF, the Sender Policy Framework (RFC 7208): which hosts may send mail for a domain.
 *
 * <p>{@link org.mailauth4j.spf.SpfRecord} parses records (§4.6, §12) into {@link
 * org.mailauth4j.spf.Term}s; {@link org.mailauth4j.spf.SpfVerifier} runs check_host() (§4) with
 * macros (§7) and the processing limits (§4.6.4), and reports an {@link
 * org.mailauth4j.spf.SpfOutcome} with a lookup trace and the Received-SPF field (§9.1).
 *
 * <pre>{@code
 * SpfVerifier spf = SpfVerifier.builder(dns).build();
 * SpfOutcome outcome = spf.check(InetAddress.getByName("192.0.2.10"), "mx.example.com", "a@example.com");
 * System.out.println(outcome.result().token() + " " + outcome.mechanism().orElse(""));
 * }</pre>
 */
package org.mailauth4j.spf;
