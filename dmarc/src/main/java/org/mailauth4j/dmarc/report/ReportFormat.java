package org.mailauth4j.dmarc.report;

import org.mailauth4j.dmarc.DmarcProfile;

/**
 * The XML form of an aggregate report: RFC 9990's, or RFC 7489 Appendix C's for receivers that
 * still report under the older profile. The model ({@link AggregateReport}) holds the union of
 * both; writing picks the elements the form has.
 */
public enum ReportFormat {
  /** RFC 9990: namespace {@code urn:ietf:params:xml:ns:dmarc-2.0}. */
  RFC9990("urn:ietf:params:xml:ns:dmarc-2.0"),
  /** RFC 7489 Appendix C: namespace {@code http://dmarc.org/dmarc-xml/0.1}. */
  RFC7489("http://dmarc.org/dmarc-xml/0.1");

  private final String namespace;

  ReportFormat(String namespace) {
    this.namespace = namespace;
  }

  /**
   * Returns the XML namespace of the form.
   *
   * @return the namespace URI
   */
  public String namespace() {
    return namespace;
  }

  /**
   * Returns the form a receiver following a DMARC profile writes.
   *
   * @param profile the profile
   * @return {@link #RFC9990} for RFC 9989, {@link #RFC7489} for RFC 7489
   */
  public static ReportFormat of(DmarcProfile profile) {
    return profile == DmarcProfile.RFC7489 ? RFC7489 : RFC9990;
  }
}
