/**
 * Internal: the stores of lease items. One server's lease commands ({@link
 * io.memlock.store.SingleServerStore}), the majority over replicas ({@link
 * io.memlock.store.QuorumStore}), the key encodings of locks and synchronizer items, the value a
 * lease item holds, and the client's lock settings. Not public API; it may change in any release.
 */
package io.memlock.store;
