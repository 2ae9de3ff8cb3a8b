package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The period a report covers ({@code date-range}, RFC 8460 §4.4): RFC 3339 instants, normally one
 * whole UTC day (§4.1). Immutable.
 *
 * <p>A record, since its components are the fields of {@code date-range} (RFC 8460 §4.4), which
 * later versions do not change.
 *
 * @param start {@code start-datetime}
 * @param end {@code end-datetime}, not before the start
 */
public record DateRange(Instant start, Instant end) {

  /**
   * Creates a date range.
   *
   * @param start the start
   * @param end the end, not before the start
   */
  public DateRange {
    requireNonNull(start, "start");
    requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("the range ends at " + end + ", before " + start);
    }
  }

  /**
   * Returns the UTC day from 00:00 to the next 00:00, as RFC 8460 §4.1 recommends.
   *
   * @param day the day
   * @return the range
   */
  public static DateRange utcDay(LocalDate day) {
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    return new DateRange(start, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
  }
}
