package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A resource record of any type, for the types this module has no typed form for (such as TLSA for
 * DANE): its type code, its RDATA octets and its zone-file presentation. Immutable and thread-safe.
 */
public final class RawRecord {
  private final int type;
  private final byte[] rdata;
  private final String presentation;

  /**
   * Creates a record.
   *
   * @param type the RR type code, such as 52 for TLSA
   * @param rdata the RDATA in wire form (names within it in canonical form, RFC 4034 §6.2)
   * @param presentation the RDATA as a zone file would show it
   */
  public RawRecord(int type, byte[] rdata, String presentation) {
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("RR type out of range: " + type);
    }
    this.type = type;
    this.rdata = requireNonNull(rdata, "rdata").clone();
    this.presentation = requireNonNull(presentation, "presentation");
  }

  /**
   * Returns the RR type code.
   *
   * @return from 0 to 65535
   */
  public int type() {
    return type;
  }

  /**
   * Returns the RDATA in wire form.
   *
   * @return a fresh copy
   */
  public byte[] rdata() {
    return rdata.clone();
  }

  /**
   * Returns the RDATA in zone-file presentation form, such as {@code 3 1 1 0123abcd...} for TLSA.
   *
   * @return the presentation text
   */
  public String presentation() {
    return presentation;
  }

  /** Records are equal when type and RDATA are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord
        && ((RawRecord) o).type == type
        && Arrays.equals(((RawRecord) o).rdata, rdata);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(rdata);
  }

  /** Returns the type code and the presentation form, such as {@code TYPE52 3 1 1 0123...}. */
  @Override
  public String toString() {
    return "TYPE" + type + " " + presentation;
  }
}
