package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;

/**
 * One result in an Authentication-Results field (RFC 8601 §2.2 {@code resinfo}): the method, its
 * version, the result, an optional comment and {@code reason=}, and the properties that say what
 * was checked, such as {@code spf=pass smtp.mailfrom=example.com} or {@code dkim=fail reason="body
 * hash did not verify" header.d=example.com header.s=sel}.
 *
 * <p>Make one with {@link #builder(String, String)}, or from an outcome with {@link
 * #spf(SpfOutcome)} and {@link #dkim(DkimOutcome, Optional)}. Method, result and property names are
 * case-insensitive keywords and are kept in lower case; texts are made safe for a header field as
 * {@link AuthProperty} describes. Immutable and thread-safe; equal when all parts are.
 */
public final class AuthResult {
  private final String method;
  private final int methodVersion; // -1 when absent
  private final String result;
  private final String comment;
  private final String reason;
  private final List<AuthProperty> properties;

  private AuthResult(Builder b) {
    this.method = b.method;
    this.methodVersion = b.methodVersion;
    this.result = b.result;
    this.comment = b.comment;
    this.reason = b.reason;
    this.properties = List.copyOf(b.properties);
  }

  /**
   * Starts a result, such as {@code builder("dmarc", "pass")}.
   *
   * @param method the method keyword, such as {@code spf}, {@code dkim}, {@code dmarc}, {@code arc}
   * @param result the result keyword, such as {@code pass} or {@code permerror}
   * @return a builder
   * @throws IllegalArgumentException if either is not a keyword of at most 64 letters, digits,
   *     hyphens and underscores
   */
  public static Builder builder(String method, String result) {
    return new Builder(method, result);
  }

  /**
   * The {@code spf} result of a check (RFC 8601 §2.7.2): {@code spf=<result>} with {@code
   * smtp.mailfrom=<sender>} for a MAIL FROM check, {@code smtp.helo=<helo>} for a HELO check, and
   * {@code reason=} the detail for {@code temperror} and {@code permerror}. The sender is reported
   * whole, local-part included, as RFC 8601 §2.2 {@code pvalue} allows; it stays unquoted when the
   * local-part is a dot-atom (RFC 8601 §2.3) and is quoted whole otherwise, so that nothing a
   * client sent in MAIL FROM can end the value.
   *
   * @param outcome the SPF outcome
   * @return the result
   */
  public static AuthResult spf(SpfOutcome outcome) {
    requireNonNull(outcome, "outcome");
    Builder b = builder("spf", outcome.result().token());
    if (outcome.result() == SpfResult.TEMPERROR || outcome.result() == SpfResult.PERMERROR) {
      b.reason(outcome.detail());
    }
    if (outcome.identity() == SpfIdentity.HELO) {
      String sender = outcome.sender();
      String helo = outcome.helo().orElse(sender.substring(sender.lastIndexOf('@') + 1));
      b.property("smtp", "helo", helo);
    } else {
      b.property("smtp", "mailfrom", outcome.sender());
    }
    return b.build();
  }

  /**
   * The {@code dkim} result of one signature (RFC 8601 §2.7.1): {@code dkim=<result>}, {@code
   * reason=} the outcome's detail when it did not pass, and {@code header.d}, {@code header.s},
   * {@code header.i}, {@code header.a} for the tags that could be read, and {@code header.b} (RFC
   * 6008) when a prefix is given. {@link AuthenticationResults.Builder#addDkim} picks prefixes that
   * tell signatures apart.
   *
   * @param outcome the DKIM outcome
   * @param bPrefix the start of {@code b=} to report, or empty for none
   * @return the result
   */
  public static AuthResult dkim(DkimOutcome outcome, Optional<String> bPrefix) {
    requireNonNull(outcome, "outcome");
    requireNonNull(bPrefix, "bPrefix");
    Builder b = builder("dkim", outcome.result().token());
    if (outcome.problem().isPresent()) {
      b.reason(outcome.detail());
    }
    outcome.domain().ifPresent(d -> b.property("header", "d", d.toString()));
    outcome.selector().ifPresent(s -> b.property("header", "s", s));
    outcome.identity().ifPresent(i -> b.property("header", "i", i));
    outcome.algorithm().ifPresent(a -> b.property("header", "a", a.token()));
    bPrefix.ifPresent(p -> b.property("header", "b", p));
    return b.build();
  }

  /**
   * Returns the method.
   *
   * @return the method keyword in lower case, such as {@code dkim}
   */
  public String method() {
    return method;
  }

  /**
   * Returns the method version ({@code dkim/1}).
   *
   * @return the version, or empty if the result gives none (version 1 is meant, RFC 8601 §2.2)
   */
  public OptionalInt methodVersion() {
    return methodVersion < 0 ? OptionalInt.empty() : OptionalInt.of(methodVersion);
  }

  /**
   * Returns the result.
   *
   * @return the result keyword in lower case, such as {@code pass}
   */
  public String result() {
    return result;
  }

