package io.memlock.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code memlock} command: it only holds the subcommands. */
@Command(
    name = "memlock",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Distributed locks kept in memcached.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      ElectCommand.class,
      StatusCommand.class,
      ListCommand.class,
      WatchCommand.class,
      ReleaseCommand.class,
      DoctorCommand.class
    },
    footer = {
      "",
      "Exit status: 0 ok, 1 a lock is free (status), warnings (doctor) or a server not listed",
      "(list), 64 bad usage, 69 memcached unreachable, 75 lock busy, 76 lock lost,",
      "130/143 watch ended by SIGINT/SIGTERM; run and elect exit with their command's status."
    })
final class MemlockCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("memlock: no command given");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
