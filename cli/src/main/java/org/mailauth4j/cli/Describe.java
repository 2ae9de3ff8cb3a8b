package org.mailauth4j.cli;

import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Locale;
import java.util.OptionalInt;
import org.mailauth4j.dkim.DkimKeyRecord;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dmarc.DmarcLookup;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcRecordFinding;
import org.mailauth4j.dmarc.IdentifierAlignment;
import org.mailauth4j.spf.SpfLookup;
import org.mailauth4j.spf.SpfOutcome;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The SDK's results as the JSON objects cli/README.md documents, shared by the commands. */
final class Describe {
  private Describe() {}

  /** An enum constant as the documents spell them: lower case, with hyphens. */
  static String token(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static ObjectNode spf(SpfOutcome o) {
    ObjectNode n = Json.object();
    n.put("result", o.result().token());
    n.put("identity", token(o.identity()));
    n.put("clientIp", Addresses.text(o.clientIp()));
    n.put("sender", o.sender());
    Json.put(n, "helo", o.helo());
    Json.put(n, "domain", o.domain());
    Json.put(n, "mechanism", o.mechanism());
    Json.put(n, "explanation", o.explanation());
    Json.put(n, "problem", o.problem().map(Describe::token));
    n.put("detail", o.detail());
    n.put("dnsLookups", o.dnsLookups());
    n.put("voidLookups", o.voidLookups());
    ArrayNode trace = n.putArray("trace");
    for (SpfLookup l : o.trace()) {
      ObjectNode t = trace.addObject();
      t.put("depth", l.depth());
      t.put("domain", l.domain().toString());
      t.put("term", l.term());
      t.put("name", l.name());
      t.put("type", l.type());
      Json.put(t, "status", l.status().map(Describe::token));
      t.put("records", l.records());
      t.put("dnsLookups", l.dnsLookups());
      t.put("voidLookups", l.voidLookups());
      Json.put(t, "notLookedUp", l.notLookedUp());
    }
    return n;
  }

  /** The trace as indented lines, one per lookup, with the running counts. */
  static void spfTrace(java.io.PrintWriter out, SpfOutcome o, String indent) {
    for (SpfLookup l : o.trace()) {
      String status =
          l.status()
              .map(s -> token(s) + (l.records() > 0 ? " (" + l.records() + ")" : ""))
              .orElse("not looked up: " + l.notLookedUp().orElse(""));
      out.printf(
          "%s%s%-28s %-5s %-40s %s  [lookups %d, void %d]%n",
          indent,
          "  ".repeat(l.depth()),
          l.term(),
          l.type(),
          l.name(),
          status,
          l.dnsLookups(),
          l.voidLookups());
    }
  }

  static ObjectNode dkim(DkimVerification v) {
    ObjectNode n = Json.object();
    n.put("result", v.result().token());
    ArrayNode sigs = n.putArray("signatures");
    for (DkimOutcome o : v.outcomes()) {
      sigs.add(dkimSignature(o));
    }
    return n;
  }

  static ObjectNode dkimSignature(DkimOutcome o) {
    ObjectNode s = Json.object();
    s.put("result", o.result().token());
    Json.put(s, "domain", o.domain());
    Json.put(s, "selector", o.selector());
    Json.put(s, "algorithm", o.algorithm().map(a -> a.token()));
    Json.put(s, "identity", o.identity());
    Json.put(s, "signaturePrefix", o.signaturePrefix());
    OptionalInt bits = o.key().map(Describe::keyBits).orElse(OptionalInt.empty());
    if (bits.isPresent()) {
      s.put("keyBits", bits.getAsInt());
    } else {
      s.putNull("keyBits");
    }
    s.put("testing", o.testing());
    Json.put(s, "problem", o.problem().map(Describe::token));
    s.put("detail", o.detail());
    return s;
  }

  /** The key's size: the RSA modulus length, 256 for Ed25519, empty for a key that won't decode. */
  static OptionalInt keyBits(DkimKeyRecord key) {
    try {
      byte[] bytes = key.publicKeyBytes();
      if (bytes.length == 0) {
        return OptionalInt.empty();
      }
      if ("ed25519".equalsIgnoreCase(key.keyType())) {
        return bytes.length == 32 ? OptionalInt.of(256) : OptionalInt.empty();
      }
      RSAPublicKey rsa =
          (RSAPublicKey)
              KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(bytes));
      return OptionalInt.of(rsa.getModulus().bitLength());
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  static ObjectNode dmarc(DmarcOutcome o) {
    ObjectNode n = Json.object();
    n.put("result", o.result().token());
    n.put("profile", token(o.profile()));
    Json.put(n, "authorDomain", o.authorDomain());
    Json.put(n, "policyDomain", o.policyDomain());
    Json.put(n, "organizationalDomain", o.organizationalDomain());
    Json.put(n, "record", o.record().map(r -> r.text()));
    n.put("appliedPolicy", o.appliedPolicy().token());
    Json.put(
        n, "requestedPolicy", o.evaluation().flatMap(e -> e.requestedPolicy()).map(p -> p.token()));
    ArrayNode alignments = n.putArray("alignments");
    for (IdentifierAlignment a : o.alignments()) {
      ObjectNode j = alignments.addObject();
      j.put("kind", token(a.kind()));
      Json.put(j, "domain", a.domain());
      Json.put(j, "selector", a.selector());
      j.put("result", a.result());
      j.put("mode", token(a.mode()));
      j.put("status", token(a.status()));
    }
    Json.put(n, "problem", o.problem().map(Describe::token));
    n.put("detail", o.detail());
    n.set("trace", dmarcTrace(o));
    return n;
  }

  static ArrayNode dmarcTrace(DmarcOutcome o) {
    ArrayNode trace = Json.array();
    for (DmarcLookup l : o.trace()) {
      ObjectNode t = trace.addObject();
      t.put("purpose", token(l.purpose()));
      t.put("name", l.name().toString());
      t.put("status", token(l.status()));
      t.set("records", Json.strings(l.dmarcRecords()));
      t.put("otherRecords", l.otherRecords());
      Json.put(t, "failure", l.failure().map(f -> f.detail()));
    }
    return trace;
  }

  static ObjectNode recordProblem(DmarcRecordFinding p) {
    ObjectNode n = Json.object();
    n.put("severity", token(p.severity()));
    n.put("code", token(p.problem()));
    Json.put(n, "tag", p.tag());
    n.put("position", p.position());
    n.put("message", p.message());
    return n;
  }

  static String alignment(IdentifierAlignment a) {
    String kind = a.kind() == IdentifierAlignment.Kind.DKIM ? "dkim" : "spf";
    return kind
        + " "
        + a.domain().map(Object::toString).orElse("(no domain)")
        + a.selector().map(s -> " s=" + s).orElse("")
        + " "
        + a.result()
        + ", "
        + token(a.status())
        + " ("
        + token(a.mode())
        + ")";
  }
}
