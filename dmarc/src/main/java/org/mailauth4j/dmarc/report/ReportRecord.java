package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of an aggregate report ({@code record}, RFC 9990 §3.1.5): the messages from one source
 * address that had the same evaluation, identifiers and authentication results, and how many there
 * were. {@code row} holds the address, the count and {@code policy_evaluated} (the disposition, the
 * DMARC-aligned DKIM and SPF results, the override reasons); {@code identifiers} the domains;
 * {@code auth_results} the raw DKIM and SPF results; then any extensions.
 *
 * <p>Two records are the same group when they are equal {@link #withCount(long) but for the count};
 * {@link #sameGroup(ReportRecord)} says so. Values a received report left out are empty. Immutable;
 * made with {@link #builder(InetAddress, String)}.
 */
public final class ReportRecord {
  private final InetAddress sourceIp;
  private final long count;
  private final Optional<Disposition> disposition;
  private final Optional<Boolean> dkimAligned;
  private final Optional<Boolean> spfAligned;
  private final List<OverrideReason> reasons;
  private final String headerFrom;
  private final Optional<String> envelopeFrom;
  private final Optional<String> envelopeTo;
  private final List<DkimAuthResult> dkim;
  private final List<SpfAuthResult> spf;
  private final List<ReportExtension> extensions;

  private ReportRecord(Builder b) {
    this.sourceIp = b.sourceIp;
    this.count = b.count;
    this.disposition = b.disposition;
    this.dkimAligned = b.dkimAligned;
    this.spfAligned = b.spfAligned;
    this.reasons = List.copyOf(b.reasons);
    this.headerFrom = b.headerFrom;
    this.envelopeFrom = b.envelopeFrom;
    this.envelopeTo = b.envelopeTo;
    this.dkim = List.copyOf(b.dkim);
    this.spf = List.copyOf(b.spf);
    this.extensions = List.copyOf(b.extensions);
  }

  /**
   * Starts a builder with a count of 1.
   *
   * @param sourceIp the address the messages came from
   * @param headerFrom the RFC5322.From domain
   * @return a builder
   */
  public static Builder builder(InetAddress sourceIp, String headerFrom) {
    return new Builder(requireNonNull(sourceIp, "sourceIp"), requireNonNull(headerFrom, "from"));
  }

  /**
   * Starts a builder with this record's values.
   *
   * @return a builder
   */
  public Builder newBuilder() {
    Builder b = new Builder(sourceIp, headerFrom);
    b.count = count;
    b.disposition = disposition;
    b.dkimAligned = dkimAligned;
    b.spfAligned = spfAligned;
    b.reasons.addAll(reasons);
    b.envelopeFrom = envelopeFrom;
    b.envelopeTo = envelopeTo;
    b.dkim.addAll(dkim);
    b.spf.addAll(spf);
    b.extensions.addAll(extensions);
    return b;
  }

  /**
   * Returns this record with another count.
   *
   * @param count the count, at least 0
   * @return the record
   */
  public ReportRecord withCount(long count) {
    return newBuilder().count(count).build();
  }

  /**
   * Tells whether another record is of the same group: equal in everything but the count.
   *
   * @param other the other record
   * @return whether their counts may be added up
   */
  public boolean sameGroup(ReportRecord other) {
    return other.withCount(count).equals(this);
  }

  /**
   * Returns the address the messages came from ({@code row/source_ip}).
   *
   * @return the address
   */
  public InetAddress sourceIp() {
    return sourceIp;
  }

  /**
   * Returns the number of messages ({@code row/count}).
   *
   * @return the count
   */
  public long count() {
    return count;
  }

  /**
   * Returns what the receiver did with the messages ({@code policy_evaluated/disposition}).
   *
   * @return the disposition, or empty when not reported
   */
  public Optional<Disposition> disposition() {
    return disposition;
  }

  /**
   * Returns the DMARC-aligned DKIM result ({@code policy_evaluated/dkim}): whether an aligned
   * signature passed.
   *
   * @return {@code true} for pass, or empty when not reported
   */
  public Optional<Boolean> dkimAligned() {
    return dkimAligned;
  }

  /**
   * Returns the DMARC-aligned SPF result ({@code policy_evaluated/spf}).
   *
   * @return {@code true} for pass, or empty when not reported
   */
  public Optional<Boolean> spfAligned() {
    return spfAligned;
  }

  /**
   * Returns the reasons for the disposition ({@code policy_evaluated/reason}).
   *
   * @return the reasons, often empty
   */
  public List<OverrideReason> reasons() {
    return reasons;
  }

  /**
   * Returns the RFC5322.From domain ({@code identifiers/header_from}), as reported.
   *
   * @return the domain
   */
  public String headerFrom() {
    return headerFrom;
  }

  /**
   * Returns the RFC5321.MailFrom domain ({@code identifiers/envelope_from}).
   *
   * @return the domain, or empty
   */
  public Optional<String> envelopeFrom() {
    return envelopeFrom;
  }

  /**
   * Returns the envelope recipient domain ({@code identifiers/envelope_to}).
   *
   * @return the domain, or empty
   */
  public Optional<String> envelopeTo() {
    return envelopeTo;
  }

  /**
   * Returns the DKIM results ({@code auth_results/dkim}), one per signature.
   *
   * @return the results, possibly empty
   */
  public List<DkimAuthResult> dkim() {
    return dkim;
  }

  /**
   * Returns the SPF results ({@code auth_results/spf}): RFC 9990 has at most one, RFC 7489 reports
   * may carry one per scope.
   *
   * @return the results, possibly empty
   */
  public List<SpfAuthResult> spf() {
    return spf;
  }

  /**
   * Returns the record's extension elements.
   *
   * @return the extensions, usually empty
   */
  public List<ReportExtension> extensions() {
    return extensions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportRecord r
        && r.count == count
        && r.sourceIp.equals(sourceIp)
        && r.disposition.equals(disposition)
        && r.dkimAligned.equals(dkimAligned)
        && r.spfAligned.equals(spfAligned)
        && r.reasons.equals(reasons)
        && r.headerFrom.equals(headerFrom)
        && r.envelopeFrom.equals(envelopeFrom)
        && r.envelopeTo.equals(envelopeTo)
        && r.dkim.equals(dkim)
        && r.spf.equals(spf)
        && r.extensions.equals(extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        sourceIp,
        count,
        disposition,
        dkimAligned,
        spfAligned,
        reasons,
        headerFrom,
        envelopeFrom,
        envelopeTo,
        dkim,
        spf,
        extensions);
  }

  @Override
  public String toString() {
    return sourceIp.getHostAddress()
        + " x"
        + count
        + " from="
        + headerFrom
        + disposition.map(d -> " " + d.token()).orElse("")
        + dkimAligned.map(p -> p ? " dkim=pass" : " dkim=fail").orElse("")
        + spfAligned.map(p -> p ? " spf=pass" : " spf=fail").orElse("")
        + (reasons.isEmpty() ? "" : " " + reasons)
        + " "
        + dkim
        + " "
        + spf;
  }

  /** Builds {@link ReportRecord}; not thread-safe. */
  public static final class Builder {
    private final InetAddress sourceIp;
    private final String headerFrom;
    private long count = 1;
    private Optional<Disposition> disposition = Optional.empty();
    private Optional<Boolean> dkimAligned = Optional.empty();
    private Optional<Boolean> spfAligned = Optional.empty();
    private final List<OverrideReason> reasons = new ArrayList<>();
    private Optional<String> envelopeFrom = Optional.empty();
    private Optional<String> envelopeTo = Optional.empty();
    private final List<DkimAuthResult> dkim = new ArrayList<>();
    private final List<SpfAuthResult> spf = new ArrayList<>();
    private final List<ReportExtension> extensions = new ArrayList<>();

    private Builder(InetAddress sourceIp, String headerFrom) {
      this.sourceIp = sourceIp;
      this.headerFrom = headerFrom;
    }

    /**
     * Sets the number of messages.
     *
     * @param count at least 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder count(long count) {
      if (count < 0) {
        throw new IllegalArgumentException("a count is not negative: " + count);
      }
      this.count = count;
      return this;
    }

    /**
     * Sets the disposition.
     *
     * @param disposition the disposition, or empty
     * @return this builder
     */
    public Builder disposition(Optional<Disposition> disposition) {
      this.disposition = requireNonNull(disposition, "disposition");
      return this;
    }

    /**
     * Sets the DMARC-aligned DKIM result.
     *
     * @param pass {@code true} for pass, or empty
     * @return this builder
     */
    public Builder dkimAligned(Optional<Boolean> pass) {
      this.dkimAligned = requireNonNull(pass, "pass");
      return this;
    }

    /**
     * Sets the DMARC-aligned SPF result.
     *
     * @param pass {@code true} for pass, or empty
     * @return this builder
     */
    public Builder spfAligned(Optional<Boolean> pass) {
      this.spfAligned = requireNonNull(pass, "pass");
      return this;
    }

    /**
     * Adds a reason for the disposition.
     *
     * @param reason the reason
     * @return this builder
     */
    public Builder addReason(OverrideReason reason) {
      reasons.add(requireNonNull(reason, "reason"));
      return this;
    }

    /**
     * Sets the RFC5321.MailFrom domain.
     *
     * @param domain the domain, or empty
     * @return this builder
     */
    public Builder envelopeFrom(Optional<String> domain) {
      this.envelopeFrom = requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Sets the envelope recipient domain.
     *
     * @param domain the domain, or empty
     * @return this builder
     */
    public Builder envelopeTo(Optional<String> domain) {
      this.envelopeTo = requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Adds a DKIM result.
     *
     * @param result the result
     * @return this builder
     */
    public Builder addDkim(DkimAuthResult result) {
      dkim.add(requireNonNull(result, "result"));
      return this;
    }

    /**
     * Adds an SPF result.
     *
     * @param result the result
     * @return this builder
     */
    public Builder addSpf(SpfAuthResult result) {
      spf.add(requireNonNull(result, "result"));
      return this;
    }

    /**
     * Adds an extension element.
     *
     * @param extension the extension
     * @return this builder
     */
    public Builder addExtension(ReportExtension extension) {
      extensions.add(requireNonNull(extension, "extension"));
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record
     */
    public ReportRecord build() {
      return new ReportRecord(this);
    }
  }
}
