package org.mailauth4j.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed SPF record (RFC 7208 §4.6, §12): its terms in order. Immutable; {@link #toString()}
 * renders it back in canonical form ({@code v=spf1} and the terms separated by one space, the
 * {@code +} qualifier and default prefix lengths left out).
 *
 * <p>A parsed record is syntactically valid throughout, as RFC 7208 §4.6 requires before any
 * evaluation: it has at most one {@code redirect=} and one {@code exp=}.
 *
 * <p>A record, since its components are the terms of the record syntax of RFC 7208 §4.6.1, which
 * later versions do not change.
 *
 * @param terms the directives and modifiers, in the order written
 */
public record SpfRecord(List<Term> terms) {

  /**
   * Creates a record from its terms, checking the modifier rules.
   *
   * @param terms the terms in order
   * @throws IllegalArgumentException if there are two redirect or two exp modifiers
   */
  public SpfRecord {
    terms = List.copyOf(terms);
    if (terms.stream().filter(t -> t instanceof Modifier.Redirect).count() > 1
        || terms.stream().filter(t -> t instanceof Modifier.Explanation).count() > 1) {
      throw new IllegalArgumentException("redirect= and exp= may each appear only once");
    }
  }

  /**
   * Parses the text of an SPF record.
   *
   * @param text such as {@code v=spf1 mx -all}
   * @return the record
   * @throws SpfSyntaxException with the index of the first character that does not fit
   */
  public static SpfRecord parse(CharSequence text) {
    return new SpfRecordParser(text.toString()).record();
  }

  /**
   * Tells whether a TXT record's text is an SPF record: it starts with {@code v=spf1}, in any case,
   * followed by a space or nothing (RFC 7208 §4.5).
   *
   * @param text the joined character-strings of a TXT record
   * @return {@code true} if the record is for SPF version 1
   */
  public static boolean isSpfRecord(CharSequence text) {
    return text.length() >= 6
        && text.subSequence(0, 6).toString().equalsIgnoreCase("v=spf1")
        && (text.length() == 6 || text.charAt(6) == ' ');
  }

  /**
   * Returns the directives in order.
   *
   * @return an immutable list
   */
  public List<Directive> directives() {
    List<Directive> directives = new ArrayList<>();
    for (Term t : terms) {
      if (t instanceof Directive) {
        directives.add((Directive) t);
      }
    }
    return List.copyOf(directives);
  }

  /**
   * Returns the {@code redirect=} modifier.
   *
   * @return it, or empty
   */
  public Optional<Modifier.Redirect> redirect() {
    return terms.stream()
        .filter(t -> t instanceof Modifier.Redirect)
        .map(t -> (Modifier.Redirect) t)
        .findFirst();
  }

  /**
   * Returns the {@code exp=} modifier.
   *
   * @return it, or empty
   */
  public Optional<Modifier.Explanation> explanation() {
    return terms.stream()
        .filter(t -> t instanceof Modifier.Explanation)
        .map(t -> (Modifier.Explanation) t)
        .findFirst();
  }

  /**
   * Returns how many terms query DNS when evaluated (RFC 7208 §4.6.4), not counting nested records:
   * a first estimate of a record's cost.
   *
   * @return the number of include, a, mx, ptr and exists mechanisms and redirect modifiers
   */
  public int dnsQueryingTerms() {
    int count = 0;
    for (Term t : terms) {
      if (t instanceof Directive && ((Directive) t).mechanism().queriesDns()
          || t instanceof Modifier.Redirect) {
        count++;
      }
    }
    return count;
  }

  /** Returns the record in canonical form, such as {@code v=spf1 mx ip4:192.0.2.0/24 -all}. */
  @Override
  public String toString() {
    return terms.isEmpty()
        ? "v=spf1"
        : "v=spf1 " + terms.stream().map(Object::toString).collect(Collectors.joining(" "));
  }
}
