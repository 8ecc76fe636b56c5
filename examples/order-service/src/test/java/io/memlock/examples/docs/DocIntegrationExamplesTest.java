package io.memlock.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.MemLock;
import io.memlock.spring.integration.MemLockRegistry;
import io.memlock.testing.DocExamples;
import io.memlock.testing.DocExamples.Example;
import io.memlock.testing.DocExamples.Kind;
import io.memlock.testing.MemcachedExtension;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/**
 * The code examples of README.md and docs/*.md that need Spring, ShedLock or Micrometer ({@link
 * DocExamples#needsFrameworks}: those of docs/INTEGRATIONS.md and those with Spring annotations)
 * compile and run here, where the frameworks are on the class path; memlock-core's DocExamplesTest
 * runs the others.
 *
 * <p>Each example is compiled with the frameworks' packages imported and its addresses replaced by
 * the test's memcached ({@link DocExamples#forTestServers}), then run for real:
 *
 * <ul>
 *   <li>whole classes: registered in an {@link AnnotationConfigApplicationContext}, which must
 *       start with every {@code @Bean}; a leader initiator must win the election; the methods
 *       without parameters of the classes that are not {@code @Configuration} are called on their
 *       beans (through the framework's proxies, e.g. ShedLock's);
 *   <li>members and statements: the body of an {@link IntegrationDocExample} subclass; its methods
 *       are called, with {@code "doc"} for each {@code String} parameter.
 * </ul>
 */
class DocIntegrationExamplesTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(1);

  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final String IMPORTS =
      """
      import io.memlock.*;
      import io.memlock.micrometer.*;
      import io.memlock.shedlock.*;
      import io.memlock.spring.integration.*;
      import io.micrometer.core.instrument.Tags;
      import java.time.*;
      import java.util.concurrent.TimeUnit;
      import java.util.concurrent.locks.Lock;
      import net.javacrumbs.shedlock.core.LockProvider;
      import net.javacrumbs.shedlock.spring.annotation.*;
      import org.springframework.context.annotation.*;
      import org.springframework.http.ResponseEntity;
      import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
      import org.springframework.scheduling.annotation.*;
      import org.springframework.stereotype.Component;
      import org.springframework.web.bind.annotation.*;
      """;
  private static final String SERVERS = IntegrationDocExample.class.getName() + ".docServers()";

  @TempDir static Path work;

  private static List<Example> examples;
  private static DocExamples.Compiled compiled;

  static List<Example> extract() throws IOException {
    return DocExamples.extract(ROOT).stream().filter(DocExamples::needsFrameworks).toList();
  }

  @Test
  void theExamplesAreFound() throws IOException {
    List<Example> all = extract();
    assertThat(all.stream().map(Example::page).distinct())
        .contains("README.md", DocExamples.INTEGRATIONS_PAGE);
    assertThat(all.stream().map(Example::code))
        .anyMatch(c -> c.contains("MemLockRegistry"))
        .anyMatch(c -> c.contains("MemLockProvider"))
        .anyMatch(c -> c.contains("MemLockMetrics"));
  }

  @TestFactory
  Stream<DynamicTest> everyFrameworkExampleCompilesAndRuns() throws IOException {
    compileAll();
    IntegrationDocExample.useServers(memcached.serverList());
    return examples.stream()
        .map(e -> DynamicTest.dynamicTest(e.where() + " (" + e.kind() + ")", () -> check(e)));
  }

  private static synchronized void compileAll() throws IOException {
    if (examples == null) {
      List<Example> all = extract();
      compiled =
          DocExamples.compile(
              all,
              DocIntegrationExamplesTest::source,
              work,
              IntegrationDocExample.class.getClassLoader());
      examples = all;
    }
  }

  private static void check(Example e) throws Exception {
    assertThat(compiled.errorsOf(e)).as("%s does not compile:%n%s", e.where(), e.code()).isEmpty();
    if (e.kind() == Kind.CLASS) {
      startContext(e);
      return;
    }
    Class<?> c = compiled.loader().loadClass(e.className());
    try (MemLock client = memcached.memlockBuilder().build()) {
      IntegrationDocExample example =
          (IntegrationDocExample) c.getDeclaredConstructor().newInstance();
      example.init(client, new MemLockRegistry(client));
      List<Method> methods =
          e.kind() == Kind.STATEMENTS
              ? List.of(c.getDeclaredMethod("run"))
              : Arrays.stream(c.getDeclaredMethods())
                  .filter(m -> !Modifier.isStatic(m.getModifiers()))
                  .toList();
      assertThat(methods).as("%s has nothing to run", e.where()).isNotEmpty();
      for (Method m : methods) {
        call(e, m, example);
      }
      if (e.code().contains("meterRegistry")) {
        assertThat(example.meterRegistry.getMeters())
            .as("%s binds memlock's meters", e.where())
            .anyMatch(meter -> meter.getId().getName().startsWith("memlock."));
      }
    }
  }

  private static void startContext(Example e) throws Exception {
    List<Class<?>> classes = new ArrayList<>();
    for (String name : e.topLevelClasses()) {
      classes.add(compiled.loader().loadClass(e.packageName() + "." + name));
    }
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.setClassLoader(compiled.loader());
      context.register(classes.toArray(Class<?>[]::new));
      context.refresh();
      for (Class<?> c : classes) {
        if (c.isAnnotationPresent(Configuration.class)) {
          for (Method m : c.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Bean.class)) {
              assertThat(context.containsBean(m.getName()))
                  .as("%s: bean %s", e.where(), m.getName())
                  .isTrue();
            }
          }
        } else {
          Object bean = context.getBean(c);
          for (Method m : c.getDeclaredMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())) {
              call(e, m, bean);
            }
          }
        }
      }
      for (LockRegistryLeaderInitiator leader :
          context.getBeansOfType(LockRegistryLeaderInitiator.class).values()) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> leader.getContext().isLeader());
      }
    }
  }

  private static void call(Example e, Method m, Object target) {
    m.setAccessible(true);
    Object[] args = new Object[m.getParameterCount()];
    for (int i = 0; i < args.length; i++) {
      assertThat(m.getParameterTypes()[i])
          .as("%s: %s takes only strings", e.where(), m.getName())
          .isEqualTo(String.class);
      args[i] = "doc";
    }
    try {
      m.invoke(target, args);
    } catch (InvocationTargetException failed) {
      throw new AssertionError(e.where() + " failed when run", failed.getCause());
    } catch (IllegalAccessException impossible) {
      throw new AssertionError(impossible);
    }
  }

  private static String source(Example e) {
    String header = "package " + e.packageName() + ";\n" + IMPORTS + "// " + e.where() + "\n";
    String code = DocExamples.forTestServers(e.code(), SERVERS);
    if (e.kind() == Kind.CLASS) {
      return header + code;
    }
    String open =
        "public class "
            + e.simpleName()
            + " extends "
            + IntegrationDocExample.class.getName()
            + " {\n";
    if (e.kind() == Kind.MEMBERS) {
      return header + open + code + "}\n";
    }
    return header + open + "public void run() throws Exception {\n" + code + "}\n}\n";
  }
}
