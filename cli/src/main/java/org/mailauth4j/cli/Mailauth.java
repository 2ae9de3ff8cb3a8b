package org.mailauth4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code mailauth} command: both halves of mail security from one command line. Message
 * authentication (SPF, DKIM, DMARC) and transport security (MTA-STS, TLS-RPT, DANE) over the
 * mailauth4j modules, human output by default and {@code --json} everywhere.
 */
@Command(
    name = "mailauth",
    mixinStandardHelpOptions = true,
    versionProvider = Mailauth.Version.class,
    description = {
      "Mail authentication and transport security, from one command.",
      "SPF, DKIM and DMARC authenticate the message; MTA-STS, DANE and TLS-RPT secure the"
          + " channel to the receiving server. 'check' shows both halves of a domain side by side."
    },
    subcommands = {
      CheckCommand.class,
      VerifyCommand.class,
      SignCommand.class,
      KeygenCommand.class,
      SpfCommand.class,
      DmarcCommand.class,
      MtaStsCommand.class,
      TlsRptCommand.class,
      ReportCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  all fine",
      "  1  findings: a failing result, or a finding of error severity",
      "  2  input error: unknown option, missing or unreadable file, broken zone",
      "  3  temporary failure: DNS or a server did not answer; try again later",
      "  4  internal error",
      "",
      "Example:",
      "  mailauth verify samples/messages/pass.eml --zone samples/zone/example.test.zone \\",
      "      --ip 192.0.2.25 --helo mail.example.test --mail-from alice@example.test"
    })
public final class Mailauth implements Runnable {
  final Io io;

  @Spec CommandSpec spec;

  Mailauth(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
  }

  /**
   * Runs the command line on the given streams.
   *
   * @param args the arguments
   * @param io the streams
   * @return the exit code
   */
  static int run(String[] args, Io io) {
    CommandLine cli = commandLine(io);
    try {
      return cli.execute(args);
    } finally {
      io.out().flush();
      io.err().flush();
    }
  }

  static CommandLine commandLine(Io io) {
    CommandLine cli = new CommandLine(new Mailauth(io));
    cli.setOut(io.out());
    cli.setErr(io.err());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpWidth(120); // examples hold long sample paths: keep them on one line
    cli.setExecutionStrategy(
        parseResult -> {
          configureLogging(io.err(), verbose(parseResult));
          return new CommandLine.RunLast().execute(parseResult);
        });
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println(failed.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
          err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.INPUT;
        });
    cli.setExecutionExceptionHandler(
        (ex, failed, parseResult) -> {
          PrintWriter err = failed.getErr();
          String name = failed.getCommandSpec().qualifiedName();
          if (ex instanceof CliException) {
            err.println(name + ": " + ex.getMessage());
            return ((CliException) ex).exitCode();
          }
          Throwable failure = ex instanceof UncheckedIOException ? ex.getCause() : ex;
          if (failure instanceof IOException) {
            err.println(name + ": " + describe((IOException) failure));
            return ExitCode.INPUT;
          }
          err.println(name + ": internal error: " + ex);
          if (verbose(parseResult)) {
            ex.printStackTrace(err);
          } else {
            err.println("Run again with -v for the stack trace.");
          }
          return ExitCode.SOFTWARE;
        });
    return cli;
  }

  /** A file the command could not read or write, in words. */
  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return e.getMessage() + ": no such file or folder";
    }
    if (e instanceof AccessDeniedException) {
      return e.getMessage() + ": permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return e.getMessage() + ": exists";
    }
    return e.toString();
  }

  private static boolean verbose(ParseResult result) {
    for (ParseResult r = result; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends every module's logging (System.Logger, and dnsjava's SLF4J through slf4j-jdk14) to
   * standard error, warnings only unless {@code -v}, so that nothing else reaches the console.
   */
  private static void configureLogging(PrintWriter err, boolean verbose) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Level level = verbose ? Level.FINE : Level.OFF;
    root.setLevel(level);
    Handler handler =
        new ConsoleHandler() {
          @Override
          public void publish(LogRecord record) {
            if (isLoggable(record)) {
              err.println(
                  "mailauth: "
                      + record.getLevel()
                      + " "
                      + record.getLoggerName()
                      + ": "
                      + getFormatter().formatMessage(record));
            }
          }
        };
    handler.setLevel(level);
    root.addHandler(handler);
  }

  /** The version from the runnable jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Mailauth.class.getPackage().getImplementationVersion();
      return new String[] {"mailauth " + (v == null ? "(development build)" : v)};
    }
  }
}
