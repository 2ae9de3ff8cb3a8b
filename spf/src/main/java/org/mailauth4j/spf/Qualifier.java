package org.mailauth4j.spf;

/** The qualifier in front of a mechanism (RFC 7208 §4.6.2): what a match means. */
public enum Qualifier {
  /** {@code +}, the default: a match is {@link SpfResult#PASS}. */
  PASS('+', SpfResult.PASS),
  /** {@code -}: a match is {@link SpfResult#FAIL}. */
  FAIL('-', SpfResult.FAIL),
  /** {@code ~}: a match is {@link SpfResult#SOFTFAIL}. */
  SOFTFAIL('~', SpfResult.SOFTFAIL),
  /** {@code ?}: a match is {@link SpfResult#NEUTRAL}. */
  NEUTRAL('?', SpfResult.NEUTRAL);

  private final char symbol;
  private final SpfResult result;

  Qualifier(char symbol, SpfResult result) {
    this.symbol = symbol;
    this.result = result;
  }

  /**
   * Returns the character written in records.
   *
   * @return {@code +}, {@code -}, {@code ~} or {@code ?}
   */
  public char symbol() {
    return symbol;
  }

  /**
   * Returns the result of a match.
   *
   * @return the result
   */
  public SpfResult result() {
    return result;
  }

  static Qualifier of(char symbol) {
    for (Qualifier q : values()) {
      if (q.symbol == symbol) {
        return q;
      }
    }
    return null;
  }
}
