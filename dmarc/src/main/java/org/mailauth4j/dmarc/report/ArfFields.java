package org.mailauth4j.dmarc.report;

import java.util.ArrayList;
import java.util.List;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;

/**
 * The header-like field blocks of ARF: the body of a {@code message/feedback-report} part (RFC 5965
 * §3.1) and the original header of a {@code text/rfc822-headers} part, read leniently and under
 * limits, and the folding of fields being written.
 *
 * <pre>
 * field = field-name ":" unstructured CRLF        ; RFC 5322 §2.2, §3.6.8
 * unstructured continues on lines that start with WSP (folding, §2.2.3)
 * </pre>
 *
 * <p>Lines that are neither a field nor a continuation are skipped, as real reporters write stray
 * lines; the block ends at its first empty line or at the end of the text.
 */
final class ArfFields {
  /** Where a line may be folded, as RFC 5322 §2.1.1 recommends. */
  private static final int LINE = 78;

  private ArfFields() {}

  /**
   * Reads a field block.
   *
   * @param text the block, with CRLF or LF line ends
   * @param maxFields the most fields accepted, or -1 to stop quietly at that many
   * @param maxFieldChars the longest field accepted, unfolded
   * @param what what the block is, for messages
   * @param strict whether passing a limit is refused; otherwise reading stops there
   * @return the fields in order, values unfolded (line breaks removed) and trimmed
   * @throws DmarcReportException over a limit, when strict
   */
  static List<FailureReport.Field> parse(
      String text, int maxFields, int maxFieldChars, String what, boolean strict) {
    List<FailureReport.Field> fields = new ArrayList<>();
    String name = null;
    StringBuilder value = new StringBuilder();
    int n = text.length();
    int pos = 0;
    while (pos < n) {
      int eol = text.indexOf('\n', pos);
      int end = eol < 0 ? n : eol;
      int lineEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
      int next = eol < 0 ? n : eol + 1;
      if (lineEnd == pos) {
        break; // the empty line that ends a header
      }
      char first = text.charAt(pos);
      if (first == ' ' || first == '\t') {
        if (name != null) {
          if (value.length() + (lineEnd - pos) > maxFieldChars) {
            if (strict) {
              throw tooLong(what, name, maxFieldChars);
            }
            return finish(fields, name, value);
          }
          value.append(text, pos, lineEnd); // RFC 5322 §2.2.3: unfolding removes only the CRLF
        }
      } else {
        int colon = text.indexOf(':', pos);
        if (colon > pos && colon < lineEnd && isFieldName(text, pos, colon)) {
          if (name != null) {
            fields.add(field(name, value));
          }
          if (fields.size() >= maxFields) {
            if (strict) {
              throw new DmarcReportException(
                  Reason.TOO_MANY_ITEMS,
                  null,
                  what + " has more fields than the limit of " + maxFields);
            }
            return fields;
          }
          name = text.substring(pos, colon).trim();
          value.setLength(0);
          if (lineEnd - colon - 1 > maxFieldChars) {
            if (strict) {
              throw tooLong(what, name, maxFieldChars);
            }
            return fields;
          }
          value.append(text, colon + 1, lineEnd);
        } else {
          if (name != null) {
            fields.add(field(name, value));
          }
          name = null; // a stray line: skipped, and nothing continues it
        }
      }
      pos = next;
    }
    return finish(fields, name, value);
  }

  private static List<FailureReport.Field> finish(
      List<FailureReport.Field> fields, String name, StringBuilder value) {
    if (name != null) {
      fields.add(field(name, value));
    }
    return fields;
  }

  private static FailureReport.Field field(String name, StringBuilder value) {
    // A CR that ends no line could end the field in a naive writer: it is read as a space.
    return new FailureReport.Field(name, value.toString().replace('\r', ' ').trim());
  }

  private static DmarcReportException tooLong(String what, String name, int max) {
    return new DmarcReportException(
        Reason.TOO_LARGE,
        null,
        what
            + " has a field "
            + DmarcReportException.quote(name)
            + " longer than the limit of "
            + max
            + " characters");
  }

  /** RFC 5322 §3.6.8: ftext is printable ASCII but the colon; WSP before the colon is obsolete. */
  private static boolean isFieldName(String text, int from, int colon) {
    int end = colon;
    while (end > from && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
      end--;
    }
    if (end == from) {
      return false;
    }
    for (int i = from; i < end; i++) {
      char c = text.charAt(i);
      if (c < 33 || c > 126) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes one field, folded before a word that would pass column 78. The value must hold no
   * control character (see {@link #isSafe}); a word longer than a line stands alone on one.
   *
   * @return the field and its final CRLF
   */
  static String fold(String name, String value) {
    StringBuilder sb = new StringBuilder(name.length() + value.length() + 8).append(name);
    sb.append(':');
    int column = sb.length();
    for (String word : value.trim().split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      if (column + 1 + word.length() > LINE && column > name.length() + 1) {
        sb.append("\r\n");
        column = 0;
      }
      sb.append(' ').append(word);
      column += 1 + word.length();
    }
    return sb.append("\r\n").toString();
  }

  /**
   * Tells whether a value may be written into a header field as it is: printable ASCII and spaces
   * only, so that no CR, LF or other control character can end the field or start another (header
   * injection) and nothing needs encoding.
   */
  static boolean isSafe(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }
}
