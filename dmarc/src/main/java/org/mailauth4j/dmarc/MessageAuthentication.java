package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.spf.SpfOutcome;

/**
 * Everything {@link MessageAuthenticator} found for one message: the SPF, DKIM and DMARC outcomes,
 * and the Authentication-Results field that records them.
 *
 * <p>Made by {@link MessageAuthenticator}; immutable.
 */
public final class MessageAuthentication {
  private final SpfOutcome spf;
  private final DkimVerification dkim;
  private final DmarcOutcome dmarc;
  private final AuthenticationResults authenticationResults;

  MessageAuthentication(
      SpfOutcome spf,
      DkimVerification dkim,
      DmarcOutcome dmarc,
      AuthenticationResults authenticationResults) {
    this.spf = requireNonNull(spf, "spf");
    this.dkim = requireNonNull(dkim, "dkim");
    this.dmarc = requireNonNull(dmarc, "dmarc");
    this.authenticationResults = requireNonNull(authenticationResults, "authenticationResults");
  }

  /**
   * Returns the SPF outcome of the MAIL FROM identity (of HELO, for a null reverse-path).
   *
   * @return the SPF outcome
   */
  public SpfOutcome spf() {
    return spf;
  }

  /**
   * Returns the DKIM verification: one outcome per signature.
   *
   * @return the DKIM verification
   */
  public DkimVerification dkim() {
    return dkim;
  }

  /**
   * Returns the DMARC outcome.
   *
   * @return the DMARC outcome
   */
  public DmarcOutcome dmarc() {
    return dmarc;
  }

  /**
   * Returns the Authentication-Results field with an {@code spf}, one {@code dkim} per signature
   * (or {@code dkim=none}) and a {@code dmarc} entry; {@link AuthenticationResults#field()} gives
   * it folded, ready to prepend to the message.
   *
   * @return the field
   */
  public AuthenticationResults authenticationResults() {
    return authenticationResults;
  }

  @Override
  public String toString() {
    return authenticationResults.value();
  }
}
