package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;

/**
 * Decodes an XML document's bytes into characters for the StAX parser, the encoding found as XML
 * 1.0 Appendix F says: a byte order mark, the first characters' layout, else the {@code encoding}
 * of the XML declaration, else UTF-8 (§4.3.3). The decoder refuses malformed and unmappable bytes.
 *
 * <p>Why not hand the parser the bytes: the JDK's parser prints {@code [Fatal Error]} lines to
 * standard error for malformed UTF-8, whatever reporter is set, and hostile reports are full of it.
 * A library must not write to a server's console; a {@link Reader} of ours fails silently.
 */
final class XmlCharset {
  /** How far the XML declaration is looked for. */
  private static final int SNIFF = 1024;

  private static final Pattern ENCODING =
      Pattern.compile("^<\\?xml\\s[^>]*?encoding\\s*=\\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']");

  private XmlCharset() {}

  /**
   * Returns a reader of the document's characters.
   *
   * @throws BoundedReportInput.Refused if the encoding is one this reader does not take
   */
  static Reader reader(InputStream in) throws IOException {
    PushbackInputStream pushback = new PushbackInputStream(in, SNIFF);
    byte[] head = pushback.readNBytes(SNIFF);
    int skip = 0;
    Charset charset;
    if (starts(head, 0xEF, 0xBB, 0xBF)) {
      charset = StandardCharsets.UTF_8;
      skip = 3;
    } else if (starts(head, 0x00, 0x00) || starts(head, 0xFF, 0xFE, 0x00, 0x00)) {
      throw refused("UCS-4 (UTF-32) documents are not read");
    } else if (starts(head, 0xFE, 0xFF)) {
      charset = StandardCharsets.UTF_16BE;
      skip = 2;
    } else if (starts(head, 0xFF, 0xFE)) {
      charset = StandardCharsets.UTF_16LE;
      skip = 2;
    } else if (starts(head, 0x00, 0x3C, 0x00, 0x3F)) {
      charset = StandardCharsets.UTF_16BE;
    } else if (starts(head, 0x3C, 0x00, 0x3F, 0x00)) {
      charset = StandardCharsets.UTF_16LE;
    } else if (starts(head, 0x4C, 0x6F, 0xA7, 0x94)) {
      throw refused("EBCDIC documents are not read");
    } else {
      charset = declared(head);
    }
    pushback.unread(head, skip, head.length - skip);
    return new InputStreamReader(
        pushback,
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  /** An ASCII-compatible document: the declaration's encoding, else UTF-8. */
  private static Charset declared(byte[] head) throws IOException {
    Matcher m = ENCODING.matcher(new String(head, US_ASCII));
    if (!m.find()) {
      return StandardCharsets.UTF_8;
    }
    String name = m.group(1);
    Charset charset;
    try {
      charset = Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw refused("the declared encoding " + DmarcReportException.quote(name) + " is unknown");
    }
    String canonical = charset.name().toUpperCase(Locale.ROOT);
    if (canonical.startsWith("UTF-16") || canonical.startsWith("UTF-32")) {
      // §4.3.3: a document in UTF-16 begins with a byte order mark, and this one's bytes are 8-bit
      throw refused("the declared encoding " + name + " does not match the document's bytes");
    }
    return charset;
  }

  private static boolean starts(byte[] head, int... prefix) {
    if (head.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((head[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static BoundedReportInput.Refused refused(String detail) {
    return new BoundedReportInput.Refused(
        new DmarcReportException(Reason.MALFORMED_XML, null, detail));
  }
}
