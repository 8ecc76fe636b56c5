package io.memlock.cli;

import io.memlock.LockBusyException;
import io.memlock.MemLockException;
import java.io.PrintWriter;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The entry point of the {@code memlock} command-line tool. Exit statuses: 0 success, 1 "not all"
 * (a free lock for {@code status}, warnings for {@code doctor}), 64 bad usage, 69 memcached
 * unreachable, 70 internal error, 75 lock busy, 76 lock lost; {@code run} and {@code elect}
 * otherwise exit with their command's status.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the tool and exits the JVM with the command's status.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    QuietNetty.apply();
    System.exit(execute(args));
  }

  /**
   * Runs the tool and returns its exit status.
   *
   * @param args the command line
   * @return the exit status
   */
  static int execute(String... args) {
    // One line per log record (netty and memlock log through java.util.logging).
    System.setProperty("java.util.logging.SimpleFormatter.format", "memlock: %4$s: %5$s%6$s%n");
    // The library's warnings name builder options; say them as the flags that set them.
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      handler.setFormatter(
          new SimpleFormatter() {
            @Override
            public String format(LogRecord record) {
              return Clients.flagNames(super.format(record));
            }
          });
    }
    return commandLine().execute(args);
  }

  /** Builds the command tree with memlock's error handling. */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new MemlockCommand());
    cmd.setExpandAtFiles(false);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setParameterExceptionHandler(Main::usageError);
    cmd.setExecutionExceptionHandler((e, sub, parsed) -> failure(e, sub));
    return cmd;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("memlock: " + e.getMessage().replaceFirst("^Error: ", ""));
    if (e instanceof UnmatchedArgumentException u) {
      ParseResult parsed = cmd.getParseResult();
      if (List.of("run", "elect").contains(cmd.getCommandName())
          && parsed != null
          && parsed.hasMatchedPositional(0)
          && !parsed.originalArgs().contains("--")
          && u.getUnmatched().stream().anyMatch(a -> a.startsWith("-"))) {
        err.println("memlock: put -- before the command, so its flags are not read as memlock's");
      } else {
        UnmatchedArgumentException.printSuggestions(u, err);
      }
    }
    printUsage(cmd, err);
    return ExitCodes.USAGE;
  }

  private static void printUsage(CommandLine cmd, PrintWriter err) {
    err.print("Usage: " + cmd.getHelp().synopsis(0));
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
  }

  private static int failure(Exception e, CommandLine cmd) {
    PrintWriter err = cmd.getErr();
    int status;
    String message = e.getMessage();
    if (e instanceof UsageException) {
      err.println("memlock: " + message);
      printUsage(cmd, err);
      return ExitCodes.USAGE;
    } else if (e instanceof Failure f) {
      status = f.status();
    } else if (e instanceof LockBusyException) {
      status = ExitCodes.BUSY;
      message = Clients.flagNames(message);
    } else if (e instanceof MemLockException) {
      status = ExitCodes.UNAVAILABLE;
      message = Clients.flagNames(message);
    } else {
      status = ExitCodes.INTERNAL;
      message = "internal error: " + e;
    }
    err.println("memlock: " + message);
    if (verbose(cmd)) {
      e.printStackTrace(err);
    } else if (status == ExitCodes.INTERNAL) {
      err.println("memlock: run with --verbose for the stack trace");
    }
    err.flush();
    return status;
  }

  /** Tells whether --verbose was given to the command that failed. */
  static boolean verbose(CommandLine cmd) {
    ParseResult parsed = cmd.getParseResult();
    return parsed != null && parsed.hasMatchedOption("--verbose");
  }
}
