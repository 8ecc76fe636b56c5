/**
 * Internal: the lock algorithm. Lease arithmetic, acquire / renew / release against memcached, the
 * local cohort queue and the watchdog. Not public API; it may change in any release.
 */
package io.memlock.lock;
