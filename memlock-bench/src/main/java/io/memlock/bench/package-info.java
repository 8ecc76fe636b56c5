/**
 * JMH benchmarks of memlock's memcached client against xmemcached and spymemcached; the lock
 * comparison with Redisson and ShedLock is in {@link io.memlock.bench.locks}.
 *
 * <p>{@link io.memlock.bench.ClientBenchmark} holds the benchmarks, {@link
 * io.memlock.bench.BenchRunner} runs them at several thread counts against one memcached process
 * and {@link io.memlock.bench.ResultTable} turns JMH's JSON results into a markdown table. Run them
 * with {@code scripts/bench-client.sh}; they are never part of the build's tests.
 */
package io.memlock.bench;
