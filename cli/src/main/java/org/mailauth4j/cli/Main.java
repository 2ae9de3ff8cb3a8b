package org.mailauth4j.cli;

/** The {@code mailauth} command's entry point: runs it on the process's streams and exits. */
public final class Main {
  private Main() {}

  /**
   * Runs the command and exits with its {@linkplain ExitCode exit code}.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(Mailauth.run(args, Io.system()));
  }
}
