package io.meridian.protocol;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Real DataStax driver sessions against a test server, with metadata that needs no schema. */
final class DriverSessions {
  private DriverSessions() {}

  static CqlSession open(CqlServer server, UnaryOperator<ProgrammaticDriverConfigLoaderBuilder> tweak) {
    ProgrammaticDriverConfigLoaderBuilder config =
        DriverConfigLoader.programmaticBuilder()
            .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
            .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
            .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 1)
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
            .withClass(DefaultDriverOption.RETRY_POLICY_CLASS, NeverRetryPolicy.class);
    config = tweak.apply(config);
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress("127.0.0.1", server.boundPort()))
        .withLocalDatacenter("dc1")
        .withConfigLoader(config.build())
        .build();
  }

  static CqlSession open(CqlServer server) {
    return open(server, c -> c);
  }
}
