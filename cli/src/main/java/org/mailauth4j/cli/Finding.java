package org.mailauth4j.cli;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * One thing {@code check} found about a domain: how serious, which half of mail security and which
 * protocol it is about, what it is, and how to fix it.
 *
 * @param severity how serious
 * @param area {@code message} (SPF, DKIM, DMARC) or {@code transport} (MTA-STS, TLS-RPT, DANE,
 *     STARTTLS)
 * @param topic the protocol or part, such as {@code spf} or {@code mta-sts}
 * @param message what was found
 * @param fix what to do, or empty
 * @param temporary whether a temporary failure (DNS, a server) caused it
 */
record Finding(
    Severity severity, String area, String topic, String message, String fix, boolean temporary) {

  /** From good to bad; the order matters. */
  enum Severity {
    OK,
    INFO,
    WARNING,
    ERROR
  }

  Finding {
    requireNonNull(severity);
    requireNonNull(area);
    requireNonNull(topic);
    requireNonNull(message);
    requireNonNull(fix);
  }

  static Finding of(Severity severity, String area, String topic, String message, String fix) {
    return new Finding(severity, area, topic, message, fix, false);
  }

  static Finding temporary(String area, String topic, String message) {
    return new Finding(Severity.ERROR, area, topic, message, "check again when DNS answers", true);
  }

  ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("severity", Describe.token(severity));
    n.put("area", area);
    n.put("topic", topic);
    n.put("message", message);
    if (fix.isEmpty()) {
      n.putNull("fix");
    } else {
      n.put("fix", fix);
    }
    n.put("temporary", temporary);
    return n;
  }
}
