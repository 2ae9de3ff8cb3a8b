package org.mailauth4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help has an example, and the sample files the examples name exist. */
class HelpExamplesTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern SAMPLE = Pattern.compile("samples/[^\\s'\\\\]+");

  @Test
  void everyCommandHasAnExampleWhoseSampleFilesExist() {
    PrintStream none = new PrintStream(new ByteArrayOutputStream());
    CommandLine root =
        Mailauth.commandLine(new Io(new ByteArrayInputStream(new byte[0]), none, none, false));
    List<CommandLine> all = new ArrayList<>();
    collect(root, all);
    assertThat(all).hasSizeGreaterThan(12);
    List<String> missing = new ArrayList<>();
    for (CommandLine c : all) {
      String name = c.getCommandSpec().qualifiedName();
      if (name.endsWith(" help")) {
        continue; // picocli's own help command
      }
      String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
      assertThat(usage).as(name).containsPattern("Examples?:");
      Matcher m = SAMPLE.matcher(usage);
      while (m.find()) {
        if (!exists(m.group())) {
          missing.add(name + ": " + m.group());
        }
      }
    }
    assertThat(missing).as("sample files named in --help").isEmpty();
  }

  /** Whether the file exists; a shell pattern in its last part must match a file. */
  private static boolean exists(String path) {
    Path p = ROOT.resolve(path);
    if (!path.contains("*")) {
      return Files.exists(p);
    }
    java.nio.file.PathMatcher glob = p.getFileSystem().getPathMatcher("glob:" + p.getFileName());
    try (java.util.stream.Stream<Path> files = Files.list(p.getParent())) {
      return files.anyMatch(f -> glob.matches(f.getFileName()));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void collect(CommandLine c, List<CommandLine> all) {
    all.add(c);
    c.getSubcommands().values().stream().distinct().forEach(s -> collect(s, all));
  }
}
