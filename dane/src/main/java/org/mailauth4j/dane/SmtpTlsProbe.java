package org.mailauth4j.dane;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.mailauth4j.dane.SmtpTlsProbeResult.Status;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MxVerdict;

/**
 * Connects to an SMTP server, asks for STARTTLS (RFC 3207) and reports what it found: the TLS
 * version, cipher suite and certificate chain of the session, or how far the dialogue got. For an
 * {@link MxTransport} it also judges the session, as a sending MTA would, so that a monitoring tool
 * can tell whether mail to the host would go out, and what TLS-RPT would say about it.
 *
 * <pre>{@code
 * SmtpTlsProbe probe = SmtpTlsProbe.builder().timeout(Duration.ofSeconds(30)).build();
 * for (MxTransport mx : policy.mxHosts()) {
 *   SmtpTlsProbeResult result = probe.probe(mx);
 *   System.out.println(mx.host() + ": " + result.status() + " " + result.verdict());
 * }
 * }</pre>
 *
 * <p>The dialogue is the few lines STARTTLS needs and no more: the greeting, {@code EHLO}, {@code
 * STARTTLS}, the TLS handshake, {@code EHLO} again over TLS (RFC 3207 §4.2), and {@code QUIT}; no
 * mail is sent. The TLS is the JDK's. The chain is collected, never judged, by the handshake: any
 * chain is accepted, and it is {@link MxTransport#verify(List)} that decides whether it passes, by
 * DANE or MTA-STS.
 *
 * <p>A server cannot make the probe hang or run out of memory: the whole dialogue, connection
 * included, has a deadline ({@link Builder#timeout(Duration)}), held by socket timeouts on every
 * read and by a watchdog that closes the connection when it passes, however slowly the server drips
 * its bytes; a reply has a byte and a line limit; anything that breaks the reply grammar of RFC
 * 5321 §4.2 ends the dialogue with {@link Status#PROTOCOL_ERROR}. Each outcome is a {@link
 * SmtpTlsProbeResult}, never an exception. After a refusal the probe says {@code QUIT} and waits at
 * most two seconds for the answer.
 *
 * <p>Immutable and thread-safe; one probe may run any number of dialogues at once. The blocking I/O
 * runs on the executor ({@link Builder#executor(Executor)}), never on the caller's thread in the
 * asynchronous forms. The deadline is each dialogue's, and starts when the executor runs it: with
 * the default pool, probes beyond its 32 threads wait in its queue first, and {@link
 * #probe(MxTransport)} gives each address of the host a deadline of its own, one after another.
 */
public final class SmtpTlsProbe {
  /** How long a refused dialogue waits for the reply to its {@code QUIT}. */
  private static final Duration QUIT_GRACE = Duration.ofSeconds(2);

  /** How much of a server's text a detail quotes. */
  private static final int QUOTE_LIMIT = 200;

  /** The longest timeout a builder takes: longer ones are mistakes, and would overflow. */
  private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

  /** The longest EHLO name: a domain of 255 octets (RFC 5321 §4.5.3.1.2). */
  private static final int MAX_EHLO_NAME = 255;

  private static final String CRLF = "\r\n";

  private final int port;
  private final Duration connectTimeout;
  private final Duration timeout;
  private final int maxReplyBytes;
  private final int maxReplyLines;
  private final Optional<String> ehloName;
  private final List<String> tlsProtocols;
  private final Executor executor;

  private SmtpTlsProbe(Builder b) {
    this.port = b.port;
    this.connectTimeout = b.connectTimeout;
    this.timeout = b.timeout;
    this.maxReplyBytes = b.maxReplyBytes;
    this.maxReplyLines = b.maxReplyLines;
    this.ehloName = b.ehloName;
    this.tlsProtocols = b.tlsProtocols;
    this.executor = b.executor != null ? b.executor : Pools.DIALOGUES;
  }

  /**
   * Starts configuring a probe.
   *
   * @return a builder with the defaults given at each of its methods
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Probes one server address, in the background.
   *
   * @param server the address and port to connect to
   * @param serverName the name to send in the TLS server name indication; none is sent if it is not
   *     a host name (RFC 6066 §3)
   * @return a future that completes with the result, normally, whatever the server does; cancelling
   *     it closes the connection at once
   * @throws java.util.concurrent.RejectedExecutionException if the executor refuses the dialogue
   */
  public CompletableFuture<SmtpTlsProbeResult> probeAsync(
      InetSocketAddress server, DomainName serverName) {
    requireNonNull(server, "server");
    requireNonNull(serverName, "serverName");
    return submit(probing -> probing.dialogue(server, serverName).result());
  }

