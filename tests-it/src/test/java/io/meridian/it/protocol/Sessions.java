package io.meridian.it.protocol;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Driver set-up shared by the protocol tests. */
final class Sessions {
  private Sessions() {}

  static ProgrammaticDriverConfigLoaderBuilder baseConfig() {
    return DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(20));
  }

  /** Fills {@code builder} with the node address and a config built from {@link #baseConfig()}. */
  static <B extends CqlSessionBuilder> B configure(B builder, InetSocketAddress address,
      UnaryOperator<ProgrammaticDriverConfigLoaderBuilder> config) {
    builder.addContactPoint(address)
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(config.apply(baseConfig()).build());
    return builder;
  }

  /** A value computed while System.err is captured, with what was written to it. */
  record Captured<T>(T value, String err) {}

  /**
   * Runs {@code action} with System.err redirected. slf4j-simple (the test logger, level WARN)
   * resolves System.err for every message, so this captures the driver's warnings and errors.
   */
  static <T> Captured<T> captureStdErr(Supplier<T> action) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    T value;
    try {
      value = action.get();
    } finally {
      System.setErr(original);
      capture.flush();
    }
    String err = bytes.toString(StandardCharsets.UTF_8);
    original.print(err); // keep it visible in the test output as well
    return new Captured<>(value, err);
  }
}
