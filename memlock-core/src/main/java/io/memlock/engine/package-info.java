/**
 * Internal: the lease engine. Acquire / renew / release of leases through a store, the waiters and
 * the local cohort queue of each name, the watchdog that renews held leases, the callback executor,
 * and the multi-step attempt that recipes build on ({@link io.memlock.engine.SyncAttempt}). It
 * knows no recipe. Not public API; it may change in any release.
 */
package io.memlock.engine;
