/**
 * The listing benchmark: how long {@code MemLock.list} takes to find 1,000 held locks among
 * 1,000,000 other items on one memcached. {@link io.memlock.bench.list.ListBenchRunner} runs it
 * (with {@code scripts/bench-list.sh}); see docs/BENCHMARKS.md. Nothing here runs in the build's
 * tests.
 */
package io.memlock.bench.list;
