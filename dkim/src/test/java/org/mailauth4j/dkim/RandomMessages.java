package org.mailauth4j.dkim;

import java.util.Random;

/**
 * Random but realistic messages for property tests: folded header fields, tabs, runs of spaces,
 * trailing whitespace, 8-bit words, long lines, empty lines and trailing empty lines; CRLF or bare
 * LF line ends.
 */
final class RandomMessages {
  private static final String[] WORDS = {
    "the",
    "quick",
    "brown",
    "fox",
    "naïve",
    "café",
    "Straße",
    "jumps",
    "over",
    "lazy",
    "dog",
    "DKIM",
    "=?utf-8?q?x?=",
    "<a@b.example>",
    "12:30",
    "!",
    "---",
    "über"
  };
  private static final String[] SIGNED = {"Subject", "To", "Cc", "Date", "Message-ID", "Reply-To"};

  private RandomMessages() {}

  static String message(Random r) {
    String eol = r.nextInt(5) == 0 ? "\n" : "\r\n";
    StringBuilder m = new StringBuilder();
    m.append("From: ").append(phrase(r, 2)).append(" <joe@example.com>").append(eol);
    int fields = 1 + r.nextInt(5);
    for (int i = 0; i < fields; i++) {
      String name = r.nextBoolean() ? SIGNED[r.nextInt(SIGNED.length)] : "X-Random-" + r.nextInt(9);
      m.append(name).append(':').append(r.nextBoolean() ? " " : "\t ");
      m.append(phrase(r, 1 + r.nextInt(6)));
      if (r.nextInt(3) == 0) {
        m.append(eol).append(r.nextBoolean() ? "\t" : "  ").append(phrase(r, 1 + r.nextInt(4)));
      }
      if (r.nextInt(4) == 0) {
        m.append(" \t");
      }
      m.append(eol);
    }
    m.append(eol);
    int lines = r.nextInt(30);
    for (int i = 0; i < lines; i++) {
      switch (r.nextInt(8)) {
        case 0:
          break; // empty line
        case 1:
          m.append(" \t  ");
          break; // whitespace only
        case 2:
          m.append(phrase(r, 40 + r.nextInt(80))); // a long line
          break;
        default:
          m.append(r.nextBoolean() ? "" : " ").append(phrase(r, 1 + r.nextInt(12)));
          if (r.nextBoolean()) {
            m.append(r.nextBoolean() ? "  " : " \t");
          }
      }
      m.append(eol);
    }
    int trailing = r.nextInt(3);
    for (int i = 0; i < trailing; i++) {
      m.append(eol);
    }
    if (r.nextInt(6) == 0 && lines > 0) {
      m.setLength(m.length() - eol.length()); // no final line break
    }
    return m.toString();
  }

  private static String phrase(Random r, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(r.nextInt(6) == 0 ? "  " : r.nextInt(8) == 0 ? "\t" : " ");
      }
      sb.append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  /**
   * Changes one visible octet into another visible octet that no canonicalization can hide: in the
   * body, or in the value of a field every signature signs (From, or the Subject).
   */
  static String changeOneOctet(Random r, String signed, boolean inBody) {
    int bodyStart = signed.indexOf("\r\n\r\n");
    bodyStart = bodyStart < 0 ? signed.indexOf("\n\n") + 2 : bodyStart + 4;
    int from;
    int to;
    if (inBody) {
      from = bodyStart;
      to = signed.length();
    } else {
      from = signed.indexOf("\nFrom: ") + 7;
      to = signed.indexOf('<', from);
    }
    StringBuilder sb = new StringBuilder(signed);
    for (int attempt = 0; to > from && attempt < 1000; attempt++) {
      int at = from + r.nextInt(Math.max(1, to - from));
      char c = sb.charAt(at);
      if (c > ' ' && c < 0x7F) {
        sb.setCharAt(at, c == 'x' ? 'y' : 'x');
        return sb.toString();
      }
    }
    // No visible octet in the body: add one, which also changes the body.
    return inBody ? signed + "x" : signed.replace("\nFrom: ", "\nFrom: x");
  }
}
