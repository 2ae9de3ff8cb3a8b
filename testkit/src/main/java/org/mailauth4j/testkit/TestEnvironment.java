package org.mailauth4j.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What tests need from outside the project: the public conformance data in {@code
 * ../shared/conformance/} and programs such as {@code nsd}.
 *
 * <p>Where one is missing, a test is reported as skipped, never passed; under {@code CI=true} it
 * fails instead, with a message saying how to provide it, so that CI always runs it.
 */
public final class TestEnvironment {
  private TestEnvironment() {}

  /** Whether this run is CI, where nothing may be skipped. */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Returns a folder of the conformance data, such as {@code spf/openspf}, or skips (fails under
   * CI) when it is absent.
   */
  public static Path conformance(String relative) {
    Path dir = conformanceDir(relative);
    if (!Files.exists(dir)) {
      unavailable(
          "conformance data "
              + dir
              + " is missing; it lives in ../shared/conformance beside "
              + "the project's root");
    }
    return dir;
  }

  /** Reads a data set's cases from its folder; may throw what reading files throws. */
  @FunctionalInterface
  public interface CaseLoader {
    /** Returns the cases found in the folder. */
    Stream<Arguments> load(Path dir) throws IOException;
  }

  /**
   * Returns the cases of a conformance data set for a {@code @MethodSource}, or, when the data is
   * absent, one case named for what is missing whose arguments are all null. The test must call
   * {@link #conformance(String)} first, so that case is reported as skipped (failed under CI)
   * rather than leaving the suite with no test at all.
   *
   * @param relative the folder under {@code conformance/}, such as {@code spf/openspf}
   * @param arity how many arguments each case has
   * @param loader reads the cases from the folder
   */
  public static Stream<Arguments> conformanceCases(String relative, int arity, CaseLoader loader)
      throws IOException {
    Path dir = conformanceDir(relative);
    if (!Files.exists(dir)) {
      Object[] nothing = new Object[arity];
      nothing[0] = Named.of("conformance data " + relative + " is missing", null);
      return Stream.of(Arguments.of(nothing));
    }
    return loader.load(dir);
  }

  private static Path conformanceDir(String relative) {
    String shared = System.getProperty("mailauth4j.shared");
    Path base = shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
    return base.resolve("conformance").resolve(relative).normalize();
  }

  /**
   * Finds an executable on the PATH or in the usual system folders, or skips (fails under CI) when
   * it is absent.
   *
   * @param program the program name, such as {@code nsd}
   * @param installHint how to install it, such as {@code apt-get install nsd}
   */
  public static Path program(String program, String installHint) {
    Optional<Path> found = findProgram(program);
    if (found.isEmpty()) {
      unavailable(program + " is not installed; install it with: " + installHint);
    }
    return found.orElseThrow();
  }

  /** Finds an executable on the PATH or in the usual system folders, without skipping. */
  public static Optional<Path> findProgram(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Skips the current test with the message, or fails it under CI=true. */
  public static void unavailable(String message) {
    if (isCi()) {
      fail(message + " (CI=true: this test must run, not be skipped)");
    }
    Assumptions.abort(message);
  }
}
