package io.memlock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Counters in a file that threads and processes update atomically (a JVM monitor plus an OS file
 * lock), for checking how many holders are inside at once.
 */
final class SharedCounters {
  private static final Object JVM_WIDE = new Object();

  private final Path file;
  private final int size;

  SharedCounters(Path file, int size) {
    this.file = file;
    this.size = size;
  }

  /** Applies {@code change} to the counters atomically and returns their new values. */
  long[] update(Consumer<long[]> change) {
    synchronized (JVM_WIDE) {
      try (FileChannel ch =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        ByteBuffer buf = ByteBuffer.allocate(size * Long.BYTES);
        long[] values = new long[size];
        if (ch.size() >= buf.capacity()) {
          ch.read(buf, 0);
          buf.flip();
          for (int i = 0; i < size; i++) {
            values[i] = buf.getLong();
          }
        }
        change.accept(values);
        buf.clear();
        for (long v : values) {
          buf.putLong(v);
        }
        buf.flip();
        ch.write(buf, 0);
        return values;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  long[] read() {
    return update(v -> {});
  }
}
