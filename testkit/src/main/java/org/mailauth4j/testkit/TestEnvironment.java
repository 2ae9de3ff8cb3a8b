package org.mailauth4j.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

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
    String shared = System.getProperty("mailauth4j.shared");
    Path base = shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
    Path dir = base.resolve("conformance").resolve(relative).normalize();
    if (!Files.exists(dir)) {
      unavailable(
          "conformance data "
              + dir
              + " is missing; it lives in ../shared/conformance beside "
              + "the project's root");
    }
    return dir;
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
