/**
 * Internal: pipelined Netty connections to memcached servers, with per-request timeouts,
 * reconnection and TLS. Not public API; it may change in any release.
 */
package io.memlock.transport;
