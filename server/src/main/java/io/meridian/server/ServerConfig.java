package io.meridian.server;

import io.meridian.common.ConfigKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The effective settings of a node. Sources, each overriding the one before: the defaults in
 * {@link ServerConfigKeys}, the YAML file, environment variables (MERIDIAN_SERVER_PORT, ...),
 * command-line flags. Unknown keys in the file are an error, not silently ignored.
 */
public final class ServerConfig {
  private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);

  private final Map<String, Object> values;
  private final Map<String, String> sources;

  private ServerConfig(Map<String, Object> values, Map<String, String> sources) {
    this.values = values;
    this.sources = sources;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    return (T) values.get(key.key());
  }

  public static ServerConfig load(Path yamlFile, Map<String, String> env, Map<String, String> overrides) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (ConfigKey<?> key : ServerConfigKeys.ALL) {
      values.put(key.key(), key.defaultValue());
      sources.put(key.key(), "default");
    }
    if (yamlFile != null) {
      Map<String, String> fromFile = readYaml(yamlFile);
      for (Map.Entry<String, String> e : fromFile.entrySet()) {
        set(values, sources, e.getKey(), e.getValue(), "file " + yamlFile);
      }
    }
    for (ConfigKey<?> key : ServerConfigKeys.ALL) {
      String v = env.get(key.envName());
      if (v != null) {
        set(values, sources, key.key(), v, "env " + key.envName());
      }
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      set(values, sources, e.getKey(), e.getValue(), "flag");
    }
    return new ServerConfig(values, sources);
  }

  private static void set(Map<String, Object> values, Map<String, String> sources, String key, String text, String source) {
    ConfigKey<?> def = ServerConfigKeys.ALL.stream().filter(k -> k.key().equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown setting '" + key + "' in " + source
            + "; known settings: " + ServerConfigKeys.ALL.stream().map(ConfigKey::key).toList()));
    values.put(key, def.parse(text));
    sources.put(key, source);
  }

  /** Flattens nested YAML maps into dotted keys: {storage: {data-dir: x}} becomes storage.data-dir = x. */
  static Map<String, String> readYaml(Path file) {
    Object root;
    try (InputStream in = Files.newInputStream(file)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    if (root == null) {
      return Collections.emptyMap();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("Configuration file " + file + " must hold a YAML mapping");
    }
    Map<String, String> flat = new LinkedHashMap<>();
    flatten("", map, flat);
    return flat;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> nested) {
        flatten(key + ".", nested, out);
      } else if (e.getValue() != null) {
        out.put(key, String.valueOf(e.getValue()));
      }
    }
  }

  /** Logs every effective value and where it came from, once at start-up. */
  public void logEffective() {
    for (ConfigKey<?> key : ServerConfigKeys.ALL) {
      LOG.info("config {} = {} ({})", key.key(), values.get(key.key()), sources.get(key.key()));
    }
  }
}
