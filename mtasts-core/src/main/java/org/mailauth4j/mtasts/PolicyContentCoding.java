package org.mailauth4j.mtasts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Undoes the content coding of a policy response (RFC 9110 §8.4). The fetcher asks for {@code
 * Accept-Encoding: identity}, but some servers compress anyway: {@code gzip} (and its alias {@code
 * x-gzip}) is decoded, counting the decoded bytes against the size limit so that a small body that
 * inflates without end stops at the limit; any other coding is a classified failure. Stateless.
 *
 * <pre>
 * Content-Encoding = #content-coding        ; RFC 9110 §8.4, in the order applied
 * content-coding   = token                  ; case-insensitive; "identity" means none
 * </pre>
 */
final class PolicyContentCoding {
  private PolicyContentCoding() {}

  /**
   * The body as the policy's bytes, or why there are none.
   *
   * @param bytes the decoded body, or null on failure
   * @param failure why the body cannot be read, or null
   * @param coding the coding undone, such as {@code gzip}, or null for none
   */
  record Decoded(byte[] bytes, FetchFailure failure, String coding) {}

  static Decoded decode(List<String> contentEncodingFields, byte[] body, int maxBytes) {
    List<String> codings = new ArrayList<>();
    for (String field : contentEncodingFields) {
      for (String coding : field.split(",", -1)) {
        String c = coding.strip().toLowerCase(Locale.ROOT);
        if (!c.isEmpty() && !c.equals("identity")) {
          codings.add(c);
        }
      }
    }
    if (codings.isEmpty()) {
      return new Decoded(body, null, null);
    }
    if (codings.size() > 1 || !(codings.get(0).equals("gzip") || codings.get(0).equals("x-gzip"))) {
      return new Decoded(
          null,
          new FetchFailure(
              FetchFailure.Kind.CONTENT_ENCODING,
              "the body is content-coded as "
                  + PolicyMediaType.printable(String.join(", ", codings))
                  + " despite Accept-Encoding: identity; only gzip can be decoded"),
          null);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      // Read one byte past the limit at most: a gzip bomb costs no more than the limit.
      for (int n = in.read(buffer, 0, Math.min(buffer.length, maxBytes + 1));
          n > 0;
          n = in.read(buffer, 0, Math.min(buffer.length, maxBytes + 1 - out.size()))) {
        out.write(buffer, 0, n);
        if (out.size() > maxBytes) {
          return new Decoded(
              null,
              new FetchFailure(
                  FetchFailure.Kind.TOO_LARGE,
                  "the gzip-coded policy ("
                      + body.length
                      + " bytes sent) decodes to more than "
                      + maxBytes
                      + " bytes"),
              "gzip");
        }
      }
    } catch (IOException e) {
      return new Decoded(
          null,
          new FetchFailure(
              FetchFailure.Kind.CONTENT_ENCODING,
              "the gzip-coded body (" + body.length + " bytes) is corrupt: " + e.getMessage()),
          "gzip");
    }
    return new Decoded(out.toByteArray(), null, "gzip");
  }
}
