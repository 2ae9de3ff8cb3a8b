package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

/**
 * A mechanism with its qualifier, such as {@code -all} or {@code ip4:192.0.2.0/24} (RFC 7208
 * §4.6.2). Immutable.
 *
 * <p>A record, since its components are the parts of a directive in RFC 7208 §4.6.1 (qualifier and
 * mechanism), which later versions do not change.
 *
 * @param qualifier what a match means; {@link Qualifier#PASS} when none is written
 * @param mechanism what is tested
 */
public record Directive(Qualifier qualifier, Mechanism mechanism) implements Term {

  /**
   * Creates a directive.
   *
   * @param qualifier what a match means
   * @param mechanism what is tested
   */
  public Directive {
    requireNonNull(qualifier, "qualifier");
    requireNonNull(mechanism, "mechanism");
  }

  /** Returns the directive as a record writes it, the {@code +} qualifier left out. */
  @Override
  public String toString() {
    return (qualifier == Qualifier.PASS ? "" : String.valueOf(qualifier.symbol())) + mechanism;
  }
}
