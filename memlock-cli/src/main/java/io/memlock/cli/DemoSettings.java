package io.memlock.cli;

import java.time.Duration;

/**
 * What the demo runs with.
 *
 * @param servers the memcached servers
 * @param workers worker processes
 * @param orders orders in all, spread over the workers
 * @param stock units in stock at the start of each phase
 * @param think the pause between reading and writing the stock
 * @param privateServer whether the servers are the demo's own, just started for it (then the
 *     restart grace period is not needed: no lock can have been held on them before)
 */
record DemoSettings(
    String servers, int workers, int orders, long stock, Duration think, boolean privateServer) {}
