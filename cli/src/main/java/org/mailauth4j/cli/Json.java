package org.mailauth4j.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.Optional;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON documents of {@code --json}: every one starts with {@code schemaVersion} and {@code
 * command}; the fields of each are documented in {@code cli/README.md}. A version changes only when
 * a field is removed or changes meaning; new fields may appear in any version.
 */
final class Json {
  /** The version of the documents' schema. */
  static final int SCHEMA_VERSION = 1;

  private static final JsonMapper PRETTY =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final JsonMapper COMPACT = JsonMapper.builder().build();

  private Json() {}

  /** A new document for a command, such as {@code "report parse"}. */
  static ObjectNode document(String command) {
    ObjectNode doc = object();
    doc.put("schemaVersion", SCHEMA_VERSION);
    doc.put("command", command);
    return doc;
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Puts a value that may be absent, as JSON null then. */
  static void put(ObjectNode node, String name, Optional<?> value) {
    if (value.isPresent()) {
      node.put(name, value.get().toString());
    } else {
      node.putNull(name);
    }
  }

  /** Puts a yes-or-no that may be absent, as JSON true, false or null. */
  static void putBoolean(ObjectNode node, String name, Optional<Boolean> value) {
    if (value.isPresent()) {
      node.put(name, value.get().booleanValue());
    } else {
      node.putNull(name);
    }
  }

  static ArrayNode strings(Collection<?> values) {
    ArrayNode a = array();
    values.forEach(v -> a.add(v.toString()));
    return a;
  }

  /** Writes a document, indented, with a final line break. */
  static void print(PrintWriter out, ObjectNode doc) {
    out.println(PRETTY.writeValueAsString(doc));
    out.flush();
  }

  /** Writes a document on one line, for JSON Lines. */
  static String line(ObjectNode doc) {
    return COMPACT.writeValueAsString(doc);
  }
}
