package io.memlock.examples.orders;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stock of items. A deduction takes the item's lock from the {@link LockRegistry} (memlock's, made
 * by the starter), so that instances of this service never sell the same unit twice.
 */
@RestController
@RequestMapping("/stock")
public class StockController {
  private final LockRegistry locks;
  private final StockRepository stock;

  /**
   * Makes the controller.
   *
   * @param locks the lock registry (a {@code MemLockRegistry})
   * @param stock the stock levels
   */
  public StockController(LockRegistry locks, StockRepository stock) {
    this.locks = locks;
    this.stock = stock;
  }

  /**
   * Returns an item's stock.
   *
   * @param item the item
   * @return the level
   */
  @GetMapping("/{item}")
  public Map<String, Object> level(@PathVariable String item) {
    return Map.of("item", item, "stock", stock.level(item));
  }

  /**
   * Sets an item's stock (under its lock, so that no deduction is lost).
   *
   * @param item the item
   * @param quantity the new level
   * @return the level
   * @throws InterruptedException if interrupted while waiting for the lock
   */
  @PutMapping("/{item}")
  public ResponseEntity<Map<String, Object>> set(
      @PathVariable String item, @RequestParam int quantity) throws InterruptedException {
    return underLock(
        item,
        () -> {
          stock.set(item, quantity);
          return ResponseEntity.ok(Map.of("item", item, "stock", quantity));
        });
  }

  /**
   * Deducts an order's quantity from an item's stock: 200 with what is left, 409 when there is not
   * enough, 503 when the lock could not be had in time or memcached could not be asked.
   *
   * @param item the item
   * @param quantity how many the order takes
   * @return the outcome
   * @throws InterruptedException if interrupted while waiting for the lock
   */
  @PostMapping("/{item}/deduct")
  public ResponseEntity<Map<String, Object>> deduct(
      @PathVariable String item, @RequestParam(defaultValue = "1") int quantity)
      throws InterruptedException {
    if (quantity <= 0) {
      return ResponseEntity.badRequest().body(Map.of("error", "quantity must be positive"));
    }
    return underLock(
        item,
        () -> {
          int left = stock.deduct(item, quantity);
          if (left < 0) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(Map.of("item", item, "error", "out of stock", "stock", stock.level(item)));
          }
          return ResponseEntity.ok(Map.of("item", item, "stock", left));
        });
  }

  /**
   * memcached could not be asked (the item's server is down or in its restart grace): 503, with the
   * reason.
   *
   * @param e the failure
   * @return the response
   */
  @ExceptionHandler(CannotAcquireLockException.class)
  public ResponseEntity<Map<String, Object>> unavailable(CannotAcquireLockException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("error", String.valueOf(e.getMessage())));
  }

  private ResponseEntity<Map<String, Object>> underLock(
      String item, java.util.function.Supplier<ResponseEntity<Map<String, Object>>> work)
      throws InterruptedException {
    Lock lock = locks.obtain("stock:" + item);
    if (!lock.tryLock(5, TimeUnit.SECONDS)) {
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .body(Map.of("item", item, "error", "the item is busy; try again"));
    }
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