  /**
   * Probes one server address, waiting for the result.
   *
   * @param server the address and port to connect to
   * @param serverName the name to send in the TLS server name indication
   * @return the result
   * @see #probeAsync(InetSocketAddress, DomainName)
   */
  public SmtpTlsProbeResult probe(InetSocketAddress server, DomainName serverName) {
    return probeAsync(server, serverName).join();
  }

  /**
   * Probes an MX host as its transport decision says, in the background: its addresses in order, on
   * the probe's port, with SNI {@link MxTransport#serverName()}, until one gets as far as a
   * decision on TLS (TLS established, STARTTLS not offered or refused, handshake failed). The
   * result carries the verdict: {@link MxTransport#verify(List)} on the chain, or {@link
   * MxTransport#noStartTls()}, with the address and the server's EHLO name added for TLS-RPT. A
   * host that is {@link MxTransport.Security#UNREACHABLE} is not contacted: the result is {@link
   * Status#NOT_PROBED} with {@link MxTransport#refusal()} as its verdict.
   *
   * @param mx the MX host
   * @return a future that completes with the result of the deciding address, or of the last one
   *     tried if none decided; cancelling it closes the connection at once and tries no further
   *     address
   * @throws java.util.concurrent.RejectedExecutionException if the executor refuses the dialogue
   */
  public CompletableFuture<SmtpTlsProbeResult> probeAsync(MxTransport mx) {
    requireNonNull(mx, "mx");
    Optional<MxVerdict> refusal = mx.refusal();
    if (refusal.isPresent()) {
      return CompletableFuture.completedFuture(
          SmtpTlsProbeResult.notProbed(mx.host() + " is not to be tried: " + mx.detail(), refusal));
    }
    if (mx.addresses().isEmpty()) {
      return CompletableFuture.completedFuture(
          SmtpTlsProbeResult.notProbed(mx.host() + " has no addresses", Optional.empty()));
    }
    return submit(probing -> probeAddresses(probing, mx));
  }

  /**
   * Probes an MX host as its transport decision says, waiting for the result.
   *
   * @param mx the MX host
   * @return the result
   * @see #probeAsync(MxTransport)
   */
  public SmtpTlsProbeResult probe(MxTransport mx) {
    return probeAsync(mx).join();
  }

  private SmtpTlsProbeResult probeAddresses(Probing probing, MxTransport mx) {
    List<String> earlier = new ArrayList<>();
    SmtpTlsProbeResult last = null;
    for (InetAddress address : mx.addresses()) {
      if (probing.isCancelled()) {
        // nobody waits for the result: the remaining addresses are not worth a connection
        return last;
      }
      Attempt attempt = probing.dialogue(new InetSocketAddress(address, port), mx.serverName());
      SmtpTlsProbeResult result = attempt.result();
      Optional<MxVerdict> verdict =
          switch (result.status()) {
            case TLS_ESTABLISHED -> Optional.of(mx.verify(result.chain()));
            // RFC 8460 §4.3.1: starttls-not-supported, or a validation-failure with its code
            case STARTTLS_NOT_OFFERED, STARTTLS_REFUSED -> Optional.of(mx.noStartTls());
            case HANDSHAKE_FAILED ->
                Optional.of(mx.handshakeFailed(attempt.handshakeFailure().orElse("HANDSHAKE")));

            case GREETING_REFUSED, CONNECT_FAILED, TIMEOUT, PROTOCOL_ERROR, NOT_PROBED ->
                Optional.empty();
          };
      String detail =
          earlier.isEmpty()
              ? result.detail()
              : result.detail() + " (after " + String.join("; ", earlier) + ")";
      if (verdict.isPresent()) {
        MxVerdict judged = verdict.get().withReceivingIp(address);
        if (attempt.helo().isPresent()) {
          judged = judged.withReceivingHelo(attempt.helo().get());
        }
        return result.withVerdict(Optional.of(judged), detail);
      }
      last = result.withVerdict(Optional.empty(), detail);
      earlier.add(address.getHostAddress() + ": " + result.status());
    }
    return last;
  }

