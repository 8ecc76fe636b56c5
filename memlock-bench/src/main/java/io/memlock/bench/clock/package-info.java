/**
 * Measurements of memcached's one-second clock behind docs/SAFETY.md, not benchmarks: {@link
 * io.memlock.bench.clock.ItemLifetimeProbe} measures how long items really live (the clock's
 * skips), {@link io.memlock.bench.clock.SigstopOverlapProbe} how early items written while
 * memcached is stopped (SIGSTOP) end compared with a holder's trusted lease. Run them with {@code
 * scripts/bench-item-lifetime.sh} and {@code scripts/bench-sigstop.sh}; nothing here runs in the
 * build's tests.
 */
package io.memlock.bench.clock;
