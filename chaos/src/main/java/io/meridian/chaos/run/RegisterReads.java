package io.meridian.chaos.run;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import java.util.Locale;

/** The consistency level of register reads; Meridian promises both levels are linearizable. */
public enum RegisterReads {
    SERIAL,
    QUORUM,
    /** Every other read at QUORUM, the rest at SERIAL, so one history checks both together. */
    MIXED;

    static RegisterReads parse(String v) {
        try {
            return valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--register-reads takes serial, quorum or mixed, not " + v);
        }
    }

    /** The level of the {@code n}-th read. */
    ConsistencyLevel levelOf(long n) {
        return switch (this) {
            case SERIAL -> ConsistencyLevel.SERIAL;
            case QUORUM -> ConsistencyLevel.QUORUM;
            case MIXED -> n % 2 == 0 ? ConsistencyLevel.SERIAL : ConsistencyLevel.QUORUM;
        };
    }
}
