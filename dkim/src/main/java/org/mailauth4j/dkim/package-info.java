/**
 * DKIM: signing and verifying messages with DomainKeys Identified Mail (RFC 6376), with the
 * algorithm updates of RFC 8301 (no rsa-sha1, RSA keys of at least 1024 bits) and Ed25519
 * signatures (RFC 8463). Results use the words of RFC 8601 §2.7.1.
 *
 * <p>{@link org.mailauth4j.dkim.DkimVerifier} verifies every signature of a message and returns a
 * {@link org.mailauth4j.dkim.DkimVerification}: a {@link org.mailauth4j.dkim.DkimOutcome} for each
 * signature, with its {@code d=}, {@code s=}, {@code i=} and {@code a=} even when it is broken, and
 * a result for the message, {@link org.mailauth4j.dkim.DkimResult#NONE} when it has no signature
 * (RFC 8601 {@code dkim=none}). {@link org.mailauth4j.dkim.DkimSigner} adds signatures with one or
 * more {@link org.mailauth4j.dkim.DkimSigningKey}s. Both work on raw octets and stream the body.
 * {@link org.mailauth4j.dkim.MessageHeader} gives the header fields of a message as they are.
 *
 * <pre>{@code
 * DkimVerifier verifier = DkimVerifier.builder(dns).build();
 * DkimVerification verification = verifier.verify(messageBytes);   // result() NONE if unsigned
 * boolean signedByExample = verification.outcomes().stream().anyMatch(o -> o.isPass()
 *     && o.domain().equals(Optional.of(DomainName.parse("example.com"))));
 * }</pre>
 */
package org.mailauth4j.dkim;
