package org.mailauth4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every field of every JSON document in the golden outputs is documented in cli/README.md, under
 * its command, so that the schema the README promises is the one the command writes.
 */
class JsonSchemaDocumentedTest {
  private static final Path README = Path.of("README.md");
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final Pattern SECTION = Pattern.compile("^### `([^`]+)`");
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\|");
  private static final Pattern OBJECT = Pattern.compile("`(<[^>]+>)`");

  /** Maps whose keys are data (domain names, result types), documented as {@code *}. */
  private static final Set<String> MAPS =
      Set.of("domains", "failuresByResultType", "skipped", "duplicates", "extensions");

  private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

  @Test
  void everyFieldTheCommandsWriteIsDocumented() throws IOException {
    readReadme();
    List<String> undocumented = new ArrayList<>();
    int documents = 0;
    try (Stream<Path> files = Files.list(GOLDEN)) {
      for (Path f : files.sorted().toList()) {
        for (JsonNode doc : documents(Files.readString(f))) {
          documents++;
          String command = doc.path("command").asString();
          assertThat(sections).as("a section for %s", command).containsKey(command);
          Set<String> paths = new TreeSet<>();
          collect(doc, "", paths, command.equals("report summarize"));
          for (String path : paths) {
            String p = path;
            if (p.equals("schemaVersion") || p.equals("command")) {
              continue;
            }
            if (command.equals("check") && !doc.has("domains")) {
              p = "domains[]." + path; // a JSON Lines document is one domain posture
            }
            if (!documented(command, p)) {
              undocumented.add(f.getFileName() + ": " + command + " " + p);
            }
          }
        }
      }
    }
    assertThat(documents).isGreaterThanOrEqualTo(12);
    assertThat(undocumented).as("fields missing from cli/README.md").isEmpty();
  }

  private void readReadme() throws IOException {
    Map<String, String> current = null;
    for (String line : Files.readAllLines(README)) {
      Matcher s = SECTION.matcher(line);
      if (s.find()) {
        current = new LinkedHashMap<>();
        sections.put(s.group(1), current);
        continue;
      }
      Matcher r = ROW.matcher(line);
      if (current != null && r.find()) {
        current.put(r.group(1), r.group(2));
      }
    }
    assertThat(sections).containsKeys("verify", "check", "<domain posture>", "<spf outcome>");
  }

  private static List<JsonNode> documents(String transcript) {
    JsonMapper json = JsonMapper.builder().build();
    String out = transcript.split("--- stdout\n", 2)[1].split("--- stderr\n", 2)[0];
    List<JsonNode> docs = new ArrayList<>();
    if (out.startsWith("{\n")) {
      docs.add(json.readTree(out));
    } else if (out.startsWith("{\"")) {
      out.lines().forEach(l -> docs.add(json.readTree(l)));
    }
    return docs;
  }

  private static void collect(JsonNode node, String prefix, Set<String> paths, boolean topMap) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        String parent =
            prefix.contains(".") ? prefix.substring(prefix.lastIndexOf('.') + 1) : prefix;
        boolean mapKey = MAPS.contains(parent) && (!parent.equals("domains") || topMap);
        String path = (prefix.isEmpty() ? "" : prefix + ".") + (mapKey ? "*" : key);
        paths.add(path);
        collect(e.getValue(), path, paths, topMap);
      }
    } else if (node.isArray()) {
      for (JsonNode n : node) {
        collect(n, prefix + "[]", paths, topMap);
      }
    }
  }

  /** Whether a path is in a section, directly or through an object type a row refers to. */
  private boolean documented(String section, String path) {
    Map<String, String> rows = sections.get(section);
    if (rows == null) {
      return false;
    }
    if (rows.containsKey(path)) {
      return true;
    }
    for (Map.Entry<String, String> row : rows.entrySet()) {
      Matcher m = OBJECT.matcher(row.getValue());
      if (!m.find()) {
        continue;
      }
      String field = row.getKey();
      for (String sep : List.of("[].", ".")) {
        if (path.startsWith(field + sep)
            && documented(m.group(1), path.substring(field.length() + sep.length()))) {
          return true;
        }
      }
    }
    return false;
  }
}
