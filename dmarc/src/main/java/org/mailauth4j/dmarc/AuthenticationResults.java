package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimSignature;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.spf.SpfOutcome;

/**
 * An Authentication-Results header field (RFC 8601): which authentication service checked the
 * message ({@code authserv-id}) and what each method concluded. A receiver builds one to prepend to
 * the message; a reader parses the fields it finds and trusts only those with its own authserv-id
 * (RFC 8601 §5, §7.1), after deleting incoming ones that claim it ({@link #isFrom(String)}).
 *
 * <pre>{@code
 * AuthenticationResults ar = AuthenticationResults.builder("mx.example.org")
 *     .addSpf(spfOutcome).addDkim(dkimVerification)
 *     .add(AuthResult.builder("dmarc", "pass").property("header", "from", "example.com").build())
 *     .build();
 * String field = ar.field();   // "Authentication-Results: mx.example.org; spf=pass ...", folded
 * }</pre>
 *
 * <p>Rendering is canonical: {@code authserv-id [version]; method[/version]=result [(comment)]
 * [reason=value] [ptype.property=value]...}, results separated by {@code "; "}, {@code ; none} when
 * there are none (RFC 8601 §2.2). Values are tokens or quoted-strings, and every text is made safe
 * as {@link AuthProperty} describes, so no value, reason, comment or authserv-id, whatever a
 * message put in it, can add a result, a property or a line. Immutable and thread-safe; equal when
 * authserv-id, version and results are.
 */
public final class AuthenticationResults {
  private final String authservId;
  private final int version; // -1 when absent
  private final List<AuthResult> results;
  private final List<String> atoms;
  private final String value;

  private AuthenticationResults(String authservId, int version, List<AuthResult> results) {
    this.authservId = authservId;
    this.version = version;
    this.results = List.copyOf(results);
    this.atoms = atoms();
    this.value = AuthResultsFormat.join(atoms);
  }

  /** The field's pieces, each a place where it may fold: semicolons end the piece before them. */
  private List<String> atoms() {
    List<String> list = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    AuthResultsFormat.appendValue(sb, authservId);
    list.add(sb.toString());
    if (version >= 0) {
      list.add(Integer.toString(version));
    }
    if (results.isEmpty()) {
      semicolon(list);
      list.add("none"); // RFC 8601 §2.2: no method was applied
      return List.copyOf(list);
    }
    for (AuthResult r : results) {
      semicolon(list);
      r.addAtoms(list);
    }
    return List.copyOf(list);
  }

  private static void semicolon(List<String> atoms) {
    int last = atoms.size() - 1;
    atoms.set(last, atoms.get(last) + ";");
  }

  /**
   * Starts a field for an authentication service.
   *
   * @param authservId the authserv-id (RFC 8601 §2.5), usually the host name of the receiving
   *     server, such as {@code mx.example.org}
   * @return a builder
   * @throws IllegalArgumentException if the id is empty or longer than 256 characters
   */
  public static Builder builder(String authservId) {
    return new Builder(authservId);
  }

  /**
   * Reads a field value, leniently: comments anywhere (nested too), quoted strings, unknown methods
   * and properties (kept), {@code reason=} quoted or not, method and authserv-id versions, and the
   * forms real receivers emit that RFC 8601 §2.2 does not allow: results not separated by {@code ;}
   * (a known method name starts a new one), a trailing {@code ;}, properties without a type ({@code
   * action=none}, kept with an empty type), {@code =} and {@code /} in unquoted values. What cannot
   * be read is skipped up to the next {@code ;}. Time and memory are linear in the input, whatever
   * it holds.
   *
   * @param fieldValue what follows {@code Authentication-Results:}, folded or not; the whole field
   *     with its name is accepted too
   * @return the field
   * @throws AuthResultsSyntaxException only if no authserv-id can be read: the input is empty,
   *     starts with {@code ;}, or the id is longer than 256 characters
   */
  public static AuthenticationResults parse(CharSequence fieldValue) {
    return new AuthResultsParser(requireNonNull(fieldValue, "fieldValue").toString()).parse();
  }

