package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * One destination of TLS reports, an element of a TLS-RPT record's {@code rua} (RFC 8460 §3): a
 * {@code mailto:} URI, to which reports go as e-mail (§5.3), or an {@code https:} URI, to which
 * they are POSTed (§5.4). Immutable and thread-safe.
 *
 * <pre>
 * tlsrpt-uri = URI   ; RFC 3986; commas, "!" and ";" MUST be encoded (RFC 8460 §3)
 * </pre>
 *
 * <p>A usable URI is an absolute RFC 3986 URI of printable ASCII, without an unencoded comma,
 * {@code !} or {@code ;}, whose scheme is {@code mailto} or {@code https} (in any case; kept in
 * lower case). A {@code mailto} URI must name one or more addresses (RFC 6068 §2), each with a
 * local part and a domain that is a host name; an {@code https} URI must have a host and no user
 * information (RFC 9110 §4.2.4).
 *
 * <p>Two URIs are equal when their {@link #text()} is.
 */
public final class TlsRptUri {
  /** The two schemes RFC 8460 §3 supports. */
  public enum Scheme {
    /** {@code mailto:}, delivery as e-mail (RFC 8460 §5.3). */
    MAILTO,
    /** {@code https:}, delivery by HTTP POST (RFC 8460 §5.4). */
    HTTPS;

    /**
     * Returns the scheme as written in a URI.
     *
     * @return {@code mailto} or {@code https}
     */
    public String token() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final URI uri;
  private final Scheme scheme;
  private final List<String> mailboxes;
  private final String host;
  private final String text;

  private TlsRptUri(URI uri, Scheme scheme, List<String> mailboxes, String host) {
    this.uri = uri;
    this.scheme = scheme;
    this.mailboxes = List.copyOf(mailboxes);
    this.host = host;
    this.text = uri.toString();
  }

  /**
   * Parses one element of {@code rua}, without the whitespace around it.
   *
   * @param text such as {@code mailto:tlsrpt%2Breports@example.com} or {@code
   *     https://reports.example.com/v1/tlsrpt}
   * @return the URI
   * @throws TlsRptSyntaxException with {@link TlsRptRecordProblem#UNSUPPORTED_SCHEME} for a URI of
   *     another scheme, and {@link TlsRptRecordProblem#INVALID_URI} for text that is no usable URI;
   *     its index points at the problem
   */
  public static TlsRptUri parse(CharSequence text) {
    String input = requireNonNull(text, "text").toString();
    Parsed parsed = read(input);
    if (parsed.uri() == null) {
      throw new TlsRptSyntaxException(input, parsed.errorIndex(), parsed.code(), parsed.reason());
    }
    return parsed.uri();
  }

  /**
   * Makes a {@code mailto} URI for an address, percent-encoding what a record cannot hold as it is
   * (RFC 6068 §2; RFC 8460 §3 for commas, {@code !} and {@code ;}).
   *
   * @param address an addr-spec such as {@code tlsrpt+reports@example.com}
   * @return the URI, such as {@code mailto:tlsrpt+reports@example.com}
   * @throws IllegalArgumentException if the address has no local part or its domain is not a host
   *     name
   */
  public static TlsRptUri mailto(String address) {
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
   * Returns the URI.
   *
   * @return such as {@code https://reports.example.com/v1/tlsrpt}, its scheme in lower case
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns how reports reach this destination.
   *
   * @return the scheme
   */
  public Scheme scheme() {
    return scheme;
  }

  /**
   * Returns the first address a {@code mailto} URI sends to, percent-decoded as UTF-8 (RFC 6068 §2;
   * a {@code +} stays a {@code +}). Most URIs name one; {@link #mailboxes()} has them all.
   *
   * @return the addr-spec, such as {@code tlsrpt+reports@example.com}; empty for {@code https}
   */
  public Optional<String> mailbox() {
    return mailboxes.isEmpty() ? Optional.empty() : Optional.of(mailboxes.get(0));
  }

  /**
   * Returns every address a {@code mailto} URI sends to, in the order written (RFC 6068 §2: {@code
   * to = addr-spec *("," addr-spec)}, the commas encoded as {@code %2C} in a record, RFC 8460 §3),
   * each percent-decoded as {@link #mailbox()} is. Header fields after {@code ?} are not addresses;
   * a {@code to=} field among them is ignored.
   *
   * @return at least one addr-spec for {@code mailto}, the first being {@link #mailbox()}; empty
   *     for {@code https}; unmodifiable
   */
  public List<String> mailboxes() {
    return mailboxes;
  }

  /**
   * Returns the host reports go to: for {@code https}, the URI's host; for {@code mailto}, the
   * domain of {@link #mailbox()}, the first address.
   *
   * @return a domain in lower-case A-label form, such as {@code reports.example.com}, or for {@code
   *     https} an IP literal such as {@code 192.0.2.1} or {@code [2001:db8::1]}
   */
  public String host() {
    return host;
  }

  /**
   * Returns the URI as written in a record: as parsed, its scheme in lower case.
   *
   * @return such as {@code mailto:tlsrpt@example.com}
   */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsRptUri other && text.equals(other.text);
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

  /** A parsed URI, or where and why the text is none; no exception while a record is parsed. */
  record Parsed(TlsRptUri uri, int errorIndex, TlsRptRecordProblem code, String reason) {
    static Parsed failure(int errorIndex, String reason) {
      return new Parsed(null, errorIndex, TlsRptRecordProblem.INVALID_URI, reason);
    }
  }

  /** Reads a URI, reporting a failure as a value. Takes time linear in the text. */
  static Parsed read(String s) {
    int n = s.length();
    if (n == 0) {
      return Parsed.failure(0, "empty URI");
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        // RFC 3986 §2: a URI is printable ASCII; anything else is percent-encoded.
        return Parsed.failure(i, "character " + describe(c) + " not allowed in a URI");
      }
      if (c == ',' || c == '!' || c == ';') {
        // RFC 8460 §3: commas, exclamation points and semicolons in a URI MUST be encoded.
        return Parsed.failure(
            i,
            "a '"
                + c
                + "' in a report URI must be percent-encoded as "
                + (c == ',' ? "%2C" : c == '!' ? "%21" : "%3B")
                + " (RFC 8460 §3)");
      }
    }
    int colon = schemeEnd(s);
    if (colon < 0) {
      return Parsed.failure(0, "expected an absolute URI, such as mailto: or https:");
    }
    String schemeText = s.substring(0, colon).toLowerCase(Locale.ROOT);
    Scheme scheme;
    if (schemeText.equals("mailto")) {
      scheme = Scheme.MAILTO;
    } else if (schemeText.equals("https")) {
      scheme = Scheme.HTTPS;
    } else {
      // RFC 8460 §3: "Two URI schemes are supported: "mailto" and "https"."
      return new Parsed(
          null,
          0,
          TlsRptRecordProblem.UNSUPPORTED_SCHEME,
          "scheme "
              + schemeText
              + ": RFC 8460 §3 supports only mailto and https, so reporters skip it");
    }
    URI uri;
    try {
      uri = new URI(schemeText + s.substring(colon));
    } catch (URISyntaxException e) {
      return Parsed.failure(Math.max(0, Math.min(n, e.getIndex())), e.getReason());
    }
    return scheme == Scheme.MAILTO ? mailto(uri, colon + 1) : https(uri, colon + 1);
  }

  /** An {@code https} URI: a host, no user information (RFC 9110 §4.2.4). */
  private static Parsed https(URI uri, int afterColon) {
    if (uri.isOpaque() || uri.getRawAuthority() == null) {
      return Parsed.failure(afterColon, "an https URI needs //host");
    }
    if (uri.getRawUserInfo() != null
        || uri.getHost() == null && uri.getRawAuthority().indexOf('@') >= 0) {
      // RFC 9110 §4.2.4: userinfo in an https URI is deprecated and treated as an error.
      return Parsed.failure(afterColon + 2, "user information in an https URI (RFC 9110 §4.2.4)");
    }
    String host = uri.getHost();
    if (host == null) {
      // java.net.URI reads an authority with '_' in its host as registry-based; DNS allows '_'.
      host = registryHost(uri.getRawAuthority());
      if (host == null) {
        return Parsed.failure(afterColon + 2, "an https URI needs a host name or IP address");
      }
    }
    host = host.toLowerCase(Locale.ROOT);
    if (!host.startsWith("[") && !isIpv4(host)) {
      try {
        host = DomainName.parse(host).toString();
      } catch (DnsSyntaxException e) {
        return Parsed.failure(afterColon + 2, "the host is not a domain name: " + e.reason());
      }
      if (host.isEmpty()) {
        return Parsed.failure(afterColon + 2, "an https URI needs a host name or IP address");
      }
    }
    return new Parsed(new TlsRptUri(uri, Scheme.HTTPS, List.of(), host), -1, null, null);
  }

  /** The host of {@code host[:port]} made of letters, digits, '-', '_' and '.'; else null. */
  private static String registryHost(String authority) {
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    if (colon >= 0 && !authority.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      return null;
    }
    if (host.isEmpty()
        || !host.chars().allMatch(c -> isAlphaNum(c) || c == '-' || c == '_' || c == '.')) {
      return null;
    }
    return host;
  }

  private static boolean isIpv4(String host) {
    return !host.isEmpty() && host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
  }

  /**
   * RFC 6068 §2: {@code mailto:} [ to ] [ hfields ], to = addr-spec *( "," addr-spec ), encoded as
   * UTF-8. A report needs an address to go to, and every address named must be one: a URI with an
   * empty or broken address among good ones is no valid {@code mailto} URI, and guessing which
   * addresses its owner meant is not the reporter's business.
   */
  private static Parsed mailto(URI uri, int toStart) {
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
    List<String> addresses = addresses(decoded);
    String firstHost = null;
    for (int k = 0; k < addresses.size(); k++) {
      String address = addresses.get(k);
      String which = addresses.size() == 1 ? "" : " (address " + (k + 1) + ")";
      int at = address.lastIndexOf('@');
      if (at <= 0 || at == address.length() - 1) {
        return Parsed.failure(
            toStart, "expected an address local-part@domain after mailto:" + which);
      }
      for (int i = 0; i < at; i++) {
        char c = address.charAt(i);
        if (c < 0x20 || c == 0x7F) {
          return Parsed.failure(toStart, "control character in the address" + which);
        }
      }
      DomainName domain;
      try {
        domain = DomainName.parseHostName(address.substring(at + 1));
      } catch (DnsSyntaxException e) {
        return Parsed.failure(
            toStart, "the address's domain is not a host name" + which + ": " + e.reason());
      }
      if (domain.isRoot()) {
        return Parsed.failure(toStart, "the address's domain is empty" + which);
      }
      if (k == 0) {
        firstHost = domain.toString();
      }
    }
    return new Parsed(new TlsRptUri(uri, Scheme.MAILTO, addresses, firstHost), -1, null, null);
  }

  /** The addr-specs, split at each comma outside a quoted local part (RFC 5322 §3.4.1). */
  private static List<String> addresses(String to) {
    List<String> addresses = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < to.length(); i++) {
      char c = to.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        addresses.add(to.substring(start, i));
        start = i + 1;
      }
    }
    addresses.add(to.substring(start));
    return addresses;
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
        bytes.put(
            (byte)
                (Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16)));
        i += 2;
      } else {
        bytes.put((byte) c); // ASCII: read() refused everything else
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. */
  private static int schemeEnd(String s) {
    if (!isAlpha(s.charAt(0))) {
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

  private static boolean isAlpha(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  static boolean isAlphaNum(int c) {
    return isAlpha(c) || c >= '0' && c <= '9';
  }

  /** A character for a message: itself if printable ASCII, else its code point. */
  static String describe(char c) {
    return c >= 0x21 && c <= 0x7E ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }
}
