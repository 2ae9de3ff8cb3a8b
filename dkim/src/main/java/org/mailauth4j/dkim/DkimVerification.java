package org.mailauth4j.dkim;

import java.util.List;
import java.util.Optional;

/**
 * What verifying the DKIM signatures of one message found: one {@link DkimOutcome} per
 * DKIM-Signature field, top to bottom, and one {@link #result()} for the message, which is {@link
 * DkimResult#NONE} when it has no signature at all (RFC 8601 §2.7.1 {@code dkim=none}), so that
 * callers need not invent it.
 *
 * <p>Authentication-Results wants one {@code dkim=} entry per signature (RFC 8601 §2.7.1), and
 * DMARC wants the {@code d=} of each passing one: use {@link #outcomes()} for those, and {@link
 * #result()} where one word for the message is wanted, such as {@code dkim=none} for an unsigned
 * message or a quick "did anything pass".
 *
 * <p>Made by {@link DkimVerifier}; immutable and thread-safe.
 *
 * <pre>{@code
 * DkimVerification verification = verifier.verify(message);
 * if (verification.result() == DkimResult.NONE) { ... }        // unsigned: dkim=none
 * for (DkimOutcome outcome : verification.outcomes()) { ... }  // one dkim= per signature
 * }</pre>
 */
public final class DkimVerification {
  /**
   * The results from first to last in precedence, for {@link #result()}. {@link DkimResult#NONE} is
   * not here: it stands only for no signatures.
   */
  private static final DkimResult[] PRECEDENCE = {
    DkimResult.PASS,
    DkimResult.TEMPERROR,
    DkimResult.FAIL,
    DkimResult.POLICY,
    DkimResult.NEUTRAL,
    DkimResult.PERMERROR,
  };

  private final List<DkimOutcome> outcomes;
  private final DkimResult result;
  private final Optional<MessageHeader> header;

  DkimVerification(List<DkimOutcome> outcomes, Optional<MessageHeader> header) {
    this.outcomes = List.copyOf(outcomes);
    this.result = summarize(this.outcomes);
    this.header = header;
  }

  private static DkimResult summarize(List<DkimOutcome> outcomes) {
    if (outcomes.isEmpty()) {
      return DkimResult.NONE; // RFC 8601 §2.7.1: the message was not signed
    }
    int best = PRECEDENCE.length;
    for (DkimOutcome outcome : outcomes) {
      for (int rank = 0; rank < best; rank++) {
        if (PRECEDENCE[rank] == outcome.result()) {
          best = rank;
          break;
        }
      }
    }
    return PRECEDENCE[best];
  }

  /**
   * Returns one outcome per DKIM-Signature field, from the top of the header down; signatures
   * beyond the verifier's limits are there too, with the problem that kept them from being
   * evaluated. A message refused or unreadable before its signatures were looked at (a header over
   * the limits, a failing stream) has one outcome saying so, with no signature evidence.
   *
   * @return an immutable list, empty exactly when the message has no DKIM-Signature field
   */
  public List<DkimOutcome> outcomes() {
    return outcomes;
  }

  /**
   * Returns one result for the message: {@link DkimResult#NONE} when it has no signatures (RFC 8601
   * §2.7.1), and otherwise the best of the outcomes' results, in this order:
   *
   * <ol>
   *   <li>{@code pass}, if any signature verified: one valid signature authenticates its domain
   *       (RFC 6376 §6.1);
   *   <li>{@code temperror}, if any could not be checked for a temporary reason: trying later may
   *       still give a pass, so a decision should not rest on the failures;
   *   <li>{@code fail}, then {@code policy}, {@code neutral} and {@code permerror}: the further a
   *       signature got through verification, the earlier its result, from one checked against its
   *       key that did not verify to one that was malformed or had no key.
   * </ol>
   *
   * <p>It does not look at {@link DkimOutcome#testing()}: a message whose signatures all come from
   * keys in testing mode is to be treated as unsigned (RFC 6376 §3.6.1), which is for the caller to
   * decide. Nor does it say which domain signed: for DMARC, look at the passing outcomes' {@link
   * DkimOutcome#domain()}.
   *
   * @return the result for the message
   */
  public DkimResult result() {
    return result;
  }

  /**
   * Returns the message's header as the verifier read it, so that a caller that streamed the
   * message (DMARC reading From, a filter reading Subject) need not read it again.
   *
   * @return the header, or empty when the message was refused or unreadable before its header was
   *     complete (then {@link #outcomes()} holds one outcome saying why)
   */
  public Optional<MessageHeader> header() {
    return header;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DkimVerification && ((DkimVerification) o).outcomes.equals(outcomes);
  }

  @Override
  public int hashCode() {
    return outcomes.hashCode();
  }

  /** Returns the message's result and the outcomes, for debugging and test failures. */
  @Override
  public String toString() {
    return "DkimVerification[" + result.token() + " " + outcomes + "]";
  }
}
