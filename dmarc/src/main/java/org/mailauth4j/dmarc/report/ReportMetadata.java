package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who made an aggregate report and for which period ({@code report_metadata}, RFC 9990 §3.1.5): the
 * reporting organization and its contact, the report's id, the date range in whole seconds, errors
 * met while evaluating, and the generating software. Immutable; made with {@link #builder()}.
 */
public final class ReportMetadata {
  private final String organizationName;
  private final String email;
  private final Optional<String> extraContactInfo;
  private final String reportId;
  private final Instant begin;
  private final Instant end;
  private final List<String> errors;
  private final Optional<String> generator;

  private ReportMetadata(Builder b) {
    this.organizationName = requireNonNull(b.organizationName, "organizationName");
    this.email = requireNonNull(b.email, "email");
    this.extraContactInfo = b.extraContactInfo;
    this.reportId = requireNonNull(b.reportId, "reportId");
    this.begin = requireNonNull(b.begin, "begin");
    this.end = requireNonNull(b.end, "end");
    this.errors = List.copyOf(b.errors);
    this.generator = b.generator;
  }

  /**
   * Starts a builder; organization name, email, report id, begin and end are required.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a builder with this metadata's values.
   *
   * @return a builder
   */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.organizationName = organizationName;
    b.email = email;
    b.extraContactInfo = extraContactInfo;
    b.reportId = reportId;
    b.begin = begin;
    b.end = end;
    b.errors.addAll(errors);
    b.generator = generator;
    return b;
  }

  /**
   * Returns the reporting organization ({@code org_name}).
   *
   * @return the name
   */
  public String organizationName() {
    return organizationName;
  }

  /**
   * Returns the contact address of the reporting organization ({@code email}).
   *
   * @return the address, as reported
   */
  public String email() {
    return email;
  }

  /**
   * Returns further contact details ({@code extra_contact_info}).
   *
   * @return the text, or empty
   */
  public Optional<String> extraContactInfo() {
    return extraContactInfo;
  }

  /**
   * Returns the report's id ({@code report_id}), unique per reporter and policy domain.
   *
   * @return the id
   */
  public String reportId() {
    return reportId;
  }

  /**
   * Returns the start of the period ({@code date_range/begin}), in whole seconds.
   *
   * @return the start
   */
  public Instant begin() {
    return begin;
  }

  /**
   * Returns the end of the period ({@code date_range/end}), in whole seconds.
   *
   * @return the end
   */
  public Instant end() {
    return end;
  }

  /**
   * Returns the errors the reporter met while evaluating ({@code error}).
   *
   * @return the errors, often empty
   */
  public List<String> errors() {
    return errors;
  }

  /**
   * Returns the software that made the report ({@code generator}, RFC 9990).
   *
   * @return the generator, or empty
   */
  public Optional<String> generator() {
    return generator;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportMetadata m
        && m.organizationName.equals(organizationName)
        && m.email.equals(email)
        && m.extraContactInfo.equals(extraContactInfo)
        && m.reportId.equals(reportId)
        && m.begin.equals(begin)
        && m.end.equals(end)
        && m.errors.equals(errors)
        && m.generator.equals(generator);
  }

  @Override
  public int hashCode() {
    return Objects.hash(organizationName, email, reportId, begin, end);
  }

  @Override
  public String toString() {
    return organizationName + " <" + email + "> report " + reportId + " " + begin + "/" + end;
  }

  /** Builds {@link ReportMetadata}; not thread-safe. */
  public static final class Builder {
    private String organizationName;
    private String email;
    private Optional<String> extraContactInfo = Optional.empty();
    private String reportId;
    private Instant begin;
    private Instant end;
    private final List<String> errors = new ArrayList<>();
    private Optional<String> generator = Optional.empty();

    private Builder() {}

    /**
     * Sets the reporting organization.
     *
     * @param name the name
     * @return this builder
     */
    public Builder organizationName(String name) {
      this.organizationName = requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the contact address.
     *
     * @param email the address
     * @return this builder
     */
    public Builder email(String email) {
      this.email = requireNonNull(email, "email");
      return this;
    }

    /**
     * Sets further contact details.
     *
     * @param info the text, or empty
     * @return this builder
     */
    public Builder extraContactInfo(Optional<String> info) {
      this.extraContactInfo = requireNonNull(info, "info");
      return this;
    }

    /**
     * Sets the report id.
     *
     * @param id the id
     * @return this builder
     */
    public Builder reportId(String id) {
      this.reportId = requireNonNull(id, "id");
      return this;
    }

    /**
     * Sets the period; both ends are cut to whole seconds, as the XML carries them.
     *
     * @param begin the start
     * @param end the end, not before the start
     * @return this builder
     * @throws IllegalArgumentException if the end is before the start
     */
    public Builder dateRange(Instant begin, Instant end) {
      Instant b = Instant.ofEpochSecond(requireNonNull(begin, "begin").getEpochSecond());
      Instant e = Instant.ofEpochSecond(requireNonNull(end, "end").getEpochSecond());
      if (e.isBefore(b)) {
        throw new IllegalArgumentException("the date range ends before it begins");
      }
      this.begin = b;
      this.end = e;
      return this;
    }

    /**
     * Adds an error message.
     *
     * @param error the message
     * @return this builder
     */
    public Builder addError(String error) {
      errors.add(requireNonNull(error, "error"));
      return this;
    }

    /**
     * Sets the generating software.
     *
     * @param generator the generator, or empty
     * @return this builder
     */
    public Builder generator(Optional<String> generator) {
      this.generator = requireNonNull(generator, "generator");
      return this;
    }

    /**
     * Builds the metadata.
     *
     * @return the metadata
     * @throws NullPointerException if a required value is missing
     */
    public ReportMetadata build() {
      return new ReportMetadata(this);
    }
  }
}