  /** Hands the work to the executor, and returns its future. */
  private CompletableFuture<SmtpTlsProbeResult> submit(Function<Probing, SmtpTlsProbeResult> work) {
    Probing probing = new Probing();
    executor.execute(() -> probing.run(work));
    return probing;
  }

  /**
   * The future of one probe. Cancelling it closes the connection of the dialogue under way, which
   * ends at once, and no further address is tried; a probe still queued does not start.
   */
  private final class Probing extends CompletableFuture<SmtpTlsProbeResult> {
    /** The dialogue under way, for cancel to close; volatile, so that one of the two sees it. */
    private volatile Dialogue current;

    void run(Function<Probing, SmtpTlsProbeResult> work) {
      if (isDone()) {
        return;
      }
      try {
        complete(work.apply(this));
      } catch (RuntimeException e) {
        completeExceptionally(e);
      } catch (Error e) {
        completeExceptionally(e);
        throw e;
      }
    }

    Attempt dialogue(InetSocketAddress server, DomainName serverName) {
      Dialogue dialogue = new Dialogue(server, serverName);
      current = dialogue;
      try {
        if (isCancelled()) {
          dialogue.abort();
        }
        return dialogue.run();
      } finally {
        current = null;
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      Dialogue dialogue = current;
      if (dialogue != null) {
        dialogue.abort();
      }
      return cancelled;
    }
  }

  /** A dialogue's result and the name the server gave in its EHLO reply, for TLS-RPT. */
  /**
   * A dialogue's result, the EHLO name over TLS, and for a failed handshake a short reason code
   * (the TLS alert, or the exception's name) for TLS-RPT's failure-reason-code.
   */
  private record Attempt(
      SmtpTlsProbeResult result, Optional<String> helo, Optional<String> handshakeFailure) {}

  /** Ends a dialogue early with its status. */
  private static final class Stop extends Exception {
    private static final long serialVersionUID = 1L;

    private final Status status;

    Stop(Status status, String detail) {
      super(detail, null, false, false);
      this.status = status;
    }
  }

  /** One reply: its code and its lines, CRLF removed, the code still at their start. */
  private record Reply(int code, List<String> lines) {
    String quoted() {
      return quote(String.join(" / ", lines));
    }
  }

  /** One dialogue with one server: single-use, confined to the thread that runs it. */
  private final class Dialogue {
    private final InetSocketAddress server;
    private final DomainName serverName;
    private final long start = System.nanoTime();
    private final long deadline = start + timeout.toNanos();
    private final Socket raw = new Socket();
    private final byte[] buffer = new byte[8192];
    private volatile boolean expired;
    private Socket current = raw;
    private InputStream in;
    private OutputStream out;
    private int position;
    private int limit;
    private String greeting = "";
    private List<String> keywords = List.of();
    private Optional<String> helo = Optional.empty();
    private Optional<SSLSession> session = Optional.empty();
    private List<X509Certificate> chain = List.of();
    private Optional<String> handshakeFailure = Optional.empty();

    /** While QUIT waits, the earlier of its grace and the deadline; else no bound of its own. */
    private long quitBy = Long.MAX_VALUE;

    Dialogue(InetSocketAddress server, DomainName serverName) {
      this.server = server;
      this.serverName = serverName;
    }

    Attempt run() {
      ScheduledFuture<?> watchdog =
          Pools.WATCHDOG.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
      Status status;
      String detail;
      try {
        detail = talk();
        status = Status.TLS_ESTABLISHED;
      } catch (Stop stop) {
        status = stop.status;
        detail = stop.getMessage();
      } finally {
        // on every path, a bug's exception too: the watchdog is cancelled only once it is closed
        close();
        watchdog.cancel(false);
      }
      boolean established = status == Status.TLS_ESTABLISHED;
      SmtpTlsProbeResult result =
          new SmtpTlsProbeResult(
              status,
              Optional.of(server),
              greeting,
              keywords,
              session.map(SSLSession::getProtocol).filter(p -> established),
              session.map(SSLSession::getCipherSuite),
              chain,
              detail,
              Duration.ofNanos(System.nanoTime() - start),
              Optional.empty());
      return new Attempt(result, helo, handshakeFailure);
    }

    /** The watchdog's work: the deadline has passed, so whatever is blocked is woken. */
    private void expire() {
      expired = true;
      closeQuietly(raw);
    }

