package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dane.ScriptedSmtpServer.Peer;
import org.mailauth4j.dane.ScriptedSmtpServer.Script;
import org.mailauth4j.dane.SmtpTlsProbeResult.Status;
import org.mailauth4j.dane.TlsaRecord.CertificateUsage;
import org.mailauth4j.dane.TlsaRecord.MatchingType;
import org.mailauth4j.dane.TlsaRecord.Selector;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.TestPki;

/**
 * The probe against scripted servers on loopback: the hostile and broken ones, each of which must
 * end in a clear status within the deadline, and a JDK TLS server that shows what the probe sends.
 */
class SmtpTlsProbeTest {
  private static final DomainName MX = DomainName.parse("mx.example.test");
  private static final String EHLO_WITH_STARTTLS = "250-mx.example.test\r\n250 STARTTLS\r\n";

  /** A case: what the server does, the deadline the probe gets, and what must come of it. */
  private record Hostile(
      Script script,
      Duration timeout,
      Status status,
      String detail,
      Consumer<SmtpTlsProbeResult> more) {
    Hostile(Script script, Duration timeout, Status status, String detail) {
      this(script, timeout, status, detail, result -> {});
    }

    Arguments named(String name) {
      return Arguments.of(Named.of(name, this));
    }
  }

  private static final Duration SHORT = Duration.ofMillis(500);
  private static final Duration DRIP = Duration.ofMillis(2500);
  private static final Duration AMPLE = Duration.ofSeconds(20);

