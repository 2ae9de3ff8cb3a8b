package org.mailauth4j.dns;

/**
 * How serious a finding is, from good to bad: the one scale every module's findings use (a DMARC or
 * TLS-RPT record's lint, an MTA-STS policy file's problems, a domain's set-up check). Ordered, so
 * that {@code severity.compareTo(Severity.WARNING) >= 0} selects what needs attention.
 */
public enum Severity {
  /** As it should be: a check that passed, reported so that a report shows what was checked. */
  OK,
  /** Advice, or worth knowing: nothing is wrong. */
  INFO,
  /** Works as written, but weaker, less visible or more fragile than it should be. */
  WARNING,
  /** Broken: the record, policy or set-up does not work as intended, or not at all. */
  ERROR
}
