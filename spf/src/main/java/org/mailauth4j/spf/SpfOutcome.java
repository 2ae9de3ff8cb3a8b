package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * What an SPF check concluded, and the evidence: the identity and domain checked, the term that
 * decided, the explanation of a {@code fail}, the problem behind a {@code none}, {@code temperror}
 * or {@code permerror}, the lookup counts and the trace of every DNS lookup. It holds what a
 * Received-SPF header field (RFC 7208 §9.1, {@link #receivedSpf()}) and an Authentication-Results
 * {@code spf} entry need.
 *
 * <p>Outcomes are made by {@link SpfVerifier}; they have no public constructor, so that later
 * versions can add evidence without breaking callers. {@link #builder()} makes one for tests and
 * for evaluations that did not run here. Immutable and thread-safe; equal when all their fields
 * are.
 */
public final class SpfOutcome {
  private final SpfResult result;
  private final SpfIdentity identity;
  private final InetAddress clientIp;
  private final String sender;
  private final Optional<String> helo;
  private final Optional<DomainName> domain;
  private final Optional<String> mechanism;
  private final Optional<String> explanation;
  private final Optional<SpfProblem> problem;
  private final String detail;
  private final int dnsLookups;
  private final int voidLookups;
  private final List<SpfLookup> trace;
  private final String receiver;

  private SpfOutcome(Builder b) {
    this.result = requireNonNull(b.result, "result");
    this.identity = requireNonNull(b.identity, "identity");
    this.clientIp = requireNonNull(b.clientIp, "clientIp");
    this.sender = requireNonNull(b.sender, "sender");
    this.helo = requireNonNull(b.helo, "helo");
    this.domain = requireNonNull(b.domain, "domain");
    this.mechanism = requireNonNull(b.mechanism, "mechanism");
    this.explanation = requireNonNull(b.explanation, "explanation");
    this.problem = requireNonNull(b.problem, "problem");
    this.detail = requireNonNull(b.detail, "detail");
    this.dnsLookups = b.dnsLookups;
    this.voidLookups = b.voidLookups;
    this.trace = List.copyOf(b.trace);
    this.receiver = requireNonNull(b.receiver, "receiver");
  }

  /**
   * Returns a builder of an outcome, for tests and for SPF results evaluated elsewhere. Result,
   * identity, client address, sender and detail are required; the rest default to empty, zero and a
   * receiver of {@code unknown}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the result.
   *
   * @return the result
   */
  public SpfResult result() {
    return result;
  }

  /**
   * Returns which identity was checked.
   *
   * @return the identity
   */
  public SpfIdentity identity() {
    return identity;
  }

  /**
   * Returns the client's address as given.
   *
   * @return the address
   */
  public InetAddress clientIp() {
    return clientIp;
  }

  /**
   * Returns the checked identity as an address: the MAIL FROM, or {@code postmaster@} and the HELO
   * domain.
   *
   * @return the sender
   */
  public String sender() {
    return sender;
  }

  /**
   * Returns the HELO or EHLO domain, as the client gave it.
   *
   * @return the HELO name, if known
   */
  public Optional<String> helo() {
    return helo;
  }

  /**
   * Returns the domain whose policy was checked, if it was a valid domain name.
   *
   * @return the domain
   */
  public Optional<DomainName> domain() {
    return domain;
  }

  /**
   * Returns the term that decided, such as {@code ip4:192.0.2.0/24} or {@code -all}; {@code
   * default} when no term matched (RFC 7208 §4.7); empty for errors and {@code none}.
   *
   * @return the deciding term
   */
  public Optional<String> mechanism() {
    return mechanism;
  }

  /**
   * Returns the domain's explanation of a {@code fail} ({@code exp=}, RFC 7208 §6.2). It comes from
   * the domain owner, not from this library.
   *
   * @return the explanation
   */
  public Optional<String> explanation() {
    return explanation;
  }

  /**
   * Returns why the result is {@code none}, {@code temperror} or {@code permerror}.
   *
   * @return the problem
   */
  public Optional<SpfProblem> problem() {
    return problem;
  }

  /**
   * Returns a human-readable account of the result.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the DNS-querying terms evaluated, out of the limit (10 by default).
   *
   * @return the count
   */
  public int dnsLookups() {
    return dnsLookups;
  }

  /**
   * Returns the lookups that found nothing, out of the limit (2 by default).
   *
   * @return the count
   */
  public int voidLookups() {
    return voidLookups;
  }

  /**
   * Returns every DNS lookup made, in order.
   *
   * @return the trace
   */
  public List<SpfLookup> trace() {
    return trace;
  }

  /**
   * Returns the name of the host that made the check, as the verifier was built with ({@link
   * SpfVerifier.Builder#receiver(String)}), or {@code unknown} (RFC 7208 §7.3).
   *
   * @return the receiver
   */
  public String receiver() {
    return receiver;
  }

  /**
   * Returns the terms whose target could not be looked up because it expanded to something that is
   * no DNS name (an empty label, a label of more than 63 octets), from the trace. Such a term
   * matched nothing; a domain owner whose macros do this wants to know.
   *
   * @return the trace entries of targets not looked up, in order; usually empty
   */
  public List<SpfLookup> notLookedUp() {
    return trace.stream().filter(l -> !l.isLookedUp()).toList();
  }

  /**
   * Writes the Received-SPF header field (RFC 7208 §9.1) for this outcome, with what a later reader
   * needs to re-check it: {@code client-ip}, {@code envelope-from}, {@code helo}, {@code receiver}
   * (the {@link #receiver()} the verifier was built with), {@code identity}, and {@code mechanism}
   * or {@code problem}.
   *
   * @return the whole field, {@code Received-SPF: ...}, without a final line break
   */
  public String receivedSpf() {
    StringBuilder sb = new StringBuilder("Received-SPF: ").append(result.token());
    sb.append(" (").append(comment(receiver)).append(')');
    sb.append(" client-ip=").append(InetAddresses.toAddrString(clientIp)).append(';');
    sb.append(" envelope-from=").append(value(sender)).append(';');
    helo.ifPresent(h -> sb.append(" helo=").append(value(h)).append(';'));
    sb.append(" receiver=").append(value(receiver)).append(';');
    sb.append(" identity=").append(identity.token()).append(';');
    mechanism.ifPresent(m -> sb.append(" mechanism=").append(value(m)).append(';'));
    if (problem.isPresent() && (result == SpfResult.PERMERROR || result == SpfResult.TEMPERROR)) {
      sb.append(" problem=").append(value(detail)).append(';');
    }
    return sb.toString();
  }

  private String comment(String receiver) {
    String ip = InetAddresses.toAddrString(clientIp);
    String who = domain.map(d -> "domain of " + sender).orElse(sender);
    String text;
    switch (result) {
      case PASS:
        text = receiver + ": " + who + " designates " + ip + " as permitted sender";
        break;
      case FAIL:
        text = receiver + ": " + who + " does not designate " + ip + " as permitted sender";
        break;
      case SOFTFAIL:
        text = receiver + ": " + who + " discourages use of " + ip + " as permitted sender";
        break;
      case NEUTRAL:
        text = receiver + ": " + ip + " is neither permitted nor denied by " + who;
        break;
      case NONE:
        text = receiver + ": " + who + " does not designate permitted sender hosts";
        break;
      case TEMPERROR:
        text = receiver + ": error in processing during lookup of " + who;
        break;
      default:
        text = receiver + ": error in the SPF record of " + who;
    }
    // A comment may not hold unbalanced parentheses or backslashes (RFC 5322 §3.2.2), nor any
    // control character: a CR or LF from the sender would start a header field of its own.
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c == '\\' || c == '(' || c == ')') {
        sb.append('\\').append(c);
      } else {
        sb.append(c < 0x20 || c == 0x7F ? ' ' : c);
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpfOutcome other
        && result == other.result
        && identity == other.identity
        && clientIp.equals(other.clientIp)
        && sender.equals(other.sender)
        && helo.equals(other.helo)
        && domain.equals(other.domain)
        && mechanism.equals(other.mechanism)
        && explanation.equals(other.explanation)
        && problem.equals(other.problem)
        && detail.equals(other.detail)
        && dnsLookups == other.dnsLookups
        && voidLookups == other.voidLookups
        && trace.equals(other.trace)
        && receiver.equals(other.receiver);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        result,
        identity,
        clientIp,
        sender,
        helo,
        domain,
        mechanism,
        explanation,
        problem,
        detail,
        dnsLookups,
        voidLookups,
        trace,
        receiver);
  }

  /** Returns the outcome for logs: its fields, as a record would print them. */
  @Override
  public String toString() {
    return "SpfOutcome[result="
        + result
        + ", identity="
        + identity
        + ", clientIp="
        + clientIp
        + ", sender="
        + sender
        + ", helo="
        + helo
        + ", domain="
        + domain
        + ", mechanism="
        + mechanism
        + ", explanation="
        + explanation
        + ", problem="
        + problem
        + ", detail="
        + detail
        + ", dnsLookups="
        + dnsLookups
        + ", voidLookups="
        + voidLookups
        + ", trace="
        + trace
        + ", receiver="
        + receiver
        + "]";
  }

  /** Builds an {@link SpfOutcome}; not thread-safe. */
  public static final class Builder {
    private SpfResult result;
    private SpfIdentity identity;
    private InetAddress clientIp;
    private String sender;
    private Optional<String> helo = Optional.empty();
    private Optional<DomainName> domain = Optional.empty();
    private Optional<String> mechanism = Optional.empty();
    private Optional<String> explanation = Optional.empty();
    private Optional<SpfProblem> problem = Optional.empty();
    private String detail;
    private int dnsLookups;
    private int voidLookups;
    private List<SpfLookup> trace = List.of();
    private String receiver = "unknown";

    private Builder() {}

    /**
     * Sets the result.
     *
     * @param result the result
     * @return this builder
     */
    public Builder result(SpfResult result) {
      this.result = requireNonNull(result, "result");
      return this;
    }

    /**
     * Sets the identity checked.
     *
     * @param identity the identity
     * @return this builder
     */
    public Builder identity(SpfIdentity identity) {
      this.identity = requireNonNull(identity, "identity");
      return this;
    }

    /**
     * Sets the client's address.
     *
     * @param clientIp the address
     * @return this builder
     */
    public Builder clientIp(InetAddress clientIp) {
      this.clientIp = requireNonNull(clientIp, "clientIp");
      return this;
    }

    /**
     * Sets the checked identity as an address.
     *
     * @param sender such as {@code bounce@example.com}
     * @return this builder
     */
    public Builder sender(String sender) {
      this.sender = requireNonNull(sender, "sender");
      return this;
    }

    /**
     * Sets the HELO name.
     *
     * @param helo the name, or empty
     * @return this builder
     */
    public Builder helo(Optional<String> helo) {
      this.helo = requireNonNull(helo, "helo");
      return this;
    }

    /**
     * Sets the domain checked.
     *
     * @param domain the domain, or empty
     * @return this builder
     */
    public Builder domain(Optional<DomainName> domain) {
      this.domain = requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Sets the deciding term.
     *
     * @param mechanism the term, or empty
     * @return this builder
     */
    public Builder mechanism(Optional<String> mechanism) {
      this.mechanism = requireNonNull(mechanism, "mechanism");
      return this;
    }

    /**
     * Sets the explanation of a {@code fail}.
     *
     * @param explanation the explanation, or empty
     * @return this builder
     */
    public Builder explanation(Optional<String> explanation) {
      this.explanation = requireNonNull(explanation, "explanation");
      return this;
    }

    /**
     * Sets the problem.
     *
     * @param problem the problem, or empty
     * @return this builder
     */
    public Builder problem(Optional<SpfProblem> problem) {
      this.problem = requireNonNull(problem, "problem");
      return this;
    }

    /**
     * Sets the account of the result.
     *
     * @param detail for people
     * @return this builder
     */
    public Builder detail(String detail) {
      this.detail = requireNonNull(detail, "detail");
      return this;
    }

    /**
     * Sets the DNS-querying terms evaluated.
     *
     * @param dnsLookups at least 0
     * @return this builder
     */
    public Builder dnsLookups(int dnsLookups) {
      this.dnsLookups = nonNegative(dnsLookups, "dnsLookups");
      return this;
    }

    /**
     * Sets the void lookups seen.
     *
     * @param voidLookups at least 0
     * @return this builder
     */
    public Builder voidLookups(int voidLookups) {
      this.voidLookups = nonNegative(voidLookups, "voidLookups");
      return this;
    }

    /**
     * Sets the lookups made, in order.
     *
     * @param trace the trace; copied
     * @return this builder
     */
    public Builder trace(List<SpfLookup> trace) {
      this.trace = List.copyOf(trace);
      return this;
    }

    /**
     * Sets the name of the host that made the check.
     *
     * @param receiver such as {@code mx.example.org}
     * @return this builder
     */
    public Builder receiver(String receiver) {
      this.receiver = requireNonNull(receiver, "receiver");
      return this;
    }

    /**
     * Builds the outcome.
     *
     * @return the outcome
     * @throws NullPointerException if result, identity, client address, sender or detail is unset
     */
    public SpfOutcome build() {
      return new SpfOutcome(this);
    }

    private static int nonNegative(int n, String what) {
      if (n < 0) {
        throw new IllegalArgumentException(what + " " + n);
      }
      return n;
    }
  }

  /** RFC 7208 §9.1: a value is a dot-atom or a quoted-string. */
  static String value(String v) {
    if (!v.isEmpty()
        && v.chars().allMatch(c -> isAtext(c) || c == '.')
        && !v.startsWith(".")
        && !v.endsWith(".")
        && !v.contains("..")) {
      return v;
    }
    StringBuilder sb = new StringBuilder("\"");
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return sb.append('"').toString();
  }

  private static boolean isAtext(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
  }
}
