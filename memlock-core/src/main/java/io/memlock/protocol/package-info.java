/**
 * Internal: the memcached meta protocol (requests, replies, the reply decoder). Not public API; it
 * may change in any release.
 */
package io.memlock.protocol;
