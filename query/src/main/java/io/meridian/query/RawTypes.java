package io.meridian.query;

import com.datastax.oss.protocol.internal.response.result.RawType;
import io.meridian.common.MeridianException;
import io.meridian.schema.system.SystemColumnType;
import io.meridian.types.CqlType;

/** Maps our types to the native-protocol type descriptions sent in result and bind metadata. */
final class RawTypes {
  private RawTypes() {}

  static RawType of(CqlType type) {
    RawType primitive = RawType.PRIMITIVES.get(type.protocolCode());
    if (primitive != null) {
      return primitive;
    }
    // Collection columns exist so far only in the system tables; describe them from their names.
    SystemColumnType system;
    try {
      system = SystemColumnType.fromCqlName(type.cqlName());
    } catch (RuntimeException e) {
      throw MeridianException.invalid("Type " + type.cqlName() + " cannot be described in result metadata yet");
    }
    return of(system);
  }

  static RawType of(SystemColumnType type) {
    if (!type.isCollection()) {
      return RawType.PRIMITIVES.get(type.protocolCode());
    }
    return switch (type.protocolCode()) {
      case 0x20 -> new RawType.RawList(of(type.elementTypes().get(0)));
      case 0x22 -> new RawType.RawSet(of(type.elementTypes().get(0)));
      case 0x21 -> new RawType.RawMap(of(type.elementTypes().get(0)), of(type.elementTypes().get(1)));
      default -> throw new IllegalStateException("unexpected collection code " + type.protocolCode());
    };
  }
}
