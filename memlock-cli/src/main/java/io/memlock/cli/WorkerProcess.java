package io.memlock.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The demo's side of one {@link DemoWorker} process: starts it and reads its report lines. */
final class WorkerProcess {
  private final Process process;
  private final PhaseTally tally;
  private final CountDownLatch ready;
  private final CountDownLatch done;
  private final List<String> other = new ArrayList<>();
  private volatile String failure;

  private WorkerProcess(
      Process process, PhaseTally tally, CountDownLatch ready, CountDownLatch done) {
    this.process = process;
    this.tally = tally;
    this.ready = ready;
    this.done = done;
  }

  /**
   * Starts a worker JVM with this JVM's classpath.
   *
   * @param args the worker's arguments
   * @param tally where its orders are counted
   * @param ready counted down when it is ready (or gone)
   * @param done counted down when it is done (or gone)
   * @return the worker
   * @throws IOException if java cannot be started
   */
  static WorkerProcess start(
      List<String> args, PhaseTally tally, CountDownLatch ready, CountDownLatch done)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(DemoWorker.class.getName());
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    WorkerProcess w = new WorkerProcess(p, tally, ready, done);
    Thread reader = new Thread(w::read, "demo-worker-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    return w;
  }

  /** Tells the worker to start selling. */
  void go() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
  }

  /** Returns why the worker failed, or null. */
  String failure() {
    return failure;
  }

  /** Ends the worker: closes its stdin (it exits) and kills it if it lingers. */
  void stop() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // it is gone
    }
    process.destroyForcibly();
  }

  private void read() {
    boolean sawReady = false;
    boolean sawDone = false;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("O ")) {
          tally.add(line);
        } else if (line.equals("READY")) {
          sawReady = true;
          ready.countDown();
        } else if (line.equals("DONE")) {
          sawDone = true;
          break;
        } else if (line.startsWith("ERROR ")) {
          failure = line.substring(6);
        } else if (other.size() < 20) {
          other.add(line);
        }
      }
    } catch (IOException e) {
      failure = "cannot read its output: " + e.getMessage();
    } finally {
      if (!sawDone && failure == null) {
        failure = "it exited early" + (other.isEmpty() ? "" : ": " + String.join(" | ", other));
      }
      if (!sawReady) {
        ready.countDown();
      }
      done.countDown();
    }
  }
}
