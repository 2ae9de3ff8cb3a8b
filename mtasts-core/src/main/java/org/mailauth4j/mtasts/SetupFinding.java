package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

/**
 * One finding of a domain's MTA-STS set-up check: what was checked, what was found, how serious it
 * is, and how to fix it. Immutable.
 *
 * @param severity how serious
 * @param topic what was checked, such as {@code record}, {@code policy}, {@code mx}
 * @param message what was found
 * @param fix what to change; empty when there is nothing to do
 */
public record SetupFinding(Severity severity, String topic, String message, String fix) {

  /** How serious a finding is, from good to bad. */
  public enum Severity {
    /** As it should be. */
    OK,
    /** Worth knowing; nothing is broken. */
    INFO,
    /** Works, but weaker or more fragile than it should be. */
    WARNING,
    /** Broken: senders cannot apply the policy as intended. */
    ERROR
  }

  /**
   * Creates a finding.
   *
   * @param severity the severity
   * @param topic the topic
   * @param message the finding
   * @param fix the fix, or empty
   */
  public SetupFinding {
    requireNonNull(severity, "severity");
    requireNonNull(topic, "topic");
    requireNonNull(message, "message");
    requireNonNull(fix, "fix");
  }

  /** Returns the finding for a report, such as {@code ERROR mx: ... Fix: ...}. */
  @Override
  public String toString() {
    return severity + " " + topic + ": " + message + (fix.isEmpty() ? "" : " Fix: " + fix);
  }
}
