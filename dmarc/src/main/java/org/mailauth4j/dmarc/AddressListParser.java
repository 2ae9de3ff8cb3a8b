package org.mailauth4j.dmarc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailauth4j.dmarc.AuthorDomains.Status;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * Reads the domains of one From value in a single pass, with an index into the text and no
 * recursion (comments nest by a counter), stopping at the first problem.
 *
 * <pre>
 * from          = mailbox-list / address-list          ; RFC 5322 §3.6.2, RFC 6854 §2.1
 * address       = mailbox / group
 * group         = display-name ":" [group-list] ";" [CFWS]
 * mailbox       = name-addr / addr-spec
 * name-addr     = [display-name] angle-addr
 * angle-addr    = [CFWS] "<" [obs-route] addr-spec ">" [CFWS]
 * obs-route     = *(CFWS / ",") "@" domain *("," [CFWS] ["@" domain]) ":"
 * display-name  = phrase                               ; obs-phrase: word *(word / "." / CFWS)
 * addr-spec     = local-part "@" domain
 * local-part    = word *("." word)                     ; obs-local-part, CFWS around each word
 * domain        = atom *("." atom) / domain-literal    ; obs-domain, CFWS around each atom
 * obs-mbox-list = *([CFWS] ",") mailbox *("," [mailbox / CFWS])
 * </pre>
 *
 * <p>Atoms take RFC 6532 UTF-8 (any character above U+007F) as {@code atext}. Leniencies, each of
 * which leaves the address where it is: a trailing dot on the domain (its absolute DNS form), and
 * dots anywhere in a local part ({@code a..b}, {@code .a}), which DMARC never looks at.
 */
final class AddressListParser {
  /** How many spellings of domains already found are remembered, to skip converting them again. */
  private static final int MAX_SPELLINGS = 64;

  /** How much of the input a detail quotes. */
  private static final int EXCERPT = 60;

  /** What {@link #peek()} gives at the end of the value. */
  private static final int END = -1;

  private final String s;
  private final int end;
  private final int maxDomains;
  private int pos;

  /** Each domain found, with the first address that named it. */
  private final Map<DomainName, String> found = new LinkedHashMap<>();

  /** Domain texts as written, ASCII lower-cased, to the domain they name. */
  private final Map<String, DomainName> spellings = new HashMap<>();

  private boolean truncated;

  /** The words and dots of the last phrase or local part, without CFWS. */
  private final StringBuilder words = new StringBuilder();

  private final StringBuilder domain = new StringBuilder();

  /** What the last {@link #words()} read: the number of words, and whether two touched. */
  private int wordCount;

  private boolean adjacentWords;

  private AddressListParser(String s, int maxDomains) {
    this.s = s;
    this.end = s.length();
    this.maxDomains = maxDomains;
  }

  static AuthorDomains read(String value, int maxDomains) {
    return new AddressListParser(value, maxDomains).read();
  }

  private AuthorDomains read() {
    try {
      if (end > AuthorDomains.MAX_FIELD_LENGTH) {
        throw unparseable(
            AuthorDomains.MAX_FIELD_LENGTH,
            "longer than " + AuthorDomains.MAX_FIELD_LENGTH + " characters");
      }
      refuseControls();
      list();
    } catch (Refusal r) {
      return AuthorDomains.refused(r.status, r.index, r.getMessage());
    }
    if (found.isEmpty()) {
      return AuthorDomains.refused(Status.NO_MAILBOX, -1, "no mailbox in From: " + quote(0, end));
    }
    List<DomainName> domains = new ArrayList<>(found.keySet());
    List<String> addresses = new ArrayList<>(found.values());
    return AuthorDomains.found(domains, addresses, truncated, describe(domains));
  }

  private String describe(List<DomainName> domains) {
    StringBuilder sb = new StringBuilder("From names ");
    if (domains.size() > 1) {
      sb.append(domains.size()).append(" author domains: ");
    }
    for (int k = 0; k < domains.size(); k++) {
      sb.append(k == 0 ? "" : ", ").append(domains.get(k));
    }
    if (truncated) {
      sb.append("; reading stopped at index ")
          .append(pos)
          .append(", at more than ")
          .append(maxDomains)
          .append(" distinct domains: an evaluation of these is incomplete (RFC 9989 §11.5)");
    }
    return sb.toString();
  }

