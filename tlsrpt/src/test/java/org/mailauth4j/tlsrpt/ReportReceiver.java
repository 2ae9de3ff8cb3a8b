package org.mailauth4j.tlsrpt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.mailauth4j.testkit.TestPki;

/**
 * A real HTTPS report endpoint on loopback, with a certificate for {@code localhost} from a test
 * CA. The path says how it answers:
 *
 * <ul>
 *   <li>{@code /status/<code>}: that status, and for 3xx a Location to {@code /status/200};
 *   <li>{@code /stall}: never answers, until the receiver closes;
 *   <li>{@code /flaky/<name>/<code>,<code>,...}: the n-th request gets the n-th code, the last one
 *       after that; a code may carry a Retry-After, as {@code 429+7}.
 * </ul>
 *
 * Every request is recorded: method, path, Content-Type and body.
 */
final class ReportReceiver implements AutoCloseable {
  /** A request as the endpoint saw it. */
  record Request(String method, String path, Optional<String> contentType, byte[] body) {}

  final TestPki pki;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  ReportReceiver() throws IOException {
    Instant now = Instant.now();
    pki =
        new TestPki("tlsrpt test CA", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)));
    TestPki.Identity identity =
        pki.issue(
            List.of("localhost"), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    SSLContext context;
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] password = "test".toCharArray();
      keys.setKeyEntry(
          "server",
          identity.keys().getPrivate(),
          password,
          identity.chain().toArray(new java.security.cert.Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(keys, password);
      context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The address of a path on this receiver. */
  URI uri(String path) {
    return URI.create("https://localhost:" + server.getAddress().getPort() + path);
  }

  /** The requests so far, in arrival order. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many requests a path has had. */
  int count(String path) {
    return counts.computeIfAbsent(path, p -> new AtomicInteger()).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            path,
            Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")),
            body));
    int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    if (path.equals("/stall")) {
      try {
        closing.await(1, TimeUnit.MINUTES); // the client's time-out ends the exchange first
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    String code;
    if (path.startsWith("/status/")) {
      code = path.substring("/status/".length());
    } else if (path.startsWith("/flaky/")) {
      String[] codes = path.substring(path.lastIndexOf('/') + 1).split(",");
      code = codes[Math.min(n, codes.length) - 1];
    } else {
      code = "404";
    }
    int plus = code.indexOf('+');
    int status = Integer.parseInt(plus < 0 ? code : code.substring(0, plus));
    if (plus >= 0) {
      exchange.getResponseHeaders().add("Retry-After", code.substring(plus + 1));
    }
    if (status >= 300 && status < 400) {
      exchange.getResponseHeaders().add("Location", uri("/status/200").toString());
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
