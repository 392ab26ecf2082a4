package io.meridian.cql.ast;

import java.util.List;

/** {@code CREATE ROLE|USER [IF NOT EXISTS] name [WITH options]}. Options are normalised to role
 * option names: password, hashed_password, login, superuser, options, access_to_datacenters.
 * {@code user} records that the USER form was used. */
public record CreateRole(String name, boolean ifNotExists, boolean user, List<Property> options) implements SchemaStatement {
  public CreateRole {
    options = List.copyOf(options);
  }
}
