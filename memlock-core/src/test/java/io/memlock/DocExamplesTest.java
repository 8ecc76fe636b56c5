package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.DocExamples;
import io.memlock.testing.DocExamples.Example;
import io.memlock.testing.DocExamples.Kind;
import io.memlock.testing.MemcachedExtension;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Every {@code ```java} example in README.md and docs/*.md compiles and runs: a doc example that
 * stops compiling or running fails the build. The examples that need Spring, ShedLock or Micrometer
 * ({@link DocExamples#needsFrameworks}) are left to examples/order-service's
 * DocIntegrationExamplesTest, which has them on its class path.
 *
 * <p>Each example is taken from the markdown as it is and compiled (javax.tools) against the
 * project's classes, in one of three forms chosen by its shape:
 *
 * <ul>
 *   <li>statements (most examples): the body of a method of a {@link DocExample} subclass, which
 *       provides {@code memlock}, {@code memcached} and stand-ins for the application's objects;
 *   <li>members (an example whose top-level lines declare methods): the body of such a class, each
 *       method without parameters is called;
 *   <li>a class (an example that declares one at its top level, such as a JUnit test): compiled as
 *       it is and run with the JUnit launcher; each of its tests must pass.
 * </ul>
 *
 * <p>Two replacements make the examples runnable against the test's servers: a string literal of
 * {@code host:port} addresses becomes the test's server list, and {@code MemLock.builder()} gets
 * {@code .restartGrace(false)} (the servers were just started by the test, see README).
 *
 * <p>An example that builds its own client must close it (try-with-resources), as the docs tell
 * applications to: the test fails an example after which a new memlock-io thread lives on.
 */
class DocExamplesTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String IMPORTS =
      """
      import io.memlock.*;
      import io.memlock.testing.*;
      import java.time.*;
      import java.util.*;
      import java.util.concurrent.*;
      import org.junit.jupiter.api.*;
      import org.junit.jupiter.api.extension.*;
      """;

  @TempDir static Path work;

  private static List<Example> examples;
  private static ClassLoader loader;
  private static DocExamples.Compiled compiled;

  @Test
  void theExamplesAreFound() throws IOException {
    List<Example> all = extract();
    assertThat(all).hasSizeGreaterThanOrEqualTo(10);
    assertThat(all.stream().map(Example::page).distinct())
        .contains("README.md", "docs/TESTING.md", "docs/SYNCHRONIZERS.md", "docs/CONFIGURATION.md");
  }

  @TestFactory
  Stream<DynamicTest> everyExampleCompilesAndRuns() throws IOException {
    compileAll();
    return examples.stream()
        .map(e -> DynamicTest.dynamicTest(e.where() + " (" + e.kind() + ")", () -> checkAll(e)));
  }

  /** Checks the example, then that it left no client open: no new memlock-io thread lives on. */
  private static void checkAll(Example e) throws Exception {
    Set<Thread> before = ioThreads();
    check(e);
    Set<Thread> left = ioThreads();
    left.removeAll(before);
    for (Thread t : left) {
      t.join(TimeUnit.SECONDS.toMillis(10)); // a closed client's threads end just after close()
    }
    assertThat(left)
        .as("%s leaves a client open (its I/O threads run on)", e.where())
        .noneMatch(Thread::isAlive);
  }

  private static Set<Thread> ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("memlock-io") && t.isAlive())
        .collect(Collectors.toSet());
  }

  private static void check(Example e) throws Exception {
    List<String> mine = compiled.errorsOf(e);
    assertThat(mine).as("%s does not compile:%n%s", e.where(), e.code()).isEmpty();
    Class<?> c = loader.loadClass(e.className());
    if (e.kind() == Kind.CLASS) {
      runJUnit(e, c);
      return;
    }
    try (MemLock client = memcached.memlockBuilder().build()) {
      DocExample example = (DocExample) c.getDeclaredConstructor().newInstance();
      example.init(client, memcached);
      List<Method> methods =
          e.kind() == Kind.STATEMENTS
              ? List.of(c.getDeclaredMethod("run"))
              : Arrays.stream(c.getDeclaredMethods())
                  .filter(m -> m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()))
                  .toList();
      assertThat(methods).as("%s has nothing to run", e.where()).isNotEmpty();
      for (Method m : methods) {
        m.setAccessible(true);
        try {
          m.invoke(example);
        } catch (InvocationTargetException failed) {
          throw new AssertionError(e.where() + " failed when run", failed.getCause());
        }
      }
    }
  }

  private static void runJUnit(Example e, Class<?> c) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectClass(c))
            .build(),
        listener);
    TestExecutionSummary summary = listener.getSummary();
    String failures =
        summary.getFailures().stream()
            .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
            .collect(Collectors.joining("\n"));
    assertThat(summary.getTestsFoundCount()).as("%s has no test", e.where()).isPositive();
    assertThat(summary.getTotalFailureCount()).as("%s failed:%n%s", e.where(), failures).isZero();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(summary.getTestsFoundCount());
  }

  private static synchronized void compileAll() throws IOException {
    if (examples != null) {
      return;
    }
    List<Example> all = extract();
    compiled =
        DocExamples.compile(all, DocExamplesTest::source, work, DocExample.class.getClassLoader());
    loader = compiled.loader();
    examples = all;
  }

  private static String source(Example e) {
    String pkg = e.packageName();
    String simple = e.simpleName();
    String header = "package " + pkg + ";\n" + IMPORTS + "// " + e.where() + "\n";
    if (e.kind() == Kind.CLASS) {
      return header + e.code();
    }
    String code = DocExamples.forTestServers(e.code(), "docServers()");
    if (e.kind() == Kind.MEMBERS) {
      return header
          + "public class "
          + simple
          + " extends io.memlock.DocExample {\n"
          + code
          + "}\n";
    }
    return header
        + "public class "
        + simple
        + " extends io.memlock.DocExample {\n"
        + "public Object run() throws Exception {\n"
        + code
        + "return null;\n}\n}\n";
  }

  /**
   * The examples this module runs: all but those that need the frameworks ({@link
   * DocExamples#needsFrameworks}: the examples of docs/INTEGRATIONS.md and those with Spring
   * annotations), which examples/order-service's DocIntegrationExamplesTest runs.
   */
  static List<Example> extract() throws IOException {
    return DocExamples.extract(ROOT).stream().filter(e -> !DocExamples.needsFrameworks(e)).toList();
  }
}
