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
 */
record DemoSettings(String servers, int workers, int orders, long stock, Duration think) {}
