package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.MimeIOException;
import org.apache.james.mime4j.io.MaxHeaderLengthLimitException;
import org.apache.james.mime4j.io.MaxHeaderLimitException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;

/**
 * Reads one ARF message (RFC 5965 §2) with mime4j's token stream: the first {@code
 * message/feedback-report} part, the original's {@code text/rfc822-headers} or {@code
 * message/rfc822} part, and the first {@code text/plain} part before the report. The RFC 6533 types
 * ({@code message/global-feedback-report}, {@code message/global-headers}, {@code message/global})
 * are read the same way. Embedded messages are not entered: their octets are kept. One instance
 * reads one message; not thread-safe.
 */
final class FailureReportParser {
  private final FailureReportReader reader;
  private final byte[] message;

  FailureReportParser(FailureReportReader reader, byte[] message) {
    this.reader = reader;
    this.message = message;
  }

  FailureReport read() {
    MimeConfig config =
        MimeConfig.custom()
            .setMaxLineLen(-1) // an original's body may have lines of any length
            .setMaxHeaderLen(reader.maxFieldLength())
            .setMaxHeaderCount(reader.maxFields())
            .setMaxContentLen(reader.maxMessageBytes())
            .build();
    MimeTokenStream stream = new MimeTokenStream(config);
    stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
    stream.parse(new ByteArrayInputStream(message));
    int depth = 0;
    int parts = 0;
    String feedback = null;
    String headers = null;
    byte[] body = null;
    String text = null;
    try {
      for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
        switch (s) {
          case T_START_MULTIPART:
            if (++depth > reader.maxMessageDepth()) {
              throw new DmarcReportException(
                  Reason.TOO_DEEP,
                  null,
                  "multiparts nested deeper than the limit of " + reader.maxMessageDepth());
            }
            break;
          case T_END_MULTIPART:
            depth--;
            break;
          case T_START_BODYPART:
            if (++parts > reader.maxMessageParts()) {
              throw new DmarcReportException(
                  Reason.TOO_MANY_ITEMS,
                  null,
                  "more MIME parts than the limit of " + reader.maxMessageParts());
            }
            break;
          case T_BODY:
            String type = lower(stream.getBodyDescriptor().getMimeType());
            switch (type) {
              case "message/feedback-report":
              case "message/global-feedback-report":
                if (feedback == null) {
                  feedback = new String(bytes(stream), UTF_8);
                }
                break;
              case "text/rfc822-headers":
              case "message/global-headers":
                if (headers == null) {
                  headers = new String(bytes(stream), UTF_8);
                }
                break;
              case "message/rfc822":
              case "message/global":
                if (headers == null) {
                  byte[] whole = bytes(stream);
                  int split = headerEnd(whole);
                  headers = new String(whole, 0, split, UTF_8);
                  body = Arrays.copyOfRange(whole, bodyStart(whole, split), whole.length);
                }
                break;
              case "text/plain":
                if (text == null && feedback == null) {
                  text =
                      new String(bytes(stream), charset(stream.getBodyDescriptor().getCharset()));
                }
                break;
              default:
                break;
            }
            break;
          default:
            break;
        }
      }
    } catch (MimeException e) {
      throw translate(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading an array does not fail otherwise
    }
    if (feedback == null) {
      throw new DmarcReportException(
          Reason.NO_REPORT_IN_MESSAGE,
          null,
          "no part of type message/feedback-report (RFC 5965 §2)");
    }
    List<FailureReport.Field> fields =
        ArfFields.parse(
            feedback, reader.maxFields(), reader.maxFieldLength(), "the feedback report", true);
    FailureReport.Builder report = FailureReport.builder();
    boolean typed = false;
    for (FailureReport.Field f : fields) {
      report.field(f.name(), f.value());
      typed |= f.hasName("Feedback-Type") && !f.value().isEmpty();
    }
    if (!typed) {
      // RFC 5965 §3.1: Feedback-Type MUST appear exactly once.
      throw new DmarcReportException(
          Reason.MISSING_ELEMENT, null, "the feedback report has no Feedback-Type field");
    }
    return report
        .originalHeaders(Optional.ofNullable(headers))
        .originalBody(Optional.ofNullable(body))
        .humanReadableText(Optional.ofNullable(text))
        .build();
  }

  /** A part's octets, its transfer encoding undone. */
  private static byte[] bytes(MimeTokenStream stream) throws MimeException {
    try (InputStream in = stream.getDecodedInputStream()) {
      return in.readAllBytes();
    } catch (MimeIOException e) {
      throw e.getCause();
    } catch (IOException e) {
      if (e.getCause() instanceof MimeException) {
        throw (MimeException) e.getCause();
      }
      throw new MimeException(e.getMessage(), e);
    }
  }

  /** Where the header of an embedded message ends: after the line before the first empty one. */
  static int headerEnd(byte[] m) {
    if (m.length > 0 && m[0] == '\n') {
      return 0;
    }
    if (m.length > 1 && m[0] == '\r' && m[1] == '\n') {
      return 0;
    }
    for (int i = 0; i + 1 < m.length; i++) {
      if (m[i] == '\n') {
        if (m[i + 1] == '\n') {
          return i + 1;
        }
        if (m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n') {
          return i + 1;
        }
      }
    }
    return m.length;
  }

  private static int bodyStart(byte[] m, int headerEnd) {
    if (headerEnd < m.length && m[headerEnd] == '\r') {
      return Math.min(m.length, headerEnd + 2);
    }
    return Math.min(m.length, headerEnd + 1);
  }

  private static Charset charset(String name) {
    if (name == null) {
      return UTF_8;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return UTF_8;
    }
  }

  private DmarcReportException translate(MimeException e) {
    if (e instanceof MaxHeaderLimitException) {
      return new DmarcReportException(
          Reason.TOO_MANY_ITEMS,
          null,
          "a MIME header has more fields than the limit of " + reader.maxFields(),
          e);
    }
    if (e instanceof MaxHeaderLengthLimitException) {
      return new DmarcReportException(
          Reason.TOO_LARGE,
          null,
          "a MIME header field is longer than the limit of " + reader.maxFieldLength(),
          e);
    }
    return new DmarcReportException(
        Reason.MALFORMED_MESSAGE,
        null,
        "the message is not MIME within the limits: "
            + DmarcReportException.quote(String.valueOf(e.getMessage())),
        e);
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