    /** The probe was cancelled: the connection is closed, which wakes whatever is blocked. */
    void abort() {
      closeQuietly(raw);
    }

    /** The dialogue up to an established session; returns its detail, or throws how it ended. */
    private String talk() throws Stop {
      connect();
      Reply greet = read("greeting");
      greeting = quote(greet.lines().get(0), Integer.MAX_VALUE);
      if (greet.code() >= 400) {
        // RFC 5321 §3.1: a 554 greeting (or a 4yz one) refuses the session, and the server
        // waits for QUIT (§4.1.1.10) before it closes.
        quit();
        throw new Stop(Status.GREETING_REFUSED, "the server greeted with " + greet.quoted());
      }
      if (greet.code() != 220) {
        throw new Stop(Status.PROTOCOL_ERROR, "greeting code is not 220: " + greet.quoted());
      }
      Reply ehlo = ehlo();
      if (ehlo.code() != 250) {
        quit();
        throw new Stop(Status.STARTTLS_NOT_OFFERED, "EHLO refused: " + ehlo.quoted());
      }
      if (!keywords.contains("STARTTLS")) {
        quit();
        throw new Stop(Status.STARTTLS_NOT_OFFERED, "the EHLO reply does not offer STARTTLS");
      }
      send("STARTTLS");
      Reply starttls = read("STARTTLS");
      if (starttls.code() != 220) {
        // RFC 3207 §4: 454 TLS not available due to temporary reason, 501 and the like.
        quit();
        throw new Stop(Status.STARTTLS_REFUSED, "STARTTLS refused: " + starttls.quoted());
      }
      if (position < limit) {
        // Bytes that came with the 220 would be taken for TLS, or worse, for a reply inside the
        // session (the STARTTLS injection attack); RFC 3207 §4.2 has the client forget all it
        // learnt before TLS, and this is part of it.
        throw new Stop(
            Status.PROTOCOL_ERROR, "the server sent data after its 220 to STARTTLS, before TLS");
      }
      handshake();
      String established =
          "TLS established: "
              + session.get().getProtocol()
              + " "
              + session.get().getCipherSuite()
              + ", "
              + chain.size()
              + (chain.size() == 1 ? " certificate" : " certificates");
      // RFC 3207 §4.2: the client MUST discard what it learnt before TLS and SHOULD send EHLO
      // again. The session stands whatever that EHLO gets: it is the TLS that was probed.
      keywords = List.of();
      helo = Optional.empty();
      try {
        Reply again = ehlo();
        if (again.code() != 250) {
          quit();
          return established + "; EHLO over TLS refused: " + again.quoted();
        }
        quit();
        return established;
      } catch (Stop stop) {
        return established + "; then " + stop.getMessage();
      }
    }

    private void connect() throws Stop {
      long left = remainingMillis();
      int wait = (int) Math.min(Math.max(left, 1), Math.min(connectTimeout.toMillis(), MAX_INT));
      try {
        raw.setTcpNoDelay(true);
        raw.connect(server, wait);
        in = raw.getInputStream();
        out = raw.getOutputStream();
      } catch (IOException e) {
        if (expired || remainingMillis() <= 0) {
          throw timedOut("connecting");
        }
        throw new Stop(
            Status.CONNECT_FAILED,
            "cannot connect to " + server + ": " + quote(String.valueOf(e.getMessage())));
      }
    }

    private Reply ehlo() throws Stop {
      send("EHLO " + ehloName.orElseGet(() -> addressLiteral(raw.getLocalAddress())));
      Reply reply = read("EHLO");
      if (reply.code() == 250) {
        keywords = keywords(reply);
        helo = heloName(reply);
      }
      return reply;
    }

