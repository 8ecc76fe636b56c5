package io.memlock.examples.orders;

import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * An order service that uses memlock the way Spring services take locks: a Spring Integration
 * {@code LockRegistry} around stock deductions, ShedLock's {@code @SchedulerLock} on a nightly job,
 * a rate limiter on an expensive endpoint, and meters and health on the actuator. The {@code
 * memlock-spring-boot-starter} makes every memlock bean from one property, {@code memlock.servers}.
 */
@SpringBootApplication
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "PT10M")
public class OrderServiceApplication {
  /**
   * Starts the service.
   *
   * @param args Spring Boot arguments, e.g. {@code --memlock.servers=localhost:11211}
   */
  public static void main(String[] args) {
    SpringApplication.run(OrderServiceApplication.class, args);
  }
}
