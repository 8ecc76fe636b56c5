/**
 * Internal: the server list, placement of lock names on a ketama ring, node health. Not public API;
 * it may change in any release.
 */
package io.memlock.cluster;
