package org.mailauth4j.dmarc.report;

import java.util.Locale;
import java.util.Optional;

/**
 * What the receiver did with the messages of a report record ({@code policy_evaluated/disposition},
 * RFC 9990 §3.1.5, the XSD's {@code ActionDispositionType}).
 */
public enum Disposition {
  /** No action was taken. */
  NONE,
  /**
   * No action: the messages passed DMARC under an enforcing policy. RFC 9990 only; the RFC 7489
   * form writes it as {@code none}.
   */
  PASS,
  /** The messages were marked for quarantine. */
  QUARANTINE,
  /** The messages were rejected. */
  REJECT;

  /**
   * Returns the token used in report XML.
   *
   * @return such as {@code quarantine}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Finds the disposition with a token, ignoring case.
   *
   * @param token the token
   * @return the disposition, or empty for an unknown token
   */
  public static Optional<Disposition> fromToken(String token) {
    for (Disposition d : values()) {
      if (d.token().equalsIgnoreCase(token.strip())) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
