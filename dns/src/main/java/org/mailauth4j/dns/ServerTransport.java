package org.mailauth4j.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.WireParseException;

/**
 * One server, asked the way {@link NetworkDnsResolver} needs, in place of dnsjava's {@code
 * SimpleResolver}: UDP through {@link UdpTransport} (which ignores datagrams that do not match the
 * query, RFC 5452 §9.1, and keeps each attempt's timeout exactly), TCP through the JDK's
 * asynchronous channels when the query is too large or the UDP answer truncated (RFC 7766 §5). No
 * thread waits for an answer. It is dnsjava's {@link Resolver}, so that dnsjava's retrying and
 * validating resolvers can stand in front of it; it is configured once, before use.
 */
final class ServerTransport implements Resolver {
  /** The largest DNS message; TCP frames it with a two-octet length (RFC 1035 §4.2.2). */
  private static final int MAX_MESSAGE = 0xFFFF;

  private final InetSocketAddress server;
  private final UdpTransport udp;
  private volatile Duration timeout = Duration.ofSeconds(3);
  private volatile OPTRecord edns;
  private volatile boolean tcpOnly;
  private volatile boolean ignoreTruncation;

  ServerTransport(InetSocketAddress server, UdpTransport udp) {
    this.server = server;
    this.udp = udp;
  }

  @Override
  public void setPort(int port) {
    throw new IllegalStateException("the server address is fixed: " + server);
  }

  @Override
  public void setTCP(boolean flag) {
    tcpOnly = flag;
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    ignoreTruncation = flag;
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    edns =
        version < 0
            ? null
            : new OPTRecord(Math.max(512, payloadSize), 0, version, flags, List.copyOf(options));
  }

  @Override
  public void setTSIGKey(TSIG key) {
    throw new IllegalStateException("TSIG is not used for lookups");
  }

  @Override
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    Message q = query.clone();
    OPTRecord opt = edns;
    if (opt != null && q.getOPT() == null) {
      q.addRecord(opt, Section.ADDITIONAL);
    }
    byte[] wire;
    try {
      wire = q.toWire(MAX_MESSAGE);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    int udpSize = opt == null ? 512 : opt.getPayloadSize();
    Duration limit = timeout;
    if (tcpOnly || wire.length > udpSize) {
      return tcp(q, wire, limit).thenApplyAsync(bytes -> parse(q, bytes, true), executor);
    }
    long deadline = System.nanoTime() + limit.toNanos();
    return udp.exchange(server, q, wire, udpSize, limit)
        .thenComposeAsync(
            bytes -> {
              Message response = parse(q, bytes, false);
              if (response.getHeader().getFlag(Flags.TC) && !ignoreTruncation) {
                // RFC 7766 §5: a truncated UDP answer is asked again over TCP, within what is
                // left of the attempt's time.
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                return tcp(q, wire, left).thenApplyAsync(b -> parse(q, b, true), executor);
              }
              return CompletableFuture.completedFuture(response);
            },
            executor);
  }

  private Message parse(Message query, byte[] bytes, boolean tcp) {
    Message response;
    try {
      response = new Message(bytes);
    } catch (IOException e) {
      throw new java.util.concurrent.CompletionException(
          new WireParseException("malformed response from " + server + ": " + e.getMessage()));
    }
    if (tcp) {
      // UDP answers were matched before; a TCP connection carries only the server's replies, but
      // a reply to another question is still no answer.
      Record asked = query.getQuestion();
      Record question = response.getQuestion();
      if (response.getHeader().getID() != query.getHeader().getID()
          || question == null
          || !question.getName().equals(asked.getName())
          || question.getType() != asked.getType()) {
        throw new java.util.concurrent.CompletionException(
            new WireParseException("TCP response from " + server + " does not match the query"));
      }
    }
    response.setResolver(this);
    return response;
  }

  /** One query over a new TCP connection, with the two-octet length framing of RFC 1035 §4.2.2. */
  private CompletableFuture<byte[]> tcp(Message query, byte[] wire, Duration limit) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    result.whenComplete((r, e) -> closeQuietly(channel));
    result.orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS);
    ByteBuffer out = ByteBuffer.allocate(2 + wire.length);
    out.putShort((short) wire.length).put(wire).flip();
    try {
      channel.connect(
          server,
          null,
          new Handler<>(result) {
            @Override
            void done(Void v) {
              write(channel, out, result, () -> readLength(channel, result));
            }
          });
    } catch (RuntimeException e) {
      result.completeExceptionally(e); // and so the channel is closed
    }
    return result;
  }

  private static void write(
      AsynchronousSocketChannel channel,
      ByteBuffer out,
      CompletableFuture<byte[]> result,
      Runnable then) {
    channel.write(
        out,
        null,
        new Handler<>(result) {
          @Override
          void done(Integer n) {
            if (out.hasRemaining()) {
              write(channel, out, result, then);
            } else {
              then.run();
            }
          }
        });
  }

  private static void readLength(AsynchronousSocketChannel channel, CompletableFuture<byte[]> r) {
    ByteBuffer length = ByteBuffer.allocate(2);
    read(
        channel,
        length,
        r,
        () -> {
          int n = length.flip().getShort() & 0xFFFF;
          ByteBuffer body = ByteBuffer.allocate(n);
          read(channel, body, r, () -> r.complete(body.array()));
        });
  }

  private static void read(
      AsynchronousSocketChannel channel,
      ByteBuffer into,
      CompletableFuture<byte[]> result,
      Runnable then) {
    if (!into.hasRemaining()) {
      then.run();
      return;
    }
    channel.read(
        into,
        null,
        new Handler<>(result) {
          @Override
          void done(Integer n) {
            if (n < 0) {
              result.completeExceptionally(
                  new java.io.EOFException("TCP connection closed before the whole response"));
            } else {
              read(channel, into, result, then);
            }
          }
        });
  }

  private static void closeQuietly(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do with a connection being dropped
    }
  }

  /** A completion handler that fails the result on any error, so each step states only success. */
  private abstract static class Handler<V> implements CompletionHandler<V, Void> {
    private final CompletableFuture<byte[]> result;

    Handler(CompletableFuture<byte[]> result) {
      this.result = result;
    }

    abstract void done(V value);

    @Override
    public void completed(V value, Void attachment) {
      if (!result.isDone()) {
        try {
          done(value);
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }
    }

    @Override
    public void failed(Throwable e, Void attachment) {
      result.completeExceptionally(e);
    }
  }

  @Override
  public String toString() {
    return "ServerTransport[" + server + "]";
  }
}
