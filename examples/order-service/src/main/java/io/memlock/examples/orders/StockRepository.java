package io.memlock.examples.orders;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Repository;

/**
 * Stock levels. It stands in for a database table read and written without a transaction: {@link
 * #deduct} reads, thinks, then writes, so two unguarded deductions of the same item can both see
 * the same level and sell it twice. The controller guards it with a memlock lock per item.
 */
@Repository
public class StockRepository {
  private final Map<String, Integer> levels = new ConcurrentHashMap<>();

  /**
   * Returns an item's stock.
   *
   * @param item the item
   * @return the level, 0 if unknown
   */
  public int level(String item) {
    return levels.getOrDefault(item, 0);
  }

  /**
   * Sets an item's stock.
   *
   * @param item the item
   * @param quantity the new level
   */
  public void set(String item, int quantity) {
    levels.put(item, quantity);
  }

  /**
   * Takes {@code quantity} from an item's stock if there is enough: a read, some work, a write.
   * Safe only under the item's lock.
   *
   * @param item the item
   * @param quantity how many to take
   * @return the level left, or -1 if there was not enough (nothing taken)
   */
  public int deduct(String item, int quantity) {
    int level = level(item);
    if (level < quantity) {
      return -1;
    }
    Thread.yield(); // the time a database round trip takes: others may read the old level now
    levels.put(item, level - quantity);
    return level - quantity;
  }

  /**
   * Returns every item's stock, sorted by item.
   *
   * @return a copy of the levels
   */
  public Map<String, Integer> all() {
    return new TreeMap<>(levels);
  }
}
