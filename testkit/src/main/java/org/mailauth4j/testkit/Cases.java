package org.mailauth4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads the line-based {@code *.cases} files that drive table-driven tests.
 *
 * <p>Each non-blank line that does not start with {@code #} is one case: columns separated by
 * {@code |}, trimmed; the first column names the case. In the other columns, {@code \\uXXXX} stands
 * for a Unicode character; {@code \\r}, {@code \\n}, {@code \\t} and {@code \\s} for CR, LF, tab
 * and space; {@code \\|} for a bar and {@code \\\\} for a backslash: cases can hold characters that
 * are hard to see.
 */
public final class Cases {
  private Cases() {}

  /** One row of a cases file. */
  public record Row(String name, int line, List<String> columns) {
    /** Returns column {@code i}, counting from 0 after the name. */
    public String get(int i) {
      if (i >= columns.size()) {
        throw new IllegalArgumentException(
            "line " + line + " (" + name + ") has no column " + (i + 1));
      }
      return columns.get(i);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Loads a cases file from the class path.
   *
   * @param anchor a class whose loader sees the resource
   * @param resource the resource path, such as {@code /dns/domain-names.cases}
   */
  public static List<Row> load(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no cases file " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8));
      List<Row> rows = new ArrayList<>();
      int lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank() || line.stripLeading().startsWith("#")) {
          continue;
        }
        String[] parts = line.split("(?<!\\\\)\\|", -1);
        List<String> columns = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
          columns.add(unescape(parts[i].trim()));
        }
        rows.add(new Row(parts[0].trim(), lineNumber, List.copyOf(columns)));
      }
      return List.copyOf(rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads a cases file as JUnit arguments, one named row per case. */
  public static Stream<Arguments> arguments(Class<?> anchor, String resource) {
    return load(anchor, resource).stream().map(r -> Arguments.of(Named.of(r.name(), r)));
  }

  /** Replaces the escapes described above with their characters. */
  public static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        sb.append(c);
        continue;
      }
      char next = s.charAt(++i);
      switch (next) {
        case 'u':
          sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
          break;
        case 'r':
          sb.append('\r');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 't':
          sb.append('\t');
          break;
        case 's':
          sb.append(' ');
          break;
        default:
          sb.append(next); // \\ and \|
      }
    }
    return sb.toString();
  }
}
