package io.memlock.cli;

import io.memlock.store.LockKeys;

/** Checks the lock names given on the command line before anything connects. */
final class LockNames {
  private LockNames() {}

  /**
   * Checks a lock name: not empty, not only blanks, and one the library accepts.
   *
   * @param name the name as given
   * @return the name
   * @throws UsageException naming what is wrong
   */
  static String check(String name) {
    if (name.isEmpty()) {
      throw new UsageException("NAME is empty: give the lock's name");
    }
    if (name.isBlank()) {
      throw new UsageException(
          "NAME '" + name + "' is only blanks: give the lock's name (is a variable unset?)");
    }
    try {
      return LockKeys.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("NAME '" + name + "': " + e.getMessage());
    }
  }
}
