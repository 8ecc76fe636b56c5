package io.memlock.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking raw-socket client for tests. */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawClient connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address, 5000);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(5000);
    return new RawClient(socket);
  }

  /** Sends one command and returns the first reply line. */
  static String call(InetSocketAddress address, String command) throws IOException {
    try (RawClient client = connect(address)) {
      return client.call(command);
    }
  }

  RawClient timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
    return this;
  }

  void send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The next line without \r\n, or null at end of stream. */
  String line() throws IOException {
    return TextProtocol.readLine(in);
  }

  String call(String command) throws IOException {
    send(command + "\r\n");
    return line();
  }

  /** Everything until end of stream. */
  String readToEnd() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Reads one byte: -1 at end of stream. */
  int read() throws IOException {
    return in.read();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
