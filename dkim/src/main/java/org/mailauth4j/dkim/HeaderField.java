package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

/**
 * One header field of a message: its name, its value, and its exact octets. Immutable and
 * thread-safe.
 */
public final class HeaderField {
  private final String name;
  private final String value;
  private final byte[] raw;

  HeaderField(String name, String value, byte[] raw) {
    this.name = requireNonNull(name, "name");
    this.value = requireNonNull(value, "value");
    this.raw = requireNonNull(raw, "raw");
  }

  /**
   * Returns the field name as written, such as {@code Subject}.
   *
   * @return the name; empty for a line in the header that is not a field
   */
  public String name() {
    return name;
  }

  /**
   * Returns the value: what follows the colon, unfolded (RFC 5322 §2.2.3), without leading
   * whitespace, decoded as UTF-8 (RFC 6532), with malformed octets as U+FFFD.
   *
   * @return the value
   */
  public String value() {
    return value;
  }

  /**
   * Returns the field's exact octets: name, colon, value and folding, without the final line break.
   *
   * @return a fresh copy
   */
  public byte[] rawBytes() {
    return raw.clone();
  }

  /**
   * Tells whether the field has a name, compared without regard to case.
   *
   * @param other such as {@code from}
   * @return {@code true} for the same name
   */
  public boolean hasName(String other) {
    return name.equalsIgnoreCase(other);
  }

  /** Returns {@code name: value}. */
  @Override
  public String toString() {
    return name + ": " + value;
  }
}
