/**
 * Internal: the recipes, each built on the lease engine or on plain items: fair lock, read-write
 * lock, semaphore, leader election, rate limiter (GCRA) and refreshing cache. Not public API; it
 * may change in any release.
 */
package io.memlock.recipes;
