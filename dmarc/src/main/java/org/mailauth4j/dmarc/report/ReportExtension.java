package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.io.StringReader;
import java.util.Objects;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One extension element of an aggregate report (RFC 9990 §3.1.5 and Appendix A: the children of the
 * top-level {@code extension} element, and the elements after {@code auth_results} in a record),
 * kept as XML text because its content is defined elsewhere. Immutable.
 */
public final class ReportExtension {
  private static final XMLInputFactory FACTORY = secureFactory();

  private final String name;
  private final Optional<String> namespace;
  private final String xml;

  private ReportExtension(String name, Optional<String> namespace, String xml) {
    this.name = name;
    this.namespace = namespace;
    this.xml = xml;
  }

  /**
   * Makes an extension of one XML element. The text must be well-formed, one element, no DTD; a
   * namespace it uses must be declared in it. The text is kept in a canonical form (see {@link
   * #xml()}), so that an extension written into a report and read back is equal to itself.
   *
   * @param xml the element, such as {@code <ext:n xmlns:ext="urn:x">1</ext:n>}
   * @return the extension
   * @throws IllegalArgumentException if the text is not one well-formed element
   */
  public static ReportExtension of(String xml) {
    requireNonNull(xml, "xml");
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new StringReader(xml));
      try {
        String name = null;
        String namespace = null;
        String canonical = null;
        int roots = 0;
        while (r.hasNext()) {
          int event = r.next();
          if (event == XMLStreamConstants.START_ELEMENT) {
            roots++;
            name = r.getLocalName();
            namespace = r.getNamespaceURI();
            canonical = ExtensionXml.canonical(r, ExtensionXml.UNLIMITED);
          } else if (event == XMLStreamConstants.DTD
              || event == XMLStreamConstants.ENTITY_REFERENCE) {
            throw new IllegalArgumentException("an extension may not use a DTD or entities");
          } else if (event == XMLStreamConstants.CHARACTERS && !r.isWhiteSpace()) {
            throw new IllegalArgumentException("text outside the extension's element");
          }
        }
        if (roots != 1) {
          throw new IllegalArgumentException("an extension is one element, not " + roots);
        }
        return new ReportExtension(
            name,
            namespace == null || namespace.isEmpty() ? Optional.empty() : Optional.of(namespace),
            canonical);
      } finally {
        r.close();
      }
    } catch (ExtensionXml.EntityInExtension e) {
      throw new IllegalArgumentException("an extension may not use a DTD or entities");
    } catch (XMLStreamException e) {
      throw new IllegalArgumentException("an extension is not well-formed XML: " + e.getMessage());
    }
  }

  private static XMLInputFactory secureFactory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return f;
  }

  /**
   * Returns the element's local name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the element's namespace.
   *
   * @return the namespace URI, or empty for none
   */
  public Optional<String> namespace() {
    return namespace;
  }

  /**
   * Returns the element as XML text, in a canonical form: prefixes as written; each namespace
   * declared once, on the outermost element that uses it, declarations sorted; attributes sorted by
   * namespace and name, in double quotes; text trimmed, whitespace between elements, comments and
   * processing instructions left out; empty elements as {@code <a/>}. Two extensions are equal when
   * these texts are.
   *
   * @return the XML
   */
  public String xml() {
    return xml;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportExtension e && e.xml.equals(xml);
  }

  @Override
  public int hashCode() {
    return Objects.hash(xml);
  }

  @Override
  public String toString() {
    return xml;
  }
}
