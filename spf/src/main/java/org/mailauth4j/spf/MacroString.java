package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A macro-string of an SPF record (RFC 7208 §7.1): literal text with macros such as {@code
 * %{ir}.%{v}._spf.%{d}} that are expanded for each check. Immutable; {@link #toString()} gives the
 * text as written.
 *
 * <pre>
 * macro-string = *( macro-expand / macro-literal )
 * macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
 * macro-letter = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
 * transformers = *DIGIT [ "r" ]
 * delimiter    = "." / "-" / "+" / "," / "/" / "_" / "="
 * </pre>
 */
public final class MacroString {
  /** One piece: literal text, or a macro to expand. */
  record Part(String literal, char letter, int keep, boolean reverse, String delimiters) {
    static Part literal(String text) {
      return new Part(text, '\0', 0, false, "");
    }

    boolean isMacro() {
      return literal == null;
    }

    /** Upper-case letters are URL-escaped after expansion (§7.3). */
    boolean urlEscape() {
      return Character.isUpperCase(letter);
    }
  }

  private final String text;
  private final List<Part> parts;

  private MacroString(String text, List<Part> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses a macro-string as it appears in a domain-spec: the letters {@code c}, {@code r} and
   * {@code t} are refused there (§7.2).
   *
   * @param text the macro-string
   * @return the parsed value
   * @throws SpfSyntaxException with the index of the first problem
   */
  public static MacroString parse(CharSequence text) {
    return parse(requireNonNull(text, "text").toString(), 0, text.length(), false, text.toString());
  }

  /**
   * Parses the text of an explanation (§6.2): every macro letter is allowed, and so are spaces.
   *
   * @param text the explanation text
   * @return the parsed value
   * @throws SpfSyntaxException with the index of the first problem
   */
  public static MacroString parseExplanation(CharSequence text) {
    return parse(requireNonNull(text, "text").toString(), 0, text.length(), true, text.toString());
  }

  /** Parses {@code s[from, to)}; errors are reported against {@code input}. */
  static MacroString parse(String s, int from, int to, boolean explanation, String input) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 1 >= to) {
          throw new SpfSyntaxException(input, i, "'%' at the end of a macro-string");
        }
        char next = s.charAt(i + 1);
        if (next == '%' || next == '_' || next == '-') {
          literal.append(next == '%' ? "%" : next == '_' ? " " : "%20");
          i += 2;
          continue;
        }
        if (next != '{') {
          throw new SpfSyntaxException(input, i, "'%' must be followed by '{', '%', '_' or '-'");
        }
        int close = s.indexOf('}', i + 2);
        if (close < 0 || close >= to) {
          throw new SpfSyntaxException(input, i, "macro without '}'");
        }
        if (literal.length() > 0) {
          parts.add(Part.literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(macro(s, i + 2, close, explanation, input));
        i = close + 1;
      } else if (c >= 0x21 && c <= 0x7E || explanation && c == ' ') {
        literal.append(c); // macro-literal: visible characters except '%'
        i++;
      } else {
        throw new SpfSyntaxException(
            input, i, "character " + describe(c) + " not allowed in a macro-string");
      }
    }
    if (literal.length() > 0) {
      parts.add(Part.literal(literal.toString()));
    }
    return new MacroString(s.substring(from, to), parts);
  }

  private static Part macro(String s, int from, int to, boolean explanation, String input) {
    if (from >= to) {
      throw new SpfSyntaxException(input, from, "empty macro");
    }
    char letter = s.charAt(from);
    char lower = Character.toLowerCase(letter);
    if ("slodiphcrtv".indexOf(lower) < 0) {
      throw new SpfSyntaxException(input, from, "unknown macro letter " + describe(letter));
    }
    if (!explanation && (lower == 'c' || lower == 'r' || lower == 't')) {
      // RFC 7208 §7.2: c, r and t are only allowed in explanation text.
      throw new SpfSyntaxException(input, from, "macro letter " + letter + " is only for exp text");
    }
    int i = from + 1;
    int keep = 0;
    int digitsStart = i;
    while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i > digitsStart) {
      if (i - digitsStart > 3) {
        throw new SpfSyntaxException(input, digitsStart, "transformer digits out of range");
      }
      keep = Integer.parseInt(s.substring(digitsStart, i));
      if (keep == 0) {
        // RFC 7208 §7.3: the number of parts kept must be nonzero.
        throw new SpfSyntaxException(input, digitsStart, "transformer keeps zero parts");
      }
    }
    boolean reverse = false;
    if (i < to && (s.charAt(i) == 'r' || s.charAt(i) == 'R')) {
      reverse = true;
      i++;
    }
    StringBuilder delimiters = new StringBuilder();
    for (; i < to; i++) {
      char d = s.charAt(i);
      if (".-+,/_=".indexOf(d) < 0) {
        throw new SpfSyntaxException(input, i, "character " + describe(d) + " is not a delimiter");
      }
      delimiters.append(d);
    }
    return new Part(null, letter, keep, reverse, delimiters.toString());
  }

  static String describe(char c) {
    return c > 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  List<Part> parts() {
    return parts;
  }

  /**
   * Tells whether the string holds no macro, so that it expands to itself.
   *
   * @return {@code true} if there is nothing to expand
   */
  public boolean isLiteral() {
    return parts.stream().noneMatch(Part::isMacro);
  }

  /**
   * Tells whether the string uses a macro letter, such as {@code p} (which costs DNS lookups).
   *
   * @param letter a macro letter, in either case
   * @return {@code true} if a macro with that letter appears
   */
  public boolean uses(char letter) {
    char lower = Character.toLowerCase(letter);
    return parts.stream().anyMatch(p -> p.isMacro() && Character.toLowerCase(p.letter()) == lower);
  }

  /** Macro strings are equal when written the same way. */
  @Override
  public boolean equals(Object o) {
    return o instanceof MacroString && ((MacroString) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** Returns the macro-string as written. */
  @Override
  public String toString() {
    return text;
  }
}
