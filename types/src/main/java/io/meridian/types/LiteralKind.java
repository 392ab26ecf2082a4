package io.meridian.types;

/** The lexical kinds of CQL constants, as the parser classifies them. */
public enum LiteralKind {
  /** 'quoted' or $$dollar quoted$$ string; text is the unescaped content. */
  STRING,
  /** optionally signed decimal integer, e.g. -42 */
  INTEGER,
  /** decimal with fraction or exponent, e.g. 1.5, -2e10; also NaN and Infinity/-Infinity */
  FLOAT,
  /** a UUID constant without quotes */
  UUID,
  /** 0x-prefixed hex blob; text includes the 0x */
  HEX,
  /** true/false (case-insensitive) */
  BOOLEAN,
  /** a duration constant like 12h30m, P1DT2H or P0001-02-03T04:05:06 */
  DURATION
}