  static Stream<Arguments> hostileServers() {
    return Stream.of(
        hostile(
            "never answers", Peer::drain, SHORT, Status.TIMEOUT, "did not finish within PT0.5S"),
        hostile(
            "closes at once",
            peer -> {},
            AMPLE,
            Status.PROTOCOL_ERROR,
            "instead of the reply to greeting"),
        hostile(
            "closes in the middle of a multi-line greeting",
            peer -> peer.send("220-mx.example.test first line\r\n"),
            AMPLE,
            Status.PROTOCOL_ERROR,
            "in the middle of the reply to greeting"),
        new Hostile(
                peer -> {
                  peer.send("554 5.3.2 no service here\r\n");
                  peer.line();
                  peer.send("221 bye\r\n");
                },
                AMPLE,
                Status.GREETING_REFUSED,
                "554 5.3.2 no service here",
                result -> assertThat(result.greeting()).isEqualTo("554 5.3.2 no service here"))
            .named("greeting 554"),
        hostile(
            "greeting 421",
            peer -> peer.send("421 4.3.2 try later\r\n"),
            AMPLE,
            Status.GREETING_REFUSED,
            "421 4.3.2 try later"),
        hostile(
            "greeting with a code other than 220",
            peer -> peer.send("250 hello\r\n"),
            AMPLE,
            Status.PROTOCOL_ERROR,
            "not 220"),
        hostile(
            "non-numeric reply code",
            peer -> peer.send("2x0 hello\r\n"),
            AMPLE,
            Status.PROTOCOL_ERROR,
            "no valid reply code"),
        hostile(
            "reply code out of range",
            peer -> peer.send("290 hello\r\n"),
            AMPLE,
            Status.PROTOCOL_ERROR,
            "no valid reply code"),
        hostile(
            "multi-line reply whose codes disagree",
            peer -> peer.send("220-hello\r\n230 there\r\n"),
            AMPLE,
            Status.PROTOCOL_ERROR,
            "disagree on the code"),
        hostile(
            "neither space nor hyphen after the code",
            peer -> peer.send("220+hello\r\n"),
            AMPLE,
            Status.PROTOCOL_ERROR,
            "neither space nor hyphen"),
        hostile(
            "line ended by a bare LF",
            peer -> peer.send("220 hello\n"),
            AMPLE,
            Status.PROTOCOL_ERROR,
            "bare LF"),
        hostile(
            "endless reply lines",
            peer -> endlessLines(peer, "220-line "),
            AMPLE,
            Status.PROTOCOL_ERROR,
            "more than 256 lines"),
        hostile(
            "endless EHLO reply",
            peer -> {
              peer.send("220 mx.example.test\r\n");
              peer.line();
              endlessLines(peer, "250-X-KEYWORD-");
            },
            AMPLE,
            Status.PROTOCOL_ERROR,
            "the reply to EHLO has more than 256 lines"),
        hostile(
            "one huge line without CRLF",
            peer -> {
              peer.send("220 ");
              String chunk = "a".repeat(8192);
              while (true) {
                peer.send(chunk);
              }
            },
            AMPLE,
            Status.PROTOCOL_ERROR,
            "longer than 65536 bytes"),
        hostile(
            "a byte a second",
            peer -> {
              for (char c : "220 mx.example.test ESMTP, one byte at a time\r\n".toCharArray()) {
                peer.send(String.valueOf(c));
                Thread.sleep(1000);
              }
            },
            DRIP,
            Status.TIMEOUT,
            "did not finish within PT2.5S"),
        new Hostile(
                peer -> {
                  peer.send("220 mx.example.test\r\n");
                  peer.line();
                  peer.send("502 5.5.1 EHLO not implemented\r\n");
                  peer.line();
                  peer.send("221 bye\r\n");
                },
                AMPLE,
                Status.STARTTLS_NOT_OFFERED,
                "EHLO refused: 502 5.5.1 EHLO not implemented",
                result -> assertThat(result.ehloKeywords()).isEmpty())
            .named("EHLO refused"),
        new Hostile(
                peer -> {
                  peer.send("220 mx.example.test\r\n");
                  peer.line();
                  peer.send(
                      "250-mx.example.test\r\n250-PIPELINING\r\n250-size 1000\r\n250 8BITMIME\r\n");
                  peer.line();
                  peer.send("221 bye\r\n");
                },
                AMPLE,
                Status.STARTTLS_NOT_OFFERED,
                "does not offer STARTTLS",
                result ->
                    assertThat(result.ehloKeywords())
                        .containsExactly("PIPELINING", "SIZE", "8BITMIME"))
            .named("no STARTTLS in the EHLO reply"),
        new Hostile(
                peer -> {
                  peer.send("220 mx.example.test\r\n");
                  peer.line();
                  // U+017F LATIN SMALL LETTER LONG S and U+0131 DOTLESS I upper-case to S and I
                  peer.send(
                      "250-mx.example.test\r\n250-\u017ftarttls\r\n250 p\u0131pel\u0131n\u0131ng\r\n");
                  peer.line();
                  peer.send("221 bye\r\n");
                },
                AMPLE,
                Status.STARTTLS_NOT_OFFERED,
                "does not offer STARTTLS",
                result -> assertThat(result.ehloKeywords()).isEmpty())
            .named("keywords in non-ASCII letters that upper-case to ASCII"),
        hostile(
            "STARTTLS 454",
            peer -> {
              peer.send("220 mx.example.test\r\n");
              peer.line();
              peer.send(EHLO_WITH_STARTTLS);
              peer.line();
              peer.send("454 4.7.0 TLS not available due to temporary reason\r\n");
            },
            AMPLE,
            Status.STARTTLS_REFUSED,
            "454 4.7.0 TLS not available"),
        hostile(
            "STARTTLS 501, offered in lower case",
            peer -> {
              peer.send("220 mx.example.test\r\n");
              peer.line();
              peer.send("250-mx.example.test\r\n250 starttls\r\n");
              peer.line();
              peer.send("501 5.5.4 Syntax error\r\n");
            },
            AMPLE,
            Status.STARTTLS_REFUSED,
            "501 5.5.4"),
        hostile(
            "data after the 220 to STARTTLS",
            peer -> {
              peer.send("220 mx.example.test\r\n");
              peer.line();
              peer.send(EHLO_WITH_STARTTLS);
              peer.line();
              peer.send("220 go ahead\r\n250-mx.example.test\r\n250 AUTH PLAIN\r\n");
              peer.drain();
            },
            AMPLE,
            Status.PROTOCOL_ERROR,
            "data after its 220 to STARTTLS"),
        hostile(
            "garbage in place of the TLS handshake",
            peer -> {
              startTls(peer);
              peer.in.readNBytes(5); // the ClientHello's record header
              peer.send("this is not TLS at all\r\n");
              peer.drain();
            },
            AMPLE,
            Status.HANDSHAKE_FAILED,
            "TLS handshake failed"),
        hostile(
            "closes in place of the TLS handshake",
            peer -> {
              startTls(peer);
              peer.in.readNBytes(5);
            },
            AMPLE,
            Status.HANDSHAKE_FAILED,
            "TLS handshake failed"),
        hostile(
            "TLS record a byte a second",
            peer -> {
              startTls(peer);
              peer.in.readNBytes(5);
              // a handshake record header claiming 16 KiB, then its body a byte a second: every
              // read the JDK makes gets a byte in time, so only the whole deadline ends it
              peer.out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
              while (true) {
                peer.out.write(0x02);
                peer.out.flush();
                Thread.sleep(1000);
              }
            },
            DRIP,
            Status.TIMEOUT,
            "in the TLS handshake"),
        new Hostile(
                peer -> {
                  peer.send("220 mx \u001b[2J\u0007evil\u202e\\ \r\n");
                  peer.line();
                  peer.send("250-mx\r\n250 SIZE\r\n");
                  peer.line();
                  peer.send("221 bye\r\n");
                },
                AMPLE,
                Status.STARTTLS_NOT_OFFERED,
                "does not offer STARTTLS",
                result ->
                    assertThat(result.greeting()).isEqualTo("220 mx \\x1b[2J\\x07evil\\u202e\\\\ "))
            .named("control characters in the greeting"),
        hostile(
            "control characters in a refusal",
            peer -> peer.send("554 go \u001b]0;owned\u0007 away\r\n"),
            AMPLE,
            Status.GREETING_REFUSED,
            "554 go \\x1b]0;owned\\x07 away"));
  }

