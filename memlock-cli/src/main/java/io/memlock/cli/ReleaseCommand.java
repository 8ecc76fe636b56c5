package io.memlock.cli;

import io.memlock.LockInfo;
import io.memlock.MemLock;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memlock release --force}: deletes a lock whoever holds it. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Deletes a lock whoever holds it (needs --force).",
    description = {
      "Break-glass: deletes the lock NAME whoever holds it, and prints what it removed.",
      "The holder learns of it at its next renewal (a third of its lease at most); until then it"
          + " may still be working, so check with 'memlock status' first.",
      "Exits 0 (also when the lock was free), 69 if memcached cannot be reached, 64 without"
          + " --force."
    })
final class ReleaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ClusterOptions cluster;

  @Option(names = "--force", description = "Required: confirms that you mean to break the lock.")
  boolean force;

  @Mixin NamespaceOption namespace;

  @Parameters(index = "0", paramLabel = "NAME", description = "The lock's name.")
  String name;

  @Override
  public Integer call() {
    LockNames.check(name);
    if (!force) {
      throw new UsageException(
          "release deletes the lock whoever holds it, and the holder may keep working until its"
              + " next renewal: add --force if that is what you want (see who holds it with"
              + " 'memlock status "
              + name
              + "')");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (MemLock memlock =
        Clients.connect(common.servers(), namespace.get(), cluster.maxLease(), cluster)) {
      Optional<LockInfo> removed = memlock.forceRelease(name);
      if (removed.isPresent()) {
        out.println(name + ": removed; it was held by " + LockText.holder(removed.get()));
      } else {
        out.println(name + ": was not held; nothing removed");
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
