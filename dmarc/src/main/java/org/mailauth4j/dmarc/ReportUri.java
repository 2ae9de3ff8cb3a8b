package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * One destination of DMARC reports, an element of {@code rua} or {@code ruf} (RFC 9989 §4.7, RFC
 * 7489 §6.2), such as {@code mailto:dmarc-reports@example.com!10m}. Immutable and thread-safe.
 *
 * <pre>
 * dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]   ; RFC 7489 §6.4
 * </pre>
 *
 * <p>Any absolute URI is accepted, as RFC 9989 allows; {@code mailto} is the scheme receivers must
 * support, and a {@code mailto} URI must hold an address whose domain is a host name. Commas and
 * {@code !} inside the URI must be percent-encoded ({@code %2C}, {@code %21}; RFC 7489 §6.2): an
 * unencoded {@code !} starts the size suffix. A {@code ;}, which would end the tag value, must be
 * encoded too ({@code %3B}). RFC 9989 §4.8 makes the size suffix obsolete: it is read and kept, and
 * reporters ignore it.
 *
 * <p>Two report URIs are equal when their {@link #text()} is: the URI as written, its scheme in
 * lower case, and the same size limit.
 */
public final class ReportUri {
  private static final int KIB_SHIFT = 10;

  private final URI uri;
  private final String scheme;
  private final Optional<String> mailbox;
  private final Optional<DomainName> host;
  private final OptionalLong sizeLimit;
  private final String text;

  private ReportUri(
      URI uri,
      String scheme,
      Optional<String> mailbox,
      Optional<DomainName> host,
      OptionalLong sizeLimit) {
    this.uri = uri;
    this.scheme = scheme;
    this.mailbox = mailbox;
    this.host = host;
    this.sizeLimit = sizeLimit;
    this.text = uri + (sizeLimit.isPresent() ? "!" + sizeText(sizeLimit.getAsLong()) : "");
  }

  /**
   * Parses one element of {@code rua} or {@code ruf}, without the whitespace around it.
   *
   * @param text such as {@code mailto:dmarc%2Breports@example.com!10m}
   * @return the report URI
   * @throws DmarcSyntaxException if the text is not an absolute URI with an optional size suffix,
   *     or is a {@code mailto} URI without a usable address; its index points at the problem
   */
  public static ReportUri parse(CharSequence text) {
    String input = requireNonNull(text, "text").toString();
    Parsed parsed = read(input);
    if (parsed.uri() == null) {
      throw new DmarcSyntaxException(input, parsed.errorIndex(), parsed.reason());
    }
    return parsed.uri();
  }

  /**
   * Makes a {@code mailto} report URI for an address, percent-encoding what a record cannot hold as
   * it is (RFC 6068 §2, RFC 7489 §6.2: commas and {@code !} among others).
   *
   * @param address an addr-spec such as {@code dmarc+reports@example.com}
   * @return the report URI, such as {@code mailto:dmarc+reports@example.com}
   * @throws IllegalArgumentException if the address has no local part or its domain is not a host
   *     name
   */
  public static ReportUri mailto(String address) {
    requireNonNull(address, "address");
    StringBuilder sb = new StringBuilder("mailto:");
    for (byte b : address.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (isAlphaNum(c) || "-._~$'()*+=@".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return parse(sb);
  }

  /**
   * Returns the URI without the size suffix.
   *
   * @return such as {@code mailto:dmarc-reports@example.com}
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns the scheme.
   *
   * @return the scheme in lower case, such as {@code mailto}
   */
  public String scheme() {
    return scheme;
  }

  /**
   * Returns the address a {@code mailto} URI sends to: the first of its addresses, percent-decoded
   * as UTF-8 (RFC 6068 §2; a {@code +} stays a {@code +}).
   *
   * @return the addr-spec, such as {@code dmarc+reports@example.com}; empty for other schemes
   */
  public Optional<String> mailbox() {
    return mailbox;
  }

  /**
   * Returns the host that reports go to: for {@code mailto}, the domain of {@link #mailbox()}; for
   * other schemes, the URI's host when it is a domain name. This is the host whose authorization
   * RFC 9990 §4 asks for when it lies outside the policy domain.
   *
   * @return the domain in A-label form; empty if the URI has no host or the host is an IP address
   */
  public Optional<DomainName> host() {
    return host;
  }

  /**
   * Returns the largest report the domain owner asked for, from the {@code !size} suffix (RFC 7489
   * §6.2, with {@code k}, {@code m}, {@code g}, {@code t} as powers of 1024). RFC 9989 §4.8 makes
   * the suffix obsolete: reporters ignore it.
   *
   * @return the limit in bytes; empty without a suffix
   */
  public OptionalLong sizeLimit() {
    return sizeLimit;
  }

  /**
   * Returns the element as written in a record: the URI, its scheme in lower case, then any size
   * suffix with the largest unit that states it exactly.
   *
   * @return such as {@code mailto:d@example.com!10m}
   */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportUri other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** Returns {@link #text()}. */
  @Override
  public String toString() {
    return text;
  }

  /** A parsed report URI, or where and why the text is none; no exception for record parsing. */
  record Parsed(ReportUri uri, int errorIndex, String reason) {
    static Parsed failure(int errorIndex, String reason) {
      return new Parsed(null, errorIndex, reason);
    }
  }

  /**
   * Reads a report URI, reporting a failure as a value, so that a record of thousands of bad URIs
   * costs no exception for each. Takes time linear in the text.
   */
  static Parsed read(String s) {
    int n = s.length();
    if (n == 0) {
      return Parsed.failure(0, "empty report URI");
    }
    int bang = -1;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        // RFC 3986 §2: a URI is printable ASCII; anything else is percent-encoded.
        return Parsed.failure(i, "character " + describe(c) + " not allowed in a URI");
      }
      if (c == ',') {
        // RFC 7489 §6.2: a comma inside a report URI is written %2C.
        return Parsed.failure(i, "a comma in a report URI must be encoded as %2C");
      }
      if (c == ';') {
        // RFC 9989 §4.8: a tag value ends at ';', so a record cannot hold one in a URI.
        return Parsed.failure(i, "a ';' in a report URI must be encoded as %3B");
      }
      if (c == '!' && bang < 0) {
        bang = i;
      }
    }
    OptionalLong size = OptionalLong.empty();
    String uriText = s;
    if (bang >= 0) {
      long bytes = readSize(s, bang + 1);
      if (bytes == -1) {
        // RFC 7489 §6.2: a '!' in the URI itself is written %21; an unencoded one ends the URI.
        return Parsed.failure(
            bang, "after '!' only a size such as 10m may follow (a '!' in a URI is written %21)");
      }
      if (bytes == -2) {
        return Parsed.failure(bang + 1, "size limit too large");
      }
      size = OptionalLong.of(bytes);
      uriText = s.substring(0, bang);
    }
    int colon = schemeEnd(uriText);
    if (colon < 0) {
      return Parsed.failure(0, "expected an absolute URI with a scheme, such as mailto:");
    }
    String scheme = uriText.substring(0, colon).toLowerCase(Locale.ROOT);
    uriText = scheme + uriText.substring(colon);
    URI uri;
    try {
      uri = new URI(uriText);
    } catch (URISyntaxException e) {
      return Parsed.failure(Math.max(0, e.getIndex()), e.getReason());
    }
    if (scheme.equals("mailto")) {
      return mailto(uri, size, colon + 1);
    }
    return new Parsed(new ReportUri(uri, scheme, Optional.empty(), hostOf(uri), size), -1, null);
  }

  /** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. */
  private static int schemeEnd(String s) {
    if (s.isEmpty() || !isAlpha(s.charAt(0))) {
      return -1;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i;
      }
      if (!isAlphaNum(c) && c != '+' && c != '-' && c != '.') {
        return -1;
      }
    }
    return -1;
  }

  /**
   * RFC 6068 §2: {@code mailto:} [ to ] [ hfields ], to = addr-spec *( "," addr-spec ), encoded as
   * UTF-8. DMARC needs an address to send to: the first one.
   */
  private static Parsed mailto(URI uri, OptionalLong size, int toStart) {
    String ssp = uri.getRawSchemeSpecificPart();
    int query = ssp.indexOf('?');
    String to = query < 0 ? ssp : ssp.substring(0, query);
    if (to.isEmpty()) {
      return Parsed.failure(toStart, "mailto: without an address");
    }
    String decoded = percentDecode(to);
    if (decoded == null) {
      return Parsed.failure(toStart, "percent-encoded octets that are not UTF-8");
    }
    String address = firstAddress(decoded);
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      return Parsed.failure(toStart, "expected an address local-part@domain after mailto:");
    }
    for (int i = 0; i < at; i++) {
      char c = address.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        return Parsed.failure(toStart, "control character in the address");
      }
    }
    DomainName domain;
    try {
      domain = DomainName.parseHostName(address.substring(at + 1));
    } catch (DnsSyntaxException e) {
      return Parsed.failure(toStart, "the address's domain is not a host name: " + e.reason());
    }
    return new Parsed(
        new ReportUri(uri, "mailto", Optional.of(address), Optional.of(domain), size), -1, null);
  }

  /** The addr-spec up to the first comma outside a quoted local part (RFC 5322 §3.4.1). */
  private static String firstAddress(String to) {
    boolean quoted = false;
    for (int i = 0; i < to.length(); i++) {
      char c = to.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        return to.substring(0, i);
      }
    }
    return to;
  }

  /**
   * Decodes %HH escapes as UTF-8 octets (RFC 3986 §2.1, RFC 6068 §2); unlike form decoding, a
   * {@code +} is a plus. The URI parser has already checked that each % has two hex digits.
   *
   * @return the text, or null if the octets are not UTF-8
   */
  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteBuffer bytes = ByteBuffer.allocate(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        bytes.put((byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2))));
        i += 2;
      } else {
        bytes.put((byte) c); // ASCII: read() refused everything else
      }
    }
    bytes.flip();
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  /**
   * Reads {@code 1*DIGIT [ "k" / "m" / "g" / "t" ]} to the end of the text (the units in any case,
   * as ABNF strings are, RFC 5234 §2.3).
   *
   * @return the size in bytes; -1 if the text is no size, -2 if it does not fit in a long
   */
  private static long readSize(String s, int start) {
    int n = s.length();
    int i = start;
    long value = 0;
    boolean overflow = false;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      int digit = s.charAt(i) - '0';
      if (value > (Long.MAX_VALUE - digit) / 10) {
        overflow = true; // keep scanning: the rest must still be digits and a unit
      } else {
        value = value * 10 + digit;
      }
      i++;
    }
    if (i == start) {
      return -1;
    }
    int shift = 0;
    if (i < n) {
      shift =
          switch (Character.toLowerCase(s.charAt(i))) {
            case 'k' -> KIB_SHIFT;
            case 'm' -> 2 * KIB_SHIFT;
            case 'g' -> 3 * KIB_SHIFT;
            case 't' -> 4 * KIB_SHIFT;
            default -> -1;
          };
      if (shift < 0 || i + 1 != n) {
        return -1;
      }
    }
    if (overflow || value > Long.MAX_VALUE >> shift) {
      return -2;
    }
    return value << shift;
  }

  /** The size with the largest unit that states it exactly, such as {@code 10m}. */
  private static String sizeText(long bytes) {
    String units = "kmgt";
    for (int u = units.length(); u >= 1; u--) {
      int shift = u * KIB_SHIFT;
      if (bytes != 0 && (bytes & ((1L << shift) - 1)) == 0) {
        return (bytes >> shift) + units.substring(u - 1, u);
      }
    }
    return Long.toString(bytes);
  }

  /** The host of a hierarchical URI when it is a domain name, not an IP literal. */
  private static Optional<DomainName> hostOf(URI uri) {
    String host = uri.getHost();
    if (host == null
        || host.startsWith("[")
        || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    try {
      return Optional.of(DomainName.parseHostName(host));
    } catch (DnsSyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean isAlpha(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isAlphaNum(int c) {
    return isAlpha(c) || c >= '0' && c <= '9';
  }

  static String describe(char c) {
    return c >= 0x21 && c <= 0x7E ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }
}
