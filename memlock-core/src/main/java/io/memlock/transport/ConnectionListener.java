package io.memlock.transport;

/**
 * Told when a connection to a server comes up or goes down. Called on the connection's event loop:
 * do not block.
 */
public interface ConnectionListener {
  /**
   * A connection to the server is ready. Requests sent after this returns may use it.
   *
   * @param node the server's client
   * @param epoch the node's connection epoch after this connection
   */
  default void connected(NodeClient node, long epoch) {}

  /**
   * A connection to the server went down.
   *
   * @param node the server's client
   * @param cause why, never null
   */
  default void disconnected(NodeClient node, Throwable cause) {}
}
