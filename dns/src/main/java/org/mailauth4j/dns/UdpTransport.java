package org.mailauth4j.dns;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.WireParseException;

/**
 * The UDP exchanges of one {@link NetworkDnsResolver}, in place of dnsjava's, for two reasons:
 *
 * <ul>
 *   <li>RFC 5452 §9.1: a response counts only if its ID and question match the query. dnsjava takes
 *       the first datagram that arrives as the answer, so a single spoofed packet would end the
 *       lookup; here such datagrams are ignored and the exchange keeps waiting for the real answer
 *       until its timeout. If only such datagrams came, the failure says so.
 *   <li>the timeout of each attempt holds to the millisecond: dnsjava's selector looks at its
 *       deadlines about once a second.
 * </ul>
 *
 * <p>One daemon thread waits on a selector for all exchanges of the resolver. It starts with the
 * first exchange and ends after a while without any, so an unused resolver holds no thread. Each
 * exchange uses its own connected channel on a random port (RFC 5452 §9.2).
 */
final class UdpTransport {
  private static final System.Logger LOG = System.getLogger(NetworkDnsResolver.class.getName());

  /** How long the thread lingers without exchanges before it ends. */
  private static final long IDLE_NANOS = Duration.ofSeconds(5).toNanos();

  private final Object lock = new Object();
  private final Queue<Exchange> submitted = new ConcurrentLinkedQueue<>();
  private final String threadName;

  /** Guarded by {@link #lock}; null while no thread runs. */
  private Selector selector;

  UdpTransport(String threadName) {
    this.threadName = threadName;
  }

  /**
   * Sends a query to a server and completes with the first datagram that answers it, or fails at
   * the timeout: with a {@link SocketTimeoutException}, or a {@link WireParseException} if only
   * datagrams that did not match came.
   */
  CompletableFuture<byte[]> exchange(
      InetSocketAddress remote, Message query, byte[] data, int max, Duration timeout) {
    Exchange exchange = new Exchange(query, remote, max, System.nanoTime() + timeout.toNanos());
    try {
      exchange.channel = DatagramChannel.open();
      exchange.channel.configureBlocking(false);
      exchange.channel.bind(null); // any address, a random port
      exchange.channel.connect(remote); // only the server's datagrams arrive
      if (exchange.channel.write(ByteBuffer.wrap(data)) != data.length) {
        // A datagram goes whole or not at all; none went, as the socket's buffer is full.
        throw new IOException("could not send the query to " + remote + ": send buffer full");
      }
    } catch (IOException | RuntimeException e) {
      exchange.fail(e);
      return exchange.result;
    }
    submitted.add(exchange);
    wake();
    return exchange.result;
  }

  /** Starts the thread, or wakes it to take the new exchange. */
  private void wake() {
    synchronized (lock) {
      if (selector != null) {
        selector.wakeup();
        return;
      }
      try {
        selector = Selector.open();
      } catch (IOException e) {
        failSubmitted(e);
        return;
      }
      Selector own = selector;
      Thread thread = new Thread(() -> run(own), threadName);
      thread.setDaemon(true);
      try {
        thread.start();
      } catch (RuntimeException | Error e) {
        // No thread to serve them: fail what waits, and let the next exchange try again.
        selector = null;
        closeQuietly(own);
        failSubmitted(e);
        throw e;
      }
    }
  }

  /** Fails every exchange not yet taken by the thread. */
  private void failSubmitted(Throwable e) {
    for (Exchange waiting = submitted.poll(); waiting != null; waiting = submitted.poll()) {
      waiting.fail(e);
    }
  }

  private static void closeQuietly(Selector selector) {
    try {
      selector.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the DNS UDP selector failed", e);
    }
  }

