package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import org.mailauth4j.dns.Severity;

/**
 * One finding of a domain's MTA-STS set-up check: what was checked, what was found, how serious it
 * is, how to fix it, and whether it reflects a failure that may go away on retry.
 *
 * <p>Made by {@link MtaStsSetupCheck}; it has no public constructor, so that later versions can add
 * evidence without breaking callers. Immutable and thread-safe; equal when all their fields are.
 */
public final class SetupFinding {
  private final Severity severity;
  private final String topic;
  private final String message;
  private final String fix;
  private final boolean temporary;

  private SetupFinding(
      Severity severity, String topic, String message, String fix, boolean temporary) {
    this.severity = requireNonNull(severity, "severity");
    this.topic = requireNonNull(topic, "topic");
    this.message = requireNonNull(message, "message");
    this.fix = requireNonNull(fix, "fix");
    this.temporary = temporary;
  }

  /** A finding about the set-up as it is. */
  static SetupFinding of(Severity severity, String topic, String message, String fix) {
    return new SetupFinding(severity, topic, message, fix, false);
  }

  /**
   * A finding that reflects a failure which may go away on retry: a DNS timeout or SERVFAIL, an
   * HTTPS connection that failed or timed out, an HTTP 5xx.
   */
  static SetupFinding temporary(Severity severity, String topic, String message, String fix) {
    return new SetupFinding(severity, topic, message, fix, true);
  }

  /**
   * Returns how serious the finding is.
   *
   * @return the severity
   */
  public Severity severity() {
    return severity;
  }

  /**
   * Returns what was checked, such as {@code record}, {@code policy}, {@code mx}, {@code mode},
   * {@code max_age}, {@code tls-rpt}.
   *
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * Returns what was found.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * Returns what to change.
   *
   * @return the fix; empty when there is nothing to do
   */
  public String fix() {
    return fix;
  }

  /**
   * Tells whether the finding reflects a failure that may go away on retry (a DNS timeout or
   * SERVFAIL, an HTTPS network failure or timeout, an HTTP 5xx) rather than the set-up itself.
   *
   * @return {@code true} if checking again later may give another answer
   */
  public boolean temporary() {
    return temporary;
  }

  /**
   * Compares all fields.
   *
   * @param o the other object
   * @return {@code true} if {@code o} is a finding with equal fields
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof SetupFinding f
        && severity == f.severity
        && topic.equals(f.topic)
        && message.equals(f.message)
        && fix.equals(f.fix)
        && temporary == f.temporary;
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(severity, topic, message, fix, temporary);
  }

  /**
   * Returns the finding for a report, such as {@code ERROR mx: ... Fix: ...}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return severity + " " + topic + ": " + message + (fix.isEmpty() ? "" : " Fix: " + fix);
  }
}
