package org.mailauth4j.dns;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A DNSSEC-signed zone made at test time (ECDSA P-256, NSEC), to be served by nsd, with the trust
 * anchor a validating resolver needs. One TXT record is altered after signing so that it is bogus.
 */
final class SignedZone {
  static final String ORIGIN = "secure.test.";
  static final long TTL = 300;

  final String zoneText;
  final String trustAnchor;

  private SignedZone(String zoneText, String trustAnchor) {
    this.zoneText = zoneText;
    this.trustAnchor = trustAnchor;
  }

  static SignedZone create(Instant now) throws Exception {
    Name origin = Name.fromString(ORIGIN);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    DNSKEYRecord dnskey =
        new DNSKEYRecord(
            origin,
            DClass.IN,
            TTL,
            DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
            DNSKEYRecord.Protocol.DNSSEC,
            DNSSEC.Algorithm.ECDSAP256SHA256,
            keys.getPublic());

    List<Record> data = new ArrayList<>();
    data.add(
        Record.fromString(
            origin,
            Type.SOA,
            DClass.IN,
            TTL,
            "ns.example.test. hostmaster.example.test. 1 3600 900 604800 60",
            origin));
    data.add(Record.fromString(origin, Type.NS, DClass.IN, TTL, "ns.example.test.", origin));
    data.add(dnskey);
    data.add(txt("www", "signed and sealed"));
    data.add(txt("forged", "as signed"));

    // NSEC chain in canonical order, so that absence can be proven too.
    Map<Name, TreeSet<Integer>> types = new TreeMap<>();
    for (Record r : data) {
      types.computeIfAbsent(r.getName(), n -> new TreeSet<>()).add(r.getType());
    }
    List<Name> names = new ArrayList<>(types.keySet());
    for (int i = 0; i < names.size(); i++) {
      TreeSet<Integer> present = types.get(names.get(i));
      present.add(Type.NSEC);
      present.add(Type.RRSIG);
      int[] bitmap = present.stream().mapToInt(Integer::intValue).toArray();
      data.add(
          new NSECRecord(names.get(i), DClass.IN, 60, names.get((i + 1) % names.size()), bitmap));
    }

    Map<String, RRset> sets = new TreeMap<>();
    for (Record r : data) {
      sets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new RRset()).addRR(r);
    }
    Instant inception = now.minus(1, ChronoUnit.HOURS);
    Instant expiration = now.plus(30, ChronoUnit.DAYS);
    StringBuilder zone = new StringBuilder();
    for (RRset set : sets.values()) {
      Record signature = DNSSEC.sign(set, dnskey, keys.getPrivate(), inception, expiration);
      for (Record r : set.rrs()) {
        String line = r.toString();
        if (r.getName().toString().startsWith("forged.") && r.getType() == Type.TXT) {
          line = line.replace("as signed", "tampered");
        }
        zone.append(line).append('\n');
      }
      zone.append(signature).append('\n');
    }
    return new SignedZone(zone.toString(), dnskey.toString());
  }

  private static Record txt(String label, String text) throws Exception {
    return new TXTRecord(Name.fromString(label + "." + ORIGIN), DClass.IN, TTL, text);
  }
}
