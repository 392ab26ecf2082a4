package io.meridian.common;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting: its dotted key (module first, e.g. {@code storage.commit-policy}), a typed default,
 * a parser from text (YAML scalars, flags and environment variables all arrive as text) and a
 * validator. Each module keeps its keys in one catalogue class.
 */
public record ConfigKey<T>(
    String key, T defaultValue, Function<String, T> parser, Predicate<T> valid, String validDescription, String doc) {

  public T parse(String text) {
    T value;
    try {
      value = parser.apply(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Setting " + key + ": cannot parse '" + text + "', expected " + validDescription, e);
    }
    if (!valid.test(value)) {
      throw new IllegalArgumentException(
          "Setting " + key + ": '" + text + "' is not valid, expected " + validDescription);
    }
    return value;
  }

  /** Environment variable name for this key: MERIDIAN_ + upper-cased key with separators as '_'. */
  public String envName() {
    return "MERIDIAN_" + key.toUpperCase().replace('.', '_').replace('-', '_');
  }

  public static ConfigKey<Integer> intKey(String key, int def, int min, int max, String doc) {
    return new ConfigKey<>(key, def, Integer::parseInt, v -> v >= min && v <= max,
        "an integer in [" + min + ", " + max + "]", doc);
  }

  public static ConfigKey<Long> longKey(String key, long def, long min, long max, String doc) {
    return new ConfigKey<>(key, def, Long::parseLong, v -> v >= min && v <= max,
        "an integer in [" + min + ", " + max + "]", doc);
  }

  public static ConfigKey<String> stringKey(String key, String def, String doc) {
    return new ConfigKey<>(key, def, s -> s, s -> !s.isEmpty(), "a non-empty string", doc);
  }

  public static <E extends Enum<E>> ConfigKey<E> enumKey(String key, E def, Class<E> type, String doc) {
    return new ConfigKey<>(key, def, s -> Enum.valueOf(type, s.toUpperCase().replace('-', '_')), v -> true,
        "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(), doc);
  }
}
