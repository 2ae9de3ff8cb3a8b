package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.mtasts.MxVerdict;

/**
 * What an {@link SmtpTlsProbe} found at one SMTP server: how far the dialogue got (a {@link
 * Status}), the greeting and EHLO keywords, the TLS version, cipher suite and certificate chain of
 * an established session, and, when the probe was of an {@link MxTransport}, the verdict on it.
 *
 * <p>Every text that came from the server is given with its control and formatting characters
 * escaped (as {@code \x1b} or {@code \u202e}), so that printing it cannot move a terminal's cursor
 * or forge a log line. Immutable and thread-safe.
 */
public final class SmtpTlsProbeResult {

  /** How far the dialogue with the server got, in the order the probe meets them. */
  public enum Status {
    /** STARTTLS was offered and accepted, and the TLS handshake completed (RFC 3207). */
    TLS_ESTABLISHED,
    /**
     * The server's EHLO reply has no {@code STARTTLS} keyword, or the server refused EHLO itself
     * (RFC 3207 §4, RFC 5321 §4.1.1.1).
     */
    STARTTLS_NOT_OFFERED,
    /**
     * The server offered STARTTLS but answered the command with something other than 220, such as
     * {@code 454 TLS not available due to temporary reason} (RFC 3207 §4).
     */
    STARTTLS_REFUSED,
    /** The server greeted with a 4yz or 5yz reply, such as {@code 554} (RFC 5321 §3.1). */
    GREETING_REFUSED,
    /**
     * The TLS handshake after {@code 220} to STARTTLS failed: no common protocol or cipher suite,
     * not TLS at all, or the server broke the handshake off.
     */
    HANDSHAKE_FAILED,
    /** No TCP connection could be made: refused, unreachable, or not within the connect timeout. */
    CONNECT_FAILED,
    /**
     * The server did not finish the dialogue within the probe's deadline: it stopped answering, or
     * answered too slowly.
     */
    TIMEOUT,
    /**
     * The server broke the SMTP grammar (RFC 5321 §4.2): a reply code that is not three digits, a
     * multi-line reply whose lines disagree on the code, a line not ended by CRLF, a reply over the
     * probe's size or line limit, data sent ahead of the TLS handshake, or the connection closed
     * where a reply was due.
     */
    PROTOCOL_ERROR,
    /**
     * The server was not contacted: the {@link MxTransport} is {@link
     * MxTransport.Security#UNREACHABLE}, or has no addresses.
     */
    NOT_PROBED
  }

  private final Status status;
  private final Optional<InetSocketAddress> server;
  private final String greeting;
  private final List<String> ehloKeywords;
  private final Optional<String> tlsProtocol;
  private final Optional<String> cipherSuite;
  private final List<X509Certificate> chain;
  private final String detail;
  private final Duration elapsed;
  private final Optional<MxVerdict> verdict;

  SmtpTlsProbeResult(
      Status status,
      Optional<InetSocketAddress> server,
      String greeting,
      List<String> ehloKeywords,
      Optional<String> tlsProtocol,
      Optional<String> cipherSuite,
      List<X509Certificate> chain,
      String detail,
      Duration elapsed,
      Optional<MxVerdict> verdict) {
    this.status = requireNonNull(status, "status");
    this.server = requireNonNull(server, "server");
    this.greeting = requireNonNull(greeting, "greeting");
    this.ehloKeywords = List.copyOf(ehloKeywords);
    this.tlsProtocol = requireNonNull(tlsProtocol, "tlsProtocol");
    this.cipherSuite = requireNonNull(cipherSuite, "cipherSuite");
    this.chain = List.copyOf(chain);
    this.detail = requireNonNull(detail, "detail");
    this.elapsed = requireNonNull(elapsed, "elapsed");
    this.verdict = requireNonNull(verdict, "verdict");
    if ((status == Status.TLS_ESTABLISHED) != tlsProtocol.isPresent()) {
      throw new IllegalArgumentException("a TLS protocol goes with TLS_ESTABLISHED, and only it");
    }
  }

