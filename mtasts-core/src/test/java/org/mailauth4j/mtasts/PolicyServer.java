package org.mailauth4j.mtasts;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import org.mailauth4j.testkit.TestPki;

/**
 * A real HTTPS server on loopback that plays many policy hosts at once: it picks its certificate by
 * the name the client asks for (SNI) and its answer by the Host header. Names reach it through the
 * test hosts file. Certificates come from a test CA minted at start.
 */
final class PolicyServer implements AutoCloseable {
  static final String VALID_POLICY =
      "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
          + "max_age: 604800\r\n";

  final TestPki pki;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, Headers> lastRequestHeaders = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  PolicyServer() throws IOException {
    Instant now = Instant.now();
    Instant yearAgo = now.minus(Duration.ofDays(365));
    Instant inAYear = now.plus(Duration.ofDays(365));
    pki = new TestPki("mailauth4j test CA", yearAgo, inAYear.plus(Duration.ofDays(365)));
    Map<String, TestPki.Identity> identities = new ConcurrentHashMap<>();
    TestPki.Identity valid =
        pki.issue(
            List.of(
                "mta-sts.example.com",
                "mta-sts.redirect.example",
                "mta-sts.not-found.example",
                "mta-sts.server-error.example",
                "mta-sts.html.example",
                "mta-sts.lf.example",
                "mta-sts.huge.example",
                "mta-sts.huge-chunked.example",
                "mta-sts.stall.example",
                "mta-sts.invalid.example",
                "mta-sts.bad-utf8.example",
                "mta-sts.counting.example",
                "mta-sts.content-type.example",
                "mta-sts.two-content-types.example",
                "mta-sts.coding.example",
                "mta-sts.guarded.example"),
            yearAgo,
            inAYear);
    identities.put("default", valid);
    identities.put(
        "mta-sts.expired.example",
        pki.issue(List.of("mta-sts.expired.example"), yearAgo, now.minus(Duration.ofDays(1))));
    identities.put(
        "mta-sts.wrong-name.example", pki.issue(List.of("wrong-host.example"), yearAgo, inAYear));
    identities.put(
        "mta-sts.self-signed.example",
        TestPki.selfSigned(List.of("mta-sts.self-signed.example"), yearAgo, inAYear));

    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new SniKeyManager(identities)}, null, null);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    defaults();
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** How many requests a host has had. */
  int requests(String host) {
    return requests.computeIfAbsent(host, h -> new AtomicInteger()).get();
  }

  /** A header of the last request a host had, if it had one with that header. */
  java.util.Optional<String> lastRequestHeader(String host, String name) {
    Headers headers = lastRequestHeaders.get(host);
    return java.util.Optional.ofNullable(headers == null ? null : headers.getFirst(name));
  }

  /** Sets what a host answers. */
  void on(String host, HttpHandler handler) {
    handlers.put(host, handler);
  }

  private void defaults() {
    on("mta-sts.example.com", ok("text/plain", VALID_POLICY));
    on("mta-sts.expired.example", ok("text/plain", VALID_POLICY));
    on("mta-sts.wrong-name.example", ok("text/plain", VALID_POLICY));
    on("mta-sts.self-signed.example", ok("text/plain", VALID_POLICY));
    on(
        "mta-sts.redirect.example",
        exchange -> {
          exchange
              .getResponseHeaders()
              .add("Location", "https://mta-sts.example.com/.well-known/mta-sts.txt");
          exchange.sendResponseHeaders(301, -1);
          exchange.close();
        });
    on("mta-sts.not-found.example", status(404));
    on("mta-sts.server-error.example", status(500));
    on("mta-sts.html.example", ok("text/html; charset=utf-8", VALID_POLICY));
    on("mta-sts.lf.example", ok("text/plain", VALID_POLICY.replace("\r\n", "\n")));
    on(
        "mta-sts.huge.example",
        ok("text/plain", VALID_POLICY + ("x-padding: " + "x".repeat(1000) + "\r\n").repeat(1000)));
    on(
        "mta-sts.huge-chunked.example",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, 0); // chunked: no length announced
          try (OutputStream out = exchange.getResponseBody()) {
            byte[] line = ("x-padding: " + "x".repeat(1000) + "\r\n").getBytes(UTF_8);
            for (int i = 0; i < 1000; i++) {
              out.write(line);
            }
          } catch (IOException e) {
            // the client hung up once it had enough
          }
        });
    on(
        "mta-sts.stall.example",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, VALID_POLICY.length());
          OutputStream out = exchange.getResponseBody();
          out.write(VALID_POLICY.substring(0, 10).getBytes(UTF_8));
          out.flush();
          try {
            closing.await(60, TimeUnit.SECONDS); // half a body, then nothing
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    on("mta-sts.invalid.example", ok("text/plain", "version: STSv1\r\nmode: strict\r\n"));
    on(
        "mta-sts.bad-utf8.example",
        exchange -> {
          byte[] body =
              "version: STSv1\r\nmode: enforce\r\nx: \u00ff\u00fe\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    on("mta-sts.counting.example", ok("text/plain", VALID_POLICY));
    on("mta-sts.guarded.example", ok("text/plain", VALID_POLICY));
    on(
        "mta-sts.two-content-types.example",
        exchange -> {
          byte[] bytes = VALID_POLICY.getBytes(UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.getResponseHeaders().add("Content-Type", "text/html");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
  }

  /**
   * Answers 200, text/plain, with a {@code Content-Encoding} field and a body already coded, as a
   * server that ignores {@code Accept-Encoding: identity} does.
   */
  static HttpHandler coded(String contentEncoding, byte[] body) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/plain");
      exchange.getResponseHeaders().add("Content-Encoding", contentEncoding);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  /** The text, UTF-8, gzip-compressed. */
  static byte[] gzip(String text) {
    return gzip(text.getBytes(UTF_8), 1);
  }

  /** The bytes repeated, gzip-compressed at the highest ratio: a bomb for many repetitions. */
  static byte[] gzip(byte[] bytes, int times) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz =
        new java.util.zip.GZIPOutputStream(out) {
          {
            def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
          }
        }) {
      for (int i = 0; i < times; i++) {
        gz.write(bytes);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Answers with a valid policy and exactly the given Content-Type field, or none for null, as the
   * tests of media types need.
   */
  static HttpHandler withContentType(String contentType) {
    return exchange -> {
      byte[] bytes = VALID_POLICY.getBytes(UTF_8);
      if (contentType != null) {
        exchange.getResponseHeaders().add("Content-Type", contentType);
      }
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  static HttpHandler ok(String mediaType, String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(UTF_8);
      exchange.getResponseHeaders().add("Content-Type", mediaType);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  static HttpHandler status(int code) {
    return exchange -> {
      byte[] bytes = ("status " + code).getBytes(UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain");
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  private void handle(HttpExchange exchange) throws IOException {
    String host = exchange.getRequestHeaders().getFirst("Host");
    host = host == null ? "" : host.replaceFirst(":\\d+$", "");
    requests.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
    lastRequestHeaders.put(host, exchange.getRequestHeaders());
    HttpHandler handler = handlers.get(host);
    if (handler == null || !exchange.getRequestURI().getPath().equals("/.well-known/mta-sts.txt")) {
      status(404).handle(exchange);
      return;
    }
    handler.handle(exchange);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Chooses the certificate by the SNI name of the handshake. */
  private static final class SniKeyManager extends X509ExtendedKeyManager {
    private final Map<String, TestPki.Identity> identities;

    SniKeyManager(Map<String, TestPki.Identity> identities) {
      this.identities = identities;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      SSLSession session = engine.getHandshakeSession();
      if (session instanceof ExtendedSSLSession) {
        for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
          if (name instanceof SNIHostName) {
            String host = ((SNIHostName) name).getAsciiName();
            if (identities.containsKey(host)) {
              return keyType.equals("EC") ? host : null;
            }
          }
        }
      }
      return keyType.equals("EC") ? "default" : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return keyType.equals("EC") ? "default" : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return identities.get(alias).chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return identities.get(alias).keys().getPrivate();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return identities.keySet().toArray(new String[0]);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
