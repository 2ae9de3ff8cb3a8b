package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * A reason the receiver gives for the disposition of a record's messages ({@code
 * policy_evaluated/reason}, RFC 9990 §3.1.5): a type and an optional comment. Immutable.
 */
public final class OverrideReason {
  private final OverrideType type;
  private final Optional<String> comment;

  private OverrideReason(OverrideType type, Optional<String> comment) {
    this.type = requireNonNull(type, "type");
    this.comment = requireNonNull(comment, "comment");
  }

  /**
   * Makes a reason without a comment.
   *
   * @param type the type
   * @return the reason
   */
  public static OverrideReason of(OverrideType type) {
    return new OverrideReason(type, Optional.empty());
  }

  /**
   * Makes a reason with a comment.
   *
   * @param type the type
   * @param comment free text for the domain owner
   * @return the reason
   */
  public static OverrideReason of(OverrideType type, String comment) {
    return new OverrideReason(type, Optional.of(requireNonNull(comment, "comment")));
  }

  /**
   * Returns the type.
   *
   * @return the type
   */
  public OverrideType type() {
    return type;
  }

  /**
   * Returns the comment.
   *
   * @return the comment, or empty
   */
  public Optional<String> comment() {
    return comment;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OverrideReason r && r.type == type && r.comment.equals(comment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, comment);
  }

  @Override
  public String toString() {
    return type.token() + comment.map(c -> " (" + c + ")").orElse("");
  }
}
