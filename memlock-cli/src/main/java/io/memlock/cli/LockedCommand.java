package io.memlock.cli;

import io.memlock.LockHandle;
import io.memlock.LockLostException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The command {@code memlock run} runs while it holds the lock: started with {@code MEMLOCK_NAME}
 * and {@code MEMLOCK_FENCE} in its environment and memlock's stdin, stdout and stderr, and
 * signalled as {@link OnLost} says when the lock is lost.
 */
final class LockedCommand {
  private final List<String> command;
  private final OnLost onLost;
  private final Duration killAfter;
  private final PrintWriter err;
  private final AtomicBoolean lost = new AtomicBoolean();
  private ParentDeath parentDeath;

  LockedCommand(List<String> command, OnLost onLost, Duration killAfter, PrintWriter err) {
    this.command = List.copyOf(command);
    this.onLost = onLost;
    this.killAfter = killAfter;
    this.err = err;
  }

  /**
   * Starts the command. Call it on a thread that lives until the command ends (the parent-death
   * signal is tied to the thread that starts the command).
   *
   * @param handle the lock's hold
   * @param relay where the signals memlock receives go
   * @return the running command
   * @throws IOException if it cannot be started
   */
  Process start(LockHandle handle, SignalRelay relay) throws IOException {
    parentDeath = ParentDeath.prepare(onLost == OnLost.KILL ? "KILL" : "TERM", err);
    ProcessBuilder builder = new ProcessBuilder(parentDeath.wrap(command)).inheritIO();
    builder.environment().put("MEMLOCK_NAME", handle.name());
    builder.environment().put("MEMLOCK_FENCE", Long.toString(handle.fencingToken()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      parentDeath.done();
      throw e;
    }
    parentDeath.watch(process);
    relay.attach(process);
    handle.onLost((h, e) -> lost(process, e));
    return process;
  }

  /**
   * Waits for the command to end.
   *
   * @param process the command
   * @return its exit status, 128 + n when a signal n ended it
   */
  int waitFor(Process process) {
    while (true) {
      try {
        int status = process.waitFor();
        parentDeath.done();
        return status;
      } catch (InterruptedException e) {
        // A signal that came while the command was starting; it was passed on.
      }
    }
  }

  /**
   * Tells why the command cannot be executed, as a shell would find it: not found (127), or not
   * executable (126). Checked before starting, so that the message names the command, not the
   * {@code setpriv} it is started through.
   *
   * @param program the command's first word
   * @return the exit status and the reason, or null when it looks runnable
   */
  static Failure unrunnable(String program) {
    if (!program.contains("/")) {
      if (ParentDeath.findOnPath(program) != null) {
        return null;
      }
      return new Failure(ExitCodes.NOT_FOUND, "not found on the PATH");
    }
    Path file = Path.of(program);
    if (!Files.exists(file)) {
      return new Failure(ExitCodes.NOT_FOUND, "no such file");
    }
    if (Files.isDirectory(file)) {
      return new Failure(ExitCodes.CANNOT_EXECUTE, "is a directory");
    }
    if (!Files.isExecutable(file)) {
      return new Failure(ExitCodes.CANNOT_EXECUTE, "permission denied (not executable)");
    }
    return null;
  }

  /** Tells whether the lock was lost while the command ran. */
  boolean wasLost() {
    return lost.get();
  }

  private void lost(Process process, LockLostException e) {
    if (!lost.compareAndSet(false, true)) {
      return;
    }
    String what = "memlock: " + e.getMessage();
    if (!process.isAlive()) {
      err.println(what);
      return;
    }
    switch (onLost) {
      case TERM -> {
        err.println(
            what
                + "; sending SIGTERM to the command (pid "
                + process.pid()
                + "), SIGKILL after "
                + Durations.format(killAfter));
        process.destroy();
        CompletableFuture.delayedExecutor(killAfter.toNanos(), TimeUnit.NANOSECONDS)
            .execute(() -> killIfAlive(process));
      }
      case KILL -> {
        err.println(what + "; sending SIGKILL to the command (pid " + process.pid() + ")");
        kill(process);
      }
      case IGNORE -> err.println(what + "; letting the command run (--on-lost ignore)");
    }
  }

  private void killIfAlive(Process process) {
    if (process.isAlive()) {
      err.println(
          "memlock: the command is still running "
              + Durations.format(killAfter)
              + " after SIGTERM; sending SIGKILL");
      kill(process);
    }
  }

  /** SIGKILLs the process and its descendants, which cannot clean up after a SIGKILLed parent. */
  private static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }
}
