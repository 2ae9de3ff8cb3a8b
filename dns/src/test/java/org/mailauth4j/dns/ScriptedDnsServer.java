package org.mailauth4j.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;

/**
 * A DNS server on loopback (UDP and TCP on one port) that answers whatever its script says:
 * garbage, error codes, lies, or nothing at all. For the hostile-server tests of {@link
 * NetworkDnsResolver}.
 */
final class ScriptedDnsServer implements AutoCloseable {

  /** Decides the reply to a query; {@code null} means stay silent. */
  interface Script {
    byte[] reply(Message query, byte[] raw, boolean tcp) throws Exception;

    /** The datagrams (or the one TCP reply, the first) sent back, in order; empty for silence. */
    default List<byte[]> replies(Message query, byte[] raw, boolean tcp) throws Exception {
      byte[] reply = reply(query, raw, tcp);
      return reply == null ? List.of() : List.of(reply);
    }
  }

  final AtomicInteger udpQueries = new AtomicInteger();
  final AtomicInteger tcpQueries = new AtomicInteger();
  private final Script script;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Thread udpThread;
  private final Thread tcpThread;

  ScriptedDnsServer(Script script) throws IOException {
    this.script = script;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    DatagramSocket boundUdp = null;
    ServerSocket boundTcp = null;
    for (int attempt = 0; attempt < 50 && boundTcp == null; attempt++) {
      boundUdp = new DatagramSocket(new InetSocketAddress(loopback, 0));
      try {
        boundTcp = new ServerSocket(boundUdp.getLocalPort(), 50, loopback);
      } catch (IOException taken) {
        boundUdp.close();
      }
    }
    if (boundTcp == null) {
      throw new IOException("no loopback port free for both UDP and TCP");
    }
    this.udp = boundUdp;
    this.tcp = boundTcp;
    udpThread = new Thread(this::serveUdp, "scripted-dns-udp");
    tcpThread = new Thread(this::serveTcp, "scripted-dns-tcp");
    udpThread.setDaemon(true);
    tcpThread.setDaemon(true);
    udpThread.start();
    tcpThread.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!udp.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        udpQueries.incrementAndGet();
        byte[] raw = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
        for (byte[] reply : script.replies(new Message(raw), raw, false)) {
          udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
        }
      } catch (SocketException closed) {
        return;
      } catch (Exception e) {
        // A script error is a test bug; the query goes unanswered and the test sees a timeout.
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket s = tcp.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] raw = new byte[in.readUnsignedShort()];
        in.readFully(raw);
        tcpQueries.incrementAndGet();
        List<byte[]> replies = script.replies(new Message(raw), raw, true);
        if (!replies.isEmpty()) {
          byte[] reply = replies.get(0);
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          out.writeShort(reply.length);
          out.write(reply);
          out.flush();
        }
      } catch (SocketException closed) {
        if (tcp.isClosed()) {
          return;
        }
      } catch (Exception e) {
        // as above
      }
    }
  }

  @Override
  public void close() throws IOException {
    udp.close();
    tcp.close();
  }
}
