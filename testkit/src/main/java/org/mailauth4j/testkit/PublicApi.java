package org.mailauth4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * The recorded public API of a module, compared with its compiled classes: every public and
 * protected type, constructor, method, field, enum constant and record component of the packages
 * its {@code module-info} exports, one line each, in a stable order. A module's {@code
 * PublicApiTest} compares this dump with {@code api/<artifactId>.api}, so that any change of the
 * API, and above all a breaking one (a line removed or changed), is a decision recorded in a
 * reviewed file, not an accident. {@code -Dmailauth4j.api.update=true} rewrites the file after a
 * deliberate change.
 */
public final class PublicApi {
  private static final String UPDATE = "mailauth4j.api.update";

  private PublicApi() {}

  /**
   * Fails unless the module's compiled API is the recorded one, or rewrites the record when {@code
   * -Dmailauth4j.api.update=true}.
   *
   * @param classes the module's compiled classes, with its {@code module-info.class}
   * @param recorded the recorded API file
   */
  public static void assertMatches(Path classes, Path recorded) {
    String actual = dump(classes);
    if (Boolean.getBoolean(UPDATE)) {
      try {
        Files.createDirectories(recorded.toAbsolutePath().getParent());
        Files.writeString(recorded, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    String expected;
    try {
      expected = Files.readString(recorded, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(
          "no recorded API at " + recorded + ": record it with -D" + UPDATE + "=true", e);
    }
    if (expected.equals(actual)) {
      return;
    }
    Set<String> before = qualified(expected);
    Set<String> after = qualified(actual);
    List<String> removed = before.stream().filter(l -> !after.contains(l)).toList();
    List<String> added = after.stream().filter(l -> !before.contains(l)).toList();
    Assertions.fail(
        "the public API differs from "
            + recorded
            + (removed.isEmpty()
                ? " (additions only: compatible)"
                : " (removals or changes: BREAKING for callers)")
            + "\n"
            + removed.stream().map(l -> "- " + l).collect(Collectors.joining("\n", "", "\n"))
            + added.stream().map(l -> "+ " + l).collect(Collectors.joining("\n"))
            + "\nIf the change is deliberate, record it: mvn test -D"
            + UPDATE
            + "=true -Dtest=PublicApiTest, and review the diff of "
            + recorded.getFileName());
  }

  /** Each line of a dump, a member prefixed with its type, so that a difference names both. */
  private static Set<String> qualified(String dump) {
    Set<String> lines = new TreeSet<>();
    String type = "";
    for (String line : dump.lines().toList()) {
      if (line.startsWith("  ")) {
        lines.add(type + " { " + line.strip() + " }");
      } else {
        type = line;
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * Returns the public API of the exported packages under {@code classes}, one line per element.
   *
   * @param classes the module's compiled classes, with its {@code module-info.class}
   * @return the dump, sorted by type and then by member
   */
  public static String dump(Path classes) {
    Set<String> exported = exportedPackages(classes);
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        String relative = classes.relativize(file).toString().replace('\\', '/');
        if (relative.endsWith("module-info.class") || relative.endsWith("package-info.class")) {
          continue;
        }
        String name =
            relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
        int dot = name.lastIndexOf('.');
        if (dot < 0 || !exported.contains(name.substring(0, dot))) {
          continue;
        }
        Class<?> type = Class.forName(name, false, PublicApi.class.getClassLoader());
        if (isVisible(type)) {
          types.add(type);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("compiled class not on the test class path: " + e, e);
    }
    StringBuilder out = new StringBuilder();
    types.stream()
        .sorted((a, b) -> a.getName().compareTo(b.getName()))
        .forEach(type -> appendType(out, type));
    return out.toString();
  }

  private static Set<String> exportedPackages(Path classes) {
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in).exports().stream()
          .filter(e -> !e.isQualified())
          .map(ModuleDescriptor.Exports::source)
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Public, or protected inside a type a caller can extend: visible outside the module. */
  private static boolean isVisible(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      int m = t.getModifiers();
      if (!Modifier.isPublic(m) && !Modifier.isProtected(m)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisible(int modifiers, Class<?> owner) {
    return Modifier.isPublic(modifiers)
        || (Modifier.isProtected(modifiers) && !Modifier.isFinal(owner.getModifiers()));
  }

  private static void appendType(StringBuilder out, Class<?> type) {
    String name = type.getName();
    out.append(header(type)).append('\n');
    List<String> members = new ArrayList<>();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        members.add("component " + c.getGenericType().getTypeName() + " " + c.getName());
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (f.isSynthetic() || !isVisible(f.getModifiers(), type)) {
        continue;
      }
      members.add(f.isEnumConstant() ? "constant " + f.getName() : f.toGenericString());
    }
    if (!type.isEnum()) { // an enum's constructors cannot be called from outside
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (!c.isSynthetic() && isVisible(c.getModifiers(), type)) {
          members.add(c.toGenericString());
        }
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (m.isSynthetic() || m.isBridge() || !isVisible(m.getModifiers(), type)) {
        continue;
      }
      members.add(m.toGenericString());
    }
    members.stream()
        .map(line -> line.replace(name + ".", ""))
        .sorted()
        .forEach(line -> out.append("  ").append(line).append('\n'));
  }

  private static String header(Class<?> type) {
    StringBuilder sb = new StringBuilder();
    int modifiers = type.getModifiers() & ~Modifier.STATIC;
    if (type.isInterface()) {
      modifiers &= ~(Modifier.ABSTRACT | Modifier.INTERFACE);
    }
    if (type.isEnum() || type.isRecord()) {
      modifiers &= ~Modifier.FINAL;
    }
    String mods = Modifier.toString(modifiers);
    if (!mods.isEmpty()) {
      sb.append(mods).append(' ');
    }
    if (type.isSealed()) {
      sb.append("sealed ");
    }
    sb.append(
        type.isAnnotation()
            ? "@interface "
            : type.isInterface()
                ? "interface "
                : type.isEnum() ? "enum " : type.isRecord() ? "record " : "class ");
    sb.append(type.getName());
    TypeVariable<?>[] parameters = type.getTypeParameters();
    if (parameters.length > 0) {
      sb.append(Arrays.stream(parameters).map(PublicApi::variable).collect(joining("<", ">")));
    }
    Type superclass = type.getGenericSuperclass();
    if (superclass != null
        && superclass != Object.class
        && !type.isEnum()
        && !type.isRecord()
        && !type.isInterface()) {
      sb.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0) {
      sb.append(type.isInterface() ? " extends " : " implements ");
      sb.append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    if (type.isSealed()) {
      sb.append(" permits ")
          .append(
              Arrays.stream(type.getPermittedSubclasses())
                  .map(Class::getName)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    return sb.toString();
  }

  private static String variable(TypeVariable<?> v) {
    Type[] bounds = v.getBounds();
    if (bounds.length == 1 && bounds[0] == Object.class) {
      return v.getName();
    }
    return v.getName()
        + " extends "
        + Arrays.stream(bounds).map(Type::getTypeName).collect(Collectors.joining(" & "));
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining(
      String prefix, String suffix) {
    return Collectors.joining(", ", prefix, suffix);
  }
}
