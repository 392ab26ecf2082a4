package io.meridian.chaos.run;

import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import io.meridian.chaos.history.Outcome;

/**
 * Maps a driver error to the outcome of the operation that raised it. For an operation with an
 * effect, {@link Outcome#FAIL} is a promise that it did not happen, so it is given only for errors
 * raised before anything could be applied; any doubt is {@link Outcome#INFO}, which is always safe
 * (it only costs the checker some power). A read has no effect, so a failed read is simply a fail.
 */
public final class OutcomeClassifier {
    private OutcomeClassifier() {
    }

    public static Outcome forRead(Throwable error) {
        return Outcome.FAIL;
    }

    public static Outcome forWrite(Throwable error) {
        // The server refused the statement itself (syntax, invalid, unauthorized): nothing ran.
        if (error instanceof QueryValidationException) {
            return Outcome.FAIL;
        }
        // The coordinator saw too few live replicas and did not start; Cassandra documents this as
        // raised before any mutation is sent, and Meridian must keep that promise.
        if (error instanceof UnavailableException) {
            return Outcome.FAIL;
        }
        // Refused inside the driver, before the request left the client.
        if (error instanceof RequestThrottlingException || error instanceof BusyConnectionException) {
            return Outcome.FAIL;
        }
        // Write/read timeouts, CAS write unknown, write failures, overload and server errors, driver
        // timeouts, closed connections and heartbeats, no node available, all nodes failed: the
        // request may have been applied, or may be applied later.
        return Outcome.INFO;
    }
}
