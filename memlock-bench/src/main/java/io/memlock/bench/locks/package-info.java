/**
 * The side-by-side comparison of memlock's lock with Redisson (RLock, RFencedLock) on Redis, a
 * ShedLock-style memcached lock and the raw limit of a memcached lock (meta add + compare-delete
 * round trips). See docs/BENCHMARKS.md.
 *
 * <p>{@link io.memlock.bench.locks.LockBenchRunner} runs everything (run it with {@code
 * scripts/bench-locks.sh}): the JMH benchmarks of {@link io.memlock.bench.locks.LockBenchmark}
 * (scenarios 1 to 3), the multi-process hand-off measurement ({@code HandoffScenario} with {@link
 * io.memlock.bench.locks.HandoffWorker} processes, analysed by {@link
 * io.memlock.bench.locks.HandoffAnalysis}) and the watchdog measurement ({@code RenewalScenario}
 * with {@link io.memlock.bench.locks.RenewalWorker} processes); {@link
 * io.memlock.bench.locks.LockReport}, {@link io.memlock.bench.locks.Goals} and {@link
 * io.memlock.bench.locks.LockChart} turn the {@link io.memlock.bench.locks.Results} into markdown,
 * verdicts and a PNG. {@link io.memlock.bench.locks.LockPathProbe} is a diagnostic that attributes
 * a lock path's cost to the threads that pay it. Nothing here runs in the build's tests.
 */
package io.memlock.bench.locks;
