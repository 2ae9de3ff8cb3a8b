package org.mailauth4j.mtasts;

/**
 * How strictly a policy and the response that carried it are read. Either way, every deviation from
 * RFC 8461 is reported as a {@link PolicyFinding}; the setting decides which of them make the
 * policy unusable.
 */
public enum PolicyLeniency {
  /**
   * As RFC 8461 §3.2 writes it: a media type other than {@code text/plain}, a byte-order mark,
   * blank lines, keys or modes in another case, {@code mx} values that are not host names, and
   * {@code max_age} above one year are errors. The default.
   */
  STRICT,

  /**
   * Tolerates what real policies are often served with: another media type, a byte-order mark,
   * blank or indented lines, keys, modes and versions in another case, mx names with a trailing dot
   * or in Unicode (read as A-labels), mx names that are not host names (left out: no MX host can
   * match them), and {@code max_age} above one year (cut to one year). Each is reported as a
   * warning.
   *
   * <p>It tolerates more, never less: a file that {@link #STRICT} reading accepts is read as the
   * same policy. So a key in another case ({@code Mode}) is read as the known key only when the
   * file gives no policy with its keys as written; otherwise it is kept as an extension, as strict
   * reading keeps it.
   */
  LENIENT
}
