package io.memlock;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What memcached says about a held lock: who holds it, its fence, and how long its lease runs.
 *
 * @param name the lock's name
 * @param holder the holder's description as the holder wrote it (host/pid/thread)
 * @param fencingToken the holder's fencing token, once the holder has published it (at its first
 *     renewal, within a second of acquiring); empty before
 * @param leaseLeft the remaining lease as memcached reports it (whole seconds)
 * @param server the server the lock item is on
 */
public record LockInfo(
    String name, String holder, OptionalLong fencingToken, Duration leaseLeft, String server) {}
