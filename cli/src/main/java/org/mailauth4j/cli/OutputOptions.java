package org.mailauth4j.cli;

import picocli.CommandLine.Option;

/** How a command shows its result: for people, or as a JSON document (see cli/README.md). */
final class OutputOptions {
  @Option(
      names = "--json",
      description =
          "Write one JSON document (schema version "
              + Json.SCHEMA_VERSION
              + ", cli/README.md) instead of text.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log what the modules do to standard error, and show stack traces.")
  boolean verbose;
}
