package io.memlock.examples.orders;

import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The nightly stock report. Every instance schedules it; ShedLock, on memlock's lock provider, lets
 * one instance run it per night: the lock is held while it runs (at most 10 minutes,
 * memlock.max-lease-time) and for at least 5 minutes, so instances whose clocks differ a little do
 * not run it again.
 */
@Component
public class NightlyStockReport {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyStockReport.class);

  private final StockRepository stock;
  private final AtomicInteger runs = new AtomicInteger();

  /**
   * Makes the job.
   *
   * @param stock the stock levels
   */
  public NightlyStockReport(StockRepository stock) {
    this.stock = stock;
  }

  /** Writes the report; at 02:00 every night unless {@code orders.report.cron} says otherwise. */
  @Scheduled(cron = "${orders.report.cron:0 0 2 * * *}")
  @SchedulerLock(name = "nightly-stock-report", lockAtMostFor = "PT10M", lockAtLeastFor = "PT5M")
  public void run() {
    runs.incrementAndGet();
    LOG.info("nightly stock report: {}", stock.all());
  }

  /**
   * Returns how many times this instance ran the report.
   *
   * @return the count
   */
  public int runs() {
    return runs.get();
  }
}
