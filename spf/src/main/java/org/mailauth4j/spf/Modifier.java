package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

/** A {@code name=value} term of an SPF record (RFC 7208 §6). */
public sealed interface Modifier extends Term {

  /**
   * {@code redirect=}: when no mechanism matched, the result is that of another domain's record
   * (RFC 7208 §6.1).
   *
   * @param domain the domain-spec
   */
  record Redirect(MacroString domain) implements Modifier {
    /**
     * Creates the modifier.
     *
     * @param domain the domain-spec
     */
    public Redirect {
      requireNonNull(domain, "domain");
    }

    @Override
    public String toString() {
      return "redirect=" + domain;
    }
  }

  /**
   * {@code exp=}: where to find the explanation of a {@code fail} (RFC 7208 §6.2).
   *
   * @param domain the domain-spec of the TXT record holding the explanation
   */
  record Explanation(MacroString domain) implements Modifier {
    /**
     * Creates the modifier.
     *
     * @param domain the domain-spec
     */
    public Explanation {
      requireNonNull(domain, "domain");
    }

    @Override
    public String toString() {
      return "exp=" + domain;
    }
  }

  /**
   * A modifier SPF does not define: kept, and ignored in evaluation (RFC 7208 §6).
   *
   * @param name the name, as written
   * @param value the macro-string value
   */
  record Unknown(String name, MacroString value) implements Modifier {
    /**
     * Creates the modifier.
     *
     * @param name the name
     * @param value the value
     */
    public Unknown {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return name + "=" + value;
    }
  }
}
