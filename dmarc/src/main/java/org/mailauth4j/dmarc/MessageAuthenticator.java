package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfVerifier;

/**
 * Authenticates a received message in one call: SPF for the client and MAIL FROM, DKIM for every
 * signature, DMARC for the From domain, and the Authentication-Results field (RFC 8601) that
 * records them.
 *
 * <p>The SPF check and the DKIM key lookups start at once over one resolver; DMARC follows when
 * both are done, and its lookups share the resolver's cache with theirs. The message is read once:
 * from a stream, only its header is kept in memory, within the DKIM verifier's limits.
 *
 * <p>Immutable and thread-safe: build one and use it for every message.
 *
 * <pre>{@code
 * MessageAuthenticator authenticator = MessageAuthenticator.builder(dns, "mx.example.org").build();
 * MessageAuthentication result =
 *     authenticator.authenticate(message, clientIp, "mail.example.com", "bounce@example.com");
 * String field = result.authenticationResults().field();   // prepend to the message
 * if (result.dmarc().appliedPolicy() == DmarcPolicy.REJECT) { ... }
 * }</pre>
 */
public final class MessageAuthenticator {
  private final String authservId;
  private final SpfVerifier spf;
  private final DkimVerifier dkim;
  private final DmarcVerifier dmarc;

  private MessageAuthenticator(Builder b) {
    this.authservId = b.authservId;
    this.spf = b.spf != null ? b.spf : SpfVerifier.builder(b.dns).receiver(b.authservId).build();
    this.dkim = b.dkim != null ? b.dkim : DkimVerifier.builder(b.dns).build();
    this.dmarc = b.dmarc != null ? b.dmarc : DmarcVerifier.builder(b.dns).build();
  }

  /**
   * Starts a builder.
   *
   * @param dns the resolver that SPF, DKIM and DMARC share (give it a cache: {@code
   *     CachingDnsResolver})
   * @param authservId the name of this receiver in Authentication-Results (RFC 8601 §2.5), such as
   *     {@code mx.example.org}
   * @return a builder that makes each verifier with its defaults
   * @throws IllegalArgumentException if the id is empty or longer than Authentication-Results
   *     allows
   */
  public static Builder builder(DnsResolver dns, String authservId) {
    return new Builder(dns, authservId);
  }

  /**
   * Authenticates a message held in memory.
   *
   * @param message the raw message, header and body
   * @param clientIp the SMTP client's address
   * @param helo the HELO or EHLO name the client gave
   * @param mailFrom the MAIL FROM address without angle brackets; empty (or {@code <>}) for a null
   *     reverse-path, for which SPF checks the HELO name
   * @return a future of the result; it always completes normally
   */
  public CompletableFuture<MessageAuthentication> authenticateAsync(
      byte[] message, InetAddress clientIp, String helo, String mailFrom) {
    requireNonNull(message, "message");
    CompletableFuture<SpfOutcome> spfOutcome = spf.checkAsync(clientIp, helo, mailFrom);
    return finish(spfOutcome, dkim.verifyAsync(message));
  }

  /**
   * Authenticates a message read from a stream, holding only its header in memory. The stream is
   * read to its end on the calling thread, but not closed.
   *
   * @param message the raw message
   * @param clientIp the SMTP client's address
   * @param helo the HELO or EHLO name
   * @param mailFrom the MAIL FROM address, or empty
   * @return a future of the result; it always completes normally
   */
  public CompletableFuture<MessageAuthentication> authenticateAsync(
      InputStream message, InetAddress clientIp, String helo, String mailFrom) {
    requireNonNull(message, "message");
    CompletableFuture<SpfOutcome> spfOutcome = spf.checkAsync(clientIp, helo, mailFrom);
    return finish(spfOutcome, dkim.verifyAsync(message));
  }

  /**
   * Authenticates a message held in memory and waits. This only joins {@link
   * #authenticateAsync(byte[], InetAddress, String, String)}.
   *
   * @param message the raw message
   * @param clientIp the client's address
   * @param helo the HELO name
   * @param mailFrom the MAIL FROM address, or empty
   * @return the result
   */
  public MessageAuthentication authenticate(
      byte[] message, InetAddress clientIp, String helo, String mailFrom) {
    return authenticateAsync(message, clientIp, helo, mailFrom).join();
  }

  /**
   * Authenticates a message from a stream and waits. This only joins {@link
   * #authenticateAsync(InputStream, InetAddress, String, String)}.
   *
   * @param message the raw message
   * @param clientIp the client's address
   * @param helo the HELO name
   * @param mailFrom the MAIL FROM address, or empty
   * @return the result
   */
  public MessageAuthentication authenticate(
      InputStream message, InetAddress clientIp, String helo, String mailFrom) {
    return authenticateAsync(message, clientIp, helo, mailFrom).join();
  }

  private CompletableFuture<MessageAuthentication> finish(
      CompletableFuture<SpfOutcome> spfOutcome, CompletableFuture<DkimVerification> dkimOutcome) {
    return spfOutcome.thenCombine(dkimOutcome, Pair::new).thenCompose(this::withDmarc);
  }

  private record Pair(SpfOutcome spf, DkimVerification dkim) {}

  private CompletableFuture<MessageAuthentication> withDmarc(Pair checks) {
    AuthorDomains author =
        checks
            .dkim()
            .header()
            .map(h -> AuthorDomains.of(h, dmarc.maxAuthorDomains()))
            // a header refused by the DKIM verifier's limits is not read for From either
            .orElseGet(() -> AuthorDomains.parse(List.of(), dmarc.maxAuthorDomains()));
    return dmarc
        .evaluateAsync(author, List.of(checks.spf()), checks.dkim().outcomes())
        .thenApply(
            outcome ->
                new MessageAuthentication(
                    checks.spf(),
                    checks.dkim(),
                    outcome,
                    AuthenticationResults.builder(authservId)
                        .addSpf(checks.spf())
                        .addDkim(checks.dkim())
                        .add(outcome.authResult())
                        .build()));
  }

  /** Builds a {@link MessageAuthenticator}. Not thread-safe; the authenticator it builds is. */
  public static final class Builder {
    private final DnsResolver dns;
    private final String authservId;
    private SpfVerifier spf;
    private DkimVerifier dkim;
    private DmarcVerifier dmarc;

    private Builder(DnsResolver dns, String authservId) {
      this.dns = requireNonNull(dns, "dns");
      // refused here, not in the middle of a message: AuthenticationResults checks the id
      AuthenticationResults.builder(requireNonNull(authservId, "authservId"));
      this.authservId = authservId;
    }

    /**
     * Uses an SPF verifier configured by the caller, built over the same resolver.
     *
     * @param verifier the verifier
     * @return this builder
     */
    public Builder spfVerifier(SpfVerifier verifier) {
      this.spf = requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Uses a DKIM verifier configured by the caller (its limits bound how much of a message is
     * read), built over the same resolver.
     *
     * @param verifier the verifier
     * @return this builder
     */
    public Builder dkimVerifier(DkimVerifier verifier) {
      this.dkim = requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Uses a DMARC verifier configured by the caller (its profile and limits), built over the same
     * resolver.
     *
     * @param verifier the verifier
     * @return this builder
     */
    public Builder dmarcVerifier(DmarcVerifier verifier) {
      this.dmarc = requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Builds the authenticator.
     *
     * @return the authenticator
     */
    public MessageAuthenticator build() {
      return new MessageAuthenticator(this);
    }
  }
}
