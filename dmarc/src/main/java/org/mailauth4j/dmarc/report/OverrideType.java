package org.mailauth4j.dmarc.report;

import java.util.Locale;
import java.util.Optional;

/**
 * Why the receiver applied a policy other than the one DMARC evaluated ({@code reason/type}, RFC
 * 9990 §3.1.5 {@code PolicyOverrideType}; RFC 7489 Appendix C). RFC 9989 §5.4 asks receivers to
 * report each such deviation.
 */
public enum OverrideType {
  /** The message was relayed by a known forwarder (RFC 7489 only). */
  FORWARDED,
  /** The message was exempted by {@code pct} sampling (RFC 7489 only). */
  SAMPLED_OUT,
  /** A forwarder the receiver trusts relayed the message. */
  TRUSTED_FORWARDER,
  /** A mailing list relayed the message. */
  MAILING_LIST,
  /** The receiver's local policy decided. */
  LOCAL_POLICY,
  /** The record asked for testing ({@code t=y}, RFC 9989 §4.7); RFC 9990 only. */
  POLICY_TEST_MODE,
  /** Another reason, said in the comment. */
  OTHER;

  /**
   * Returns the token used in report XML.
   *
   * @return such as {@code mailing_list}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Tells whether the RFC 9990 schema has this type.
   *
   * @return false for {@link #FORWARDED} and {@link #SAMPLED_OUT}
   */
  public boolean inRfc9990() {
    return this != FORWARDED && this != SAMPLED_OUT;
  }

  /**
   * Tells whether the RFC 7489 schema has this type.
   *
   * @return false for {@link #POLICY_TEST_MODE}
   */
  public boolean inRfc7489() {
    return this != POLICY_TEST_MODE;
  }

  /**
   * Finds the type with a token, ignoring case.
   *
   * @param token the token
   * @return the type, or empty for an unknown token
   */
  public static Optional<OverrideType> fromToken(String token) {
    for (OverrideType t : values()) {
      if (t.token().equalsIgnoreCase(token.strip())) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
