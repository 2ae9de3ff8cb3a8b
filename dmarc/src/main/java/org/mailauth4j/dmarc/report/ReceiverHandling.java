package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the receiver did with a message beyond what DMARC evaluated, for its aggregate report
 * records (RFC 9990 §3.1.5 {@code policy_evaluated}, {@code identifiers}): the disposition it
 * applied when that differs from the evaluated one, the reasons it gives for the difference (RFC
 * 9989 §5.4 asks receivers to report such overrides), and the envelope recipient's domain ({@code
 * envelope_to}). {@link #asEvaluated()} is none of these. Immutable; made with {@link #builder()}.
 *
 * <pre>{@code
 * collector.add(auth, ReceiverHandling.builder()
 *     .disposition(Disposition.NONE)
 *     .addReason(OverrideReason.of(OverrideType.MAILING_LIST, "list.example.org"))
 *     .envelopeTo("example.org")
 *     .build());
 * }</pre>
 */
public final class ReceiverHandling {
  private static final ReceiverHandling AS_EVALUATED = new Builder().build();

  private final Optional<Disposition> disposition;
  private final List<OverrideReason> reasons;
  private final Optional<String> envelopeTo;

  private ReceiverHandling(Builder b) {
    this.disposition = b.disposition;
    this.reasons = List.copyOf(b.reasons);
    this.envelopeTo = b.envelopeTo;
  }

  /**
   * Returns the handling of a message treated as DMARC evaluated it, with no recipient domain.
   *
   * @return the handling
   */
  public static ReceiverHandling asEvaluated() {
    return AS_EVALUATED;
  }

  /**
   * Starts a builder.
   *
   * @return a builder of a handling as evaluated
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the disposition the receiver applied, when it differs from the evaluated one.
   *
   * @return the disposition, or empty for the evaluated one
   */
  public Optional<Disposition> disposition() {
    return disposition;
  }

  /**
   * Returns the reasons for the disposition ({@code reason}).
   *
   * @return the reasons, often empty
   */
  public List<OverrideReason> reasons() {
    return reasons;
  }

  /**
   * Returns the domain of the envelope recipient ({@code envelope_to}), lower case.
   *
   * @return the domain, or empty to leave it out
   */
  public Optional<String> envelopeTo() {
    return envelopeTo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceiverHandling h
        && h.disposition.equals(disposition)
        && h.reasons.equals(reasons)
        && h.envelopeTo.equals(envelopeTo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(disposition, reasons, envelopeTo);
  }

  @Override
  public String toString() {
    return "handling "
        + disposition.map(Disposition::token).orElse("as evaluated")
        + (reasons.isEmpty() ? "" : " " + reasons)
        + envelopeTo.map(d -> " to " + d).orElse("");
  }

  /** Builds {@link ReceiverHandling}; not thread-safe. */
  public static final class Builder {
    private Optional<Disposition> disposition = Optional.empty();
    private final List<OverrideReason> reasons = new ArrayList<>();
    private Optional<String> envelopeTo = Optional.empty();

    private Builder() {}

    /**
     * Sets the disposition the receiver applied instead of the evaluated one.
     *
     * @param disposition the disposition
     * @return this builder
     */
    public Builder disposition(Disposition disposition) {
      this.disposition = Optional.of(requireNonNull(disposition, "disposition"));
      return this;
    }

    /**
     * Adds a reason for the disposition.
     *
     * @param reason the reason
     * @return this builder
     */
    public Builder addReason(OverrideReason reason) {
      reasons.add(requireNonNull(reason, "reason"));
      return this;
    }

    /**
     * Sets the envelope recipient's domain, such as the domain of the first RCPT TO.
     *
     * @param domain the domain; kept in lower case
     * @return this builder
     * @throws IllegalArgumentException if it is empty
     */
    public Builder envelopeTo(String domain) {
      requireNonNull(domain, "domain");
      if (domain.isBlank()) {
        throw new IllegalArgumentException("an envelope recipient domain is not empty");
      }
      this.envelopeTo = Optional.of(domain.strip().toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * Builds the handling.
     *
     * @return the handling
     */
    public ReceiverHandling build() {
      return new ReceiverHandling(this);
    }
  }
}