  /** For the parser: the id was read and checked already. */
  static AuthenticationResults of(String authservId, int version, List<AuthResult> results) {
    return new AuthenticationResults(AuthResultsFormat.safeText(authservId), version, results);
  }

  /**
   * Returns the authserv-id, decoded.
   *
   * @return the id, such as {@code mx.example.org}
   */
  public String authservId() {
    return authservId;
  }

  /**
   * Returns the field's version (RFC 8601 §2.2 {@code authres-version}).
   *
   * @return the version, or empty when the field gives none (version 1 is meant)
   */
  public OptionalInt version() {
    return version < 0 ? OptionalInt.empty() : OptionalInt.of(version);
  }

  /**
   * Returns the results, in order.
   *
   * @return an immutable list; empty for {@code none}
   */
  public List<AuthResult> results() {
    return results;
  }

  /**
   * Returns the results of one method, such as every {@code dkim} result.
   *
   * @param method the method, compared ignoring case
   * @return an immutable list, in order
   */
  public List<AuthResult> results(String method) {
    requireNonNull(method, "method");
    return results.stream().filter(r -> r.method().equalsIgnoreCase(method)).toList();
  }

  /**
   * Returns the field value, unfolded, in canonical form: what follows {@code
   * Authentication-Results: }.
   *
   * @return one line
   */
  public String value() {
    return value;
  }

  /**
   * Returns the whole header field, {@code Authentication-Results: } and the value, folded at 78
   * columns (RFC 5322 §2.1.1) with CRLF and a space between results and properties, and inside
   * comments, but never inside a quoted string; removing every CRLF gives back {@code
   * "Authentication-Results: " + value()}. A piece that cannot fold and is longer than a line
   * stands alone on one; since texts are at most 256 characters, no line exceeds the 998 octets of
   * RFC 5322 §2.1.1.
   *
   * @return the field, without a final CRLF
   */
  public String field() {
    return AuthResultsFormat.fold(atoms);
  }

  /**
   * Tells whether this field claims to come from an authentication service: RFC 8601 §5 asks a
   * receiver to delete (or obscure) incoming fields that carry its own authserv-id before adding
   * its own, and readers to trust only fields with theirs. The comparison ignores case, white space
   * around the ids (a control character the field held is a space here) and a final dot, so that it
   * errs on the side of a claim: use the same test for deleting and for trusting.
   *
   * @param authservId the id to compare with, such as {@code mx.example.org}
   * @return {@code true} if the ids are equal, ignoring case; never for an empty id, which is what
   *     a field without authserv-id reads as
   */
  public boolean isFrom(String authservId) {
    String theirs = comparable(this.authservId);
    return !theirs.isEmpty()
        && theirs.equalsIgnoreCase(comparable(requireNonNull(authservId, "authservId")));
  }