  /**
   * Returns the comment after the result, such as {@code 2048-bit key} or {@code p=none dis=none}.
   * Comments carry no meaning (RFC 8601 §2.2) but often help people; when parsing, the first
   * comment after {@code method=result} is kept, and others are dropped.
   *
   * @return the comment text without its parentheses, or empty
   */
  public Optional<String> comment() {
    return Optional.ofNullable(comment);
  }

  /**
   * Returns the {@code reason=} text, a human-readable explanation (RFC 8601 §2.2, §2.7).
   *
   * @return the reason, decoded, or empty
   */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * Returns the properties, in order.
   *
   * @return an immutable list
   */
  public List<AuthProperty> properties() {
    return properties;
  }

  /**
   * Finds the value of a property, such as {@code property("header", "d")}.
   *
   * @param type the property type, compared ignoring case
   * @param name the property name, compared ignoring case
   * @return the value of the first such property, or empty
   */
  public Optional<String> property(String type, String name) {
    requireNonNull(type, "type");
    requireNonNull(name, "name");
    for (AuthProperty p : properties) {
      if (p.type().equalsIgnoreCase(type) && p.name().equalsIgnoreCase(name)) {
        return Optional.of(p.value());
      }
    }
    return Optional.empty();
  }

  /** The result's pieces as rendered, each a place where the field may fold after it. */
  void addAtoms(List<String> atoms) {
    StringBuilder sb = new StringBuilder(method);
    if (methodVersion >= 0) {
      sb.append('/').append(methodVersion);
    }
    atoms.add(sb.append('=').append(result).toString());
    if (comment != null) {
      AuthResultsFormat.addComment(atoms, comment);
    }
    if (reason != null) {
      sb.setLength(0);
      sb.append("reason=");
      AuthResultsFormat.appendValue(sb, reason);
      atoms.add(sb.toString());
    }
    for (AuthProperty p : properties) {
      atoms.add(p.toString());
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AuthResult)) {
      return false;
    }
    AuthResult other = (AuthResult) o;
    return method.equals(other.method)
        && methodVersion == other.methodVersion
        && result.equals(other.result)
        && Objects.equals(comment, other.comment)
        && Objects.equals(reason, other.reason)
        && properties.equals(other.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, methodVersion, result, comment, reason, properties);
  }

  /**
   * Returns the result as rendered in a field, such as {@code spf=pass smtp.mailfrom=a.example}.
   */
  @Override
  public String toString() {
    List<String> atoms = new ArrayList<>();
    addAtoms(atoms);
    return AuthResultsFormat.join(atoms);
  }

  /** Builds an {@link AuthResult}. Not thread-safe; each call returns this builder. */
  public static final class Builder {
    private final String method;
    private final String result;
    private int methodVersion = -1;
    private String comment;
    private String reason;
    private final List<AuthProperty> properties = new ArrayList<>();

    private Builder(String method, String result) {
      requireNonNull(method, "method");
      requireNonNull(result, "result");
      if (!AuthResultsFormat.isKeyword(method, false)) {
        throw new IllegalArgumentException("not a method: " + AuthResultsFormat.quote(method));
      }
      if (!AuthResultsFormat.isKeyword(result, false)) {
        throw new IllegalArgumentException("not a result: " + AuthResultsFormat.quote(result));
      }
      this.method = method.toLowerCase(Locale.ROOT);
      this.result = result.toLowerCase(Locale.ROOT);
    }

    /**
     * Sets the method version, written {@code method/version}.
     *
     * @param version a non-negative number
     * @return this builder
     */
    public Builder methodVersion(int version) {
      if (version < 0) {
        throw new IllegalArgumentException("negative method version " + version);
      }
      this.methodVersion = version;
      return this;
    }

    /**
     * Sets {@code reason=}, a short explanation for people (RFC 8601 §2.2).
     *
     * @param reason the text; made safe as {@link AuthProperty} describes
     * @return this builder
     */
    public Builder reason(String reason) {
      this.reason = AuthResultsFormat.safeText(requireNonNull(reason, "reason"));
      return this;
    }

    /**
     * Sets a comment written after the result, such as {@code (p=reject dis=none)}.
     *
     * @param comment the text without parentheses; made safe as {@link AuthProperty} describes, and
     *     its parentheses and backslashes escaped when rendered
     * @return this builder
     */
    public Builder comment(String comment) {
      this.comment = AuthResultsFormat.safeText(requireNonNull(comment, "comment"));
      return this;
    }

    /**
     * Adds a property, such as {@code property("header", "from", "example.com")}.
     *
     * @param type the property type, such as {@code smtp}, {@code header}, {@code policy}
     * @param name the property name
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException if the type or name is not a keyword
     */
    public Builder property(String type, String name, String value) {
      requireNonNull(type, "type");
      if (type.isEmpty()) {
        throw new IllegalArgumentException("a property needs a type (RFC 8601 §2.2 ptype)");
      }
      properties.add(new AuthProperty(type, name, value));
      return this;
    }

    /** Adds a property as read, also one without a type. */
    Builder add(AuthProperty property) {
      properties.add(property);
      return this;
    }

    boolean hasReason() {
      return reason != null;
    }

    /**
     * Builds the result.
     *
     * @return the immutable result
     */
    public AuthResult build() {
      return new AuthResult(this);
    }
  }
}