  private static Arguments hostile(
      String name, Script script, Duration timeout, Status status, String detail) {
    return new Hostile(script, timeout, status, detail).named(name);
  }

  /** Sends numbered lines that start alike until the probe hangs up. */
  private static void endlessLines(Peer peer, String start) throws IOException {
    for (int i = 0; ; i++) {
      peer.send(start + i + "\r\n");
    }
  }

  private static void startTls(Peer peer) throws IOException {
    peer.send("220 mx.example.test\r\n");
    peer.line();
    peer.send(EHLO_WITH_STARTTLS);
    peer.line();
    peer.send("220 2.0.0 Ready to start TLS\r\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileServers")
  void hostileServerGetsAClearStatus(Hostile c) throws Exception {
    try (ScriptedSmtpServer server = new ScriptedSmtpServer(c.script())) {
      SmtpTlsProbe probe = SmtpTlsProbe.builder().timeout(c.timeout()).build();

      SmtpTlsProbeResult result = probe.probe(server.address(), MX);

      assertThat(result.status()).as(result.detail()).isEqualTo(c.status());
      assertThat(result.detail()).contains(c.detail());
      assertThat(result.server()).contains(server.address());
      assertThat(result.tlsProtocol()).isEmpty();
      assertThat(result.verdict()).isEmpty();
      // nothing the server sent reaches a log raw
      assertThat(result.detail().chars()).noneMatch(Character::isISOControl);
      assertThat(result.greeting().chars()).noneMatch(Character::isISOControl);
      c.more().accept(result);
    }
  }

  @Test
  void refusedConnectionIsConnectFailed() throws Exception {
    InetSocketAddress nothing;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nothing = new InetSocketAddress(closed.getInetAddress(), closed.getLocalPort());
    }

    SmtpTlsProbeResult result = SmtpTlsProbe.builder().build().probe(nothing, MX);

    assertThat(result.status()).isEqualTo(Status.CONNECT_FAILED);
    assertThat(result.detail()).contains("cannot connect");
  }

