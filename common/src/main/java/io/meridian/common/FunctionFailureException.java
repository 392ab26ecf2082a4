package io.meridian.common;

import java.util.List;

/**
 * FUNCTION_FAILURE: a function or operator failed while running on a value (for example integer
 * division by zero). Carries the keyspace, name and CQL argument types of the function, which the
 * ERROR body must hold.
 */
public final class FunctionFailureException extends MeridianException {
  private final String keyspace;
  private final String function;
  private final List<String> argumentTypes;

  public FunctionFailureException(String keyspace, String function, List<String> argumentTypes, String message) {
    super(CqlErrorCode.FUNCTION_FAILURE, message);
    this.keyspace = keyspace;
    this.function = function;
    this.argumentTypes = List.copyOf(argumentTypes);
  }

  /** A native or user function that failed: Cassandra's "execution of 'ks.f[types]' failed: detail". */
  public static FunctionFailureException ofFunction(String keyspace, String function, List<String> argumentTypes,
                                                    String detail) {
    return new FunctionFailureException(keyspace, function, argumentTypes,
        "execution of '" + keyspace + "." + function + argumentTypes + "' failed: " + detail);
  }

  public String keyspace() {
    return keyspace;
  }

  public String function() {
    return function;
  }

  public List<String> argumentTypes() {
    return argumentTypes;
  }
}
