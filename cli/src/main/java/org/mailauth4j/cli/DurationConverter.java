package org.mailauth4j.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as people write them: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1.5}. */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)?");

  @Override
  public Duration convert(String value) {
    Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is no duration: write it as 10s, 500ms, 2m, 1h or 7d");
    }
    BigDecimal amount = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    BigDecimal millis;
    switch (unit) {
      case "ms":
        millis = amount;
        break;
      case "m":
        millis = amount.multiply(BigDecimal.valueOf(60_000));
        break;
      case "h":
        millis = amount.multiply(BigDecimal.valueOf(3_600_000));
        break;
      case "d":
        millis = amount.multiply(BigDecimal.valueOf(86_400_000));
        break;
      default:
        millis = amount.multiply(BigDecimal.valueOf(1000));
    }
    if (millis.signum() <= 0 || millis.compareTo(BigDecimal.valueOf(365L * 86_400_000)) > 0) {
      throw new TypeConversionException("'" + value + "': a duration from 1ms to 365d is needed");
    }
    return Duration.ofMillis(millis.longValue() == 0 ? 1 : millis.longValue());
  }
}
