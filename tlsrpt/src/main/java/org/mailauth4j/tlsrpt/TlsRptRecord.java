package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TLS-RPT policy record, the TXT record at {@code _smtp._tls.<domain>} (RFC 8460 §3), such as
 * {@code v=TLSRPTv1; rua=mailto:tlsrpt@example.com}: where a sending MTA sends its daily reports of
 * TLS sessions to the domain. Immutable and thread-safe.
 *
 * <pre>
 * tlsrpt-record    = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
 * field-delim      = *WSP ";" *WSP
 * tlsrpt-version   = %s"v=TLSRPTv1"
 * tlsrpt-rua       = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
 * tlsrpt-extension = tlsrpt-ext-name "=" tlsrpt-ext-value
 * tlsrpt-ext-name  = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 * tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
 * </pre>
 *
 * <p><b>Strict where RFC 8460 §3 is.</b> {@link #parse} refuses, with a {@link
 * TlsRptSyntaxException}: text not beginning with {@code v=TLSRPTv1} (the version MUST be first,
 * and is case-sensitive); a record without a {@code rua} field (required); and text outside the
 * grammar: fields not separated by {@code ;}, whitespace other than around {@code ;} and {@code ,}
 * (trailing whitespace included), a field name that is not a {@code tlsrpt-ext-name}, an extension
 * value that is empty or holds a space, {@code =}, a control or a non-ASCII character. Field names
 * are case-sensitive ({@code %s"rua="}): {@code RUA=} is an unknown field, with a {@link
 * TlsRptRecordProblem#FIELD_NAME_CASE} warning.
 *
 * <p><b>Lenient where it allows.</b> Unknown fields are kept, in order, in {@link #extensions()},
 * and otherwise ignored: RFC 8460 §3 has parsers accept records "implementing a superset of this
 * specification, in which case unknown fields SHALL be ignored". A field that appears twice counts
 * the first time ({@link TlsRptRecordProblem#DUPLICATE_FIELD}), as in the sibling MTA-STS record
 * (RFC 8461 §3.2). An element of {@code rua} that a reporter cannot use (a scheme other than {@code
 * mailto} and {@code https}, the two §3 supports, or not a URI at all, such as one with an
 * unencoded {@code !}) is a {@link org.mailauth4j.dns.Severity#WARNING} and is skipped: §3 lets the
 * reporter deliver to each supported destination and counts a report delivered once one endpoint
 * has it, so one bad element does not stop reports to the others. The record is refused ({@link
 * TlsRptRecordProblem#NO_USABLE_RUA}) only when no usable URI remains.
 *
 * <p><b>Equality and text.</b> Two records are equal when they have the same usable URIs in the
 * same order and the same extensions; not the same spacing, skipped parts or problems. {@link
 * #toText()} writes that content, so that {@code parse(r.toText()).equals(r)}.
 *
 * <p><b>Limits.</b> Parsing takes time linear in the text, whatever it holds. At most {@value
 * #MAX_URIS} URIs and {@value #MAX_EXTENSIONS} extensions are read, and at most {@value
 * #MAX_FINDINGS} findings listed, plus one {@link TlsRptRecordProblem#TOO_MANY_PROBLEMS} counting
 * the rest. {@link TlsRptRecordResolver} caps the length of a record it reads from DNS.
 */
public final class TlsRptRecord {
  /** The most URIs read from {@code rua}. */
  public static final int MAX_URIS = 100;

  /** The most extension fields kept. */
  public static final int MAX_EXTENSIONS = 100;

  /** The most findings listed by {@link #findings()}, besides one counting the rest. */
  public static final int MAX_FINDINGS = 100;

  private final List<TlsRptUri> reportUris;
  private final Map<String, String> extensions;
  private final List<TlsRptRecordFinding> problems;
  private final String text;

  TlsRptRecord(
      List<TlsRptUri> reportUris,
      Map<String, String> extensions,
      List<TlsRptRecordFinding> problems) {
    this.reportUris = List.copyOf(reportUris);
    this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    this.problems = List.copyOf(problems);
    this.text = write(this.reportUris, this.extensions);
  }

  /**
   * Parses the text of a TXT record, its character-strings joined with nothing between them (RFC
   * 8460 §3), such as {@code v=TLSRPTv1; rua=mailto:tlsrpt@example.com}.
   *
   * @param text the record text
   * @return the record, with what was skipped in {@link #findings()}
   * @throws TlsRptSyntaxException if the text is no valid TLS-RPT record; its {@link
   *     TlsRptSyntaxException#problem() code} says why and its index points at the problem
   */
  public static TlsRptRecord parse(CharSequence text) {
    String input = requireNonNull(text, "text").toString();
    return TlsRptRecordParser.parse(input).orThrow(input);
  }

  /**
   * Tells whether a TXT record is meant as a TLS-RPT record: it begins with {@code v=TLSRPTv1},
   * exactly in that case, followed by {@code ;}. RFC 8460 §3 discards the other TXT records at
   * {@code _smtp._tls} before counting ("Records that do not begin with {@code v=TLSRPTv1;} MUST be
   * discarded"); whitespace before the {@code ;}, which the section's grammar allows, is accepted
   * too. So {@code v=TLSRPTv10} and a bare {@code v=TLSRPTv1} are none. Reads no further than the
   * first delimiter.
   *
   * @param text a TXT record's text
   * @return {@code true} if it is a TLS-RPT record, valid or not
   */
  public static boolean isTlsRptRecord(CharSequence text) {
    int end = TlsRptRecordParser.versionEnd(requireNonNull(text, "text"));
    if (end < 0) {
      return false;
    }
    while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
      end++;
    }
    return end < text.length() && text.charAt(end) == ';';
  }

  /**
   * Starts a record for a domain owner to publish.
   *
   * <pre>{@code
   * String txt = TlsRptRecord.builder()
   *     .reportUri(TlsRptUri.mailto("tlsrpt@example.com"))
   *     .reportUri(TlsRptUri.parse("https://reports.example.com/v1/tlsrpt"))
   *     .build()
   *     .toText();  // v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1/tlsrpt
   * }</pre>
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder(new ArrayList<>(), new LinkedHashMap<>());
  }

  /**
   * Starts a builder holding this record's URIs and extensions, to derive a variant.
   *
   * @return a builder that builds a record equal to this one until changed
   */
  public Builder newBuilder() {
    return new Builder(new ArrayList<>(reportUris), new LinkedHashMap<>(extensions));
  }

  /**
   * Returns where reports go ({@code rua}): the usable URIs, in the order written, which is the
   * order the domain owner prefers.
   *
   * @return at least one and at most {@value #MAX_URIS} URIs; unmodifiable
   */
  public List<TlsRptUri> reportUris() {
    return reportUris;
  }

  /**
   * Returns the fields RFC 8460 does not define, which reporters ignore (§3).
   *
   * @return names (as written, case kept) to values, in the order written, at most {@value
   *     #MAX_EXTENSIONS}; unmodifiable
   */
  public Map<String, String> extensions() {
    return extensions;
  }

  /**
   * Returns what parsing found: skipped URIs, ignored fields, unknown fields; in the order of the
   * text. None is an {@link org.mailauth4j.dns.Severity#ERROR}: those refuse the record.
   *
   * @return the findings, at most {@code MAX_FINDINGS + 1}; unmodifiable
   */
  public List<TlsRptRecordFinding> findings() {
    return problems;
  }

  /**
   * Writes the record as it goes into DNS: {@code v=TLSRPTv1; rua=} and the URIs separated by
   * commas, then each extension as {@code ; name=value}. A text over 255 octets must be published
   * as several character-strings of one TXT record, which receivers join.
   *
   * @return record text that parses to an equal record
   */
  public String toText() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsRptRecord other
        && reportUris.equals(other.reportUris)
        && extensions.equals(other.extensions);
  }

  @Override
  public int hashCode() {
    return 31 * reportUris.hashCode() + extensions.hashCode();
  }

  /** Returns {@link #toText()}. */
  @Override
  public String toString() {
    return text;
  }

  private static String write(List<TlsRptUri> uris, Map<String, String> extensions) {
    StringBuilder sb = new StringBuilder(TlsRptRecordParser.VERSION).append("; rua=");
    for (int i = 0; i < uris.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(uris.get(i).text());
    }
    extensions.forEach((name, value) -> sb.append("; ").append(name).append('=').append(value));
    return sb.toString();
  }

  /**
   * Makes a record for a domain owner; {@link #build()} writes it and reads it back, so that a
   * built record is exactly what reporters read from its {@link TlsRptRecord#toText()}. Not
   * thread-safe.
   */
  public static final class Builder {
    private final List<TlsRptUri> uris;
    private final Map<String, String> extensions;

    private Builder(List<TlsRptUri> uris, Map<String, String> extensions) {
      this.uris = uris;
      this.extensions = extensions;
    }

    /**
     * Adds a destination of reports after those already added.
     *
     * @param uri a {@code mailto:} or {@code https:} URI
     * @return this builder
     * @throws IllegalArgumentException past {@value TlsRptRecord#MAX_URIS} URIs
     */
    public Builder reportUri(TlsRptUri uri) {
      requireNonNull(uri, "uri");
      if (uris.size() >= MAX_URIS) {
        throw new IllegalArgumentException("more than " + MAX_URIS + " URIs");
      }
      uris.add(uri);
      return this;
    }

    /**
     * Replaces the destinations of reports.
     *
     * @param uris the URIs, in the order of preference; may be empty, to start over
     * @return this builder
     * @throws IllegalArgumentException for more than {@value TlsRptRecord#MAX_URIS} URIs
     */
    public Builder reportUris(List<TlsRptUri> uris) {
      List<TlsRptUri> copy = List.copyOf(uris);
      if (copy.size() > MAX_URIS) {
        throw new IllegalArgumentException(copy.size() + " URIs, more than " + MAX_URIS);
      }
      this.uris.clear();
      this.uris.addAll(copy);
      return this;
    }

    /**
     * Adds or replaces a field RFC 8460 does not define, such as an extension being tried out;
     * reporters ignore it (§3).
     *
     * @param name a {@code tlsrpt-ext-name}: a letter or digit, then up to 31 letters, digits,
     *     {@code _}, {@code -} or {@code .}; not {@code v} or {@code rua} in any case
     * @param value a {@code tlsrpt-ext-value}: printable ASCII without space, {@code =} or {@code
     *     ;}
     * @return this builder
     * @throws IllegalArgumentException if the name or the value cannot be written, or past {@value
     *     TlsRptRecord#MAX_EXTENSIONS} extensions
     */
    public Builder extension(String name, String value) {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (name.isEmpty()
          || name.length() > 32
          || !TlsRptUri.isAlphaNum(name.charAt(0))
          || !name.chars().allMatch(c -> TlsRptRecordParser.isNameChar((char) c))) {
        throw new IllegalArgumentException("not a tlsrpt-ext-name: " + name);
      }
      if (name.equalsIgnoreCase("v") || name.equalsIgnoreCase("rua")) {
        throw new IllegalArgumentException("field " + name + " is not an extension");
      }
      if (value.isEmpty()
          || !value.chars().allMatch(c -> TlsRptRecordParser.isValueChar((char) c))) {
        throw new IllegalArgumentException("not a tlsrpt-ext-value: " + value);
      }
      if (!extensions.containsKey(name) && extensions.size() >= MAX_EXTENSIONS) {
        throw new IllegalArgumentException("more than " + MAX_EXTENSIONS + " extensions");
      }
      extensions.put(name, value);
      return this;
    }

    /**
     * Removes an extension field.
     *
     * @param name its name, exactly as added
     * @return this builder
     */
    public Builder removeExtension(String name) {
      extensions.remove(requireNonNull(name, "name"));
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record, equal to {@code TlsRptRecord.parse(record.toText())}
     * @throws IllegalStateException without a report URI: RFC 8460 §3 requires {@code rua}
     */
    public TlsRptRecord build() {
      if (uris.isEmpty()) {
        throw new IllegalStateException("a TLS-RPT record needs a report URI (rua, RFC 8460 §3)");
      }
      return parse(write(uris, extensions));
    }
  }
}
