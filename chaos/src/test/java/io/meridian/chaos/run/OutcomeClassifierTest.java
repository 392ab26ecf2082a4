package io.meridian.chaos.run;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import io.meridian.chaos.history.Outcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutcomeClassifierTest {

    @Test
    void errorsAfterWhichAWriteMayHaveLandedAreUnknown() {
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(
            new WriteTimeoutException(null, ConsistencyLevel.QUORUM, 1, 2, WriteType.SIMPLE)));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(
            new WriteTimeoutException(null, ConsistencyLevel.SERIAL, 0, 2, WriteType.CAS)));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(
            new CASWriteUnknownException(null, ConsistencyLevel.SERIAL, 1, 2)));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(
            new ReadTimeoutException(null, ConsistencyLevel.SERIAL, 1, 2, false)));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(new NoNodeAvailableException()));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(new ClosedConnectionException("lost")));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(new DriverTimeoutException("PT5S")));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(new OverloadedException(null)));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(new ServerError(null, "boom")));
        assertEquals(Outcome.INFO, OutcomeClassifier.forWrite(new IOException("anything else")));
    }

    @Test
    void errorsRaisedBeforeAnyEffectAreFailures() {
        assertEquals(Outcome.FAIL, OutcomeClassifier.forWrite(
            new UnavailableException(null, ConsistencyLevel.QUORUM, 2, 1)));
        assertEquals(Outcome.FAIL, OutcomeClassifier.forWrite(new InvalidQueryException(null, "bad")));
        assertEquals(Outcome.FAIL, OutcomeClassifier.forWrite(new BusyConnectionException(32768)));
        assertEquals(Outcome.FAIL, OutcomeClassifier.forWrite(new RequestThrottlingException("queue full")));
    }

    @Test
    void aReadThatFailedHadNoEffectWhateverTheError() {
        assertEquals(Outcome.FAIL, OutcomeClassifier.forRead(
            new ReadTimeoutException(null, ConsistencyLevel.SERIAL, 1, 2, false)));
        assertEquals(Outcome.FAIL, OutcomeClassifier.forRead(new ClosedConnectionException("lost")));
    }
}
