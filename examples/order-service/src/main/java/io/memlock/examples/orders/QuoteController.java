package io.memlock.examples.orders;

import io.memlock.MemLock;
import io.memlock.RateLimiter;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shipping quotes: each one calls a carrier that allows a few calls per second for the whole
 * service, so every instance takes a permit from one shared memlock rate limiter first.
 */
@RestController
public class QuoteController {
  private final RateLimiter carrierCalls;

  /**
   * Makes the controller.
   *
   * @param memlock the memlock client (made by the starter)
   * @param perSecond calls per second the carrier allows, across all instances
   */
  public QuoteController(MemLock memlock, @Value("${orders.quotes.per-second:5}") int perSecond) {
    this.carrierCalls = memlock.rateLimiter("carrier-quotes", perSecond, Duration.ofSeconds(1));
  }

  /**
   * Returns a shipping quote: 200, or 429 with {@code Retry-After} when the carrier's limit is
   * reached.
   *
   * @param item the item
   * @return the quote
   */
  @GetMapping("/quotes/{item}")
  public ResponseEntity<Map<String, Object>> quote(@PathVariable String item) {
    Duration wait = carrierCalls.tryAcquireOrRetryAfter(1);
    if (!wait.isZero()) {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
          .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
          .body(Map.of("item", item, "error", "carrier rate limit reached"));
    }
    return ResponseEntity.ok(Map.of("item", item, "carrier", "example", "price", 4.90));
  }
}
