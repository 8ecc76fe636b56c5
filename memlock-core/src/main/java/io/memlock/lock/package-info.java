/**
 * Internal: the lock algorithm. Lease arithmetic, acquire / renew / release against memcached, the
 * local cohort queue and the watchdog, and the recipes built on them (fair lock, read-write lock,
 * semaphore, leader election). Not public API; it may change in any release.
 */
package io.memlock.lock;
