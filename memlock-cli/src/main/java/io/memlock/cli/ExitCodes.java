package io.memlock.cli;

/** The exit statuses of memlock commands, from sysexits.h where one fits. */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;

  /** {@code status}: a lock is free; {@code doctor}: warnings; {@code demo}: the lock failed. */
  static final int NOT_ALL = 1;

  /** EX_USAGE: an unknown flag, a missing argument or a bad value. */
  static final int USAGE = 64;

  /** EX_UNAVAILABLE: memcached cannot be reached or cannot serve locks. */
  static final int UNAVAILABLE = 69;

  /** EX_SOFTWARE: a bug in memlock. */
  static final int INTERNAL = 70;

  /** EX_TEMPFAIL: the lock is held by someone else. */
  static final int BUSY = 75;

  /** The lock was lost while the command ran. */
  static final int LOST = 76;

  /** The command was found but cannot be executed (as in shells). */
  static final int CANNOT_EXECUTE = 126;

  /** The command was not found (as in shells). */
  static final int NOT_FOUND = 127;

  private ExitCodes() {}
}
