package io.memlock.testing;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The {@code ```java} code examples of a project's README.md and docs/*.md, taken out of the
 * markdown and compiled (javax.tools) against the test class path, so that tests can check every
 * example compiles and runs.
 *
 * <p>Which examples a test runs and how it wraps each one into a compilation unit is the test's
 * business; this class finds them ({@link #extract(Path)}), tells which need the frameworks ({@link
 * #needsFrameworks(Example)}) and compiles them ({@link #compile}).
 */
public final class DocExamples {
  private static final Pattern FENCE = Pattern.compile("^(\\s*)```java\\s*$");
  private static final Pattern CLASS =
      Pattern.compile("(?m)^(?:public |final |abstract )*class (\\w+)");
  private static final Pattern METHOD =
      Pattern.compile(
          "(?m)^(?!(?:try|if|for|while|switch|synchronized|catch|else|do|return|new)\\b)"
              + "[\\w<>\\[\\], ?]+\\s+\\w+\\([^;]*\\)\\s*(?:throws [\\w., ]+)?\\{\\s*$");
  private static final Pattern SPRING_ANNOTATION =
      Pattern.compile(
          "@(?:Bean|Configuration|Component|Service|Scheduled|SchedulerLock|Enable\\w+"
              + "|\\w+Mapping|PathVariable|RequestBody)\\b");

  private static final Pattern ADDRESSES =
      Pattern.compile("\"\\d{1,3}(?:\\.\\d{1,3}){3}:\\d+(?:,\\d{1,3}(?:\\.\\d{1,3}){3}:\\d+)*\"");

  /** The page of the examples that use Spring, Spring Integration, ShedLock or Micrometer. */
  public static final String INTEGRATIONS_PAGE = "docs/INTEGRATIONS.md";

  private DocExamples() {}

  /** The shape of an example, which decides how a test wraps it into a class. */
  public enum Kind {
    /** Statements: the body of a method. */
    STATEMENTS,
    /** Members (its top-level lines declare methods): the body of a class. */
    MEMBERS,
    /** A class declared at the example's top level: a compilation unit as it is. */
    CLASS
  }

  /**
   * One example.
   *
   * @param page the markdown file, relative to the root (e.g. {@code docs/CLUSTER.md})
   * @param line the line of the page where the code starts (1-based, after the fence)
   * @param code the code, without the fence's indentation
   * @param kind the shape of the code
   * @param className a class name unique to the example, in a package named after page and line
   */
  public record Example(String page, int line, String code, Kind kind, String className) {
    /**
     * Where the example is, for messages.
     *
     * @return page and line, e.g. {@code docs/CLUSTER.md line 8}
     */
    public String where() {
      return page + " line " + line;
    }

    /**
     * The simple names of the classes the code declares at its top level, in order.
     *
     * @return the names, empty unless the kind is {@link Kind#CLASS}
     */
    public List<String> topLevelClasses() {
      List<String> names = new ArrayList<>();
      Matcher m = CLASS.matcher(code);
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    }

    /**
     * The package of {@link #className()}.
     *
     * @return the package name
     */
    public String packageName() {
      return className.substring(0, className.lastIndexOf('.'));
    }

    /**
     * The simple name of {@link #className()}.
     *
     * @return the class name without its package
     */
    public String simpleName() {
      return className.substring(className.lastIndexOf('.') + 1);
    }
  }

  /**
   * The compiled examples.
   *
   * @param loader loads the examples' classes (delegating to the parent given to {@link #compile})
   * @param errors javac's errors, each {@code <class name>: line <n>: <message>}
   */
  public record Compiled(ClassLoader loader, List<String> errors) {
    /**
     * The compilation errors of one example.
     *
     * @param e the example
     * @return its errors, empty when it compiled
     */
    public List<String> errorsOf(Example e) {
      return errors.stream().filter(m -> m.startsWith(e.className() + ":")).toList();
    }
  }

  /**
   * Whether an example needs the frameworks memlock integrates with: it is on {@link
   * #INTEGRATIONS_PAGE}, or it uses Spring annotations ({@code @Bean}, {@code @Configuration},
   * {@code @Scheduled}, {@code @SchedulerLock}, {@code @PostMapping}, ...). memlock-core's tests
   * run the others; a module with the frameworks on its class path runs these.
   *
   * @param e the example
   * @return true when the example needs Spring, ShedLock or Micrometer to compile
   */
  public static boolean needsFrameworks(Example e) {
    return e.page().equals(INTEGRATIONS_PAGE) || SPRING_ANNOTATION.matcher(e.code()).find();
  }

  /**
   * Makes an example's code run against a test's servers: a string literal of {@code host:port}
   * addresses becomes the given expression, and {@code MemLock.builder()} gets {@code
   * .restartGrace(false)} (the test just started the servers: no client can have held a lock on
   * them).
   *
   * @param code the example's code
   * @param servers a Java expression giving the test's server list
   * @return the code to compile
   */
  public static String forTestServers(String code, String servers) {
    return ADDRESSES
        .matcher(code)
        .replaceAll(Matcher.quoteReplacement(servers))
        .replace("MemLock.builder()", "MemLock.builder().restartGrace(false)");
  }

  /**
   * Every {@code ```java} example of {@code root/README.md} and {@code root/docs/*.md}, in page
   * order (README first, then the docs by name).
   *
   * @param root the project's root directory
   * @return the examples
   * @throws IOException when a page cannot be read
   */
  public static List<Example> extract(Path root) throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<Example> all = new ArrayList<>();
    for (Path page : pages) {
      String name = root.relativize(page).toString().replace('\\', '/');
      List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher fence = FENCE.matcher(lines.get(i));
        if (!fence.matches()) {
          continue;
        }
        int indent = fence.group(1).length();
        int start = i + 1;
        StringBuilder code = new StringBuilder();
        for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
          String l = lines.get(i);
          code.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
        }
        if (i == lines.size()) {
          throw new IllegalStateException(name + " line " + start + ": code block never closed");
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

  /**
   * Compiles the examples against the test class path ({@code surefire.test.class.path}, else
   * {@code java.class.path}), each as the source the function makes of it. javac writes no class
   * when any file has an error (and reports some errors only once others are gone), so the examples
   * are compiled again without the broken ones until the rest compiles: only the broken ones have
   * errors.
   *
   * @param examples the examples
   * @param source makes an example's compilation unit, declaring {@link Example#className()}
   * @param work an empty directory for the sources and classes
   * @param parent the parent of the returned class loader (the test's)
   * @return the class loader and the errors
   * @throws IOException when a file cannot be written
   */
  public static Compiled compile(
      List<Example> examples, Function<Example, String> source, Path work, ClassLoader parent)
      throws IOException {
    Path src = Files.createDirectories(work.resolve("src"));
    Path out = Files.createDirectories(work.resolve("classes"));
    List<Path> files = new ArrayList<>();
    for (Example e : examples) {
      Path file = src.resolve(e.className().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.apply(e), StandardCharsets.UTF_8);
      files.add(file);
    }
    List<String> found = new ArrayList<>();
    List<Path> left = files;
    while (!left.isEmpty()) {
      List<String> round = javac(src, out, left);
      if (round.isEmpty()) {
        break;
      }
      found.addAll(round);
      left =
          left.stream()
              .filter(f -> round.stream().noneMatch(m -> m.startsWith(className(src, f) + ":")))
              .toList();
    }
    return new Compiled(new URLClassLoader(new URL[] {out.toUri().toURL()}, parent), found);
  }

  private static List<String> javac(Path src, Path out, List<Path> files) throws IOException {
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
              List.of(
                  "-proc:none",
                  "-parameters",
                  "-encoding",
                  "UTF-8",
                  "-cp",
                  classPath,
                  "-d",
                  out.toString()),
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
}
