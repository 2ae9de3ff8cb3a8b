package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validated DNS domain name such as {@code example.com} or {@code s1._domainkey.example.org}.
 *
 * <p>Every mailauth4j module takes names as {@code DomainName} rather than as strings, so that a
 * name is checked once, at the edge, and an invalid name never reaches a resolver. A parsed name
 * is:
 *
 * <ul>
 *   <li>in A-label form: internationalized labels are converted with {@link IDN#toASCII(String)}
 *       (IDNA 2003 as the JDK implements it), so {@code bücher.example} becomes {@code
 *       xn--bcher-kva.example};
 *   <li>lower-case, so equality is case-insensitive as DNS requires (RFC 4343);
 *   <li>absolute, with the trailing dot accepted on input and left out of {@link #toString()};
 *   <li>within the RFC 1035 limits: labels of 1 to 63 octets, at most 253 octets in all;
 *   <li>made of letters, digits, hyphens (not at either end of a label) and underscores, which mail
 *       authentication needs for names such as {@code _dmarc} and {@code _mta-sts}.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DomainName {
  /** The most octets a name may have, without its trailing dot (RFC 1035 §2.3.4). */
  public static final int MAX_LENGTH = 253;

  /** The most octets a single label may have (RFC 1035 §2.3.4). */
  public static final int MAX_LABEL_LENGTH = 63;

  /**
   * The root of the DNS tree. It is never the result of {@link #parse(CharSequence)}, which wants
   * at least one label, but appears as the exchange of a "null MX" record (RFC 7505).
   */
  public static final DomainName ROOT = new DomainName("");

  /** Lower-case ASCII, no trailing dot; empty for the root. */
  private final String name;

  private DomainName(String name) {
    this.name = name;
  }

  /**
   * Parses and validates a domain name.
   *
   * @param text a name such as {@code Example.COM.} or {@code bücher.example}
   * @return the validated name in lower-case A-label form
   * @throws DnsSyntaxException if the text is not a valid name; its index points at the problem
   */
  public static DomainName parse(CharSequence text) {
    requireNonNull(text, "text");
    return new DomainName(canonical(text));
  }

  /**
   * Tells whether {@link #parse(CharSequence)} would accept the text.
   *
   * @param text the candidate name
   * @return {@code true} if the text is a valid domain name
   */
  public static boolean isValid(CharSequence text) {
    try {
      parse(text);
      return true;
    } catch (DnsSyntaxException e) {
      return false;
    }
  }

  /**
   * Parses a name that must also be a host name ({@link #isHostName()}): what RFC 5321 calls a
   * {@code Domain}, as MX targets, HELO names, MTA-STS {@code mx} patterns and DKIM {@code d=}
   * domains are.
   *
   * @param text a name such as {@code mx1.example.com}
   * @return the validated name in lower-case A-label form
   * @throws DnsSyntaxException if the text is not a valid name, or a label is not
   *     letters-digits-hyphen; its index points at the problem
   */
  public static DomainName parseHostName(CharSequence text) {
    DomainName name = parse(text);
    int index = name.hostNameViolation();
    if (index >= 0) {
      throw new DnsSyntaxException(
          text.toString(),
          Math.min(index, text.length()),
          "not a host name: labels hold only letters, digits and inner hyphens");
    }
    return name;
  }

  /**
   * Tells whether the name is a host name: every label made of letters, digits and hyphens, not
   * starting or ending with a hyphen (RFC 1123 §2.1, RFC 5321 §4.1.2 {@code sub-domain}). Names
   * such as {@code _dmarc.example.com} are valid DNS names but not host names. The root is not a
   * host name.
   *
   * @return {@code true} if every label is letters-digits-hyphen
   */
  public boolean isHostName() {
    return !isRoot() && hostNameViolation() < 0;
  }

  /** The index of the first character that keeps this from being a host name, or -1. */
  private int hostNameViolation() {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the name under which the PTR records of an address live: {@code 4.3.2.1.in-addr.arpa}
   * for {@code 1.2.3.4}, and the reversed nibbles under {@code ip6.arpa} for an IPv6 address (RFC
   * 3596 §2.5).
   *
   * @param address an IPv4 or IPv6 address
   * @return the reverse-lookup name
   */
  public static DomainName reverseLookupName(InetAddress address) {
    byte[] octets = requireNonNull(address, "address").getAddress();
    StringBuilder sb = new StringBuilder(72);
    if (address instanceof Inet4Address) {
      for (int i = octets.length - 1; i >= 0; i--) {
        sb.append(octets[i] & 0xFF).append('.');
      }
      sb.append("in-addr.arpa");
    } else {
      for (int i = octets.length - 1; i >= 0; i--) {
        sb.append(Character.forDigit(octets[i] & 0x0F, 16)).append('.');
        sb.append(Character.forDigit((octets[i] >> 4) & 0x0F, 16)).append('.');
      }
      sb.append("ip6.arpa");
    }
    return new DomainName(sb.toString());
  }

  /**
   * Returns the name with more labels put in front, such as {@code _dmarc} or {@code s1._domainkey}
   * before {@code example.com}.
   *
   * @param labels one label or several joined by dots
   * @return the longer name
   * @throws DnsSyntaxException if the labels are not valid or the result is too long
   */
  public DomainName prepend(CharSequence labels) {
    requireNonNull(labels, "labels");
    return isRoot() ? parse(labels) : parse(labels + "." + name);
  }

  /**
   * Returns the name one label up: {@code example.com} for {@code mail.example.com}.
   *
   * @return the parent, or empty for a single-label name and for the root
   */
  public Optional<DomainName> parent() {
    int dot = name.indexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(new DomainName(name.substring(dot + 1)));
  }

  /**
   * Tells whether this name equals {@code ancestor} or lies below it: {@code a.b.example.com} is
   * within {@code example.com}, and so is {@code example.com} itself, but {@code badexample.com} is
   * not.
   *
   * @param ancestor the name that may contain this one
   * @return {@code true} if this name is {@code ancestor} or one of its descendants
   */
  public boolean isWithin(DomainName ancestor) {
    String other = requireNonNull(ancestor, "ancestor").name;
    if (other.isEmpty() || name.equals(other)) {
      return true;
    }
    return name.length() > other.length()
        && name.endsWith(other)
        && name.charAt(name.length() - other.length() - 1) == '.';
  }

  /**
   * Returns the labels from left to right: {@code [mail, example, com]}.
   *
   * @return an immutable list, empty for the root
   */
  public List<String> labels() {
    if (name.isEmpty()) {
      return List.of();
    }
    List<String> labels = new ArrayList<>();
    int start = 0;
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', start)) {
      labels.add(name.substring(start, dot));
      start = dot + 1;
    }
    labels.add(name.substring(start));
    return List.copyOf(labels);
  }

  /**
   * Returns how many labels the name has.
   *
   * @return 0 for the root, 2 for {@code example.com}
   */
  public int labelCount() {
    if (name.isEmpty()) {
      return 0;
    }
    int count = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '.') {
        count++;
      }
    }
    return count;
  }

  /**
   * Tells whether this is the root name.
   *
   * @return {@code true} only for {@link #ROOT}
   */
  public boolean isRoot() {
    return name.isEmpty();
  }

  /**
   * Returns the name with its trailing dot, as zone files and DNS tools write it.
   *
   * @return such as {@code example.com.}; {@code .} for the root
   */
  public String toAbsoluteString() {
    return name + ".";
  }

  /**
   * Returns the name for display, with A-labels turned back into Unicode.
   *
   * @return such as {@code bücher.example} for {@code xn--bcher-kva.example}
   */
  public String toUnicode() {
    return name.isEmpty() ? "." : IDN.toUnicode(name, IDN.ALLOW_UNASSIGNED);
  }

  /**
   * Returns the name in lower-case A-label form without a trailing dot, such as {@code
   * example.com}; the root is {@code .}.
   */
  @Override
  public String toString() {
    return name.isEmpty() ? "." : name;
  }

  /** Names are equal when they are the same name, whatever case or trailing dot they came with. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DomainName && ((DomainName) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /*
   * domain = label *("." label) ["."]              (RFC 1035 §2.3.1, widened by RFC 2181 §11)
   * label  = let-dig-und [*(let-dig-hyp-und) let-dig-und]
   *
   * Returns the lower-case form without trailing dot; throws with the index of the first problem.
   */
  private static String canonical(CharSequence text) {
    String input = text.toString();
    for (int i = 0; i < input.length(); i++) {
      if (input.charAt(i) >= 0x80) {
        // From here on, positions refer to the A-label form, which the exception then carries.
        input = toAscii(input, i);
        break;
      }
    }
    String ascii = input;
    int end = ascii.length();
    if (end == 0) {
      throw new DnsSyntaxException(input, 0, "empty name");
    }
    if (ascii.charAt(end - 1) == '.') {
      end--;
      if (end == 0) {
        throw new DnsSyntaxException(input, 0, "the root name has no labels");
      }
    }
    if (end > MAX_LENGTH) {
      throw new DnsSyntaxException(input, MAX_LENGTH, "name longer than 253 octets");
    }
    boolean upper = false;
    int labelStart = 0;
    for (int i = 0; i <= end; i++) {
      char c = i == end ? '.' : ascii.charAt(i);
      if (c == '.') {
        if (i == labelStart) {
          throw new DnsSyntaxException(input, i, "empty label");
        }
        if (i - labelStart > MAX_LABEL_LENGTH) {
          throw new DnsSyntaxException(input, labelStart, "label longer than 63 octets");
        }
        if (ascii.charAt(i - 1) == '-') {
          throw new DnsSyntaxException(input, i - 1, "label ends with a hyphen");
        }
        labelStart = i + 1;
      } else if (c == '-') {
        if (i == labelStart) {
          throw new DnsSyntaxException(input, i, "label starts with a hyphen");
        }
      } else if (c >= 'A' && c <= 'Z') {
        upper = true;
      } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
        throw new DnsSyntaxException(input, i, "character '" + printable(c) + "' not allowed");
      }
    }
    String result = ascii.substring(0, end);
    return upper ? toLowerAscii(result) : result;
  }

  private static String toAscii(String input, int firstNonAscii) {
    try {
      // No USE_STD3_ASCII_RULES: it would refuse the underscores of _dmarc and _domainkey.
      return IDN.toASCII(input, 0);
    } catch (IllegalArgumentException e) {
      throw new DnsSyntaxException(
          input, firstNonAscii, "not a valid internationalized name (" + e.getMessage() + ")");
    }
  }

  private static String toLowerAscii(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("U+%04X", (int) c);
  }
}