  @Test
  void saysEhloWithTheLocalAddressLiteralByDefaultAndTheConfiguredNameOtherwise() throws Exception {
    Script noTls =
        peer -> {
          peer.send("220 mx.example.test\r\n");
          peer.line();
          peer.send("250 mx.example.test\r\n");
          peer.line();
          peer.send("221 bye\r\n");
        };
    try (ScriptedSmtpServer server = new ScriptedSmtpServer(noTls)) {
      SmtpTlsProbe.builder().build().probe(server.address(), MX);
      SmtpTlsProbe.builder().ehloName("probe.example.org").build().probe(server.address(), MX);

      assertThat(server.received())
          .containsExactly("EHLO [127.0.0.1]", "QUIT", "EHLO probe.example.org", "QUIT");
    }
  }

  @Test
  void addressLiteralsFollowRfc5321() throws Exception {
    assertThat(SmtpTlsProbe.addressLiteral(InetAddress.getByName("192.0.2.1")))
        .isEqualTo("[192.0.2.1]");
    assertThat(SmtpTlsProbe.addressLiteral(InetAddress.getByName("2001:db8::1")))
        .isEqualTo("[IPv6:2001:db8:0:0:0:0:0:1]");
  }

  /** A STARTTLS server made with the JDK's TLS, which tells what the probe sent in SNI. */
  private static final class TlsServer implements AutoCloseable {
    final TestPki.Identity identity;
    final List<List<SNIServerName>> sni = new CopyOnWriteArrayList<>();
    final ScriptedSmtpServer smtp;

    TlsServer() throws Exception {
      this(
          secure -> {
            secure.line();
            secure.send("250-mx.example.test\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n");
            secure.line();
            secure.send("221 bye\r\n");
          });
    }

