package io.memlock.protocol;

/** The modes of {@code ms}, sent as {@code M<letter>}. */
public enum SetMode {
  /** {@code ME}: store only if absent. */
  ADD('E'),
  /** {@code MA}: append to an existing item. */
  APPEND('A'),
  /** {@code MP}: prepend to an existing item. */
  PREPEND('P'),
  /** {@code MR}: store only if present. */
  REPLACE('R'),
  /** {@code MS}: store unconditionally (the default). */
  SET('S');

  private final char letter;

  SetMode(char letter) {
    this.letter = letter;
  }

  /**
   * Returns the mode letter.
   *
   * @return the letter sent after {@code M}
   */
  public char letter() {
    return letter;
  }
}
