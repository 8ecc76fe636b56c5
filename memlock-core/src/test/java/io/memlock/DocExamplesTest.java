package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
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
 * stops compiling or running fails the build.
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
 */
class DocExamplesTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern FENCE = Pattern.compile("^(\\s*)```java\\s*$");
  private static final Pattern CLASS =
      Pattern.compile("(?m)^(?:public |final |abstract )*class (\\w+)");
  private static final Pattern METHOD =
      Pattern.compile(
          "(?m)^(?!(?:try|if|for|while|switch|synchronized|catch|else|do|return|new)\\b)"
              + "[\\w<>\\[\\], ?]+\\s+\\w+\\([^;]*\\)\\s*(?:throws [\\w., ]+)?\\{\\s*$");
  private static final Pattern ADDRESSES =
      Pattern.compile("\"\\d{1,3}(?:\\.\\d{1,3}){3}:\\d+(?:,\\d{1,3}(?:\\.\\d{1,3}){3}:\\d+)*\"");
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

  enum Kind {
    STATEMENTS,
    MEMBERS,
    CLASS
  }

  record Example(String page, int line, String code, Kind kind, String className) {
    String where() {
      return page + " line " + line;
    }
  }

  @TempDir static Path work;

  private static List<Example> examples;
  private static ClassLoader loader;
  private static List<String> errors;

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
        .map(e -> DynamicTest.dynamicTest(e.where() + " (" + e.kind() + ")", () -> check(e)));
  }

  private static void check(Example e) throws Exception {
    List<String> mine = errors.stream().filter(m -> m.startsWith(e.className() + ":")).toList();
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
    Path src = Files.createDirectories(work.resolve("src"));
    Path out = Files.createDirectories(work.resolve("classes"));
    List<Path> files = new ArrayList<>();
    for (Example e : all) {
      Path file = src.resolve(e.className().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source(e), StandardCharsets.UTF_8);
      files.add(file);
    }
    // javac writes no class when any file has an error (and reports some errors only once others
    // are gone): compile again without the broken examples until the rest compiles, so that only
    // the broken ones fail.
    List<String> found = new ArrayList<>();
    List<Path> left = files;
    while (!left.isEmpty()) {
      List<String> round = compile(src, out, left);
      if (round.isEmpty()) {
        break;
      }
      found.addAll(round);
      left =
          left.stream()
              .filter(f -> round.stream().noneMatch(m -> m.startsWith(className(src, f) + ":")))
              .toList();
    }
    errors = found;
    loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, DocExample.class.getClassLoader());
    examples = all;
  }

  private static List<String> compile(Path src, Path out, List<Path> files) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      String classPath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      javac
          .getTask(
              null,
              fm,
              diagnostics,
              List.of("-proc:none", "-encoding", "UTF-8", "-cp", classPath, "-d", out.toString()),
              null,
              fm.getJavaFileObjectsFromPaths(files))
          .call();
    }
    List<String> found = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null) {
        found.add(
            className(src, Path.of(d.getSource().toUri()))
                + ": line "
                + d.getLineNumber()
                + ": "
                + d.getMessage(Locale.ROOT));
      }
    }
    return found;
  }

  private static String className(Path src, Path file) {
    return src.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
  }

  private static String source(Example e) {
    String pkg = e.className().substring(0, e.className().lastIndexOf('.'));
    String simple = e.className().substring(pkg.length() + 1);
    String header = "package " + pkg + ";\n" + IMPORTS + "// " + e.where() + "\n";
    if (e.kind() == Kind.CLASS) {
      return header + e.code();
    }
    String code = ADDRESSES.matcher(e.code()).replaceAll("docServers()");
    code = code.replace("MemLock.builder()", "MemLock.builder().restartGrace(false)");
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

  static List<Example> extract() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<Example> all = new ArrayList<>();
    for (Path page : pages) {
      String name = ROOT.relativize(page).toString();
      List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher fence = FENCE.matcher(lines.get(i));
        if (!fence.matches()) {
          continue;
        }
        int indent = fence.group(1).length();
        int start = i + 1;
        StringBuilder code = new StringBuilder();
        for (i = start; !lines.get(i).strip().equals("```"); i++) {
          String l = lines.get(i);
          code.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
        }
        String text = code.toString();
        String pkg = "docs." + name.replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT);
        Matcher cls = CLASS.matcher(text);
        Kind kind =
            cls.find() ? Kind.CLASS : METHOD.matcher(text).find() ? Kind.MEMBERS : Kind.STATEMENTS;
        String simple = kind == Kind.CLASS ? cls.group(1) : "Example" + start;
        all.add(new Example(name, start, text, kind, pkg + ".line" + start + "." + simple));
      }
    }
    return all;
  }
}
