package org.mailauth4j.cli;

import java.nio.file.Path;
import java.util.Locale;

/** Tells a report file from a report e-mail by its first octets, whatever its name says. */
final class ReportFiles {
  private ReportFiles() {}

  /**
   * Whether the octets look like an e-mail rather than a report document: not gzip, not zip, and
   * not starting (after a BOM and white space) with {@code <} or <code>{</code>.
   */
  static boolean isMessage(Path file, byte[] data) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (name.toLowerCase(Locale.ROOT).endsWith(".eml")) {
      return true;
    }
    if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
      return false; // gzip
    }
    if (data.length >= 2 && data[0] == 'P' && data[1] == 'K') {
      return false; // zip
    }
    int i = 0;
    if (data.length >= 3
        && (data[0] & 0xff) == 0xef
        && (data[1] & 0xff) == 0xbb
        && (data[2] & 0xff) == 0xbf) {
      i = 3;
    }
    while (i < data.length
        && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
      i++;
    }
    return i < data.length && data[i] != '<' && data[i] != '{' && data[i] != '[';
  }
}
