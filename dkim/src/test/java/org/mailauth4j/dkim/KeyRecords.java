package org.mailauth4j.dkim;

import java.util.Map;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * Builds an in-memory resolver from key records written as {@code name value} lines, the form of
 * the conformance data: a value {@code NXDOMAIN} means no such name, {@code ~~...~~} a DNS failure
 * (SERVFAIL when the text says so, otherwise a timeout).
 */
final class KeyRecords {
  private final ZoneFileResolver.Builder zone = ZoneFileResolver.builder();
  private final StringBuilder text = new StringBuilder();

  KeyRecords add(String name, String value) {
    String v = value.strip();
    DomainName owner = DomainName.parse(name);
    if (v.equals("NXDOMAIN")) {
      return this;
    }
    if (v.startsWith("~~")) {
      zone.fail(
          owner, v.contains("SERVFAIL") ? DnsFailure.Kind.SERVER_FAILURE : DnsFailure.Kind.TIMEOUT);
      return this;
    }
    if (v.equals("\"\"")) {
      v = "";
    }
    text.append(owner.toAbsoluteString())
        .append(" 300 IN TXT ")
        .append(TxtRecord.split(v))
        .append('\n');
    return this;
  }

  /** Adds {@code name value} lines; lines starting with # or ; and blank lines are skipped. */
  KeyRecords addLines(String lines) {
    for (String line : lines.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
        continue;
      }
      int space = indexOfWhitespace(l);
      add(l.substring(0, space), l.substring(space + 1));
    }
    return this;
  }

  KeyRecords addAll(Map<String, String> records) {
    records.forEach(this::add);
    return this;
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return s.length();
  }

  ZoneFileResolver resolver() {
    return zone.zone(text.toString()).build();
  }
}
