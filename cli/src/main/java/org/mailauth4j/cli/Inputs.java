package org.mailauth4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the files commands are given, {@code -} meaning standard input, within a size limit. */
final class Inputs {
  /** The largest message or report file read: larger ones are input errors, not memory errors. */
  static final int MAX_FILE_BYTES = 256 << 20;

  private Inputs() {}

  static boolean isStdin(Path file) {
    return file.toString().equals("-");
  }

  /** Reads a whole file, or standard input for {@code -}. */
  static byte[] read(Path file, Io io, String what) {
    try {
      if (isStdin(file)) {
        return readBounded(io.in(), what + " on standard input");
      }
      if (Files.isDirectory(file)) {
        throw CliException.input(what + " " + file + ": is a directory");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw CliException.input(
            what + " " + file + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
      }
      try (InputStream in = Files.newInputStream(file)) {
        return readBounded(in, what + " " + file);
      }
    } catch (NoSuchFileException e) {
      throw CliException.input(what + " " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw CliException.input(what + " " + file + ": permission denied");
    } catch (IOException e) {
      throw CliException.input(what + " " + file + ": cannot be read: " + e.getMessage());
    }
  }

  private static byte[] readBounded(InputStream in, String what) throws IOException {
    byte[] data = in.readNBytes(MAX_FILE_BYTES + 1);
    if (data.length > MAX_FILE_BYTES) {
      throw CliException.input(what + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
    }
    return data;
  }

  /** Reads a text file (a key, a policy) as UTF-8. */
  static String readText(Path file, Io io, String what) {
    return new String(read(file, io, what), java.nio.charset.StandardCharsets.UTF_8);
  }
}