  /** A result for a server that was not contacted. */
  static SmtpTlsProbeResult notProbed(String detail, Optional<MxVerdict> verdict) {
    return new SmtpTlsProbeResult(
        Status.NOT_PROBED,
        Optional.empty(),
        "",
        List.of(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        detail,
        Duration.ZERO,
        verdict);
  }

  /** This result with the verdict of the transport it was probed for, and a longer detail. */
  SmtpTlsProbeResult withVerdict(Optional<MxVerdict> judged, String newDetail) {
    return new SmtpTlsProbeResult(
        status,
        server,
        greeting,
        ehloKeywords,
        tlsProtocol,
        cipherSuite,
        chain,
        newDetail,
        elapsed,
        judged);
  }

  /**
   * Returns how far the dialogue got.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Returns the address and port the probe connected to (or tried to).
   *
   * @return the server, empty for {@link Status#NOT_PROBED}
   */
  public Optional<InetSocketAddress> server() {
    return server;
  }

  /**
   * Returns the first line of the server's greeting, code included, such as {@code 220
   * mx.example.com ESMTP}, with control characters escaped.
   *
   * @return the line, or an empty string if no greeting was read
   */
  public String greeting() {
    return greeting;
  }

  /**
   * Returns the EHLO keywords the server announced (RFC 5321 §4.1.1.1), in upper case, without
   * their parameters, such as {@code PIPELINING}, {@code SIZE}, {@code STARTTLS}. After a TLS
   * handshake these are the keywords of the second EHLO, as RFC 3207 §4.2 makes the client forget
   * what it learnt before.
   *
   * @return an immutable list, in the server's order; empty if no EHLO reply was read
   */
  public List<String> ehloKeywords() {
    return ehloKeywords;
  }

  /**
   * Returns the TLS protocol version of the session, such as {@code TLSv1.3}.
   *
   * @return the version, present exactly for {@link Status#TLS_ESTABLISHED}
   */
  public Optional<String> tlsProtocol() {
    return tlsProtocol;
  }

  /**
   * Returns the cipher suite of the session, such as {@code TLS_AES_256_GCM_SHA384}.
   *
   * @return the suite's standard name, present for {@link Status#TLS_ESTABLISHED}
   */
  public Optional<String> cipherSuite() {
    return cipherSuite;
  }

  /**
   * Returns the certificate chain the server presented, its own certificate first, not judged in
   * any way: that is {@link MxTransport#verify(List)}'s work.
   *
   * @return an immutable list; empty if the handshake did not get as far as the certificate
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * Returns a human-readable account of the dialogue's end, quoting the server's reply where one
   * decided it (escaped, and cut short if long).
   *
   * @return the detail, for logs
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns how long the dialogue took, from the start of the connection to its close.
   *
   * @return the time taken; zero for {@link Status#NOT_PROBED}
   */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * Returns the verdict on the session, when the probe was of an {@link MxTransport}: {@link
   * MxTransport#verify(List)} on the chain of an established session, {@link
   * MxTransport#noStartTls()} when STARTTLS was not offered, was refused or its handshake failed,
   * {@link MxTransport#refusal()} for a host not to be tried. It carries the server's address and
   * greeting name, for TLS-RPT (RFC 8460 §4.4).
   *
   * @return the verdict; empty for a probe of a bare address, and when no address got as far as
   *     EHLO (connection failures, timeouts and protocol errors say nothing about TLS)
   */
  public Optional<MxVerdict> verdict() {
    return verdict;
  }

  @Override
  public String toString() {
    return "SmtpTlsProbeResult["
        + status
        + server.map(s -> " " + s).orElse("")
        + tlsProtocol.map(p -> " " + p).orElse("")
        + cipherSuite.map(c -> " " + c).orElse("")
        + ", "
        + detail
        + "]";
  }
}
