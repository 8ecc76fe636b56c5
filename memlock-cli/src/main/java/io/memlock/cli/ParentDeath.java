package io.memlock.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure the command of {@code memlock run} is signalled when memlock dies without a chance to
 * do it (SIGKILL, a JVM crash), so that it does not run on past the lock's lease.
 *
 * <p>With util-linux's {@code setpriv} on the PATH, the command is started as {@code setpriv
 * --pdeathsig SIG -- COMMAND...}: setpriv sets the kernel's parent-death signal and then replaces
 * itself with the command (same pid), so the kernel sends SIG to the command the moment the memlock
 * thread that started it ends. Without setpriv, a sidecar shell blocks reading a pipe that only
 * memlock holds open: when memlock dies the pipe closes and the sidecar sends SIG to the command's
 * pid; when memlock ends normally it tells the sidecar to exit without signalling.
 */
final class ParentDeath {
  private static final String SIDECAR =
      "trap '' HUP INT QUIT TERM USR1 USR2; read -r line; [ \"$line\" = done ] || kill -s %s %d";

  private final String signal;
  private final String setpriv;
  private Process sidecar;

  private ParentDeath(String signal, String setpriv) {
    this.signal = signal;
    this.setpriv = setpriv;
  }

  /**
   * Chooses how to signal the command: setpriv when it is on the PATH, else a sidecar (and a
   * warning).
   *
   * @param signal the signal's name without SIG, e.g. TERM
   * @param err where the warning goes
   * @return the choice
   */
  static ParentDeath choose(String signal, PrintWriter err) {
    String setpriv = findOnPath("setpriv");
    if (setpriv == null) {
      err.println(
          "memlock: warning: setpriv (util-linux) is not on the PATH; a helper shell will send"
              + " SIG"
              + signal
              + " to the command if memlock is killed");
      err.flush();
    }
    return new ParentDeath(signal, setpriv);
  }

  /**
   * Returns the command line to start: the command, behind setpriv when there is one.
   *
   * @param command the command and its arguments
   * @return what to start
   */
  List<String> wrap(List<String> command) {
    if (setpriv == null) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(setpriv, "--pdeathsig", "SIG" + signal, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Starts the sidecar for a started command, unless setpriv does the work.
   *
   * @param command the running command
   */
  void watch(Process command) {
    if (setpriv != null) {
      return;
    }
    ProcessBuilder builder =
        new ProcessBuilder("/bin/sh", "-c", String.format(SIDECAR, signal, command.pid()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      sidecar = builder.start();
    } catch (IOException e) {
      // Nothing more to do: the command runs as before, unguarded if memlock is killed.
    }
  }

  /** Lets the sidecar exit without signalling: the command has ended. */
  void done() {
    if (sidecar == null) {
      return;
    }
    try (OutputStream in = sidecar.getOutputStream()) {
      in.write("done\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      sidecar.destroyForcibly();
    }
  }

  /**
   * Finds an executable on the PATH, as a shell would.
   *
   * @param name the program's name, without a slash
   * @return its path, or null
   */
  static String findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator, -1)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
