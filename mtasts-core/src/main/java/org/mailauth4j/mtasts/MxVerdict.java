package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a sending MTA does with one MX after the TLS handshake (RFC 8461 §5): deliver, deliver and
 * report, or try the next MX; with the TLS-RPT result type of the failure, if there was one.
 * Immutable.
 *
 * @param action what to do
 * @param mode the policy mode the decision followed
 * @param failure the TLS-RPT result type of the failure, if validation failed
 * @param detail an account of the decision, for logs
 */
public record MxVerdict(
    Action action, MtaStsMode mode, Optional<TlsRptResultType> failure, String detail) {

  /** What to do with the MX. */
  public enum Action {
    /** Deliver: validation passed, or no policy asks for it. */
    DELIVER,
    /** Deliver, and count the failure for TLS-RPT: mode {@code testing}. */
    DELIVER_AND_REPORT,
    /**
     * Do not deliver to this MX (mode {@code enforce}); try the next, and treat running out of MX
     * hosts as a temporary failure (RFC 8461 §5.1).
     */
    DO_NOT_DELIVER
  }

  /**
   * Creates a verdict.
   *
   * @param action the action
   * @param mode the mode
   * @param failure the failure, or empty
   * @param detail the account
   */
  public MxVerdict {
    requireNonNull(action, "action");
    requireNonNull(mode, "mode");
    requireNonNull(failure, "failure");
    requireNonNull(detail, "detail");
  }

  /**
   * Tells whether the mail may go to this MX.
   *
   * @return {@code true} unless the action is {@link Action#DO_NOT_DELIVER}
   */
  public boolean mayDeliver() {
    return action != Action.DO_NOT_DELIVER;
  }
}
