package org.mailauth4j.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The streams a command reads and writes: the process's own, or a test's. Text goes out as UTF-8
 * whatever the platform's default; {@link #rawOut()} is for octets (a signed message).
 */
final class Io {
  private final InputStream in;
  private final PrintStream rawOut;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean terminal;

  Io(InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    this.in = in;
    this.rawOut = out;
    this.out = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    this.err = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    this.terminal = terminal;
  }

  /** The process's standard streams; standard error is a terminal when a console is attached. */
  static Io system() {
    return new Io(System.in, System.out, System.err, stderrIsTerminal());
  }

  /**
   * Whether standard error is a terminal. Java 17 tells only whether standard input and output both
   * are (System.console()); Linux names the terminal file descriptor 2 is open on.
   */
  private static boolean stderrIsTerminal() {
    try {
      String target =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  InputStream in() {
    return in;
  }

  /** Standard output for octets; flush {@link #out()} first if both are used. */
  OutputStream rawOut() {
    out.flush();
    return rawOut;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /** Whether standard error is a terminal, so a progress bar may be drawn on it. */
  boolean terminal() {
    return terminal;
  }
}
