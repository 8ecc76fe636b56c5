package io.memlock.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example service on a random port against a real memcached it starts. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "orders.quotes.per-second=3")
class OrderServiceTest {
  private static final MemcachedServer MEMCACHED = MemcachedServer.startNew();

  @DynamicPropertySource
  static void memcached(DynamicPropertyRegistry properties) {
    properties.add("memlock.servers", MEMCACHED::hostAndPort);
    // The server was started by this test: no client can have held a lock on it before.
    properties.add("memlock.restart-grace", () -> "false");
  }

  @AfterAll
  static void stopMemcached() {
    MEMCACHED.close();
  }

  @LocalServerPort int port;

  @Autowired NightlyStockReport report;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void ordersFromManyThreadsNeverOversell() throws Exception {
    assertThat(send("PUT", "/stock/widget?quantity=40").statusCode()).isEqualTo(200);
    int threads = 8;
    int ordersEach = 10;
    AtomicInteger sold = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Integer> other = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < ordersEach; i++) {
                    int status = send("POST", "/stock/widget/deduct?quantity=1").statusCode();
                    if (status == 200) {
                      sold.incrementAndGet();
                    } else if (status == 409) {
                      refused.incrementAndGet();
                    } else {
                      other.add(status);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(other).isEmpty();
    assertThat(sold.get()).isEqualTo(40);
    assertThat(refused.get()).isEqualTo(threads * ordersEach - 40);
    assertThat(send("GET", "/stock/widget").body()).contains("\"stock\":0");
  }

  @Test
  void quotesKeepToTheSharedRateLimit() throws Exception {
    long t0 = System.nanoTime();
    int ok = 0;
    HttpResponse<String> limited = null;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = send("GET", "/quotes/widget");
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertThat(r.statusCode()).isEqualTo(429);
        limited = r;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    // A burst of 3, then 3 a second.
    assertThat(ok).isGreaterThanOrEqualTo(3).isLessThanOrEqualTo(3 + (int) Math.ceil(seconds * 3));
    assertThat(limited).isNotNull();
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
  }

  @Test
  void theNightlyJobRunsOnceWhileItsLockIsHeld() {
    int before = report.runs();
    report.run();
    report.run(); // lockAtLeastFor (5 minutes) still holds the lock: ShedLock skips this run
    assertThat(report.runs()).isEqualTo(before + 1);
  }

  @Test
  void metricsAndHealthAreOnTheActuator() throws Exception {
    send("POST", "/stock/gadget/deduct?quantity=1");
    HttpResponse<String> health = send("GET", "/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"memlock\"").contains(MEMCACHED.hostAndPort());
    HttpResponse<String> acquire = send("GET", "/actuator/metrics/memlock.lock.acquire");
    assertThat(acquire.statusCode()).isEqualTo(200);
    assertThat(acquire.body()).contains("acquired");
    assertThat(send("GET", "/actuator/metrics/memlock.server.requests").statusCode())
        .isEqualTo(200);
    assertThat(send("GET", "/actuator/metrics/memlock.lock.held").statusCode()).isEqualTo(200);
  }
}
