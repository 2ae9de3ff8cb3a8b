/**
 * DKIM: signing and verifying messages with DomainKeys Identified Mail (RFC 6376), with the
 * algorithm updates of RFC 8301 (no rsa-sha1, RSA keys of at least 1024 bits) and Ed25519
 * signatures (RFC 8463). Results use the words of RFC 8601 §2.7.1.
 *
 * <p>{@link org.mailauth4j.dkim.DkimVerifier} verifies every signature of a message and reports a
 * {@link org.mailauth4j.dkim.DkimOutcome} for each; {@link org.mailauth4j.dkim.DkimSigner} adds
 * signatures with one or more {@link org.mailauth4j.dkim.DkimSigningKey}s. Both work on raw octets
 * and stream the body. {@link org.mailauth4j.dkim.MessageHeader} gives the header fields of a
 * message as they are.
 *
 * <pre>{@code
 * DkimVerifier verifier = DkimVerifier.builder(dns).build();
 * List<DkimOutcome> outcomes = verifier.verify(messageBytes);
 * boolean signedByExample = outcomes.stream().anyMatch(o -> o.isPass()
 *     && o.domain().orElseThrow().equals(DomainName.parse("example.com")));
 * }</pre>
 */
package org.mailauth4j.dkim;
