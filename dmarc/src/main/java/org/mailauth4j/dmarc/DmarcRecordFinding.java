package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.Severity;

/**
 * One thing wrong with, or worth knowing about, a DMARC record: a problem found while parsing it
 * ({@link DmarcRecord#findings()}) or a finding about the posture it publishes ({@link
 * DmarcRecord#lint(DmarcProfile)}), with its kind ({@link #problem()}), how serious it is, where it
 * is and what to do.
 *
 * <p>Findings are made by {@link DmarcRecord}; they have no public constructor, so that later
 * versions can add evidence without breaking callers. Immutable and thread-safe; equal when all
 * their fields are.
 */
public final class DmarcRecordFinding {
  private final int position;
  private final Severity severity;
  private final DmarcRecordProblem problem;
  private final Optional<String> tag;
  private final String message;

  DmarcRecordFinding(
      int position,
      Severity severity,
      DmarcRecordProblem problem,
      Optional<String> tag,
      String message) {
    if (position < -1) {
      throw new IllegalArgumentException("position " + position);
    }
    this.position = position;
    this.severity = requireNonNull(severity, "severity");
    this.problem = requireNonNull(problem, "problem");
    this.tag = requireNonNull(tag, "tag");
    this.message = requireNonNull(message, "message");
  }

  /**
   * Returns the zero-based index in the record text where the tag, or the part of its value, that
   * the finding is about starts; {@code -1} for a finding about the record as a whole (such as a
   * missing tag). For a record made with {@link DmarcRecord#builder()}, indexes refer to {@link
   * DmarcRecord#text()}.
   *
   * @return the position, or -1
   */
  public int position() {
    return position;
  }

  /**
   * Returns how serious the finding is: {@link Severity#ERROR} for a tag or value that receivers
   * ignore, so that a default applies instead; {@link Severity#WARNING} for a record that works as
   * written but whose posture is a risk; {@link Severity#INFO} for advice.
   *
   * @return the severity
   */
  public Severity severity() {
    return severity;
  }

  /**
   * Returns what kind of problem this is, for tooling to switch on.
   *
   * @return the problem
   */
  public DmarcRecordProblem problem() {
    return problem;
  }

  /**
   * Returns the tag concerned, lower case, such as {@code rua}.
   *
   * @return the tag; empty when none is
   */
  public Optional<String> tag() {
    return tag;
  }

  /**
   * Returns what was found and, where something should change, a fix after {@code Fix:}.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DmarcRecordFinding other
        && position == other.position
        && severity == other.severity
        && problem == other.problem
        && tag.equals(other.tag)
        && message.equals(other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, severity, problem, tag, message);
  }

  /** Returns the finding for logs, such as {@code WARNING MONITORING_ONLY at 10 (p): ...}. */
  @Override
  public String toString() {
    return severity
        + " "
        + problem
        + (position >= 0 ? " at " + position : "")
        + tag.map(t -> " (" + t + ")").orElse("")
        + ": "
        + message;
  }
}
