package io.meridian.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultProtocolVersion;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.internal.core.auth.PlainTextAuthProvider;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SASL hook: AUTHENTICATE / AUTH_RESPONSE / AUTH_SUCCESS, on v4 and in v5 segments. */
class AuthenticationTest {
  private static CqlServer server;

  /** SASL PLAIN: "\0user\0password"; accepts password "secret". */
  static final class PlainAuthenticator implements Authenticator {
    @Override
    public String className() {
      return "org.apache.cassandra.auth.PasswordAuthenticator";
    }

    @Override
    public Negotiator newNegotiator(ClientSession session) {
      return token -> {
        String[] parts = new String(token, StandardCharsets.UTF_8).split("\0");
        if (parts.length == 3 && parts[2].equals("secret")) {
          return CompletableFuture.completedFuture(Step.success(null, parts[1]));
        }
        return CompletableFuture.failedFuture(
            new MeridianException(CqlErrorCode.AUTH_ERROR, "Bad credentials"));
      };
    }
  }

  @BeforeAll
  static void start() {
    server =
        CqlServer.start(
            ServerOptions.defaults(InetAddress.getLoopbackAddress(), 0).withEventLoopThreads(1),
            new TestHandler(),
            new PlainAuthenticator());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static CqlSession open(String version, String password) {
    return DriverSessions.open(
        server,
        c ->
            c.withString(DefaultDriverOption.PROTOCOL_VERSION, version)
                .withClass(DefaultDriverOption.AUTH_PROVIDER_CLASS, PlainTextAuthProvider.class)
                .withString(DefaultDriverOption.AUTH_PROVIDER_USER_NAME, "alice")
                .withString(DefaultDriverOption.AUTH_PROVIDER_PASSWORD, password));
  }

  @Test
  void goodCredentialsOnV5AndV4() {
    for (String version : new String[] {"V5", "V4"}) {
      try (CqlSession session = open(version, "secret")) {
        assertEquals(DefaultProtocolVersion.valueOf(version), session.getContext().getProtocolVersion());
        assertEquals("in", session.execute("echo in").one().getString("v"));
      }
    }
  }

  @Test
  void badCredentialsAreRefused() {
    AllNodesFailedException e =
        assertThrows(AllNodesFailedException.class, () -> open("V5", "wrong").close());
    Throwable cause = e.getAllErrors().values().iterator().next().get(0);
    assertTrue(cause instanceof AuthenticationException, cause.toString());
    assertTrue(cause.getMessage().contains("Bad credentials"), cause.getMessage());
  }
}