    /** A server whose dialogue after the handshake is the given script. */
    TlsServer(Script overTls) throws Exception {
      Instant now = Instant.now();
      identity =
          new TestPki("probe test CA", now.minusSeconds(60), now.plusSeconds(3600))
              .issue(List.of("mx.example.test"), now.minusSeconds(60), now.plusSeconds(3600));
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "mx",
          identity.keys().getPrivate(),
          new char[0],
          identity.chain().toArray(X509Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(keys, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      smtp =
          new ScriptedSmtpServer(
              peer -> {
                startTls(peer);
                SSLSocket tls =
                    (SSLSocket) context.getSocketFactory().createSocket(peer.socket, null, true);
                tls.setUseClientMode(false);
                tls.startHandshake();
                sni.add(((ExtendedSSLSession) tls.getSession()).getRequestedServerNames());
                overTls.play(new Peer(tls, new ArrayList<>()));
              });
    }

    @Override
    public void close() throws IOException {
      smtp.close();
    }
  }

  @Test
  void sendsTheServerNameInSniAndTakesTheKeywordsOfTheEhloOverTls() throws Exception {
    try (TlsServer server = new TlsServer()) {
      SmtpTlsProbeResult result = SmtpTlsProbe.builder().build().probe(server.smtp.address(), MX);

      assertThat(result.status()).as(result.detail()).isEqualTo(Status.TLS_ESTABLISHED);
      assertThat(server.sni).containsExactly(List.of(new SNIHostName("mx.example.test")));
      assertThat(result.chain()).isEqualTo(server.identity.chain());
      assertThat(result.ehloKeywords()).containsExactly("PIPELINING", "AUTH");
      assertThat(server.smtp.received()).containsExactly("EHLO [127.0.0.1]", "STARTTLS");
    }
  }

  @Test
  void verdictHasNoHeloNameWhenTheEhloOverTlsIsRefused() throws Exception {
    Script refuseEhlo =
        secure -> {
          secure.line();
          secure.send("554 5.7.0 not you\r\n");
          secure.line();
          secure.send("221 bye\r\n");
        };
    try (TlsServer server = new TlsServer(refuseEhlo)) {
      int port = server.smtp.address().getPort();
      MxTransport mx = ProbeTransports.opportunistic(MX, loopback());

      SmtpTlsProbeResult result = SmtpTlsProbe.builder().port(port).build().probe(mx);

      assertThat(result.status()).as(result.detail()).isEqualTo(Status.TLS_ESTABLISHED);
      assertThat(result.detail()).contains("EHLO over TLS refused");
      // the name given before TLS is forgotten with the rest (RFC 3207 §4.2)
      assertThat(result.verdict().orElseThrow().receivingHelo()).isEmpty();
      assertThat(result.verdict().orElseThrow().receivingIp())
          .contains(InetAddress.getLoopbackAddress());
    }
  }

  @Test
  void sendsNoSniForANameThatIsNotAHostName() throws Exception {
    try (TlsServer server = new TlsServer()) {
      SmtpTlsProbeResult result =
          SmtpTlsProbe.builder()
              .build()
              .probe(server.smtp.address(), DomainName.parse("_25._tcp.mx.example.test"));

      assertThat(result.status()).as(result.detail()).isEqualTo(Status.TLS_ESTABLISHED);
      assertThat(server.sni).containsExactly(List.of());
    }
  }

  @Test
  void asyncProbeLeavesTheDialogueToTheExecutor() throws Exception {
    List<Runnable> queued = new ArrayList<>();
    Script refuse = peer -> peer.send("554 no\r\n");
    try (ScriptedSmtpServer server = new ScriptedSmtpServer(refuse)) {
      SmtpTlsProbe probe = SmtpTlsProbe.builder().executor(queued::add).build();

      CompletableFuture<SmtpTlsProbeResult> future = probe.probeAsync(server.address(), MX);

      assertThat(future).isNotDone();
      assertThat(queued).hasSize(1);
      queued.get(0).run();
      assertThat(future).isCompleted();
      assertThat(future.join().status()).isEqualTo(Status.GREETING_REFUSED);
    }
  }

  /** Makes the future of a probe of the server, with a deadline that the test never meets. */
  @FunctionalInterface
  interface Probing {
    CompletableFuture<SmtpTlsProbeResult> start(SmtpTlsProbe.Builder probe, InetSocketAddress at);
  }

  static Stream<Arguments> cancellations() {
    return Stream.of(
        Arguments.of(
            named("of an address", (Probing) (probe, at) -> probe.build().probeAsync(at, MX))),
        Arguments.of(
            named(
                "of an MX host with two addresses",
                (Probing)
                    (probe, at) ->
                        probe
                            .port(at.getPort())
                            .build()
                            .probeAsync(
                                ProbeTransports.opportunistic(
                                    MX, List.of(at.getAddress(), at.getAddress()))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cancellations")
  void cancellingTheFutureClosesTheConnectionAndTriesNoMore(Probing probing) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    AtomicInteger connections = new AtomicInteger();
    Script silent =
        peer -> {
          connections.incrementAndGet();
          connected.countDown();
          peer.drain(); // until the probe closes the connection
          closed.countDown();
        };
    try (ScriptedSmtpServer server = new ScriptedSmtpServer(silent)) {
      SmtpTlsProbe.Builder probe = SmtpTlsProbe.builder().timeout(Duration.ofDays(1));
      CompletableFuture<SmtpTlsProbeResult> future = probing.start(probe, server.address());
      assertThat(connected.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(future.cancel(true)).isTrue();

      // a day's deadline: only the cancellation can have closed it
      assertThat(closed.await(30, TimeUnit.SECONDS)).as("connection closed").isTrue();
      assertThat(future).isCancelled();
      assertThat(connections).hasValue(1);
    }
  }

  @Test
  void cancelledProbeThatHasNotStartedNeverConnects() throws Exception {
    List<Runnable> queued = new ArrayList<>();
    AtomicInteger connections = new AtomicInteger();
    try (ScriptedSmtpServer server =
        new ScriptedSmtpServer(peer -> connections.incrementAndGet())) {
      SmtpTlsProbe probe = SmtpTlsProbe.builder().executor(queued::add).build();
      CompletableFuture<SmtpTlsProbeResult> future = probe.probeAsync(server.address(), MX);

      future.cancel(false);
      queued.get(0).run();

      assertThat(future).isCancelled();
      assertThat(connections).hasValue(0);
    }
  }

  @Test
  void unreachableHostIsNotContacted() {
    List<Runnable> queued = new ArrayList<>();
    MxTransport mx = ProbeTransports.unreachable(MX, List.of(InetAddress.getLoopbackAddress()));
    SmtpTlsProbe probe = SmtpTlsProbe.builder().executor(queued::add).build();

    SmtpTlsProbeResult result = probe.probeAsync(mx).join();

    assertThat(queued).isEmpty();
    assertThat(result.status()).isEqualTo(Status.NOT_PROBED);
    assertThat(result.server()).isEmpty();
    assertThat(result.verdict()).isEqualTo(mx.refusal());
    assertThat(result.verdict().orElseThrow().failure()).contains(TlsRptResultType.DNSSEC_INVALID);
  }

  @Test
  void hostWithoutAddressesIsNotProbed() {
    SmtpTlsProbeResult result =
        SmtpTlsProbe.builder().build().probe(ProbeTransports.opportunistic(MX, List.of()));

    assertThat(result.status()).isEqualTo(Status.NOT_PROBED);
    assertThat(result.verdict()).isEmpty();
  }

  static Stream<Arguments> withoutStartTls() {
    TestPki.Identity any =
        TestPki.selfSigned(
            List.of("mx.example.test"),
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(60));
    TlsaRecord record =
        TlsaRecord.of(
            CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, any.certificate());
    return Stream.of(
        Arguments.of(
            named(
                "DANE: not delivered",
                (TransportFor) port -> ProbeTransports.dane(MX, port, loopback(), record)),
            MxVerdict.Action.DO_NOT_DELIVER),
        Arguments.of(
            named(
                "opportunistic: delivered in clear",
                (TransportFor) port -> ProbeTransports.opportunistic(MX, loopback())),
            MxVerdict.Action.DELIVER));
  }

  /** Makes the transport for the scripted server's port. */
  @FunctionalInterface
  interface TransportFor {
    MxTransport at(int port);
  }

  private static List<InetAddress> loopback() {
    return List.of(InetAddress.getLoopbackAddress());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutStartTls")
  void hostWithoutStartTlsIsJudgedByItsTransport(TransportFor transport, MxVerdict.Action action)
      throws Exception {
    Script noTls =
        peer -> {
          peer.send("220 mx.example.test\r\n");
          peer.line();
          peer.send("250-mx.example.test greets you\r\n250 PIPELINING\r\n");
          peer.line();
          peer.send("221 bye\r\n");
        };
    probeThrough(transport, noTls, Status.STARTTLS_NOT_OFFERED, action);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutStartTls")
  void hostWhoseTlsHandshakeFailsIsJudgedByItsTransport(
      TransportFor transport, MxVerdict.Action action) throws Exception {
    Script garbage =
        peer -> {
          startTls(peer);
          peer.in.readNBytes(5); // the ClientHello's record header
          peer.send("this is not TLS at all\r\n");
          peer.drain();
        };
    probeThrough(transport, garbage, Status.HANDSHAKE_FAILED, action);
  }

  /**
   * Probes a scripted server through a transport and checks the verdict: STARTTLS not offered is
   * starttls-not-supported, a failed handshake after it was accepted a validation-failure with a
   * reason code (RFC 8460 §4.3.1); neither fails a host that no policy asks TLS of.
   */
  private static void probeThrough(
      TransportFor transport, Script script, Status status, MxVerdict.Action action)
      throws Exception {
    try (ScriptedSmtpServer server = new ScriptedSmtpServer(script)) {
      int port = server.address().getPort();
      MxTransport mx = transport.at(port);

      SmtpTlsProbeResult result = SmtpTlsProbe.builder().port(port).build().probe(mx);

      assertThat(result.status()).isEqualTo(status);
      MxVerdict verdict = result.verdict().orElseThrow();
      assertThat(verdict.action()).isEqualTo(action);
      assertThat(verdict.receivingIp()).contains(InetAddress.getLoopbackAddress());
      if (action == MxVerdict.Action.DELIVER) {
        assertThat(verdict.failure()).isEmpty();
      } else if (status == Status.STARTTLS_NOT_OFFERED) {
        assertThat(verdict)
            .isEqualTo(
                mx.noStartTls()
                    .withReceivingIp(InetAddress.getLoopbackAddress())
                    .withReceivingHelo("mx.example.test"));
      } else {
        assertThat(verdict.failure()).contains(TlsRptResultType.VALIDATION_FAILURE);
        assertThat(verdict.failureReasonCode()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
      }
    }
  }

  @Test
  void hostThatTimesOutEverywhereHasNoVerdict() throws Exception {
    try (ScriptedSmtpServer server = new ScriptedSmtpServer(Peer::drain)) {
      int port = server.address().getPort();
      SmtpTlsProbe probe = SmtpTlsProbe.builder().port(port).timeout(SHORT).build();

      SmtpTlsProbeResult result = probe.probe(ProbeTransports.opportunistic(MX, loopback()));

      assertThat(result.status()).isEqualTo(Status.TIMEOUT);
      assertThat(result.verdict()).isEmpty();
    }
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(named("port 0", (Runnable) () -> SmtpTlsProbe.builder().port(0))),
        Arguments.of(named("port 65536", (Runnable) () -> SmtpTlsProbe.builder().port(65536))),
        Arguments.of(
            named("zero timeout", (Runnable) () -> SmtpTlsProbe.builder().timeout(Duration.ZERO))),
        Arguments.of(
            named(
                "timeout over a day",
                (Runnable) () -> SmtpTlsProbe.builder().timeout(Duration.ofDays(1).plusNanos(1)))),
        Arguments.of(
            named(
                "negative connect timeout",
                (Runnable) () -> SmtpTlsProbe.builder().connectTimeout(Duration.ofSeconds(-1)))),
        Arguments.of(
            named(
                "reply cap under 512 bytes",
                (Runnable) () -> SmtpTlsProbe.builder().maxReplyBytes(511))),
        Arguments.of(
            named("no reply lines", (Runnable) () -> SmtpTlsProbe.builder().maxReplyLines(0))),
        Arguments.of(
            named(
                "EHLO name smuggling a command",
                (Runnable) () -> SmtpTlsProbe.builder().ehloName("a.example\r\nRCPT TO:<x@y>"))),
        Arguments.of(
            named("empty EHLO name", (Runnable) () -> SmtpTlsProbe.builder().ehloName(""))),
        Arguments.of(
            named(
                "no TLS protocols",
                (Runnable) () -> SmtpTlsProbe.builder().tlsProtocols(List.of()))),
        Arguments.of(
            named(
                "a TLS protocol the JDK lacks",
                (Runnable) () -> SmtpTlsProbe.builder().tlsProtocols(List.of("TLSv9")))),
        Arguments.of(
            named(
                "a TLS protocol the JDK supports but disables (jdk.tls.disabledAlgorithms)",
                (Runnable)
                    () -> SmtpTlsProbe.builder().tlsProtocols(List.of("TLSv1.2", "TLSv1")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void builderRefusesBadSettings(Runnable setting) {
    assertThatThrownBy(setting::run).isInstanceOf(IllegalArgumentException.class);
  }
}
