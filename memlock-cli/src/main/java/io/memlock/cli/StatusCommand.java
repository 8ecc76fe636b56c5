package io.memlock.cli;

import io.memlock.LockInfo;
import io.memlock.MemLock;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memlock status}: who holds some locks. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Shows who holds locks.",
    description = {
      "Shows who holds each lock NAME: the holder (host/pid/thread), its fencing token and"
          + " the rest of its lease.",
      "Exits 0 when every lock given is held, 1 when at least one is free, 69 if memcached"
          + " cannot be reached, 64 for bad usage."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ClusterOptions cluster;

  @Mixin NamespaceOption namespace;

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "The locks' names.")
  List<String> names;

  @Override
  public Integer call() {
    names.forEach(LockNames::check);
    PrintWriter out = spec.commandLine().getOut();
    boolean allHeld = true;
    try (MemLock memlock =
        Clients.connect(common.servers(), namespace.get(), cluster.maxLease(), cluster)) {
      for (String name : names) {
        Optional<LockInfo> info = memlock.inspect(name);
        if (info.isPresent()) {
          out.println(name + ": held by " + LockText.holder(info.get()));
        } else {
          out.println(name + ": free");
          allHeld = false;
        }
      }
    }
    out.flush();
    return allHeld ? ExitCodes.OK : ExitCodes.NOT_ALL;
  }
}