    private void handshake() throws Stop {
      RecordingTrustManager recorder = new RecordingTrustManager();
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recorder}, null);
        SSLSocket tls =
            (SSLSocket)
                context
                    .getSocketFactory()
                    .createSocket(raw, server.getHostString(), server.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(tlsProtocols.toArray(String[]::new));
        parameters.setServerNames(sni(serverName));
        // No endpoint identification: the verifiers judge the chain, by DANE or MTA-STS rules.
        parameters.setEndpointIdentificationAlgorithm(null);
        tls.setSSLParameters(parameters);
        current = tls;
        setReadTimeout();
        tls.startHandshake();
        SSLSession established = tls.getSession();
        session = Optional.of(established);
        chain = recorder.chain.isEmpty() ? peerChain(established) : recorder.chain;
        in = tls.getInputStream();
        out = tls.getOutputStream();
        position = 0;
        limit = 0;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK has no TLS", e);
      } catch (SocketTimeoutException e) {
        chain = recorder.chain;
        throw timedOut("in the TLS handshake");
      } catch (IOException e) {
        chain = recorder.chain;
        if (expired) {
          throw timedOut("in the TLS handshake");
        }
        handshakeFailure = Optional.of(reasonCode(e));
        throw new Stop(
            Status.HANDSHAKE_FAILED,
            "TLS handshake failed: " + quote(e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }

    /** The TLS alert the JDK names in its message ("Received fatal alert: x"), else the class. */
    private static String reasonCode(IOException e) {
      String message = String.valueOf(e.getMessage());
      String alert = "fatal alert: ";
      int at = message.indexOf(alert);
      if (at >= 0) {
        String name = message.substring(at + alert.length()).strip();
        if (name.matches("[a-z_]{1,40}")) {
          return name;
        }
      }
      return e.getClass().getSimpleName();
    }

    /** Says QUIT and reads the reply, briefly; a refusal is decided already, whatever comes. */
    private void quit() {
      try {
        send("QUIT");
        long grace = System.nanoTime() + QUIT_GRACE.toNanos();
        quitBy = Math.min(grace, deadline);
        read("QUIT");
      } catch (Stop ignored) {
        // the server had its say; it need not say goodbye
      } finally {
        quitBy = Long.MAX_VALUE;
      }
    }

    private void send(String command) throws Stop {
      try {
        out.write((command + CRLF).getBytes(US_ASCII));
        out.flush();
      } catch (IOException e) {
        throw lost(command, e);
      }
    }

    /**
     * Reads one reply (RFC 5321 §4.2): lines of a three-digit code, a hyphen on all but the last
     * and a space (or nothing) after the code on the last, the same code on each, ended by CRLF.
     */
    private Reply read(String what) throws Stop {
      List<String> lines = new ArrayList<>();
      int code = -1;
      int bytes = 0;
      while (true) {
        if (lines.size() == maxReplyLines) {
          throw new Stop(
              Status.PROTOCOL_ERROR,
              "the reply to " + what + " has more than " + maxReplyLines + " lines");
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        bytes = readLine(what, line, bytes);
        String text = new String(line.toByteArray(), UTF_8);
        int lineCode = replyCode(text);
        if (lineCode < 0) {
          throw new Stop(
              Status.PROTOCOL_ERROR,
              "the reply to " + what + " has no valid reply code: " + quote(text));
        }
        if (code >= 0 && lineCode != code) {
          // RFC 5321 §4.2.1: every line of a multiline reply has the same code.
          throw new Stop(
              Status.PROTOCOL_ERROR,
              "the lines of the reply to " + what + " disagree on the code: " + quote(text));
        }
        code = lineCode;
        lines.add(text);
        if (text.length() == 3 || text.charAt(3) == ' ') {
          return new Reply(code, List.copyOf(lines));
        }
        if (text.charAt(3) != '-') {
          throw new Stop(
              Status.PROTOCOL_ERROR,
              "the reply to "
                  + what
                  + " has neither space nor hyphen after the code: "
                  + quote(text));
        }
      }
    }

    /**
     * Reads one line into {@code line}, without its CRLF; returns the reply's bytes so far, which
     * may not pass the limit.
     */
    private int readLine(String what, ByteArrayOutputStream line, int bytesBefore) throws Stop {
      int bytes = bytesBefore;
      boolean cr = false;
      while (true) {
        if (bytes == maxReplyBytes) {
          throw new Stop(
              Status.PROTOCOL_ERROR,
              "the reply to " + what + " is longer than " + maxReplyBytes + " bytes");
        }
        int b = readByte(what, bytes > 0);
        bytes++;
        if (b == '\n') {
          if (!cr) {
            // RFC 5321 §2.3.8: lines end in CRLF; a bare LF is not a line end.
            throw new Stop(
                Status.PROTOCOL_ERROR,
                "a line of the reply to " + what + " ends in a bare LF: " + quoteBytes(line));
          }
          return bytes;
        }
        if (cr) {
          line.write('\r');
        }
        cr = b == '\r';
        if (!cr) {
          line.write(b);
        }
      }
    }

    private int readByte(String what, boolean midReply) throws Stop {
      if (position == limit) {
        fill(what, midReply);
      }
      return buffer[position++] & 0xff;
    }

    private void fill(String what, boolean midReply) throws Stop {
      try {
        setReadTimeout();
        int n = in.read(buffer);
        if (n < 0) {
          throw new Stop(
              Status.PROTOCOL_ERROR,
              "the server closed the connection "
                  + (midReply ? "in the middle of" : "instead of")
                  + " the reply to "
                  + what);
        }
        position = 0;
        limit = n;
      } catch (SocketTimeoutException e) {
        throw timedOut("waiting for the reply to " + what);
      } catch (IOException e) {
        throw lost(what, e);
      }
    }

    /** Sets the socket's read timeout to what is left of the deadline, or ends the dialogue. */
    private void setReadTimeout() throws Stop {
      long left = remainingMillis();
      if (left <= 0) {
        throw timedOut("");
      }
      try {
        current.setSoTimeout((int) Math.min(left, MAX_INT));
      } catch (IOException e) {
        throw lost("", e);
      }
    }

    private long remainingMillis() {
      long by = Math.min(deadline, quitBy);
      long left = by - System.nanoTime();
      return left <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
    }

    private Stop timedOut(String where) {
      String during = where.isEmpty() ? "" : " (" + where + ")";
      return new Stop(Status.TIMEOUT, "the dialogue did not finish within " + timeout + during);
    }

    private Stop lost(String what, IOException e) {
      if (expired || remainingMillis() <= 0) {
        return timedOut(what.isEmpty() ? "" : "at " + what);
      }
      return new Stop(
          Status.PROTOCOL_ERROR,
          "the connection was lost"
              + (what.isEmpty() ? "" : " at " + what)
              + ": "
              + quote(String.valueOf(e.getMessage())));
    }

    private void close() {
      // A TLS close sends close_notify, which the read timeout bounds like any other write.
      closeQuietly(current);
      closeQuietly(raw);
    }
  }

  private static final long MAX_INT = Integer.MAX_VALUE;

  /** The reply code at the start of a line, or -1 (RFC 5321 §4.2: %x32-35 %x30-35 %x30-39). */
  private static int replyCode(String line) {
    if (line.length() < 3) {
      return -1;
    }
    char a = line.charAt(0);
    char b = line.charAt(1);
    char c = line.charAt(2);
    if (a < '2' || a > '5' || b < '0' || b > '5' || c < '0' || c > '9') {
      return -1;
    }
    return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
  }

  /**
   * The keywords of an EHLO reply (RFC 5321 §4.1.1.1): the first word of each line after the first,
   * in upper case, as keywords are not case-sensitive (RFC 5321 §2.4). A line whose first word is
   * not an {@code ehlo-keyword} (a letter or digit, then letters, digits and hyphens) is left out.
   */
  private static List<String> keywords(Reply reply) {
    List<String> found = new ArrayList<>();
    for (String line : reply.lines().subList(1, reply.lines().size())) {
      String text = line.length() > 4 ? line.substring(4) : "";
      int end = text.indexOf(' ');
      String keyword = end < 0 ? text : text.substring(0, end);
      // ASCII before upper-casing, which turns U+017F into S and U+0131 into I
      if (keyword.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
        found.add(keyword.toUpperCase(Locale.ROOT));
      }
    }
    return List.copyOf(found);
  }

  /** The domain at the start of the EHLO reply's first line (RFC 5321 §4.1.1.1), for TLS-RPT. */
  private static Optional<String> heloName(Reply reply) {
    String first = reply.lines().get(0);
    String text = first.length() > 4 ? first.substring(4) : "";
    int end = text.indexOf(' ');
    String name = end < 0 ? text : text.substring(0, end);
    // a domain or an address literal; anything else is not worth reporting
    return name.matches("[A-Za-z0-9.:\\[\\]-]{1,255}") ? Optional.of(name) : Optional.empty();
  }

  /** The SNI list: the name if it is a host name (RFC 6066 §3 wants one), else none. */
  private static List<SNIServerName> sni(DomainName name) {
    if (!name.isHostName()) {
      return List.of();
    }
    try {
      return List.of(new SNIHostName(name.toString()));
    } catch (IllegalArgumentException notForSni) {
      return List.of();
    }
  }

  /** The local address as an EHLO address literal (RFC 5321 §4.1.3). */
  static String addressLiteral(InetAddress address) {
    String text = address.getHostAddress();
    int scope = text.indexOf('%');
    if (scope >= 0) {
      text = text.substring(0, scope);
    }
    return address instanceof Inet6Address ? "[IPv6:" + text + "]" : "[" + text + "]";
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    try {
      return Arrays.stream(session.getPeerCertificates())
          .filter(X509Certificate.class::isInstance)
          .map(X509Certificate.class::cast)
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String quote(String text) {
    return quote(text, QUOTE_LIMIT);
  }

  private static String quoteBytes(ByteArrayOutputStream bytes) {
    return quote(new String(bytes.toByteArray(), UTF_8));
  }

  /**
   * The text with control and formatting characters escaped, so a server cannot put a raw CR, an
   * escape sequence or a bidirectional override into a log; cut to {@code max} characters.
   */
  static String quote(String text, int max) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 16);
    for (int i = 0; i < text.length(); ) {
      if (sb.length() >= max) {
        sb.append("...");
        break;
      }
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (cp == '\\') {
        sb.append("\\\\");
      } else if (Character.isISOControl(cp)
          || type == Character.FORMAT
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.SURROGATE
          || type == Character.PRIVATE_USE
          || type == Character.UNASSIGNED) {
        sb.append(cp < 0x100 ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that is left to do with it
    }
  }

  /**
   * Accepts any server chain and keeps it: judging it is the verifiers' work. Extended, so that the
   * JDK adds no host name check of its own.
   */
  private static final class RecordingTrustManager extends X509ExtendedTrustManager {
    private volatile List<X509Certificate> chain = List.of();

    private void record(X509Certificate[] presented) {
      chain = presented == null ? List.of() : List.of(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, Socket socket) {
      record(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, SSLEngine engine) {
      record(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType) {
      record(presented);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a probe is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a probe is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType)
        throws CertificateException {
      throw new CertificateException("a probe is a client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** The shared threads, made on first use. */
  private static final class Pools {
    private static final int DIALOGUE_THREADS = 32;

    /** Daemon threads for the blocking dialogues; idle ones end after a minute. */
    static final Executor DIALOGUES = dialogues();

    /** One daemon thread that closes connections whose deadline has passed. */
    static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private static Executor dialogues() {
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              DIALOGUE_THREADS,
              DIALOGUE_THREADS,
              1,
              TimeUnit.MINUTES,
              new LinkedBlockingQueue<>(),
              task -> daemon(task, "mailauth4j-smtp-probe-" + count.incrementAndGet()));
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }

    private static ScheduledThreadPoolExecutor watchdog() {
      ScheduledThreadPoolExecutor pool =
          new ScheduledThreadPoolExecutor(
              1, task -> daemon(task, "mailauth4j-smtp-probe-deadline"));
      pool.setRemoveOnCancelPolicy(true);
      return pool;
    }

    private static Thread daemon(Runnable task, String name) {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    }
  }

  /** Configures an {@link SmtpTlsProbe}. Not thread-safe. */
  public static final class Builder {
    private int port = 25;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofSeconds(60);
    private int maxReplyBytes = 64 * 1024;
    private int maxReplyLines = 256;
    private Optional<String> ehloName = Optional.empty();
    private List<String> tlsProtocols = List.of("TLSv1.3", "TLSv1.2");
    private Executor executor;

    private Builder() {}

    /**
     * Sets the TCP port of {@link #probe(MxTransport)}; default 25, the SMTP port that MX hosts
     * listen on (RFC 5321 §4.5.4.2).
     *
     * @param port 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets how long the TCP connection may take; default 10 seconds. The whole dialogue's deadline
     * bounds it too.
     *
     * @param connectTimeout positive, at most a day
     * @return this builder
     * @throws IllegalArgumentException if not positive, or over a day
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * Sets the deadline of the whole dialogue, from the start of the connection to {@code QUIT};
     * default 60 seconds. It holds however the server spreads its bytes out.
     *
     * @param timeout positive, at most a day
     * @return this builder
     * @throws IllegalArgumentException if not positive, or over a day
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * Sets the most bytes one reply may have, all its lines and their CRLFs together; default 64
     * KiB, far above what servers send (an EHLO reply is a few hundred bytes).
     *
     * @param maxReplyBytes at least 512, the longest reply line RFC 5321 §4.5.3.1.5 allows
     * @return this builder
     * @throws IllegalArgumentException if smaller
     */
    public Builder maxReplyBytes(int maxReplyBytes) {
      if (maxReplyBytes < 512) {
        throw new IllegalArgumentException("maxReplyBytes must be at least 512");
      }
      this.maxReplyBytes = maxReplyBytes;
      return this;
    }

    /**
     * Sets the most lines one reply may have; default 256.
     *
     * @param maxReplyLines at least 1
     * @return this builder
     * @throws IllegalArgumentException if smaller
     */
    public Builder maxReplyLines(int maxReplyLines) {
      if (maxReplyLines < 1) {
        throw new IllegalArgumentException("maxReplyLines must be at least 1");
      }
      this.maxReplyLines = maxReplyLines;
      return this;
    }

    /**
     * Sets the name to say EHLO with; by default the address literal of the local end of the
     * connection in the syntax of RFC 5321 §4.1.3, such as {@code [192.0.2.1]} or {@code
     * [IPv6:2001:db8:0:0:0:0:0:1]}, which RFC 5321 §4.1.4 has a client send when it has no name of
     * its own to give.
     *
     * @param ehloName a domain or address literal: 1 to 255 visible ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if it has other characters, which could smuggle a second
     *     command into the line
     */
    public Builder ehloName(String ehloName) {
      requireNonNull(ehloName, "ehloName");
      if (ehloName.isEmpty()
          || ehloName.length() > MAX_EHLO_NAME
          || !ehloName.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "ehloName must be 1 to 255 visible ASCII characters: " + quote(ehloName, 80));
      }
      this.ehloName = Optional.of(ehloName);
      return this;
    }

    /**
     * Sets the TLS versions to offer; default {@code TLSv1.3} and {@code TLSv1.2}, those RFC 8996
     * and RFC 9325 leave.
     *
     * <p>A protocol the JDK supports but will not use is refused here, rather than failing every
     * handshake: the JDK's {@code jdk.tls.disabledAlgorithms} security property disables {@code
     * TLSv1}, {@code TLSv1.1} and {@code SSLv3} by default. A server that speaks only such a
     * version ends in {@link Status#HANDSHAKE_FAILED}, its detail naming the alert ({@code
     * protocol_version}) or the JDK's {@code No appropriate protocol}.
     *
     * @param tlsProtocols JDK protocol names, at least one
     * @return this builder
     * @throws IllegalArgumentException if empty, or if the JDK does not support one of them or has
     *     disabled it
     */
    public Builder tlsProtocols(List<String> tlsProtocols) {
      List<String> copy = List.copyOf(tlsProtocols);
      if (copy.isEmpty()) {
        throw new IllegalArgumentException("tlsProtocols must name at least one protocol");
      }
      SSLContext tls;
      try {
        tls = SSLContext.getDefault();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK has no TLS", e);
      }
      List<String> supported = List.of(tls.getSupportedSSLParameters().getProtocols());
      for (String protocol : copy) {
        if (!supported.contains(protocol)) {
          throw new IllegalArgumentException("the JDK does not support " + protocol);
        }
        if (!canHello(tls, protocol)) {
          throw new IllegalArgumentException(
              "the JDK supports "
                  + protocol
                  + " but will not use it: the security property jdk.tls.disabledAlgorithms"
                  + " disables it, or leaves it no cipher suite");
        }
      }
      this.tlsProtocols = copy;
      return this;
    }

    /** Whether the JDK writes a ClientHello offering the protocol alone. */
    private static boolean canHello(SSLContext tls, String protocol) {
      SSLEngine engine = tls.createSSLEngine();
      engine.setUseClientMode(true);
      engine.setEnabledProtocols(new String[] {protocol});
      try {
        engine.beginHandshake();
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), hello);
        return hello.position() > 0;
      } catch (SSLException disabled) {
        // "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)"
        return false;
      } finally {
        engine.closeOutbound();
      }
    }

    /**
     * Sets where the blocking dialogues run; by default a shared pool of 32 daemon threads. The
     * asynchronous methods hand each dialogue to it and return at once.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the probe.
     *
     * @return the probe
     */
    public SmtpTlsProbe build() {
      return new SmtpTlsProbe(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            name + " must be positive and at most " + MAX_TIMEOUT + ", not " + d);
      }
      return d;
    }
  }
}
