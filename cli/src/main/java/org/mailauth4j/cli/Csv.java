package org.mailauth4j.cli;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** The CSV form of {@code check}: one row per domain (RFC 4180 quoting), for spreadsheets. */
final class Csv {
  static final String HEADER =
      "domain,status,errors,warnings,spf_record,spf_result,spf_dns_lookups,spf_void_lookups,"
          + "dmarc_record,dmarc_policy_domain,mta_sts,mta_sts_mode,tls_rpt,dane,first_error";

  private Csv() {}

  static String row(String name, String status, DomainCheck.Posture p, String error) {
    if (p == null) {
      // name, status, the empty columns of a posture, then why
      return quote(name) + ",invalid" + ",".repeat(HEADER.split(",").length - 2) + quote(error);
    }
    JsonNode spf = p.message.path("spf");
    JsonNode dmarc = p.message.path("dmarc");
    JsonNode sts = p.transport.path("mtaSts");
    JsonNode dane = p.transport.path("dane");
    long errors = p.findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
    long warnings =
        p.findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
    StringBuilder daneStatus = new StringBuilder();
    for (JsonNode d : dane) {
      if (daneStatus.length() > 0) {
        daneStatus.append(' ');
      }
      daneStatus.append(d.path("host").asString()).append('=').append(d.path("status").asString());
    }
    String firstError =
        p.findings.stream()
            .filter(f -> f.severity() == Finding.Severity.ERROR)
            .map(f -> f.topic() + ": " + f.message())
            .findFirst()
            .orElse("");

    return String.join(
        ",",
        List.of(
            quote(p.domain.toString()),
            status,
            String.valueOf(errors),
            String.valueOf(warnings),
            quote(join(spf.path("records"))),
            spf.path("result").asString(""),
            spf.path("dnsLookups").asString(""),
            spf.path("voidLookups").asString(""),
            quote(dmarc.path("record").asString("")),
            dmarc.path("policyDomain").asString(""),
            sts.path("status").asString(""),
            sts.path("mode").asString(""),
            p.transport.path("tlsRpt").path("status").asString(""),
            quote(daneStatus.toString()),
            quote(firstError)));
  }

  private static String join(JsonNode array) {
    StringBuilder s = new StringBuilder();
    for (JsonNode n : array) {
      if (s.length() > 0) {
        s.append(" | ");
      }
      s.append(n.asString());
    }
    return s.toString();
  }

  /** RFC 4180: quoted when it holds a comma, quote or line break; a formula never starts a cell. */
  static String quote(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v; // spreadsheets run cells that start so as formulas (CSV injection)
    }
    if (v.contains(",")
        || v.contains("\"")
        || v.contains("\n")
        || v.contains("\r")
        || !v.equals(value)) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
