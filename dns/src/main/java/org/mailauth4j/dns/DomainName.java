package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A DNS domain name such as {@code example.com}, {@code s1._domainkey.example.org} or {@code
 * alice+tag.x.example}, checked once at the edge so that no invalid name reaches a resolver.
 *
 * <p>Two ideas are kept apart, as the RFCs keep them:
 *
 * <ul>
 *   <li>a name that may be <em>looked up</em>: DNS allows any octet in a label (RFC 2181 §11), and
 *       mail authentication builds such names, as SPF's {@code exists:%{l}.%{d}._spf.example} does
 *       with local parts holding {@code +}, {@code =} or {@code @}. Every {@code DomainName} is
 *       one; only the wire's limits apply: labels of 1 to 63 octets, at most 253 octets in all (RFC
 *       1035 §2.3.4).
 *   <li>a <em>host name</em>: labels of letters, digits and inner hyphens (RFC 1123 §2.1, RFC 5321
 *       §4.1.2 {@code Domain}), which MX targets, HELO names and MTA-STS {@code mx} patterns must
 *       be. {@link #isHostName()} tells, and {@link #parseHostName(CharSequence)} parses only
 *       those. Names such as {@code _dmarc.example.com} are names but not host names.
 * </ul>
 *
 * <p>A name is:
 *
 * <ul>
 *   <li>in A-label form: internationalized labels are converted with {@link IDN#toASCII(String)}
 *       (IDNA 2003 as the JDK implements it), so {@code bücher.example} becomes {@code
 *       xn--bcher-kva.example};
 *   <li>compared without regard to ASCII case (RFC 4343), and kept with ASCII letters in lower
 *       case; other octets are kept as they are;
 *   <li>absolute, with the trailing dot accepted on input and left out of {@link #toString()};
 *   <li>written in the master-file form of RFC 1035 §5.1 by {@link #toString()}: a dot, backslash
 *       or other character special in zone files inside a label as {@code \.}, {@code \\}, and so
 *       on, and octets that are not visible ASCII as {@code \DDD}. {@link #parse(CharSequence)}
 *       reads that form back, so {@code parse(name.toString())} equals {@code name}.
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
   * The longest text that can spell a name of {@link #MAX_LENGTH} octets: every octet written as
   * {@code \DDD}, and a trailing dot. Longer input is refused before any other work, so that huge
   * input costs nothing.
   */
  private static final int MAX_TEXT_LENGTH = 4 * MAX_LENGTH + 1;

  /**
   * The root of the DNS tree. It is never the result of {@link #parse(CharSequence)}, which wants
   * at least one label, but appears as the exchange of a "null MX" record (RFC 7505).
   */
  public static final DomainName ROOT = new DomainName(new String[0], 0);

  /** Each label in master-file form, lower-case ASCII; none for the root. */
  private final String[] labels;

  /** The labels joined by dots, without trailing dot; empty for the root. */
  private final String text;

  /** The octets of the name without its trailing dot: labels plus the dots between them. */
  private final int octets;

  private DomainName(String[] labels, int octets) {
    this.labels = labels;
    this.text = String.join(".", labels);
    this.octets = octets;
  }

  /**
   * Parses a name written as people and zone files write it: labels separated by dots, with the
   * escapes of RFC 1035 §5.1 ({@code \.} for a dot inside a label, {@code \DDD} for any octet).
   * Internationalized labels are converted to A-labels. Any other character stands for its own
   * octet: DNS allows every octet in a label (RFC 2181 §11).
   *
   * @param text a name such as {@code Example.COM.}, {@code bücher.example} or {@code a\.b.example}
   * @return the validated name
   * @throws DnsSyntaxException if the text is not a valid name (an empty label, a label over 63 or
   *     a name over 253 octets, a broken escape); its index points at the problem
   */
  public static DomainName parse(CharSequence text) {
    requireNonNull(text, "text");
    String input = text.toString();
    // Cheap limits first: nothing longer than this can be a name, however it is written.
    if (input.length() > MAX_TEXT_LENGTH) {
      throw new DnsSyntaxException(input, MAX_LENGTH, "name longer than 253 octets");
    }
    for (int i = 0; i < input.length(); i++) {
      if (input.charAt(i) >= 0x80) {
        // From here on, positions refer to the A-label form, which the exception then carries.
        input = toAscii(input, i);
        break;
      }
    }
    return new Scanner(input).name();
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
   * {@code Domain}, as MX targets, HELO names and MTA-STS {@code mx} patterns are. Host names are
   * plain text: master-file escapes are refused.
   *
   * @param text a name such as {@code mx1.example.com}
   * @return the validated name in lower-case A-label form
   * @throws DnsSyntaxException if the text is not a valid name, or a label is not
   *     letters-digits-hyphen; its index points at the problem
   */
  public static DomainName parseHostName(CharSequence text) {
    String input = requireNonNull(text, "text").toString();
    int escape = input.indexOf('\\');
    if (escape >= 0) {
      // A host name is plain text (RFC 5321 §4.1.2): no master-file escapes.
      throw new DnsSyntaxException(input, escape, "not a host name: no escapes in a host name");
    }
    DomainName name = parse(input);
    int index = name.hostNameViolation();
    if (index >= 0) {
      // For ASCII input the canonical text lines up with the input; for internationalized input,
      // the position is in the A-label form, as parse() reports it.
      boolean ascii = input.chars().allMatch(c -> c < 0x80);
      throw new DnsSyntaxException(
          ascii ? input : name.toString(),
          index,
          "not a host name: labels hold only letters, digits and inner hyphens");
    }
    return name;
  }

  /**
   * Makes a name from labels taken literally, without escapes: each character is its own octet
   * (characters outside ASCII as their UTF-8 octets), a dot in a label included. This is how names
   * built from data are made, such as an SPF domain-spec after macro expansion (RFC 7208 §7.3),
   * where {@code %{l}} may bring any character of a local part.
   *
   * @param labels the labels from left to right, at least one
   * @return the validated name
   * @throws DnsSyntaxException if a label is empty or longer than 63 octets, or the name is longer
   *     than 253; the index counts characters of the labels joined by dots
   */
  public static DomainName fromLabels(List<? extends CharSequence> labels) {
    requireNonNull(labels, "labels");
    String joined = String.join(".", labels);
    if (labels.isEmpty()) {
      throw new DnsSyntaxException(joined, 0, "the root name has no labels");
    }
    if (joined.length() > MAX_TEXT_LENGTH) {
      throw new DnsSyntaxException(joined, MAX_LENGTH, "name longer than 253 octets");
    }
    String[] written = new String[labels.size()];
    int octets = labels.size() - 1;
    int index = 0;
    for (int k = 0; k < written.length; k++) {
      byte[] label = labels.get(k).toString().getBytes(StandardCharsets.UTF_8);
      if (label.length == 0) {
        throw new DnsSyntaxException(joined, index, "empty label");
      }
      if (label.length > MAX_LABEL_LENGTH) {
        throw new DnsSyntaxException(joined, index, "label longer than 63 octets");
      }
      octets += label.length;
      if (octets > MAX_LENGTH) {
        throw new DnsSyntaxException(
            joined, Math.min(joined.length(), MAX_LENGTH), "name longer than 253 octets");
      }
      written[k] = escape(label, label.length);
      index += labels.get(k).length() + 1;
    }
    return new DomainName(written, octets);
  }

  /** Makes a name from the octets of its labels, as they come off the wire; null if too long. */
  static DomainName fromOctets(List<byte[]> labels) {
    if (labels.isEmpty()) {
      return ROOT;
    }
    String[] written = new String[labels.size()];
    int octets = labels.size() - 1;
    for (int k = 0; k < written.length; k++) {
      byte[] label = labels.get(k);
      if (label.length == 0 || label.length > MAX_LABEL_LENGTH) {
        return null;
      }
      octets += label.length;
      written[k] = escape(label, label.length);
    }
    return octets > MAX_LENGTH ? null : new DomainName(written, octets);
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
    List<String> labels = new ArrayList<>(octets.length * 2 + 2);
    if (address instanceof Inet4Address) {
      for (int i = octets.length - 1; i >= 0; i--) {
        labels.add(Integer.toString(octets[i] & 0xFF));
      }
      labels.add("in-addr");
    } else {
      for (int i = octets.length - 1; i >= 0; i--) {
        labels.add(String.valueOf(Character.forDigit(octets[i] & 0x0F, 16)));
        labels.add(String.valueOf(Character.forDigit((octets[i] >> 4) & 0x0F, 16)));
      }
      labels.add("ip6");
    }
    labels.add("arpa");
    return fromLabels(labels);
  }

  /**
   * Returns the name with more labels put in front, such as {@code _dmarc} or {@code s1._domainkey}
   * before {@code example.com}.
   *
   * @param labels one label or several joined by dots, in the form {@link #parse(CharSequence)}
   *     reads
   * @return the longer name
   * @throws DnsSyntaxException if the labels are not valid or the result is too long
   */
  public DomainName prepend(CharSequence labels) {
    DomainName front = parse(requireNonNull(labels, "labels"));
    if (isRoot()) {
      return front;
    }
    int total = front.octets + 1 + octets;
    if (total > MAX_LENGTH) {
      String whole = front.text + "." + text;
      throw new DnsSyntaxException(whole, MAX_LENGTH, "name longer than 253 octets");
    }
    String[] joined = Arrays.copyOf(front.labels, front.labels.length + this.labels.length);
    System.arraycopy(this.labels, 0, joined, front.labels.length, this.labels.length);
    return new DomainName(joined, total);
  }

  /**
   * Returns the name one label up: {@code example.com} for {@code mail.example.com}.
   *
   * @return the parent, or empty for a single-label name and for the root
   */
  public Optional<DomainName> parent() {
    return labels.length <= 1 ? Optional.empty() : Optional.of(suffix(labels.length - 1));
  }

  /**
   * Returns the last labels of the name: {@code example.com} for {@code suffix(2)} of {@code
   * a.b.example.com}. This is how organizational-domain searches walk the tree.
   *
   * @param count how many labels to keep, from 0 (the root) to {@link #labelCount()}
   * @return the name made of the last {@code count} labels
   * @throws IllegalArgumentException if {@code count} is negative or more than the label count
   */
  public DomainName suffix(int count) {
    if (count < 0 || count > labels.length) {
      throw new IllegalArgumentException(
          "suffix of " + count + " labels of a " + labels.length + "-label name");
    }
    if (count == labels.length) {
      return this;
    }
    if (count == 0) {
      return ROOT;
    }
    String[] kept = Arrays.copyOfRange(labels, labels.length - count, labels.length);
    int removed = 0;
    for (int k = 0; k < labels.length - count; k++) {
      removed += labelOctets(labels[k]) + 1;
    }
    return new DomainName(kept, octets - removed);
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
    String[] other = requireNonNull(ancestor, "ancestor").labels;
    if (other.length > labels.length) {
      return false;
    }
    for (int k = 1; k <= other.length; k++) {
      if (!other[other.length - k].equals(labels[labels.length - k])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the labels from left to right, each in the form {@link #toString()} writes it: {@code
   * [mail, example, com]}, or {@code [a\.b, example]} for a label holding a dot.
   *
   * @return an immutable list, empty for the root
   */
  public List<String> labels() {
    return List.of(labels);
  }

  /**
   * Returns how many labels the name has.
   *
   * @return 0 for the root, 2 for {@code example.com}
   */
  public int labelCount() {
    return labels.length;
  }

  /**
   * Returns the length of the name in octets, as the wire limits count them: the octets of its
   * labels and the dots between them.
   *
   * @return from 0 (the root) to {@link #MAX_LENGTH}
   */
  public int octetLength() {
    return octets;
  }

  /**
   * Tells whether this is the root name.
   *
   * @return {@code true} only for {@link #ROOT}
   */
  public boolean isRoot() {
    return labels.length == 0;
  }

  /**
   * Tells whether the name is a host name: every label made of letters, digits and hyphens, not
   * starting or ending with a hyphen (RFC 1123 §2.1, RFC 5321 §4.1.2 {@code sub-domain}). Names
   * such as {@code _dmarc.example.com} or {@code a+b.example.com} are valid DNS names but not host
   * names. The root is not a host name.
   *
   * @return {@code true} if every label is letters-digits-hyphen
   */
  public boolean isHostName() {
    return !isRoot() && hostNameViolation() < 0;
  }

  /** The index in {@link #text} of the first character that keeps this from a host name, or -1. */
  private int hostNameViolation() {
    int start = 0;
    for (String label : labels) {
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean hyphen = c == '-';
        if (hyphen ? i == 0 || i == label.length() - 1 : !(isLowerLetter(c) || isDigit(c))) {
          return start + i;
        }
      }
      start += label.length() + 1;
    }
    return -1;
  }

  /**
   * Returns the name with its trailing dot, as zone files and DNS tools write it.
   *
   * @return such as {@code example.com.}; {@code .} for the root
   */
  public String toAbsoluteString() {
    return text + ".";
  }

  /**
   * Returns the name for display, with A-labels turned back into Unicode.
   *
   * @return such as {@code bücher.example} for {@code xn--bcher-kva.example}
   */
  public String toUnicode() {
    if (isRoot()) {
      return ".";
    }
    StringBuilder sb = new StringBuilder(text.length());
    for (String label : labels) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(label.startsWith("xn--") ? IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED) : label);
    }
    return sb.toString();
  }

  /**
   * Returns the name in lower-case A-label form without a trailing dot, in the master-file form of
   * RFC 1035 §5.1, such as {@code example.com} or {@code alice\@example.x.example}; the root is
   * {@code .}.
   */
  @Override
  public String toString() {
    return isRoot() ? "." : text;
  }

  /** Names are equal when they are the same name, whatever case or trailing dot they came with. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DomainName && ((DomainName) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /*
   * RFC 1035 §5.1, with any octet allowed in a label (RFC 2181 §11):
   *
   *   name    = label *("." label) ["."]
   *   label   = 1*63(char / "\" non-digit / "\" 3DIGIT)    ; at most 63 octets, 253 in all
   */
  private static final class Scanner {
    private final String input;
    private final List<String> labels = new ArrayList<>();
    private final byte[] label = new byte[MAX_LABEL_LENGTH];
    private int length;
    private int labelStart;
    private int octets;

    Scanner(String input) {
      this.input = input;
    }

    DomainName name() {
      int end = input.length();
      if (end == 0) {
        throw new DnsSyntaxException(input, 0, "empty name");
      }
      if (input.equals(".")) {
        throw new DnsSyntaxException(input, 0, "the root name has no labels");
      }
      boolean afterDot = false;
      for (int i = 0; i < end; ) {
        char c = input.charAt(i);
        afterDot = c == '.';
        if (afterDot) {
          endLabel(i);
          labelStart = ++i;
        } else if (c == '\\') {
          i = escape(i);
        } else {
          add((byte) c, i);
          i++;
        }
      }
      if (!afterDot) {
        endLabel(end); // else the trailing dot of an absolute name ended the last label
      }
      return new DomainName(labels.toArray(new String[0]), octets);
    }

    /** Reads {@code \X} or {@code \DDD} at {@code i}; returns the index after it. */
    private int escape(int i) {
      if (i + 1 >= input.length()) {
        throw new DnsSyntaxException(input, i, "escape at the end of the name");
      }
      char next = input.charAt(i + 1);
      if (!isDigit(next)) {
        add((byte) next, i);
        return i + 2;
      }
      if (i + 3 >= input.length()
          || !isDigit(input.charAt(i + 2))
          || !isDigit(input.charAt(i + 3))) {
        throw new DnsSyntaxException(input, i, "a decimal escape needs three digits");
      }
      int value = Integer.parseInt(input.substring(i + 1, i + 4));
      if (value > 255) {
        throw new DnsSyntaxException(
            input, i, "decimal escape " + value + " is more than an octet");
      }
      add((byte) value, i);
      return i + 4;
    }

    private void add(byte b, int index) {
      if (length == MAX_LABEL_LENGTH) {
        throw new DnsSyntaxException(input, labelStart, "label longer than 63 octets");
      }
      label[length++] = b;
      if (octets + (labels.isEmpty() ? 0 : 1) + length > MAX_LENGTH) {
        throw new DnsSyntaxException(input, index, "name longer than 253 octets");
      }
    }

    private void endLabel(int index) {
      if (length == 0) {
        throw new DnsSyntaxException(input, index, "empty label");
      }
      octets += (labels.isEmpty() ? 0 : 1) + length;
      labels.add(DomainName.escape(label, length));
      length = 0;
    }
  }

  /** Writes a label's octets in master-file form, ASCII letters in lower case. */
  private static String escape(byte[] label, int length) {
    StringBuilder sb = null;
    for (int i = 0; i < length; i++) {
      int b = label[i] & 0xFF;
      boolean plain = isLowerLetter(b) || isDigit(b) || b == '-' || b == '_';
      if (plain && sb == null) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(length + 8);
        for (int k = 0; k < i; k++) {
          sb.append((char) label[k]);
        }
      }
      if (plain) {
        sb.append((char) b);
      } else if (b >= 'A' && b <= 'Z') {
        sb.append((char) (b + ('a' - 'A')));
      } else if (b <= 0x20 || b >= 0x7F) {
        sb.append('\\').append((char) ('0' + b / 100)).append((char) ('0' + b / 10 % 10));
        sb.append((char) ('0' + b % 10));
      } else if (SPECIAL.indexOf(b) >= 0) {
        sb.append('\\').append((char) b);
      } else {
        sb.append((char) b);
      }
    }
    return sb == null ? new String(label, 0, length, StandardCharsets.US_ASCII) : sb.toString();
  }

  /** Characters that stand escaped in a label: they separate labels or mean something in zones. */
  private static final String SPECIAL = ".\\\"();@$";

  /** The octets of a label written by {@link #escape(byte[], int)}. */
  private static int labelOctets(String label) {
    int n = 0;
    for (int i = 0; i < label.length(); i++, n++) {
      if (label.charAt(i) == '\\') {
        i += isDigit(label.charAt(i + 1)) ? 3 : 1;
      }
    }
    return n;
  }

  private static boolean isLowerLetter(int c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
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
}
