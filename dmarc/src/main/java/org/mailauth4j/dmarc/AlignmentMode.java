package org.mailauth4j.dmarc;

/**
 * How closely an authenticated domain must match the author domain (RFC 9989 §4.4, the {@code
 * adkim} and {@code aspf} tags).
 */
public enum AlignmentMode {
  /** The two domains have the same organizational domain ({@code r}, the default). */
  RELAXED("r"),
  /** The two domains are equal, ignoring ASCII case ({@code s}). */
  STRICT("s");

  private final String token;

  AlignmentMode(String token) {
    this.token = token;
  }

  /**
   * Returns the tag value.
   *
   * @return {@code r} or {@code s}
   */
  public String token() {
    return token;
  }
}
