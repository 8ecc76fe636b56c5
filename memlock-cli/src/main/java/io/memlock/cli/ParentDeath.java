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
 * thread that started it ends. Without setpriv, a sidecar shell, started before the command, blocks
 * reading a pipe that only memlock holds open; memlock writes it the command's pid as soon as the
 * command has started. When memlock dies the pipe closes and the sidecar sends SIG to that pid;
 * when memlock ends normally it tells the sidecar to exit without signalling.
 */
final class ParentDeath {
  private static final String SIDECAR =
      "trap '' HUP INT QUIT TERM USR1 USR2; read -r pid || exit 0; read -r line;"
          + " [ \"$line\" = done ] || kill -s %s \"$pid\"";

  private final String signal;
  private final String setpriv;
  private Process sidecar;
  private boolean watching;

  private ParentDeath(String signal, String setpriv) {
    this.signal = signal;
    this.setpriv = setpriv;
  }

  /**
   * Prepares to signal the command: setpriv when it is on the PATH, else a sidecar started now (and
   * a warning).
   *
   * @param signal the signal's name without SIG, e.g. TERM
   * @param err where the warning goes
   * @return the choice
   */
  static ParentDeath prepare(String signal, PrintWriter err) {
    String setpriv = findOnPath("setpriv");
    ParentDeath p = new ParentDeath(signal, setpriv);
    if (setpriv == null) {
      err.println(
          "memlock: warning: setpriv (util-linux) is not on the PATH; a helper shell will send"
              + " SIG"
              + signal
              + " to the command if memlock is killed");
      err.flush();
      ProcessBuilder builder =
          new ProcessBuilder("/bin/sh", "-c", String.format(SIDECAR, signal))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      try {
        p.sidecar = builder.start();
      } catch (IOException e) {
        err.println("memlock: warning: cannot start the helper shell: " + e.getMessage());
      }
    }
    return p;
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
   * Tells the sidecar the started command's pid (setpriv needs nothing).
   *
   * @param command the running command
   */
  void watch(Process command) {
    if (sidecar == null) {
      return;
    }
    try {
      OutputStream in = sidecar.getOutputStream();
      in.write((command.pid() + "\n").getBytes(StandardCharsets.US_ASCII));
      in.flush();
      watching = true;
    } catch (IOException e) {
      // The sidecar is gone: the command runs unguarded if memlock is killed.
    }
  }

  /** Lets the sidecar exit without signalling: the command has ended, or never started. */
  void done() {
    if (sidecar == null) {
      return;
    }
    try (OutputStream in = sidecar.getOutputStream()) {
      if (watching) {
        in.write("done\n".getBytes(StandardCharsets.US_ASCII));
      }
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
