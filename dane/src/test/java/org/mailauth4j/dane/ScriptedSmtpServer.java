package org.mailauth4j.dane;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server that plays a script against each connection, one at a time, for the probe's
 * tests of servers that misbehave. The script's own failures (such as the probe hanging up) end
 * that connection only.
 */
final class ScriptedSmtpServer implements AutoCloseable {

  /** What the server does with one connection. */
  @FunctionalInterface
  interface Script {
    /** Plays against the connection; the server closes it afterwards. */
    void play(Peer peer) throws Exception;
  }

  /** One connection, with the few helpers scripts need. */
  static final class Peer {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    private final List<String> received;

    Peer(Socket socket, List<String> received) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
      this.received = received;
    }

    /** Writes the text in UTF-8, in one write. */
    void send(String text) throws IOException {
      out.write(text.getBytes(UTF_8));
      out.flush();
    }

    /** Reads a command line up to its LF, without CRLF, and records it; null at the end. */
    String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        if (b != '\r') {
          line.write(b);
        }
      }
      if (b < 0 && line.size() == 0) {
        return null;
      }
      String text = line.toString(UTF_8);
      received.add(text);
      return text;
    }

    /** Reads until the client closes the connection. */
    void drain() throws IOException {
      byte[] sink = new byte[1024];
      while (in.read(sink) >= 0) {
        // discard
      }
    }
  }

  private final ServerSocket server;
  private final Thread thread;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private volatile Socket current;

  ScriptedSmtpServer(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> serve(script), "scripted-smtp-" + server.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  private void serve(Script script) {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        current = socket;
        script.play(new Peer(socket, received));
      } catch (InterruptedException e) {
        return;
      } catch (Exception connectionOver) {
        // the probe hung up, or the server is closing: on to the next connection
      }
    }
  }

  /** The server's loopback address and port. */
  InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /** The command lines received so far, in order, over all connections. */
  List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Socket socket = current;
    if (socket != null) {
      socket.close();
    }
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