  private void run(Selector own) {
    PriorityQueue<Exchange> byDeadline =
        new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    long idleSince = System.nanoTime();
    try {
      while (true) {
        for (Exchange e = submitted.poll(); e != null; e = submitted.poll()) {
          try {
            e.channel.register(own, SelectionKey.OP_READ, e);
            byDeadline.add(e);
          } catch (IOException | RuntimeException ex) {
            e.fail(ex);
          }
        }
        long now = System.nanoTime();
        long wait = byDeadline.isEmpty() ? IDLE_NANOS : byDeadline.peek().deadline - now;
        if (wait > 0) {
          own.select(Math.max(1, (wait + 999_999) / 1_000_000));
        } else {
          own.selectNow();
        }
        for (SelectionKey key : own.selectedKeys()) {
          ((Exchange) key.attachment()).read();
        }
        own.selectedKeys().clear();
        now = System.nanoTime();
        while (!byDeadline.isEmpty()
            && (byDeadline.peek().result.isDone() || byDeadline.peek().deadline - now <= 0)) {
          byDeadline.poll().timeOut();
        }
        if (!byDeadline.isEmpty()) {
          idleSince = now;
        } else if (now - idleSince >= IDLE_NANOS) {
          synchronized (lock) {
            if (submitted.isEmpty()) {
              selector = null;
              return;
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "DNS UDP selector failed; pending queries fail", e);
      byDeadline.forEach(ex -> ex.fail(e));
      synchronized (lock) {
        // Under the lock, so that exchanges submitted for a thread started later stay its own.
        selector = null;
        failSubmitted(e);
      }
    } finally {
      closeQuietly(own);
    }
  }

  /** One query and the wait for its answer. Touched only by the selector thread once sent. */
  private static final class Exchange {
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    final Message query;
    final InetSocketAddress remote;
    final int max;
    final long deadline;
    DatagramChannel channel;
    int ignored;
    String lastIgnored;

    Exchange(Message query, InetSocketAddress remote, int max, long deadline) {
      this.query = query;
      this.remote = remote;
      this.max = max;
      this.deadline = deadline;
    }

    void read() {
      if (result.isDone()) {
        close(); // completed from outside, such as cancelled: the channel must not stay ready
        return;
      }
      ByteBuffer buffer = ByteBuffer.allocate(Math.max(max, 512));
      try {
        while (!result.isDone()) {
          buffer.clear();
          int n = channel.read(buffer);
          if (n <= 0) {
            return;
          }
          byte[] datagram = Arrays.copyOf(buffer.array(), n);
          String mismatch = mismatch(datagram);
          if (mismatch == null) {
            close();
            result.complete(datagram);
            return;
          }
          ignored++;
          lastIgnored = mismatch;
          if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "ignored a datagram from " + remote + ": " + mismatch);
          }
        }
      } catch (IOException | RuntimeException e) {
        fail(e); // such as PortUnreachableException: the server's port is closed
      }
    }

    /** Why a datagram is not the answer to this query (RFC 5452 §9.1), or null if it is. */
    private String mismatch(byte[] datagram) {
      int expected = query.getHeader().getID();
      if (datagram.length < 12) {
        return "a datagram of " + datagram.length + " octets is no DNS message";
      }
      int id = (datagram[0] & 0xFF) << 8 | datagram[1] & 0xFF;
      if (id != expected) {
        return "response ID " + id + ", expected " + expected;
      }
      Record asked = query.getQuestion();
      Record question;
      try {
        question = new Message(datagram).getQuestion();
      } catch (IOException | RuntimeException e) {
        return "response with ID " + id + " does not parse: " + e.getMessage();
      }
      if (question == null
          || !question.getName().equals(asked.getName())
          || question.getType() != asked.getType()
          || question.getDClass() != asked.getDClass()) {
        return "response with ID " + id + " answers another question: " + question;
      }
      return null;
    }

    void timeOut() {
      if (result.isDone()) {
        close();
        return;
      }
      close();
      if (ignored > 0) {
        // Only mismatched datagrams came: say so, rather than that the server was silent.
        result.completeExceptionally(
            new WireParseException(
                "no matching response from "
                    + remote
                    + "; ignored "
                    + ignored
                    + " datagram(s), the last: "
                    + lastIgnored));
      } else {
        result.completeExceptionally(new SocketTimeoutException("Timed out waiting for " + remote));
      }
    }

    void fail(Throwable e) {
      close();
      result.completeExceptionally(e);
    }

    private void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          LOG.log(Level.DEBUG, "closing a DNS UDP channel failed", e);
        }
      }
    }
  }
}
