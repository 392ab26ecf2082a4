package io.meridian.protocol;

import java.util.concurrent.CompletionStage;

/**
 * The SASL hook of the STARTUP handshake. Without one the server answers STARTUP with READY; with
 * one it answers AUTHENTICATE({@link #className()}) and relays AUTH_RESPONSE tokens to a fresh
 * {@link Negotiator} per connection until it reports success (AUTH_SUCCESS) or fails (the stage
 * completes exceptionally: a MeridianException with AUTH_ERROR is sent as is, anything else as
 * AUTH_ERROR "Failed to authenticate").
 */
public interface Authenticator {
  /**
   * The authenticator class name announced to the client. Drivers pick their SASL mechanism from
   * it; {@code org.apache.cassandra.auth.PasswordAuthenticator} selects PLAIN.
   */
  String className();

  Negotiator newNegotiator(ClientSession session);

  /** One connection's SASL exchange. Must not block; called on the connection's event loop. */
  interface Negotiator {
    CompletionStage<Step> evaluateResponse(byte[] clientToken);
  }

  /** The outcome of one client token: a challenge to send back, or success with a final token. */
  record Step(boolean complete, byte[] token, String user) {
    public static Step challenge(byte[] token) {
      return new Step(false, token, null);
    }

    public static Step success(byte[] finalToken, String user) {
      return new Step(true, finalToken, user);
    }
  }
}
