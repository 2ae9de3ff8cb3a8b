package org.mailauth4j.dmarc.report;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Dates of mail header fields (RFC 5322 §3.3), as ARF's {@code Arrival-Date} carries them (RFC 5965
 * §3.2): written in the modern form, read leniently with the obsolete forms of §4.3 (two- and
 * three-digit years, zone names such as {@code EDT}, comments). Linear in the text.
 */
final class MailDate {
  private static final DateTimeFormatter WRITE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };

  /** Longer texts are no date; the longest real ones, with a comment, have some 50 characters. */
  private static final int MAX_LENGTH = 200;

  private MailDate() {}

  /** Writes an instant in UTC, such as {@code Tue, 1 Dec 2026 10:00:00 +0000}. */
  static String format(Instant instant) {
    return WRITE.format(instant);
  }

  /**
   * Reads a date-time.
   *
   * <pre>
   * date-time = [ day-of-week "," ] day month year time-of-day zone [CFWS]   ; RFC 5322 §3.3
   * obs-zone  = "UT" / "GMT" / "EST" / "EDT" / "CST" / "CDT" / "MST" / "MDT" / "PST" / "PDT"
   *             / military letters                                           ; §4.3
   * </pre>
   *
   * @return the instant, or empty when the text is no date
   */
  static Optional<Instant> parse(String text) {
    if (text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String s = stripComments(text).trim().replace(',', ' ');
    String[] t = s.split("[ \t\r\n]+");
    int i = 0;
    if (t.length > 0 && !t[0].isEmpty() && Character.isLetter(t[0].charAt(0))) {
      i++; // day-of-week
    }
    if (t.length - i < 4) {
      return Optional.empty();
    }
    try {
      int day = Integer.parseInt(t[i]);
      int month = month(t[i + 1]);
      int year = Integer.parseInt(t[i + 2]);
      if (t[i + 2].length() == 2) {
        year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3
      } else if (t[i + 2].length() == 3) {
        year += 1900;
      }
      String[] hms = t[i + 3].split(":");
      if (month < 0 || hms.length < 2 || hms.length > 3) {
        return Optional.empty();
      }
      int hour = Integer.parseInt(hms[0]);
      int minute = Integer.parseInt(hms[1]);
      int second = hms.length == 3 ? Integer.parseInt(hms[2]) : 0;
      int offset = t.length > i + 4 ? zone(t[i + 4]) : 0;
      if (offset == Integer.MIN_VALUE) {
        return Optional.empty();
      }
      LocalDateTime local =
          LocalDateTime.of(year, month + 1, day, hour, minute, Math.min(second, 59));
      return Optional.of(local.toInstant(ZoneOffset.ofTotalSeconds(offset)));
    } catch (NumberFormatException | DateTimeException e) {
      return Optional.empty();
    }
  }

  private static int month(String name) {
    String m = name.toLowerCase(Locale.ROOT);
    for (int i = 0; i < MONTHS.length; i++) {
      if (m.equals(MONTHS[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The zone's offset in seconds, or {@link Integer#MIN_VALUE} for no zone. */
  private static int zone(String z) {
    if ((z.startsWith("+") || z.startsWith("-")) && z.length() == 5) {
      int hh = Integer.parseInt(z.substring(1, 3));
      int mm = Integer.parseInt(z.substring(3, 5));
      if (mm > 59) {
        return Integer.MIN_VALUE;
      }
      int seconds = (hh * 60 + mm) * 60;
      return z.charAt(0) == '-' ? -seconds : seconds;
    }
    switch (z.toUpperCase(Locale.ROOT)) {
      case "UT":
      case "UTC":
      case "GMT":
      case "Z":
        return 0;
      case "EDT":
        return -4 * 3600;
      case "EST":
      case "CDT":
        return -5 * 3600;
      case "CST":
      case "MDT":
        return -6 * 3600;
      case "MST":
      case "PDT":
        return -7 * 3600;
      case "PST":
        return -8 * 3600;
      default:
        // RFC 5322 §4.3: other alphabetic zones (military letters and the like) are -0000.
        return z.chars().allMatch(Character::isLetter) ? 0 : Integer.MIN_VALUE;
    }
  }

  /** Removes comments, which may nest (RFC 5322 §3.2.2). */
  private static String stripComments(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && depth > 0) {
        i++;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