  /**
   * The id as compared: without white space around it (where a control character from the message
   * became a space) and without one final dot, so that a forged {@code mx.example.org\0} or {@code
   * mx.example.org.} is taken as claiming {@code mx.example.org}, as a reader might take it.
   */
  private static String comparable(String id) {
    String s = id.strip();
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AuthenticationResults)) {
      return false;
    }
    AuthenticationResults other = (AuthenticationResults) o;
    return authservId.equals(other.authservId)
        && version == other.version
        && results.equals(other.results);
  }

  @Override
  public int hashCode() {
    return Objects.hash(authservId, version, results);
  }

  /** Returns {@link #value()}. */
  @Override
  public String toString() {
    return value;
  }

  /** Builds an {@link AuthenticationResults}. Not thread-safe; each call returns this builder. */
  public static final class Builder {
    /** RFC 6008 §4: a {@code header.b} prefix has at least eight characters. */
    private static final int MIN_PREFIX = 8;

    private final String authservId;
    private int version = -1;
    private final List<AuthResult> results = new ArrayList<>();

    private Builder(String authservId) {
      requireNonNull(authservId, "authservId");
      if (authservId.isEmpty() || authservId.length() > AuthResultsFormat.MAX_TEXT) {
        throw new IllegalArgumentException(
            "an authserv-id has 1 to 256 characters, not " + authservId.length());
      }
      this.authservId = AuthResultsFormat.safeText(authservId);
    }

    /**
     * Sets the field's version, written after the authserv-id. Without one, version 1 is meant (RFC
     * 8601 §2.2), the only version defined.
     *
     * @param version a non-negative number
     * @return this builder
     */
    public Builder version(int version) {
      if (version < 0) {
        throw new IllegalArgumentException("negative version " + version);
      }
      this.version = version;
      return this;
    }

    /**
     * Adds a result.
     *
     * @param result the result
     * @return this builder
     */
    public Builder add(AuthResult result) {
      results.add(requireNonNull(result, "result"));
      return this;
    }

    /**
     * Adds the {@code spf} result of a check ({@link AuthResult#spf(SpfOutcome)}).
     *
     * @param outcome the SPF outcome
     * @return this builder
     */
    public Builder addSpf(SpfOutcome outcome) {
      return add(AuthResult.spf(outcome));
    }

    /**
     * Adds one {@code dkim} result per signature ({@link AuthResult#dkim(DkimOutcome, Optional)}),
     * or {@code dkim=none} for a message without signatures (RFC 8601 §2.7.1). Signatures that
     * share {@code d=} and {@code s=} get {@code header.b}, the shortest prefix of their {@code b=}
     * of at least eight characters that no other of them shares (RFC 6008 §4), so that a reader can
     * tell which result is which; other signatures need none.
     *
     * @param verification the DKIM verification of the message
     * @return this builder
     */
    public Builder addDkim(DkimVerification verification) {
      List<DkimOutcome> outcomes = requireNonNull(verification, "verification").outcomes();
      if (outcomes.isEmpty()) {
        return add(AuthResult.builder("dkim", "none").build());
      }
      for (DkimOutcome outcome : outcomes) {
        add(AuthResult.dkim(outcome, prefix(outcome, outcomes)));
      }
      return this;
    }

    /** RFC 6008 §4: the shortest prefix, of at least eight characters, that tells it apart. */
    private static Optional<String> prefix(DkimOutcome outcome, List<DkimOutcome> all) {
      Optional<String> b = signature(outcome);
      if (b.isEmpty() || outcome.domain().isEmpty() || outcome.selector().isEmpty()) {
        return Optional.empty();
      }
      String mine = b.get();
      String selector = outcome.selector().get();
      int needed = -1;
      for (DkimOutcome other : all) {
        if (other == outcome
            || !other.domain().equals(outcome.domain())
            || other.selector().filter(selector::equalsIgnoreCase).isEmpty()) {
          continue;
        }
        String theirs = signature(other).orElse("");
        int common = 0;
        int max = Math.min(mine.length(), theirs.length());
        while (common < max && mine.charAt(common) == theirs.charAt(common)) {
          common++;
        }
        needed = Math.max(needed, common + 1);
      }
      if (needed < 0) {
        return Optional.empty(); // alone with its d= and s=: no header.b needed
      }
      return Optional.of(mine.substring(0, Math.min(mine.length(), Math.max(MIN_PREFIX, needed))));
    }

    /** The whole {@code b=} if the signature parsed, else the start the outcome kept. */
    private static Optional<String> signature(DkimOutcome outcome) {
      return outcome.signature().map(DkimSignature::signature).or(outcome::signaturePrefix);
    }

    /**
     * Builds the field.
     *
     * @return the immutable field
     */
    public AuthenticationResults build() {
      return new AuthenticationResults(authservId, version, results);
    }
  }
}
