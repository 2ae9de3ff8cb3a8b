package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One TLSA record (RFC 6698 §2): a certificate usage, a selector, a matching type and the
 * certificate association data. Values outside the registries are kept, so that a record set can be
 * shown and reported as published; such records are not {@linkplain #usable() usable}. Immutable.
 *
 * <pre>{@code
 * TlsaRecord record = TlsaRecord.parse("3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6");
 * boolean pins = record.matches(serverCertificate);
 * TlsaRecord next = TlsaRecord.of(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, newCertificate);
 * }</pre>
 */
public final class TlsaRecord {
  /** The TLSA RR type (RFC 6698 §7.1). */
  public static final int TYPE = 52;

  /** TLSA certificate usages (RFC 6698 §7.2, names from RFC 7218). */
  public enum CertificateUsage {
    /** 0: a CA that must also pass PKIX validation. Not used for SMTP (RFC 7672 §3.1.3). */
    PKIX_TA(0),
    /**
     * 1: the server certificate, which must also pass PKIX. Not used for SMTP (RFC 7672 §3.1.3).
     */
    PKIX_EE(1),
    /** 2: a trust anchor of the server's chain, whatever the public CAs (RFC 7672 §3.1.2). */
    DANE_TA(2),
    /** 3: the server certificate or key itself; names and dates are ignored (RFC 7672 §3.1.1). */
    DANE_EE(3);

    private final int code;

    CertificateUsage(int code) {
      this.code = code;
    }

    /**
     * Returns the registry value.
     *
     * @return the code, 0 to 3
     */
    public int code() {
      return code;
    }

    /**
     * Finds a usage by its registry value.
     *
     * @param code the value of the record's first field
     * @return the usage, or empty for an unassigned value
     */
    public static Optional<CertificateUsage> of(int code) {
      for (CertificateUsage u : values()) {
        if (u.code == code) {
          return Optional.of(u);
        }
      }
      return Optional.empty();
    }
  }

  /** TLSA selectors (RFC 6698 §7.3): which part of a certificate is matched. */
  public enum Selector {
    /** 0: the whole certificate, DER-encoded. */
    CERT(0),
    /** 1: the SubjectPublicKeyInfo, DER-encoded: survives a renewal with the same key. */
    SPKI(1);

    private final int code;

    Selector(int code) {
      this.code = code;
    }

    /**
     * Returns the registry value.
     *
     * @return the code, 0 or 1
     */
    public int code() {
      return code;
    }

    /**
     * Finds a selector by its registry value.
     *
     * @param code the value of the record's second field
     * @return the selector, or empty for an unassigned value
     */
    public static Optional<Selector> of(int code) {
      for (Selector s : values()) {
        if (s.code == code) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /** TLSA matching types (RFC 6698 §7.4): how the selected bytes are compared. */
  public enum MatchingType {
    /** 0: the selected bytes themselves. */
    FULL(0, null, -1),
    /** 1: their SHA-256 digest. */
    SHA2_256(1, "SHA-256", 32),
    /** 2: their SHA-512 digest. */
    SHA2_512(2, "SHA-512", 64);

    private final int code;
    private final String algorithm;
    private final int length;

    MatchingType(int code, String algorithm, int length) {
      this.code = code;
      this.algorithm = algorithm;
      this.length = length;
    }

    /**
     * Returns the registry value.
     *
     * @return the code, 0 to 2
     */
    public int code() {
      return code;
    }

    /**
     * Finds a matching type by its registry value.
     *
     * @param code the value of the record's third field
     * @return the matching type, or empty for an unassigned value
     */
    public static Optional<MatchingType> of(int code) {
      for (MatchingType m : values()) {
        if (m.code == code) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }

    byte[] apply(byte[] selected) {
      if (algorithm == null) {
        return selected;
      }
      try {
        return MessageDigest.getInstance(algorithm).digest(selected);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has " + algorithm, e);
      }
    }
  }

  private static final HexFormat HEX = HexFormat.of();

  private final int usage;
  private final int selector;
  private final int matchingType;
  private final byte[] data;

  private TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
    this.usage = usage;
    this.selector = selector;
    this.matchingType = matchingType;
    this.data = data;
  }

  /**
   * Creates a record from its four fields, as published.
   *
   * @param usage the certificate usage, 0 to 255
   * @param selector the selector, 0 to 255
   * @param matchingType the matching type, 0 to 255
   * @param data the certificate association data, at least one octet
   * @return the record
   * @throws IllegalArgumentException if a field is outside 0 to 255, or the data is empty
   */
  public static TlsaRecord of(int usage, int selector, int matchingType, byte[] data) {
    checkOctet(usage, "usage");
    checkOctet(selector, "selector");
    checkOctet(matchingType, "matching type");
    // As parse and fromRdata: a record without data could not be written in presentation form.
    if (data.length == 0) {
      throw new IllegalArgumentException("a TLSA record needs certificate association data");
    }
    return new TlsaRecord(usage, selector, matchingType, data.clone());
  }

  /**
   * Creates the record that a server with this certificate publishes, for example to roll over to a
   * new key or to print the record a domain should add.
   *
   * @param usage {@link CertificateUsage#DANE_EE} for the server's own certificate, {@link
   *     CertificateUsage#DANE_TA} for its issuer
   * @param selector what to match
   * @param matchingType how to match
   * @param certificate the certificate the record is for
   * @return the record
   */
  public static TlsaRecord of(
      CertificateUsage usage,
      Selector selector,
      MatchingType matchingType,
      X509Certificate certificate) {
    byte[] selected = select(selector, certificate);
    return new TlsaRecord(
        usage.code(), selector.code(), matchingType.code(), matchingType.apply(selected));
  }

  /**
   * Decodes the RDATA of a TLSA record (RFC 6698 §2.1): three octets and the data.
   *
   * @param rdata the record's RDATA
   * @return the record
   * @throws IllegalArgumentException if it is shorter than four octets
   */
  public static TlsaRecord fromRdata(byte[] rdata) {
    if (rdata.length < 4) {
      throw new IllegalArgumentException(
          "TLSA RDATA of " + rdata.length + " octets; at least 4 are needed");
    }
    return new TlsaRecord(
        rdata[0] & 0xff,
        rdata[1] & 0xff,
        rdata[2] & 0xff,
        Arrays.copyOfRange(rdata, 3, rdata.length));
  }

  /**
   * Parses a record in presentation form (RFC 6698 §2.2): three decimal fields and the data in
   * hexadecimal, which may be split by white space, as in {@code "3 1 1 0c72…d3d6"}.
   *
   * @param text the record's RDATA in presentation form
   * @return the record
   * @throws DaneSyntaxException if the text is not a TLSA record
   */
  public static TlsaRecord parse(String text) {
    requireNonNull(text, "text");
    int[] fields = new int[3];
    int i = skipSpace(text, 0);
    for (int f = 0; f < 3; f++) {
      int start = i;
      int value = 0;
      while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        // Leading zeros are allowed; any longer number only needs to be known to exceed 255.
        value = Math.min(value * 10 + (text.charAt(i) - '0'), 256);
        i++;
      }
      if (i == start) {
        throw new DaneSyntaxException(text, i, "expected a decimal number, field " + (f + 1));
      }
      if (value > 255) {
        throw new DaneSyntaxException(text, start, "field " + (f + 1) + " exceeds 255");
      }
      fields[f] = value;
      if (i < text.length() && !isSpace(text.charAt(i))) {
        throw new DaneSyntaxException(text, i, "expected white space after field " + (f + 1));
      }
      i = skipSpace(text, i);
    }
    StringBuilder hex = new StringBuilder(text.length() - i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isSpace(c)) {
        continue;
      }
      // ASCII only: Character.digit also takes other scripts' digits, which HexFormat refuses.
      if (!isHexDigit(c)) {
        throw new DaneSyntaxException(text, i, "expected a hexadecimal digit");
      }
      hex.append(c);
    }
    if (hex.length() == 0) {
      throw new DaneSyntaxException(text, text.length(), "no certificate association data");
    }
    if (hex.length() % 2 != 0) {
      throw new DaneSyntaxException(text, text.length(), "an odd number of hexadecimal digits");
    }
    return new TlsaRecord(fields[0], fields[1], fields[2], HEX.parseHex(hex));
  }

  private static int skipSpace(String text, int i) {
    while (i < text.length() && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static void checkOctet(int value, String field) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("TLSA " + field + " must be 0 to 255, not " + value);
    }
  }

  /**
   * Returns the certificate usage field.
   *
   * @return 0 to 255
   */
  public int usage() {
    return usage;
  }

  /**
   * Returns the selector field.
   *
   * @return 0 to 255
   */
  public int selector() {
    return selector;
  }

  /**
   * Returns the matching type field.
   *
   * @return 0 to 255
   */
  public int matchingType() {
    return matchingType;
  }

  /**
   * Returns the certificate association data.
   *
   * @return a copy of the data
   */
  public byte[] data() {
    return data.clone();
  }

  /**
   * Returns the certificate usage, if it is an assigned one.
   *
   * @return the usage, or empty
   */
  public Optional<CertificateUsage> knownUsage() {
    return CertificateUsage.of(usage);
  }

  /**
   * Returns the selector, if it is an assigned one.
   *
   * @return the selector, or empty
   */
  public Optional<Selector> knownSelector() {
    return Selector.of(selector);
  }

  /**
   * Returns the matching type, if it is an assigned one.
   *
   * @return the matching type, or empty
   */
  public Optional<MatchingType> knownMatchingType() {
    return MatchingType.of(matchingType);
  }

  /**
   * Tells whether SMTP uses this record (RFC 7672 §3.1): a DANE-TA(2) or DANE-EE(3) usage, an
   * assigned selector and matching type, and a digest of the matching type's length.
   *
   * @return true if the record can authenticate an SMTP server
   */
  public boolean usable() {
    return whyUnusable().isEmpty();
  }

  /**
   * Says why SMTP does not use this record.
   *
   * @return the reason, or empty for a usable record
   */
  public Optional<String> whyUnusable() {
    Optional<CertificateUsage> u = knownUsage();
    if (u.isEmpty()) {
      return Optional.of("unassigned certificate usage " + usage);
    }
    if (u.get() == CertificateUsage.PKIX_TA || u.get() == CertificateUsage.PKIX_EE) {
      // RFC 7672 §3.1.3: SMTP clients SHOULD NOT use PKIX-TA(0) or PKIX-EE(1).
      return Optional.of(
          "certificate usage "
              + usage
              + " ("
              + u.get()
              + ") is not used for SMTP (RFC 7672 §3.1.3)");
    }
    if (knownSelector().isEmpty()) {
      return Optional.of("unassigned selector " + selector);
    }
    Optional<MatchingType> m = knownMatchingType();
    if (m.isEmpty()) {
      return Optional.of("unassigned matching type " + matchingType);
    }
    if (m.get().length > 0 && data.length != m.get().length) {
      return Optional.of(
          m.get() + " data of " + data.length + " octets; " + m.get().length + " expected");
    }
    return Optional.empty();
  }

  /**
   * Tells whether a certificate is the one this record names: the selected part of it, digested as
   * the matching type says, equals the record's data. The usage is not considered here.
   *
   * @param certificate a certificate of the server's chain
   * @return false also for a record with an unassigned selector or matching type
   */
  public boolean matches(X509Certificate certificate) {
    Optional<Selector> s = knownSelector();
    Optional<MatchingType> m = knownMatchingType();
    if (s.isEmpty() || m.isEmpty()) {
      return false;
    }
    byte[] selected;
    try {
      selected = select(s.get(), certificate);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(m.get().apply(selected), data);
  }

  private static byte[] select(Selector selector, X509Certificate certificate) {
    try {
      return selector == Selector.SPKI
          ? subjectPublicKeyInfo(certificate.getTBSCertificate())
          : certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  /**
   * RFC 6698 §2.1.2: selector 1 is the SubjectPublicKeyInfo as the certificate carries it. The
   * JDK's {@code getPublicKey().getEncoded()} re-encodes the key, and the bytes can differ (an RSA
   * key whose algorithm parameters are absent gains a NULL), so the field is cut from the DER of
   * the TBSCertificate (RFC 5280 §4.1): version [0] if present, serial number, signature algorithm,
   * issuer, validity and subject come before it.
   */
  private static byte[] subjectPublicKeyInfo(byte[] tbs) {
    int[] outer = derElement(tbs, 0);
    int i = outer[1]; // the first field inside the TBSCertificate SEQUENCE
    if (i < tbs.length && (tbs[i] & 0xff) == 0xa0) {
      i = derElement(tbs, i)[2];
    }
    for (int field = 0; field < 5; field++) {
      i = derElement(tbs, i)[2];
    }
    int[] spki = derElement(tbs, i);
    if ((tbs[i] & 0xff) != 0x30) {
      throw new IllegalArgumentException("no SubjectPublicKeyInfo in the TBSCertificate");
    }
    return Arrays.copyOfRange(tbs, i, spki[2]);
  }

  /** A DER element at {@code start}: its start, where its content starts, and its end. */
  private static int[] derElement(byte[] der, int start) {
    if (start + 2 > der.length) {
      throw new IllegalArgumentException("truncated DER at " + start);
    }
    int first = der[start + 1] & 0xff;
    int content = start + 2;
    long length = first;
    if (first > 0x80) {
      int octets = first & 0x7f;
      if (octets > 4 || content + octets > der.length) {
        throw new IllegalArgumentException("a DER length this class does not read at " + start);
      }
      length = 0;
      for (int k = 0; k < octets; k++) {
        length = (length << 8) | (der[content++] & 0xff);
      }
    } else if (first == 0x80) {
      throw new IllegalArgumentException("an indefinite length is not DER, at " + start);
    }
    if (content + length > der.length) {
      throw new IllegalArgumentException("a DER element past the end at " + start);
    }
    return new int[] {start, content, (int) (content + length)};
  }

  /**
   * Returns the record's RDATA (RFC 6698 §2.1).
   *
   * @return a new array: the three fields and the data
   */
  public byte[] toRdata() {
    byte[] rdata = new byte[3 + data.length];
    rdata[0] = (byte) usage;
    rdata[1] = (byte) selector;
    rdata[2] = (byte) matchingType;
    System.arraycopy(data, 0, rdata, 3, data.length);
    return rdata;
  }

  /**
   * Returns the record in presentation form, as TLS-RPT reports carry it (RFC 8460 §4.4): {@code "3
   * 1 1 <lower-case hex>"}.
   *
   * @return the text, which {@link #parse(String)} reads back
   */
  public String toText() {
    return usage + " " + selector + " " + matchingType + " " + HEX.formatHex(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsaRecord r
        && r.usage == usage
        && r.selector == selector
        && r.matchingType == matchingType
        && Arrays.equals(r.data, data);
  }

  @Override
  public int hashCode() {
    return ((usage * 31 + selector) * 31 + matchingType) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return toText();
  }
}
