/**
 * Storage API. The engine is type-agnostic: callers give partition keys as (token, serialized
 * partition key) and clustering keys as byte-comparable encodings (ordering of the bytes, compared
 * unsigned lexicographically, is the CQL clustering order, DESC already applied). Cell values are
 * opaque bytes. Every mutation reaches storage through {@link io.meridian.storage.Tablet#apply}.
 */
package io.meridian.storage;
