package io.memlock.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One run of the command {@code memlock run} runs while it holds the lock, and {@code memlock
 * elect} while it leads: started with {@code MEMLOCK_NAME} and {@code MEMLOCK_FENCE} in its
 * environment and memlock's stdin, stdout and stderr, and signalled as {@link OnLost} says when the
 * lease is lost.
 */
final class LockedCommand {
  /**
   * ENOENT as the JDK reports a failed exec: "error=2, No such file or directory" (JDK 17) or "Exec
   * failed, error: 2 (No such file or directory)" (JDK 25).
   */
  private static final Pattern NOT_FOUND = Pattern.compile("error(=|: )2\\b");

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
   * Runs the command to its end: checks that it can be executed, starts it, tells {@code started}
   * of it, and waits for it. Call it on a thread that lives until the command ends (the
   * parent-death signal is tied to the thread that starts the command).
   *
   * @param name the lock's name, for {@code MEMLOCK_NAME}
   * @param fence the hold's fencing token, for {@code MEMLOCK_FENCE}
   * @param env more environment variables of the command
   * @param relay where the signals memlock receives go while the command runs
   * @param started told of the running command, before the wait
   * @return its exit status (128 + n when a signal n ended it), or 127 / 126 (after a message) when
   *     it cannot be executed
   */
  int run(
      String name,
      long fence,
      Map<String, String> env,
      SignalRelay relay,
      Consumer<Process> started) {
    Failure unrunnable = unrunnable(command.get(0));
    if (unrunnable != null) {
      err.println("memlock: cannot run '" + command.get(0) + "': " + unrunnable.getMessage());
      return unrunnable.status();
    }
    Process process;
    try {
      process = start(name, fence, env, relay);
    } catch (IOException e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      err.println("memlock: cannot run '" + command.get(0) + "': " + why);
      return why != null && NOT_FOUND.matcher(why).find()
          ? ExitCodes.NOT_FOUND
          : ExitCodes.CANNOT_EXECUTE;
    }
    started.accept(process);
    int status = waitFor(process);
    relay.detach(process);
    return status;
  }

  private Process start(String name, long fence, Map<String, String> env, SignalRelay relay)
      throws IOException {
    parentDeath = ParentDeath.prepare(onLost == OnLost.KILL ? "KILL" : "TERM", err);
    ProcessBuilder builder = new ProcessBuilder(parentDeath.wrap(command)).inheritIO();
    builder.environment().put("MEMLOCK_NAME", name);
    builder.environment().put("MEMLOCK_FENCE", Long.toString(fence));
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      parentDeath.done();
      throw e;
    }
    parentDeath.watch(process);
    relay.attach(process);
    return process;
  }

  private int waitFor(Process process) {
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

  /**
   * The lease was lost: signals the command as --on-lost says (once), and says so.
   *
   * @param process the running command
   * @param why what was lost, e.g. the {@link io.memlock.LockLostException}'s message
   */
  void lost(Process process, String why) {
    if (!lost.compareAndSet(false, true)) {
      return;
    }
    String what = "memlock: " + why;
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
