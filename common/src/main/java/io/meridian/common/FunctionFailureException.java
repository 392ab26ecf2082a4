package io.meridian.common;

import java.util.List;

/**
 * FUNCTION_FAILURE: a function failed while executing on a value (for example fromJson() given text
 * that is not JSON). The ERROR body names the function's keyspace, name and argument types.
 */
public final class FunctionFailureException extends MeridianException {
  private final String keyspace;
  private final String function;
  private final List<String> argTypes;

  /**
   * @param keyspace the function's keyspace ("system" for native functions)
   * @param function the function's name, e.g. "fromjson"
   * @param argTypes the CQL names of its argument types
   * @param detail why it failed
   */
  public FunctionFailureException(String keyspace, String function, List<String> argTypes, String detail) {
    super(CqlErrorCode.FUNCTION_FAILURE,
        "execution of '" + keyspace + "." + function + argTypes + "' failed: " + detail);
    this.keyspace = keyspace;
    this.function = function;
    this.argTypes = List.copyOf(argTypes);
  }

  public String keyspace() {
    return keyspace;
  }

  public String function() {
    return function;
  }

  public List<String> argTypes() {
    return argTypes;
  }
}
