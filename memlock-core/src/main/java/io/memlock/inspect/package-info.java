/**
 * Internal: listing the held lock items of every server ({@code MemLock.list}) with memcached's LRU
 * crawler, each confirmed with {@code mg}. Not public API; it may change in any release.
 */
package io.memlock.inspect;
