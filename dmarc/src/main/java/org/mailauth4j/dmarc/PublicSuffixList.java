package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InternetDomainName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * A public suffix list: the names under which anyone may register a domain, which is how RFC 7489
 * (§3.2) finds a domain's organizational domain. RFC 9989 replaced it with the DNS tree walk; the
 * {@link DmarcProfile#RFC7489} profile still needs it.
 *
 * <p>{@link #bundled()} is the copy inside Guava ({@link InternetDomainName}), as current as the
 * Guava release. Receivers that keep their own copy up to date {@link #parse(Reader) read} the file
 * in the list's own format and hand the verifier a fresh one whenever they reload it ({@link
 * DmarcVerifier.Builder#publicSuffixList(java.util.function.Supplier)}). Both sections of the list,
 * ICANN and private, count, as receivers' DMARC implementations use it.
 *
 * <p>Immutable and thread-safe.
 */
public final class PublicSuffixList {
  private static final PublicSuffixList BUNDLED = new PublicSuffixList(null, 0);

  /**
   * Rules of a loaded list, as lower-case A-label text: {@code com}, {@code *.ck}, {@code !www.ck}.
   */
  private final Set<String> rules;

  private final int ruleCount;

  private PublicSuffixList(Set<String> rules, int ruleCount) {
    this.rules = rules;
    this.ruleCount = ruleCount;
  }

  /**
   * Returns the list bundled with Guava.
   *
   * @return the bundled list
   */
  public static PublicSuffixList bundled() {
    return BUNDLED;
  }

  /**
   * Reads a list in the public suffix list's format: one rule per line, {@code //} comments, {@code
   * *.} wildcards and {@code !} exceptions; rules in U-labels are converted to A-labels, and lines
   * that hold no valid rule are skipped.
   *
   * @param in the list's text; it is read to the end but not closed
   * @return the list
   * @throws IOException if reading fails
   * @throws IllegalArgumentException if the text holds no rule at all, which is no list
   */
  public static PublicSuffixList parse(Reader in) throws IOException {
    BufferedReader lines = new BufferedReader(requireNonNull(in, "in"));
    Set<String> rules = new HashSet<>();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      String rule = line.strip();
      int space = indexOfWhitespace(rule);
      if (space >= 0) {
        rule = rule.substring(0, space); // the format: a rule ends at the first whitespace
      }
      if (rule.isEmpty() || rule.startsWith("//")) {
        continue;
      }
      String prefix = "";
      if (rule.startsWith("!")) {
        prefix = "!";
        rule = rule.substring(1);
      } else if (rule.startsWith("*.")) {
        prefix = "*.";
        rule = rule.substring(2);
      }
      try {
        rules.add(prefix + DomainName.parse(rule).toString().toLowerCase(java.util.Locale.ROOT));
      } catch (DnsSyntaxException e) {
        // Not a rule this list can apply; the format lets readers skip such lines.
      }
    }
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("no public suffix rule in the text");
    }
    return new PublicSuffixList(Set.copyOf(rules), rules.size());
  }

  /**
   * Reads a list from a file in UTF-8, as {@link #parse(Reader)} does.
   *
   * @param file such as {@code public_suffix_list.dat}
   * @return the list
   * @throws IOException if reading fails
   */
  public static PublicSuffixList load(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(in);
    }
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the public suffix of a name: {@code co.uk} for {@code mail.example.co.uk}. A name that
   * no rule matches has its last label as suffix (the list's {@code *} default rule).
   *
   * @param name the name
   * @return the suffix, or empty for the root
   */
  public Optional<DomainName> publicSuffix(DomainName name) {
    requireNonNull(name, "name");
    if (name.isRoot()) {
      return Optional.empty();
    }
    return Optional.of(name.suffix(suffixLabels(name)));
  }

  /**
   * Returns the organizational domain of a name (RFC 7489 §3.2): its public suffix and one more
   * label. A name that is itself a public suffix, or shorter, is its own organizational domain.
   *
   * @param name the name, such as {@code mail.example.co.uk}
   * @return the organizational domain, such as {@code example.co.uk}
   */
  public DomainName organizationalDomain(DomainName name) {
    requireNonNull(name, "name");
    if (name.isRoot()) {
      return name;
    }
    int keep = suffixLabels(name) + 1; // RFC 7489 §3.2 step 3: one label more than the suffix
    return keep >= name.labelCount() ? name : name.suffix(keep);
  }

  /**
   * Returns how many rules a loaded list holds, or -1 for the bundled list, whose rules Guava does
   * not count.
   *
   * @return the rule count
   */
  public int ruleCount() {
    return rules == null ? -1 : ruleCount;
  }

  private int suffixLabels(DomainName name) {
    return rules == null ? bundledSuffixLabels(name) : loadedSuffixLabels(name);
  }

  private static int bundledSuffixLabels(DomainName name) {
    InternetDomainName parsed;
    try {
      parsed = InternetDomainName.from(name.toString());
    } catch (IllegalArgumentException e) {
      return 1; // a name Guava cannot read (escaped octets): only the default rule applies
    }
    if (parsed.isPublicSuffix()) {
      return name.labelCount();
    }
    Optional<InternetDomainName> suffix = Optional.ofNullable(parsed.publicSuffix());
    return suffix.map(s -> s.parts().size()).orElse(1);
  }

  /** The public suffix list's algorithm: the longest matching rule wins, an exception over all. */
  private int loadedSuffixLabels(DomainName name) {
    List<String> labels = name.labels();
    int count = labels.size();
    String[] suffixes = new String[count + 1];
    suffixes[count] = "";
    for (int i = count - 1; i >= 0; i--) {
      String label = labels.get(i).toLowerCase(java.util.Locale.ROOT);
      suffixes[i] = suffixes[i + 1].isEmpty() ? label : label + "." + suffixes[i + 1];
    }
    int best = 1; // the "*" default rule
    for (int i = 0; i < count; i++) {
      int length = count - i;
      if (rules.contains("!" + suffixes[i])) {
        return length - 1; // an exception rule: its suffix is the rule minus its leftmost label
      }
      if (length > best
          && (rules.contains(suffixes[i])
              || (i + 1 <= count && rules.contains("*." + suffixes[i + 1])))) {
        best = length;
      }
    }
    return best;
  }
}
