package io.meridian.types;

import io.meridian.common.MeridianException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * String forms of timestamp, date and time values, following the shapes Cassandra accepts.
 *
 * <p>Deliberate differences: a timestamp without a zone is read as UTC (Cassandra uses the
 * coordinator's zone, which would make results depend on where a statement lands), and the string
 * 'now' is refused because core code has no clock (use toTimestamp(now()) instead).
 */
final class TemporalLiterals {
  static final long NANOS_PER_DAY = 86_400_000_000_000L;
  /** Dates are stored as unsigned day counts with the epoch at 2^31, so negative days fit. */
  static final long DATE_EPOCH_OFFSET_DAYS = 1L << 31;

  private static final Pattern DIGITS = Pattern.compile("-?\\d+");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "(\\d{4})-(\\d{1,2})-(\\d{1,2})"
          + "(?:[ Tt](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
          + "\\s*(Z|z|[+-]\\d{2}(?::?\\d{2})?|[A-Za-z][A-Za-z0-9/_+-]*)?");
  private static final Pattern DATE = Pattern.compile("([+-]?\\d{4,9})-(\\d{1,2})-(\\d{1,2})");
  private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,9}))?");
  private static final DateTimeFormatter TIMESTAMP_OUT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final long MILLIS_YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
  private static final long MILLIS_YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").toEpochMilli();

  private TemporalLiterals() {}

  /** Milliseconds since the epoch from a date-time string or a bare number of milliseconds. */
  static long parseTimestampMillis(String text) {
    String t = text.trim();
    if (DIGITS.matcher(t).matches()) {
      return parseLong(t, "timestamp (milliseconds since epoch)");
    }
    if (t.equalsIgnoreCase("now")) {
      throw MeridianException.invalid("'now' is not accepted as a timestamp literal; use toTimestamp(now())");
    }
    Matcher m = TIMESTAMP.matcher(t);
    if (!m.matches()) {
      throw MeridianException.invalid(
          "Unable to parse a timestamp from '" + ScalarType.abbreviate(t)
              + "'; expected yyyy-mm-dd[( |T)hh:mm[:ss[.fff]]][zone] or milliseconds since epoch");
    }
    try {
      LocalDateTime local = LocalDateTime.of(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
          m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
          m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
          m.group(7) == null ? 0 : fractionToNanos(m.group(7)));
      ZoneId zone = m.group(8) == null ? ZoneOffset.UTC : zone(m.group(8));
      // toEpochMilli floors, so sub-millisecond digits are truncated toward the past.
      return ZonedDateTime.of(local, zone).toInstant().toEpochMilli();
    } catch (DateTimeException | ArithmeticException e) {
      throw MeridianException.invalid("Invalid timestamp '" + ScalarType.abbreviate(t) + "': " + e.getMessage());
    }
  }

  private static ZoneId zone(String zone) {
    char first = zone.charAt(0);
    if (first == '+' || first == '-' || zone.equalsIgnoreCase("z")) {
      return ZoneOffset.of(zone.toUpperCase(Locale.ROOT));
    }
    return ZoneId.of(zone);
  }

  static String formatTimestamp(long millis) {
    if (millis < MILLIS_YEAR_0 || millis >= MILLIS_YEAR_10000) {
      // Outside four-digit years the date form would not parse back; the number always does.
      return Long.toString(millis);
    }
    return "'" + TIMESTAMP_OUT.format(Instant.ofEpochMilli(millis)) + "'";
  }

  /** Date as the unsigned day count (epoch at 2^31), from yyyy-mm-dd or a bare unsigned day count. */
  static long parseDateUnsignedDays(String text) {
    String t = text.trim();
    if (DIGITS.matcher(t).matches()) {
      long days = parseLong(t, "date (unsigned day count)");
      if (days < 0 || days > 0xFFFF_FFFFL) {
        throw MeridianException.invalid(
            "Date day count " + t + " is out of range; expected 0 to 4294967295 (epoch is 2147483648)");
      }
      return days;
    }
    Matcher m = DATE.matcher(t);
    if (!m.matches()) {
      throw MeridianException.invalid(
          "Unable to parse a date from '" + ScalarType.abbreviate(t) + "'; expected yyyy-mm-dd or a day count");
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3))).toEpochDay();
    } catch (DateTimeException | NumberFormatException e) {
      throw MeridianException.invalid("Invalid date '" + ScalarType.abbreviate(t) + "': " + e.getMessage());
    }
    return epochDayToUnsigned(epochDay);
  }

  static long epochDayToUnsigned(long epochDay) {
    if (epochDay < Integer.MIN_VALUE || epochDay > Integer.MAX_VALUE) {
      throw MeridianException.invalid("Date is out of range: " + epochDay + " days from 1970-01-01 does not fit a date");
    }
    return epochDay + DATE_EPOCH_OFFSET_DAYS;
  }

  static String formatDate(long unsignedDays) {
    LocalDate date = LocalDate.ofEpochDay(unsignedDays - DATE_EPOCH_OFFSET_DAYS);
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return Long.toString(unsignedDays);
    }
    return "'" + date + "'";
  }

  /** Nanoseconds since midnight from hh:mm:ss[.fffffffff] or a bare nanosecond count. */
  static long parseTimeNanos(String text) {
    String t = text.trim();
    if (DIGITS.matcher(t).matches()) {
      long nanos = parseLong(t, "time (nanoseconds since midnight)");
      checkTimeNanos(nanos);
      return nanos;
    }
    Matcher m = TIME.matcher(t);
    if (!m.matches()) {
      throw MeridianException.invalid(
          "Unable to parse a time from '" + ScalarType.abbreviate(t) + "'; expected hh:mm:ss[.fffffffff]");
    }
    int hours = Integer.parseInt(m.group(1));
    int minutes = Integer.parseInt(m.group(2));
    int seconds = Integer.parseInt(m.group(3));
    if (hours > 23 || minutes > 59 || seconds > 59) {
      throw MeridianException.invalid(
          "Invalid time '" + t + "': expected hours 0-23, minutes 0-59, seconds 0-59");
    }
    long nanos = m.group(4) == null ? 0 : fractionToNanos(m.group(4));
    return ((hours * 60L + minutes) * 60L + seconds) * 1_000_000_000L + nanos;
  }

  static void checkTimeNanos(long nanos) {
    if (nanos < 0 || nanos >= NANOS_PER_DAY) {
      throw MeridianException.invalid(
          "Time value " + nanos + " is out of range; expected 0 to " + (NANOS_PER_DAY - 1) + " nanoseconds");
    }
  }

  static String formatTime(long nanos) {
    LocalTime time = LocalTime.ofNanoOfDay(nanos);
    return String.format(Locale.ROOT, "'%02d:%02d:%02d.%09d'",
        time.getHour(), time.getMinute(), time.getSecond(), time.getNano());
  }

  /** ".5" means 500 ms: the digits are a fraction, right-padded to nine places. */
  private static int fractionToNanos(String digits) {
    StringBuilder padded = new StringBuilder(digits);
    while (padded.length() < 9) {
      padded.append('0');
    }
    return Integer.parseInt(padded.toString());
  }

  private static long parseLong(String t, String what) {
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw MeridianException.invalid("Number " + ScalarType.abbreviate(t) + " is out of range for a " + what);
    }
  }
}