  /**
   * Refuses control characters anywhere (RFC 5322 §3.2.3 allows them in quoted strings and comments
   * only as obsolete syntax): they serve to make readers disagree, and have no use in a From field.
   * HTAB, CR and LF are whitespace.
   */
  private void refuseControls() throws Refusal {
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) {
        throw unparseable(i, String.format(Locale.ROOT, "control character U+%04X", (int) c));
      }
    }
  }

  /** The whole value: addresses separated by commas, possibly empty ones; groups do not nest. */
  private void list() throws Refusal {
    int groupStart = -1; // the index of the group being read, or -1
    while (true) {
      skipCfws();
      int c = peek();
      if (c == END) {
        if (groupStart >= 0) {
          throw unparseable(groupStart, "group not closed by ';'");
        }
        return;
      }
      if (c == ',') {
        pos++; // obs-mbox-list, obs-group-list: empty elements
        continue;
      }
      if (c == ';') {
        if (groupStart < 0) {
          throw unparseable(pos, "';' outside a group");
        }
        groupStart = -1;
        pos++;
        skipCfws();
        if (peek() != ',' && peek() != END) {
          throw unparseable(pos, "expected ',' after the group");
        }
        continue;
      }
      int start = pos;
      if (address(groupStart >= 0)) {
        groupStart = start;
        continue;
      }
      if (truncated) {
        return; // RFC 9989 §11.5: no need to read further
      }
      skipCfws();
      c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ';' && groupStart < 0) {
        throw unparseable(pos, "';' outside a group");
      } else if (c != END && c != ';') {
        throw unparseable(
            pos, "expected ',' after the mailbox at index " + start + ", found " + quote(pos, end));
      }
    }
  }

  /**
   * Reads a mailbox, or a group's display name and colon.
   *
   * @return true if a group was opened
   */
  private boolean address(boolean inGroup) throws Refusal {
    int start = pos;
    words();
    int c = peek();
    switch (c) {
      case '<':
        angleAddress(start); // whatever came before is the display name
        return false;
      case '@':
        if (wordCount == 0) {
          throw unparseable(pos, "no local part before '@'");
        }
        if (adjacentWords) {
          // "john doe@example.com": readers differ (a display name "john", or the words joined)
          throw unparseable(start, "words before '@' not joined by '.': " + quote(start, pos));
        }
        String local = words.toString();
        pos++;
        mailboxDomain(start, local);
        return false;
      case ':':
        if (inGroup) {
          throw unparseable(pos, "a group inside a group");
        }
        if (wordCount == 0) {
          throw unparseable(pos, "a group without a display name");
        }
        pos++;
        return true;
      case ',':
      case ';':
      case END:
        if (wordCount == 0) {
          throw unparseable(start, "'.' where a mailbox was expected");
        }
        if (wordCount == 1 || !adjacentWords) {
          throw refusal(
              Status.MAILBOX_WITHOUT_DOMAIN,
              start,
              "mailbox without '@domain': " + quote(start, pos));
        }
        throw unparseable(start, "a display name without an address: " + quote(start, pos));
      default:
        throw unparseable(pos, "unexpected " + quote(pos, pos + 1));
    }
  }

  /** At '<': an angle address, with an obsolete route, up to and including '>'. */
  private void angleAddress(int mailboxStart) throws Refusal {
    int open = pos;
    pos++;
    skipCfws();
    if (peek() == '@' || peek() == ',') {
      route();
    }
    int start = pos;
    words();
    int c = peek();
    if (c == '>' || c == END) {
      if (wordCount == 0 && c == '>') {
        throw refusal(Status.MAILBOX_WITHOUT_DOMAIN, open, "the null address <>");
      }
      if (c == '>' && !adjacentWords) {
        throw refusal(
            Status.MAILBOX_WITHOUT_DOMAIN, start, "mailbox without '@domain': " + quote(open, pos));
      }
    }
    if (c != '@') {
      throw c == END
          ? unparseable(open, "angle address not closed by '>'")
          : unparseable(pos, "expected '@' in the angle address, found " + quote(pos, end));
    }
    if (wordCount == 0) {
      throw unparseable(pos, "no local part before '@'");
    }
    if (adjacentWords) {
      throw unparseable(start, "words before '@' not joined by '.': " + quote(start, pos));
    }
    String local = words.toString();
    pos++;
    mailboxDomain(mailboxStart, local);
    if (truncated) {
      return;
    }
    skipCfws();
    if (peek() != '>') {
      throw peek() == END
          ? unparseable(open, "angle address not closed by '>'")
          : unparseable(pos, "expected '>', found " + quote(pos, end));
    }
    pos++;
  }

  /** RFC 5322 §4.4 obs-route: relays before the address, read for syntax and then ignored. */
  private void route() throws Refusal {
    while (true) {
      skipCfws();
      int c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '@') {
        int at = pos;
        pos++;
        domain();
        if (domain.length() == 0) {
          throw unparseable(at, "no domain after '@' in the route");
        }
      } else if (c == ':') {
        pos++;
        skipCfws();
        return;
      } else {
        throw unparseable(pos, "expected ':' after the route, found " + quote(pos, end));
      }
    }
  }

  /** After '@': the domain of a mailbox, checked and counted. */
  private void mailboxDomain(int mailboxStart, String local) throws Refusal {
    skipCfws();
    int start = pos;
    boolean literal = domain();
    if (literal) {
      // RFC 9989 §4.4: the Author Domain is a DNS domain; an address literal has no policy.
      throw refusal(
          Status.INVALID_DOMAIN,
          start,
          "a domain literal names no DNS domain: " + quote(mailboxStart, pos));
    }
    if (domain.length() == 0) {
      int c = peek();
      if (c != ',' && c != ';' && c != '>' && c != END) {
        throw unparseable(pos, "expected a domain after '@', found " + quote(pos, end));
      }
      throw refusal(
          Status.MAILBOX_WITHOUT_DOMAIN, start, "nothing after '@' in " + quote(mailboxStart, pos));
    }
    String text = domain.toString();
    String key = text.toLowerCase(Locale.ROOT);
    DomainName name = spellings.get(key);
    if (name == null) {
      name = hostName(text, start);
      if (spellings.size() < MAX_SPELLINGS) {
        spellings.put(key, name);
      }
    }
    if (!found.containsKey(name)) {
      if (found.size() == maxDomains) {
        truncated = true; // RFC 9989 §11.5: a capped evaluation is incomplete
        pos = mailboxStart;
        return;
      }
      found.put(name, local + "@" + text);
    }
  }

  /** The domain as an A-label host name (RFC 9989 §5.3.1), or INVALID_DOMAIN. */
  private DomainName hostName(String text, int start) throws Refusal {
    DomainName name;
    try {
      // The trailing dot of the absolute form is accepted; U-labels become A-labels.
      name = DomainName.parse(text);
    } catch (DnsSyntaxException e) {
      throw refusal(
          Status.INVALID_DOMAIN,
          start,
          "invalid domain " + quote(text) + ": " + printable(e.reason(), 2 * EXCERPT));
    }
    if (!name.isHostName()) {
      throw refusal(
          Status.INVALID_DOMAIN,
          start,
          "not a host name: "
              + quote(text)
              + " (labels hold only letters, digits and inner hyphens)");
    }
    String top = name.labels().get(name.labelCount() - 1);
    if (top.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      // RFC 3696 §2: a top-level domain is not all-numeric; this is an IPv4 address.
      throw refusal(Status.INVALID_DOMAIN, start, "a numeric top-level label: " + quote(text));
    }
    return name;
  }

  /**
   * Reads words (atoms, quoted strings) and dots, with CFWS between them, into {@link #words}: what
   * may be a display name or a local part, told apart by what follows.
   */
  private void words() throws Refusal {
    words.setLength(0);
    wordCount = 0;
    adjacentWords = false;
    boolean afterWord = false;
    while (pos < end) {
      char c = s.charAt(pos);
      if (c == '"' || isAtext(c)) {
        adjacentWords |= afterWord;
        if (c == '"') {
          quotedString();
        } else {
          atom(words);
        }
        wordCount++;
        afterWord = true;
      } else if (c == '.') {
        words.append('.');
        pos++;
        afterWord = false;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(') {
        skipCfws();
      } else {
        return;
      }
    }
  }

  /**
   * Reads a domain into {@link #domain}, without CFWS: atoms and dots, or a domain literal. It
   * stops before an atom that follows another without a dot.
   *
   * @return true for a domain literal
   */
  private boolean domain() throws Refusal {
    domain.setLength(0);
    skipCfws();
    if (peek() == '[') {
      domainLiteral();
      return true;
    }
    boolean afterAtom = false;
    while (pos < end) {
      char c = s.charAt(pos);
      if (isAtext(c)) {
        if (afterAtom) {
          return false;
        }
        atom(domain);
        afterAtom = true;
      } else if (c == '.') {
        domain.append('.');
        pos++;
        afterAtom = false;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(') {
        skipCfws();
      } else {
        return false;
      }
    }
    return false;
  }

  private void atom(StringBuilder into) {
    int from = pos;
    while (pos < end && isAtext(s.charAt(pos))) {
      pos++;
    }
    into.append(s, from, pos);
  }

  /** At '"': a quoted string with its quotes, escapes kept; folding inside drops CR and LF. */
  private void quotedString() throws Refusal {
    int open = pos;
    words.append('"');
    pos++;
    while (pos < end) {
      char c = s.charAt(pos);
      if (c == '"') {
        words.append('"');
        pos++;
        return;
      }
      if (c == '\\') {
        if (pos + 1 == end) {
          break;
        }
        words.append(s, pos, pos + 2); // quoted-pair
        pos += 2;
        continue;
      }
      if (c != '\r' && c != '\n') {
        words.append(c);
      }
      pos++;
    }
    throw unparseable(open, "quoted string not closed");
  }

  /** At '[': a domain literal (RFC 5322 §3.4.1), read for syntax; it is never a DMARC domain. */
  private void domainLiteral() throws Refusal {
    int open = pos;
    pos++;
    while (pos < end) {
      char c = s.charAt(pos);
      if (c == ']') {
        pos++;
        domain.append(s, open, pos);
        return;
      }
      if (c == '[') {
        throw unparseable(pos, "'[' inside a domain literal");
      }
      pos += c == '\\' ? 2 : 1; // obs-dtext quoted-pair
    }
    throw unparseable(open, "domain literal not closed by ']'");
  }

  /** Skips whitespace, folding and comments (RFC 5322 §3.2.2 CFWS). */
  private void skipCfws() throws Refusal {
    while (pos < end) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        pos++;
      } else if (c == '(') {
        comment();
      } else {
        return;
      }
    }
  }

  /** At '(': a comment, nested to any depth by a counter, with quoted-pairs. */
  private void comment() throws Refusal {
    int open = pos;
    long depth = 0;
    while (pos < end) {
      char c = s.charAt(pos);
      if (c == '\\') {
        pos += 2;
        continue;
      }
      pos++;
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return;
      }
    }
    pos = end;
    throw unparseable(open, "comment not closed by ')'");
  }

  private int peek() {
    return pos < end ? s.charAt(pos) : END;
  }

  /** RFC 5322 §3.2.3 atext, with RFC 6532 §3.2 UTF8-non-ascii. */
  private static boolean isAtext(char c) {
    if (c >= 0x80) {
      return true;
    }
    return c > ' ' && c < 0x7F && "()<>[]:;@\\,.\"".indexOf(c) < 0;
  }

  private String quote(int from, int to) {
    return quote(s.substring(from, Math.min(to, Math.min(end, from + EXCERPT + 1))));
  }

  /** Quotes text from the message for a detail, as {@link #printable} makes it. */
  static String quote(String text) {
    return "'" + printable(text, EXCERPT) + "'";
  }

  /**
   * Text safe for a log line: at most {@code max} characters, then {@code ...}; control, format and
   * separator characters (bidirectional overrides among them), lone surrogates, private-use and
   * unassigned code points as {@code \\uXXXX}.
   */
  static String printable(String text, int max) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(text.length(), max);
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      int type = Character.getType(cp);
      if (type == Character.CONTROL
          || type == Character.FORMAT
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.SURROGATE
          || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE) {
        for (int k = i; k < i + width; k++) {
          sb.append(String.format(Locale.ROOT, "\\u%04X", (int) text.charAt(k)));
        }
      } else {
        sb.append(text, i, i + width);
      }
      i += width;
    }
    return sb.append(text.length() > n ? "..." : "").toString();
  }

  private static Refusal unparseable(int index, String reason) {
    return refusal(Status.UNPARSEABLE, index, reason);
  }

  private static Refusal refusal(Status status, int index, String reason) {
    return new Refusal(status, index, reason + " at index " + index);
  }

  /** The first problem found; it ends the reading. */
  private static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final Status status;
    final int index;

    Refusal(Status status, int index, String message) {
      super(message, null, false, false);
      this.status = status;
      this.index = index;
    }
  }
}
