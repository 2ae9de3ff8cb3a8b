package org.mailauth4j.mtasts;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link System.Logger} that keeps what it is told, every level enabled, for tests. */
final class RecordingLogger implements System.Logger {
  /** One logged line. */
  record Line(Level level, String message) {}

  private final List<Line> lines = new CopyOnWriteArrayList<>();

  List<Line> lines() {
    return List.copyOf(lines);
  }

  List<String> at(Level level) {
    return lines.stream().filter(l -> l.level() == level).map(Line::message).toList();
  }

  @Override
  public String getName() {
    return "recording";
  }

  @Override
  public boolean isLoggable(Level level) {
    return true;
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    lines.add(new Line(level, msg + (thrown == null ? "" : " " + thrown)));
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    lines.add(new Line(level, params == null ? format : MessageFormat.format(format, params)));
  }
}
