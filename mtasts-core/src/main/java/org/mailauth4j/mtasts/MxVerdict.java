package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * What a sending MTA does with one MX after the TLS handshake (RFC 8461 §5, RFC 7672 §2): deliver,
 * deliver and report, or try the next MX; with the TLS-RPT result type of the failure, if there was
 * one, and everything a TLS-RPT report needs about the session (RFC 8460 §4.4): the MX host, the
 * policy it was judged under, and the receiving address and greeting when the caller adds them
 * ({@link #withReceivingIp(InetAddress)}, {@link #withReceivingHelo(String)}). Immutable.
 *
 * <pre>{@code
 * MxVerdict verdict = verifier.verify(lookup, mxHost, chain).withReceivingIp(peerAddress);
 * recorder.record(verdict);
 * if (!verdict.mayDeliver()) { ... try the next MX ... }
 * }</pre>
 */
public final class MxVerdict {

  /** What to do with the MX. */
  public enum Action {
    /** Deliver: validation passed, or no policy asks for it. */
    DELIVER,
    /**
     * Deliver, and count the failure for TLS-RPT: an MTA-STS policy in mode {@code testing}, or a
     * policy that could not be fetched, so that none applies.
     */
    DELIVER_AND_REPORT,
    /**
     * Do not deliver to this MX (mode {@code enforce}, or DANE); try the next, and treat running
     * out of MX hosts as a temporary failure (RFC 8461 §5.1, RFC 7672 §2.1).
     */
    DO_NOT_DELIVER
  }

  private final Action action;
  private final MtaStsMode mode;
  private final Optional<TlsRptResultType> failure;
  private final Optional<String> failureReasonCode;
  private final String detail;
  private final DomainName mxHost;
  private final TlsRptPolicy policy;
  private final Optional<InetAddress> receivingIp;
  private final Optional<String> receivingHelo;

  private MxVerdict(Builder b) {
    this.action = b.action;
    this.mode = b.mode;
    this.failure = b.failure;
    this.failureReasonCode = b.failureReasonCode;
    this.detail = b.detail;
    this.mxHost = b.mxHost;
    this.policy = b.policy;
    this.receivingIp = b.receivingIp;
    this.receivingHelo = b.receivingHelo;
  }

  /**
   * Starts a verdict. The MTA-STS and DANE verifiers make them; this is for other verifiers and
   * tests.
   *
   * @param action what to do
   * @param mode the MTA-STS mode the decision followed; {@link MtaStsMode#NONE} for DANE or no
   *     policy
   * @param mxHost the MX host name, from the MX record
   * @param policy the policy the session was judged under
   * @return a builder without failure, with an empty detail
   */
  public static Builder builder(
      Action action, MtaStsMode mode, DomainName mxHost, TlsRptPolicy policy) {
    return new Builder(action, mode, mxHost, policy);
  }

  /**
   * Returns a builder that starts from this verdict.
   *
   * @return a builder with every value of this verdict
   */
  public Builder toBuilder() {
    Builder b = new Builder(action, mode, mxHost, policy);
    b.failure = failure;
    b.failureReasonCode = failureReasonCode;
    b.detail = detail;
    b.receivingIp = receivingIp;
    b.receivingHelo = receivingHelo;
    return b;
  }

  /**
   * Returns what to do with the MX.
   *
   * @return the action
   */
  public Action action() {
    return action;
  }

  /**
   * Returns the MTA-STS mode the decision followed.
   *
   * @return the mode; {@link MtaStsMode#NONE} without an MTA-STS policy
   */
  public MtaStsMode mode() {
    return mode;
  }

  /**
   * Returns the TLS-RPT result type of the failure.
   *
   * @return the type, or empty if the session is reported as successful
   */
  public Optional<TlsRptResultType> failure() {
    return failure;
  }

  /**
   * Returns the {@code failure-reason-code} for the report (RFC 8460 §4.3.3), such as the reason a
   * certificate path was refused.
   *
   * @return the code, or empty
   */
  public Optional<String> failureReasonCode() {
    return failureReasonCode;
  }

  /**
   * Returns an account of the decision, for logs.
   *
   * @return the account
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the MX host the session was with.
   *
   * @return the host name from the MX record
   */
  public DomainName mxHost() {
    return mxHost;
  }

  /**
   * Returns the policy the session was judged under, as a report describes it.
   *
   * @return the policy
   */
  public TlsRptPolicy policy() {
    return policy;
  }

  /**
   * Returns the policy domain a report about this session goes to.
   *
   * @return the policy's domain
   */
  public DomainName policyDomain() {
    return policy.domain();
  }

  /**
   * Returns the MX's address, if the caller added it.
   *
   * @return the address the session was with
   */
  public Optional<InetAddress> receivingIp() {
    return receivingIp;
  }

  /**
   * Returns the name the MX greeted with, if the caller added it.
   *
   * @return the host name of its banner or EHLO reply
   */
  public Optional<String> receivingHelo() {
    return receivingHelo;
  }

  /**
   * Returns this verdict with the MX's address added, for the report.
   *
   * @param ip the address the session was with
   * @return a copy with the address
   */
  public MxVerdict withReceivingIp(InetAddress ip) {
    return toBuilder().receivingIp(ip).build();
  }

  /**
   * Returns this verdict with the MX's greeting name added, for the report.
   *
   * @param helo the host name of its banner or EHLO reply
   * @return a copy with the name
   */
  public MxVerdict withReceivingHelo(String helo) {
    return toBuilder().receivingHelo(helo).build();
  }

  /**
   * Tells whether the mail may go to this MX.
   *
   * @return {@code true} unless the action is {@link Action#DO_NOT_DELIVER}
   */
  public boolean mayDeliver() {
    return action != Action.DO_NOT_DELIVER;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MxVerdict v
        && action == v.action
        && mode == v.mode
        && failure.equals(v.failure)
        && failureReasonCode.equals(v.failureReasonCode)
        && detail.equals(v.detail)
        && mxHost.equals(v.mxHost)
        && policy.equals(v.policy)
        && receivingIp.equals(v.receivingIp)
        && receivingHelo.equals(v.receivingHelo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, mode, failure, mxHost, policy, receivingIp);
  }

  @Override
  public String toString() {
    return "MxVerdict["
        + action
        + " "
        + mxHost
        + ", mode "
        + mode.token()
        + failure.map(f -> ", failure " + f.token()).orElse("")
        + ", policy "
        + policy.type().token()
        + " of "
        + policy.domain()
        + ": "
        + detail
        + "]";
  }

  /** Builds an {@link MxVerdict}. Not thread-safe. */
  public static final class Builder {
    private final Action action;
    private final MtaStsMode mode;
    private final DomainName mxHost;
    private final TlsRptPolicy policy;
    private Optional<TlsRptResultType> failure = Optional.empty();
    private Optional<String> failureReasonCode = Optional.empty();
    private String detail = "";
    private Optional<InetAddress> receivingIp = Optional.empty();
    private Optional<String> receivingHelo = Optional.empty();

    private Builder(Action action, MtaStsMode mode, DomainName mxHost, TlsRptPolicy policy) {
      this.action = requireNonNull(action, "action");
      this.mode = requireNonNull(mode, "mode");
      this.mxHost = requireNonNull(mxHost, "mxHost");
      this.policy = requireNonNull(policy, "policy");
    }

    /**
     * Sets the failure the session is reported under.
     *
     * @param type the result type
     * @return this builder
     */
    public Builder failure(TlsRptResultType type) {
      this.failure = Optional.of(type);
      return this;
    }

    /**
     * Sets the {@code failure-reason-code}.
     *
     * @param code such as an error name of the TLS stack
     * @return this builder
     */
    public Builder failureReasonCode(String code) {
      this.failureReasonCode = Optional.of(code);
      return this;
    }

    /**
     * Sets the account of the decision.
     *
     * @param detail the account, for logs
     * @return this builder
     */
    public Builder detail(String detail) {
      this.detail = requireNonNull(detail, "detail");
      return this;
    }

    /**
     * Sets the MX's address.
     *
     * @param ip the address the session was with
     * @return this builder
     */
    public Builder receivingIp(InetAddress ip) {
      this.receivingIp = Optional.of(ip);
      return this;
    }

    /**
     * Sets the name the MX greeted with.
     *
     * @param helo the host name of its banner or EHLO reply
     * @return this builder
     */
    public Builder receivingHelo(String helo) {
      this.receivingHelo = Optional.of(helo);
      return this;
    }

    /**
     * Builds the verdict.
     *
     * @return the verdict
     * @throws IllegalArgumentException if {@code DELIVER_AND_REPORT} or {@code DO_NOT_DELIVER} has
     *     no failure, {@code DELIVER} has one, or a failure reason code is set without a failure
     */
    public MxVerdict build() {
      // A refused or reported session is a TLS-RPT failure, a delivered one a success: the
      // recorder counts by the failure, so the two must agree.
      if (action != Action.DELIVER && failure.isEmpty()) {
        throw new IllegalArgumentException(action + " needs the failure to report");
      }
      if (action == Action.DELIVER && failure.isPresent()) {
        throw new IllegalArgumentException(
            "DELIVER is a successful session; a failure to report is DELIVER_AND_REPORT");
      }
      if (failureReasonCode.isPresent() && failure.isEmpty()) {
        throw new IllegalArgumentException("a failure reason code needs a failure");
      }
      return new MxVerdict(this);
    }
  }
}
