package io.memlock.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/**
 * One scripted answer of a {@link ScriptedServer}: bytes written in chunks, then maybe a close.
 * Hanging is an empty answer without close.
 */
record ScriptedAction(byte[] bytes, int chunkSize, boolean closeAfter) {
  private static final long CHUNK_PAUSE_NANOS = 1_000_000;

  static ScriptedAction reply(byte[] bytes, int chunkSize, boolean closeAfter) {
    return new ScriptedAction(bytes.clone(), Math.max(1, chunkSize), closeAfter);
  }

  /** Writes the answer; returns false if the connection is to be closed now. */
  boolean perform(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    for (int offset = 0; offset < bytes.length; offset += chunkSize) {
      if (offset > 0) {
        LockSupport.parkNanos(CHUNK_PAUSE_NANOS);
      }
      out.write(bytes, offset, Math.min(chunkSize, bytes.length - offset));
      out.flush();
    }
    if (closeAfter) {
      socket.shutdownOutput();
    }
    return !closeAfter;
  }
}
