package io.memlock.protocol;

/** The two-letter return codes of the meta commands. */
public enum MetaStatus {
  /** Success without a value (stored, deleted, found without {@code v}). */
  HD,
  /** Success with a value block. */
  VA,
  /** Miss ({@code mg}). */
  EN,
  /** Not found ({@code ms} with {@code C}, {@code md}, {@code ma}). */
  NF,
  /** Not stored: an add found the item, a replace did not. */
  NS,
  /** Exists: the compared CAS did not match. */
  EX,
  /** The end marker answering {@code mn}. */
  MN
}
