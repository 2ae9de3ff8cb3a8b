package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.mtasts.MtaStsMode;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptResultType;

/**
 * How a server's certificate chain fared against its TLSA records (RFC 7672 §3): passed, with the
 * record that matched, or failed, with the TLS-RPT result type of the failure (RFC 8460 §4.3). Made
 * by {@link DaneVerifier}. Immutable.
 */
public final class DaneResult {
  private final TlsaLookup lookup;
  private final List<TlsaRecord> recordsUsed;
  private final Optional<TlsaRecord> matched;
  private final Optional<TlsRptResultType> failure;
  private final Optional<String> failureReasonCode;
  private final String detail;

  private DaneResult(
      TlsaLookup lookup,
      List<TlsaRecord> recordsUsed,
      Optional<TlsaRecord> matched,
      Optional<TlsRptResultType> failure,
      Optional<String> failureReasonCode,
      String detail) {
    this.lookup = requireNonNull(lookup, "lookup");
    this.recordsUsed = List.copyOf(recordsUsed);
    this.matched = matched;
    this.failure = failure;
    this.failureReasonCode = failureReasonCode;
    this.detail = requireNonNull(detail, "detail");
  }

  /**
   * A chain that passed.
   *
   * @param lookup the TLSA lookup the chain was judged against
   * @param recordsUsed the records that took part, after digest agility (RFC 7671 §9)
   * @param matched the record that authenticated the server; empty when the records were all
   *     unusable and only TLS was required
   * @param detail a human-readable account
   * @return the result
   */
  public static DaneResult passed(
      TlsaLookup lookup,
      List<TlsaRecord> recordsUsed,
      Optional<TlsaRecord> matched,
      String detail) {
    return new DaneResult(lookup, recordsUsed, matched, Optional.empty(), Optional.empty(), detail);
  }

  /**
   * A chain that failed.
   *
   * @param lookup the TLSA lookup the chain was judged against
   * @param recordsUsed the records that took part, after digest agility (RFC 7671 §9)
   * @param failure the TLS-RPT result type: {@code tlsa-invalid} when no record matched, a
   *     certificate type when a DANE-TA record matched but the chain or the name did not pass
   * @param detail what failed
   * @return the result
   */
  public static DaneResult failed(
      TlsaLookup lookup, List<TlsaRecord> recordsUsed, TlsRptResultType failure, String detail) {
    return new DaneResult(
        lookup,
        recordsUsed,
        Optional.empty(),
        Optional.of(requireNonNull(failure)),
        Optional.empty(),
        detail);
  }

  /**
   * A chain that failed, with the {@code failure-reason-code} TLS-RPT reports SHOULD carry for
   * {@code certificate-not-trusted} and {@code validation-failure} (RFC 8460 §4.3.3).
   *
   * @param lookup the TLSA lookup the chain was judged against
   * @param recordsUsed the records that took part, after digest agility (RFC 7671 §9)
   * @param failure the TLS-RPT result type
   * @param failureReasonCode a short code, such as the PKIX validator's reason ({@code
   *     INVALID_SIGNATURE}, {@code EXPIRED})
   * @param detail what failed
   * @return the result
   */
  public static DaneResult failed(
      TlsaLookup lookup,
      List<TlsaRecord> recordsUsed,
      TlsRptResultType failure,
      String failureReasonCode,
      String detail) {
    return new DaneResult(
        lookup,
        recordsUsed,
        Optional.empty(),
        Optional.of(requireNonNull(failure)),
        Optional.of(requireNonNull(failureReasonCode, "failureReasonCode")),
        detail);
  }

  /**
   * Returns the TLSA lookup the chain was judged against.
   *
   * @return the lookup
   */
  public TlsaLookup lookup() {
    return lookup;
  }

  /**
   * Tells whether the server was authenticated, or needed only TLS.
   *
   * @return true if mail may go to the server
   */
  public boolean passed() {
    return failure.isEmpty();
  }

  /**
   * Returns the records that took part: the usable ones, less those a stronger digest of the same
   * usage and selector displaces (RFC 7671 §9).
   *
   * @return an immutable list
   */
  public List<TlsaRecord> recordsUsed() {
    return recordsUsed;
  }

  /**
   * Returns the record that matched the chain.
   *
   * @return the record, if one authenticated the server
   */
  public Optional<TlsaRecord> matched() {
    return matched;
  }

  /**
   * Returns the TLS-RPT result type of the failure.
   *
   * @return the type, or empty if the chain passed
   */
  public Optional<TlsRptResultType> failure() {
    return failure;
  }

  /**
   * Returns the {@code failure-reason-code} of the failure (RFC 8460 §4.3.3).
   *
   * @return the code, if the failure has one
   */
  public Optional<String> failureReasonCode() {
    return failureReasonCode;
  }

  /**
   * Returns a human-readable account.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Turns the result into the sending MTA's verdict (RFC 7672 §2.2: a server that fails DANE is not
   * delivered to; try the next MX), under the lookup's {@linkplain TlsaLookup#reportPolicy() tlsa
   * policy}, ready for the TLS-RPT recorder.
   *
   * @return {@code deliver}, or {@code do not deliver} with the failure and its reason code
   */
  public MxVerdict toVerdict() {
    MxVerdict.Builder b =
        MxVerdict.builder(
                passed() ? MxVerdict.Action.DELIVER : MxVerdict.Action.DO_NOT_DELIVER,
                MtaStsMode.NONE,
                lookup.host(),
                lookup.reportPolicy())
            .detail(detail);
    failure.ifPresent(b::failure);
    failureReasonCode.ifPresent(b::failureReasonCode);
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DaneResult r
        && r.lookup.equals(lookup)
        && r.recordsUsed.equals(recordsUsed)
        && r.matched.equals(matched)
        && r.failure.equals(failure)
        && r.failureReasonCode.equals(failureReasonCode)
        && r.detail.equals(detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lookup, recordsUsed, matched, failure, failureReasonCode, detail);
  }

  @Override
  public String toString() {
    return "DaneResult["
        + (passed() ? "passed" : "failed " + failure.get().token())
        + matched.map(m -> " by " + m).orElse("")
        + ", "
        + detail
        + "]";
  }
}
