package org.mailauth4j.dmarc.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The canonical text of an extension element, so that an extension read from a report equals the
 * one that was written, however the writer indented or where it declared namespaces: both {@link
 * ReportExtension#of(String)} and the report parser make their text here.
 *
 * <p>The form, close to Exclusive XML Canonicalization: prefixes as in the source; each namespace
 * declared on the outermost element that uses it (its name or an attribute's) and nowhere else, the
 * declarations sorted by prefix, the default first; attributes sorted by namespace and local name,
 * in double quotes; text trimmed and whitespace-only text, comments and processing instructions
 * left out; CDATA written as text; empty elements as {@code <a/>}; {@code & < > " CR TAB LF}
 * escaped where C14N escapes them.
 */
final class ExtensionXml {
  private ExtensionXml() {}

  /** What the report parser counts while an extension is read. */
  interface Budget {
    /** An element begins at a depth relative to the extension (its own is 1). */
    void element(int depth) throws XMLStreamException;

    /** A text of this many characters has been read. */
    void text(int length) throws XMLStreamException;

    /** The canonical text has grown to this many characters. */
    void size(int length) throws XMLStreamException;
  }

  /** A budget without limits, for {@link ReportExtension#of(String)}. */
  static final Budget UNLIMITED =
      new Budget() {
        @Override
        public void element(int depth) {}

        @Override
        public void text(int length) {}

        @Override
        public void size(int length) {}
      };

  /** Thrown for an entity reference or a DTD inside an extension. */
  static final class EntityInExtension extends XMLStreamException {
    private static final long serialVersionUID = 1L;

    EntityInExtension() {
      super("an entity reference inside an extension");
    }
  }

  /**
   * Writes the element the reader is at, and everything in it, and leaves the reader at its end
   * tag.
   *
   * @param r a reader at a {@code START_ELEMENT}
   * @param budget counts what is read
   * @return the canonical text
   */
  static String canonical(XMLStreamReader r, Budget budget) throws XMLStreamException {
    StringBuilder out = new StringBuilder();
    StringBuilder text = new StringBuilder();
    // The namespaces declared in the output so far, per open element.
    Deque<Map<String, String>> scopes = new ArrayDeque<>();
    scopes.push(Map.of("", ""));
    int depth = 0;
    boolean open = false; // a start tag whose '>' is not written yet
    while (true) {
      int event = r.getEventType();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT:
          depth++;
          budget.element(depth);
          if (open) {
            out.append('>');
          }
          text(out, text);
          scopes.push(startTag(r, out, scopes.peek()));
          open = true;
          break;
        case XMLStreamConstants.END_ELEMENT:
          depth--;
          if (text.toString().isBlank()) {
            out.append(open ? "/>" : "</" + qname(r.getPrefix(), r.getLocalName()) + ">");
          } else {
            if (open) {
              out.append('>');
            }
            text(out, text);
            out.append("</").append(qname(r.getPrefix(), r.getLocalName())).append('>');
          }
          text.setLength(0);
          open = false;
          scopes.pop();
          break;
        case XMLStreamConstants.CHARACTERS:
        case XMLStreamConstants.CDATA:
        case XMLStreamConstants.SPACE:
          text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
          budget.text(text.length());
          break;
        case XMLStreamConstants.ENTITY_REFERENCE:
        case XMLStreamConstants.DTD:
          throw new EntityInExtension();
        default:
          break; // comments and processing instructions are left out
      }
      budget.size(out.length());
      if (depth == 0) {
        return out.toString();
      }
      r.next();
    }
  }

  /** Writes the text read since the last tag, trimmed and escaped, and forgets it. */
  private static void text(StringBuilder out, StringBuilder text) {
    String t = text.toString().strip();
    text.setLength(0);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '\r' -> out.append("&#xD;");
        default -> out.append(c);
      }
    }
  }

  /** Writes a start tag without its closing '>'; returns the namespaces in scope inside it. */
  private static Map<String, String> startTag(
      XMLStreamReader r, StringBuilder out, Map<String, String> scope) {
    Map<String, String> inner = scope;
    TreeMap<String, String> declare = new TreeMap<>();
    String prefix = nonNull(r.getPrefix());
    String uri = nonNull(r.getNamespaceURI());
    if (!uri.equals(scope.getOrDefault(prefix, prefix.isEmpty() ? "" : null))) {
      declare.put(prefix, uri);
    }
    List<int[]> order = new ArrayList<>();
    for (int i = 0; i < r.getAttributeCount(); i++) {
      String ap = nonNull(r.getAttributePrefix(i));
      String au = nonNull(r.getAttributeNamespace(i));
      if (!ap.isEmpty()
          && !ap.equals(XMLConstants.XML_NS_PREFIX)
          && !au.equals(scope.get(ap))
          && !au.equals(declare.get(ap))) {
        declare.put(ap, au);
      }
      order.add(new int[] {i});
    }
    order.sort(
        Comparator.comparing((int[] i) -> nonNull(r.getAttributeNamespace(i[0])))
            .thenComparing(i -> r.getAttributeLocalName(i[0])));
    out.append('<').append(qname(prefix, r.getLocalName()));
    if (!declare.isEmpty()) {
      inner = new HashMap<>(scope);
      for (Map.Entry<String, String> d : declare.entrySet()) {
        out.append(d.getKey().isEmpty() ? " xmlns" : " xmlns:" + d.getKey()).append("=\"");
        attribute(out, d.getValue());
        out.append('"');
        inner.put(d.getKey(), d.getValue());
      }
    }
    for (int[] i : order) {
      out.append(' ')
          .append(qname(nonNull(r.getAttributePrefix(i[0])), r.getAttributeLocalName(i[0])))
          .append("=\"");
      attribute(out, r.getAttributeValue(i[0]));
      out.append('"');
    }
    return inner;
  }

  private static void attribute(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '"' -> out.append("&quot;");
        case '\t' -> out.append("&#x9;");
        case '\n' -> out.append("&#xA;");
        case '\r' -> out.append("&#xD;");
        default -> out.append(c);
      }
    }
  }

  private static String qname(String prefix, String local) {
    return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
