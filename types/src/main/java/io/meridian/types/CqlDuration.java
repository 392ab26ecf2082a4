package io.meridian.types;

import io.meridian.common.MeridianException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CQL duration: months, days and nanoseconds kept apart because their lengths vary (a month is
 * not a fixed number of days, nor a day of nanoseconds across DST changes). All three share one
 * sign, as Cassandra requires.
 */
public record CqlDuration(int months, int days, long nanoseconds) {
  private static final long NANOS_PER_MICRO = 1_000L;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
  private static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;

  /** Units of the compact form, largest first; "mo" and "ms" precede "m" so the regex takes them. */
  private static final Pattern UNIT =
      Pattern.compile("(\\d+)(y|mo|w|d|h|ms|m|s|us|\u00b5s|ns)", Pattern.CASE_INSENSITIVE);
  private static final String[] UNIT_ORDER = {"y", "mo", "w", "d", "h", "m", "s", "ms", "us", "ns"};
  private static final Pattern ISO = Pattern.compile(
      "P(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)S)?)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ISO_WEEKS = Pattern.compile("P(\\d+)W", Pattern.CASE_INSENSITIVE);
  private static final Pattern ISO_ALTERNATIVE =
      Pattern.compile("P(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})", Pattern.CASE_INSENSITIVE);

  public CqlDuration {
    boolean anyNegative = months < 0 || days < 0 || nanoseconds < 0;
    boolean anyPositive = months > 0 || days > 0 || nanoseconds > 0;
    if (anyNegative && anyPositive) {
      throw MeridianException.invalid(
          "The duration months, days and nanoseconds must all have the same sign, got "
              + months + ", " + days + ", " + nanoseconds);
    }
  }

  /**
   * Parses the CQL duration forms: compact (1y2mo3w4d5h6m7s8ms9us10ns, units largest first, each at
   * most once), ISO 8601 (P1Y2M3DT4H5M6S), ISO weeks (P2W) and the ISO alternative
   * (P0001-02-03T04:05:06). A leading '-' negates the whole duration.
   */
  public static CqlDuration parse(String text) {
    String t = text.trim();
    boolean negative = t.startsWith("-");
    String body = negative ? t.substring(1) : t;
    Accumulator acc = new Accumulator(t);
    if (body.isEmpty()) {
      throw acc.fail("it is empty");
    }
    if (body.charAt(0) == 'P' || body.charAt(0) == 'p') {
      parseIso(body, acc);
    } else {
      parseCompact(body, acc);
    }
    return acc.build(negative);
  }

  private static void parseCompact(String body, Accumulator acc) {
    Matcher m = UNIT.matcher(body);
    int position = 0;
    int lastUnitIndex = -1;
    while (position < body.length()) {
      if (!m.find(position) || m.start() != position) {
        throw acc.fail("expected a number followed by a unit (y, mo, w, d, h, m, s, ms, us, ns) at offset " + position);
      }
      String unit = m.group(2).toLowerCase(Locale.ROOT).replace('\u00b5', 'u');
      int unitIndex = java.util.Arrays.asList(UNIT_ORDER).indexOf(unit);
      if (unitIndex <= lastUnitIndex) {
        throw acc.fail("unit '" + unit + "' is repeated or out of order; units go largest first, each once");
      }
      lastUnitIndex = unitIndex;
      acc.add(unit, number(m.group(1), acc));
      position = m.end();
    }
  }

  private static void parseIso(String body, Accumulator acc) {
    Matcher m = ISO_WEEKS.matcher(body);
    if (m.matches()) {
      acc.add("w", number(m.group(1), acc));
      return;
    }
    m = ISO_ALTERNATIVE.matcher(body);
    if (m.matches()) {
      String[] units = {"y", "mo", "d", "h", "m", "s"};
      for (int i = 0; i < units.length; i++) {
        acc.add(units[i], number(m.group(i + 1), acc));
      }
      return;
    }
    m = ISO.matcher(body);
    boolean dangling = body.endsWith("T") || body.endsWith("t") || body.length() == 1;
    if (!m.matches() || dangling) {
      throw acc.fail("expected ISO 8601 form P[nY][nM][nD][T[nH][nM][nS]], PnW or Pyyyy-mm-ddThh:mm:ss");
    }
    String[] units = {"y", "mo", "d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (m.group(i + 1) != null) {
        acc.add(units[i], number(m.group(i + 1), acc));
      }
    }
  }

  private static long number(String digits, Accumulator acc) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw acc.fail("number " + digits + " is too large");
    }
  }

  /** Sums components with overflow checks; the limits are those of the serialized form. */
  private static final class Accumulator {
    private final String text;
    private long months;
    private long days;
    private long nanos;

    Accumulator(String text) {
      this.text = text;
    }

    MeridianException fail(String why) {
      return MeridianException.invalid(
          "Invalid duration '" + ScalarType.abbreviate(text) + "': " + why);
    }

    void add(String unit, long n) {
      try {
        switch (unit) {
          case "y" -> months = Math.addExact(months, Math.multiplyExact(n, 12));
          case "mo" -> months = Math.addExact(months, n);
          case "w" -> days = Math.addExact(days, Math.multiplyExact(n, 7));
          case "d" -> days = Math.addExact(days, n);
          case "h" -> nanos = Math.addExact(nanos, Math.multiplyExact(n, NANOS_PER_HOUR));
          case "m" -> nanos = Math.addExact(nanos, Math.multiplyExact(n, NANOS_PER_MINUTE));
          case "s" -> nanos = Math.addExact(nanos, Math.multiplyExact(n, NANOS_PER_SECOND));
          case "ms" -> nanos = Math.addExact(nanos, Math.multiplyExact(n, NANOS_PER_MILLI));
          case "us" -> nanos = Math.addExact(nanos, Math.multiplyExact(n, NANOS_PER_MICRO));
          case "ns" -> nanos = Math.addExact(nanos, n);
          default -> throw fail("unknown unit " + unit);
        }
      } catch (ArithmeticException e) {
        throw fail("the total number of nanoseconds does not fit in 64 bits");
      }
      if (months > Integer.MAX_VALUE) {
        throw fail("the total number of months must be at most " + Integer.MAX_VALUE);
      }
      if (days > Integer.MAX_VALUE) {
        throw fail("the total number of days must be at most " + Integer.MAX_VALUE);
      }
    }

    CqlDuration build(boolean negative) {
      return negative
          ? new CqlDuration((int) -months, (int) -days, -nanos)
          : new CqlDuration((int) months, (int) days, nanos);
    }
  }

  /** The compact CQL form, e.g. 1y2mo10d5h30m or -3h; the zero duration is "0s". */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (months < 0 || days < 0 || nanoseconds < 0) {
      sb.append('-');
    }
    long m = Math.abs((long) months);
    append(sb, m / 12, "y");
    append(sb, m % 12, "mo");
    append(sb, Math.abs((long) days), "d");
    // Divide before taking abs: -Long.MIN_VALUE does not exist, but its quotients do.
    long n = nanoseconds;
    long[] unitNanos = {NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND, NANOS_PER_MILLI, NANOS_PER_MICRO, 1};
    String[] unitNames = {"h", "m", "s", "ms", "us", "ns"};
    for (int i = 0; i < unitNanos.length; i++) {
      append(sb, Math.abs(n / unitNanos[i]), unitNames[i]);
      n %= unitNanos[i];
    }
    if (sb.length() == 0 || (sb.length() == 1 && sb.charAt(0) == '-')) {
      return "0s";
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, long amount, String unit) {
    if (amount != 0) {
      sb.append(amount).append(unit);
    }
  }
}
