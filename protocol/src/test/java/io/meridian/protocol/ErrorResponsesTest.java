package io.meridian.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.error.FunctionFailure;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.FunctionFailureException;
import io.meridian.common.MeridianException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The ERROR bodies built from exceptions: typed errors carry their fields. */
class ErrorResponsesTest {

  @Test
  void functionFailureCarriesTheFunctionAndItsArgumentTypes() {
    FunctionFailureException e = new FunctionFailureException("system", "_divide", List.of("int", "int"),
        "the operation 'int / int' failed: / by zero");
    FunctionFailure f = assertInstanceOf(FunctionFailure.class, ErrorResponses.toError(new CompletionException(e)));
    assertEquals(ProtocolConstants.ErrorCode.FUNCTION_FAILURE, f.code);
    assertEquals("system", f.keyspace);
    assertEquals("_divide", f.function);
    assertEquals(List.of("int", "int"), f.argTypes);
    assertEquals("the operation 'int / int' failed: / by zero", f.message);
  }

  @Test
  void aFunctionFailureWithoutFieldsIsAServerErrorNotAMalformedBody() {
    Error e = (Error) ErrorResponses.toError(new MeridianException(CqlErrorCode.FUNCTION_FAILURE, "no fields"));
    assertEquals(ProtocolConstants.ErrorCode.SERVER_ERROR, e.code);
  }
}
