package org.mailauth4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A small tree of DNSSEC zones made at test time, for {@link NsdServer} to serve and a validating
 * resolver to check: a signed top zone whose key is the trust anchor, signed child zones delegated
 * with DS records, unsigned child zones delegated without one (the parent's signed NSEC proves the
 * absence of the DS, so answers there are provably insecure), and records that are signed normally,
 * served with a broken signature, served in place of the record that was signed, or signed with an
 * RRSIG that has expired (all three bogus).
 *
 * <pre>{@code
 * static final DnssecZones ZONES =
 *     DnssecZones.builder("test")
 *         .signedZone("secure.test")
 *         .unsignedZone("insecure.test")
 *         .record("mx.secure.test. 300 IN A 192.0.2.25")
 *         .badSignature("_25._tcp.mx.secure.test. 300 IN TLSA 3 1 1 0123...")
 *         .build();
 *
 * @RegisterExtension static final NsdServer NSD = ZONES.serveOn(new NsdServer());
 * // NetworkDnsResolver.builder().servers(List.of(NSD.address()))
 * //     .dnssecTrustAnchors(ZONES.trustAnchor())
 * }</pre>
 *
 * <p>Every zone gets its own ECDSA P-256 key (algorithm 13, one key with the SEP flag signing
 * everything), an SOA and an NS record naming {@code ns.<top zone>} (with an address record for it
 * in the top zone) and a complete NSEC chain, so the server can prove NXDOMAIN and NODATA. A record
 * belongs to the deepest zone whose apex is at or above its owner name; the parent holds only the
 * delegation's NS (unsigned, as RFC 4035 §2.2 says) and, for a signed child, its signed DS. Names
 * at or below a cut are never in the parent. A signed zone below an unsigned one is an island of
 * security: insecure to a validator that has only this tree's anchor. Wildcards and NSEC3 are not
 * made.
 *
 * <p>A signature covers a whole RRset, so how a record is signed applies to its RRset: when the
 * records of one RRset are given with different treatments, the RRset gets the last one given that
 * is not plain signing.
 *
 * <p>Instances are immutable; a builder is for one thread.
 */
public final class DnssecZones {
  private static final long NEGATIVE_TTL = 60;

  private final String topZone;
  private final Map<String, String> zones;
  private final String trustAnchor;
  private final String trustAnchorDs;

  private DnssecZones(
      String topZone, Map<String, String> zones, String trustAnchor, String trustAnchorDs) {
    this.topZone = topZone;
    this.zones = zones;
    this.trustAnchor = trustAnchor;
    this.trustAnchorDs = trustAnchorDs;
  }

  /**
   * Starts a tree under a signed top zone, whose key becomes the trust anchor.
   *
   * @param topZone the top zone's apex, such as {@code test} or {@code "."} for the root; a final
   *     dot is optional
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid domain name
   */
  public static Builder builder(String topZone) {
    return new Builder(name(requireNonNull(topZone, "topZone")));
  }

  /**
   * Returns the zones, apex to zone-file text, the apex in the form {@link NsdServer#zone(String,
   * String)} takes (no final dot, {@code "."} for the root), the top zone first.
   *
   * @return an unmodifiable map in the order the zones were declared
   */
  public Map<String, String> zones() {
    return zones;
  }

  /**
   * Returns the top zone's apex, as in {@link #zones()}.
   *
   * @return the apex
   */
  public String topZone() {
    return topZone;
  }

  /**
   * Returns the top zone's DNSKEY record in presentation form, the trust anchor a validating
   * resolver starts from (dnsjava's {@code ValidatingResolver.loadTrustAnchors} reads it).
   *
   * @return one DNSKEY record line
   */
  public String trustAnchor() {
    return trustAnchor;
  }

  /**
   * Returns the same trust anchor as a DS record (SHA-256 digest of the top zone's key), for
   * validators configured with DS anchors.
   *
   * @return one DS record line
   */
  public String trustAnchorDs() {
    return trustAnchorDs;
  }

  /**
   * Adds every zone to the server.
   *
   * @param nsd a server not yet started
   * @return the server
   */
  public NsdServer serveOn(NsdServer nsd) {
    requireNonNull(nsd, "nsd");
    zones.forEach(nsd::zone);
    return nsd;
  }

  /** How the RRset of a record is signed. */
  private enum Treatment {
    SIGNED,
    BAD_SIGNATURE,
    FORGED,
    EXPIRED
  }

  /** A record as given, and the record served in its place for {@link Treatment#FORGED}. */
  private record Entry(Record record, Record served, Treatment treatment) {}

  /** Declares the zones and records of a {@link DnssecZones}. */
  public static final class Builder {
    private final Name top;
    private final Map<Name, Boolean> zoneSigned = new LinkedHashMap<>();
    private final Set<Name> wrongDs = new HashSet<>();
    private final List<Entry> entries = new ArrayList<>();
    private Instant now;
    private Duration validity = Duration.ofDays(30);
    private long defaultTtl = 300;

    private Builder(Name top) {
      this.top = top;
      zoneSigned.put(top, true);
    }

    /**
     * Adds a signed zone, delegated from its parent zone with a DS record.
     *
     * @param origin the apex, below the top zone (and not an apex already declared)
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid, not below the top zone, or taken
     */
    public Builder signedZone(String origin) {
      return zone(origin, true);
    }

    /**
     * Adds an unsigned zone, delegated without a DS record: answers from it are insecure, and
     * provably so when its parent is signed.
     *
     * @param origin the apex, below the top zone (and not an apex already declared)
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid, not below the top zone, or taken
     */
    public Builder unsignedZone(String origin) {
      return zone(origin, false);
    }

    /**
     * Adds a signed zone whose parent publishes a DS record for another key, as after a key
     * rollover that forgot the parent: the chain of trust is broken and every answer from the zone
     * is bogus (RFC 4035 §5.2).
     *
     * @param origin the apex, below the top zone (and not an apex already declared); its parent
     *     should be signed, or the broken DS is never checked
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid, not below the top zone, or taken
     */
    public Builder signedZoneWithWrongDs(String origin) {
      zone(origin, true);
      wrongDs.add(name(origin));
      return this;
    }

    private Builder zone(String origin, boolean signed) {
      Name apex = name(requireNonNull(origin, "origin"));
      if (!apex.subdomain(top) || apex.equals(top)) {
        throw new IllegalArgumentException(origin + " is not below the top zone " + top);
      }
      if (zoneSigned.containsKey(apex)) {
        throw new IllegalArgumentException("zone " + apex + " is already declared");
      }
      zoneSigned.put(apex, signed);
      return this;
    }

    /**
     * Adds a record, signed normally (if its zone is signed).
     *
     * @param record one record in zone-file presentation with an absolute owner name, such as
     *     {@code "_25._tcp.mx.secure.test. 300 IN TLSA 3 1 1 0123..."}; the TTL and class are
     *     optional
     * @return this builder
     * @throws IllegalArgumentException if the text is not one record, or not under the top zone
     */
    public Builder record(String record) {
      Record r = parse(record);
      entries.add(new Entry(r, r, Treatment.SIGNED));
      return this;
    }

    /**
     * Adds records, each as {@link #record(String)}.
     *
     * @param records records in zone-file presentation
     * @return this builder
     */
    public Builder records(String... records) {
      for (String r : records) {
        record(r);
      }
      return this;
    }

    /**
     * Adds a record whose RRset is served with a signature altered after signing, so it does not
     * verify: bogus.
     *
     * @param record the record, as for {@link #record(String)}, in a signed zone
     * @return this builder
     */
    public Builder badSignature(String record) {
      return treated(record, record, Treatment.BAD_SIGNATURE);
    }

    /**
     * Adds a record whose RRset is signed with {@code signed} but served with {@code served} in its
     * place, as an attacker who substitutes data would serve it: bogus.
     *
     * @param signed the record the zone's owner signed
     * @param served the record the server hands out instead, of the same owner name and type
     * @return this builder
     * @throws IllegalArgumentException if the two differ in owner name or type
     */
    public Builder forged(String signed, String served) {
      return treated(signed, served, Treatment.FORGED);
    }

    /**
     * Adds a record whose RRset is signed with an RRSIG that expired a day before {@linkplain
     * #now(Instant) now}: bogus.
     *
     * @param record the record, as for {@link #record(String)}, in a signed zone
     * @return this builder
     */
    public Builder expired(String record) {
      return treated(record, record, Treatment.EXPIRED);
    }

    private Builder treated(String signed, String served, Treatment treatment) {
      Record s = parse(signed);
      Record v = parse(served);
      if (!s.getName().equals(v.getName()) || s.getType() != v.getType()) {
        throw new IllegalArgumentException(
            "a forged record must have the signed record's name and type: " + served);
      }
      entries.add(new Entry(s, v, treatment));
      return this;
    }

    /**
     * Sets the instant signatures are made around: valid from an hour before to {@linkplain
     * #validity(Duration) validity} after, expired ones from 31 days before to a day before. The
     * default is the time {@link #build()} is called; the validator compares with its own clock.
     *
     * @param now the signing time
     * @return this builder
     */
    public Builder now(Instant now) {
      this.now = requireNonNull(now, "now");
      return this;
    }

    /**
     * Sets how long valid signatures last after {@linkplain #now(Instant) now}; 30 days by default.
     *
     * @param validity a positive duration
     * @return this builder
     */
    public Builder validity(Duration validity) {
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive: " + validity);
      }
      this.validity = validity;
      return this;
    }

    /**
     * Sets the TTL of records given without one, and of the SOA, NS, DNSKEY and DS records; 300
     * seconds by default. NSEC records and negative answers use 60 seconds, the SOA minimum.
     *
     * @param seconds a TTL in seconds
     * @return this builder
     */
    public Builder defaultTtl(long seconds) {
      if (seconds < 0 || seconds > 0x7FFFFFFFL) {
        throw new IllegalArgumentException("TTL out of range: " + seconds);
      }
      this.defaultTtl = seconds;
      return this;
    }

    private Record parse(String text) {
      requireNonNull(text, "record");
      try (Master master =
          new Master(new ByteArrayInputStream(text.getBytes(UTF_8)), Name.root, defaultTtl)) {
        Record r = master.nextRecord();
        if (r == null || master.nextRecord() != null) {
          throw new IllegalArgumentException("not exactly one record: " + text);
        }
        if (!r.getName().subdomain(top)) {
          throw new IllegalArgumentException("not under the top zone " + top + ": " + text);
        }
        return r;
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "not a record: " + text + " (" + e.getMessage() + ")", e);
      }
    }

    /**
     * Makes the keys, signs the zones and returns them.
     *
     * @return the zones and the trust anchor
     * @throws IllegalArgumentException if a record is at or below a cut of an unsigned zone but
     *     treated as bogus, which an unsigned zone cannot be
     */
    public DnssecZones build() {
      Instant signingTime = now != null ? now : Instant.now();
      try {
        return new Signer(this, signingTime).sign();
      } catch (GeneralSecurityException | DNSSEC.DNSSECException | IOException e) {
        throw new IllegalStateException("cannot sign the test zones", e);
      }
    }
  }

  /** One build: the keys of the signed zones, and the records of each zone. */
  private static final class Signer {
    private final Builder b;
    private final Instant now;
    private final Name nameServer;
    private final Map<Name, KeyPair> keys = new LinkedHashMap<>();
    private final Map<Name, DNSKEYRecord> dnskeys = new LinkedHashMap<>();
    private KeyPairGenerator generator;

    Signer(Builder b, Instant now) {
      this.b = b;
      this.now = now;
      this.nameServer = concatenate("ns", b.top);
    }

    DnssecZones sign() throws GeneralSecurityException, DNSSEC.DNSSECException, IOException {
      generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      for (Map.Entry<Name, Boolean> zone : b.zoneSigned.entrySet()) {
        if (zone.getValue()) {
          KeyPair pair = generator.generateKeyPair();
          keys.put(zone.getKey(), pair);
          dnskeys.put(
              zone.getKey(),
              new DNSKEYRecord(
                  zone.getKey(),
                  DClass.IN,
                  b.defaultTtl,
                  DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
                  DNSKEYRecord.Protocol.DNSSEC,
                  DNSSEC.Algorithm.ECDSAP256SHA256,
                  pair.getPublic()));
        }
      }

      // Each zone's content: its own records, then the apex and delegation records.
      Map<Name, List<Entry>> content = new LinkedHashMap<>();
      for (Name zone : b.zoneSigned.keySet()) {
        content.put(zone, new ArrayList<>());
      }
      for (Entry e : b.entries) {
        Name zone = zoneOf(e.record().getName());
        if (!b.zoneSigned.get(zone) && e.treatment() != Treatment.SIGNED) {
          throw new IllegalArgumentException(
              "zone " + zone + " is unsigned, so " + e.record() + " cannot be made bogus");
        }
        content.get(zone).add(e);
      }
      for (Name zone : b.zoneSigned.keySet()) {
        List<Entry> records = content.get(zone);
        plain(
            records,
            new SOARecord(
                zone,
                DClass.IN,
                b.defaultTtl,
                nameServer,
                concatenate("hostmaster", b.top),
                1,
                3600,
                900,
                604800,
                NEGATIVE_TTL));
        plain(records, new NSRecord(zone, DClass.IN, b.defaultTtl, nameServer));
        if (zone.equals(b.top)) {
          plain(records, new ARecord(nameServer, DClass.IN, b.defaultTtl, loopback()));
        }
        if (b.zoneSigned.get(zone)) {
          plain(records, dnskeys.get(zone));
        }
        if (!zone.equals(b.top)) {
          List<Entry> parent = content.get(parentOf(zone));
          plain(parent, new NSRecord(zone, DClass.IN, b.defaultTtl, nameServer));
          if (b.zoneSigned.get(zone)) {
            DNSKEYRecord named =
                b.wrongDs.contains(zone) ? otherKey(dnskeys.get(zone)) : dnskeys.get(zone);
            plain(parent, new DSRecord(zone, DClass.IN, b.defaultTtl, DNSSEC.Digest.SHA256, named));
          }
        }
      }

      Map<String, String> texts = new LinkedHashMap<>();
      for (Name zone : b.zoneSigned.keySet()) {
        texts.put(nsdName(zone), zoneText(zone, content.get(zone)));
      }
      DNSKEYRecord anchor = dnskeys.get(b.top);
      DSRecord anchorDs =
          new DSRecord(b.top, DClass.IN, b.defaultTtl, DNSSEC.Digest.SHA256, anchor);
      return new DnssecZones(
          nsdName(b.top),
          Collections.unmodifiableMap(texts),
          anchor.toString(),
          anchorDs.toString());
    }

    /** A key of the same zone and flags that signs nothing. */
    private DNSKEYRecord otherKey(DNSKEYRecord key) throws DNSSEC.DNSSECException {
      return new DNSKEYRecord(
          key.getName(),
          key.getDClass(),
          key.getTTL(),
          key.getFlags(),
          key.getProtocol(),
          key.getAlgorithm(),
          generator.generateKeyPair().getPublic());
    }

    private static void plain(List<Entry> records, Record r) {
      records.add(new Entry(r, r, Treatment.SIGNED));
    }

    private String zoneText(Name zone, List<Entry> entries) throws DNSSEC.DNSSECException {
      boolean signed = b.zoneSigned.get(zone);
      // RRsets in canonical order (Name compares canonically, RFC 4034 §6.1).
      Map<Name, Map<Integer, RRset>> served = new TreeMap<>();
      Map<Name, Map<Integer, RRset>> toSign = new TreeMap<>();
      Map<Name, Map<Integer, Treatment>> treatments = new TreeMap<>();
      for (Entry e : entries) {
        Name owner = e.record().getName();
        int type = e.record().getType();
        add(served, e.served());
        add(toSign, e.record());
        if (e.treatment() != Treatment.SIGNED) {
          treatments.computeIfAbsent(owner, n -> new TreeMap<>()).put(type, e.treatment());
        }
      }

      if (signed) {
        // The NSEC chain over every owner name in the zone, delegation points included.
        List<Name> names = new ArrayList<>(served.keySet());
        for (int i = 0; i < names.size(); i++) {
          Name owner = names.get(i);
          TreeSet<Integer> present = new TreeSet<>(served.get(owner).keySet());
          present.add(Type.NSEC);
          present.add(Type.RRSIG);
          NSECRecord nsec =
              new NSECRecord(
                  owner,
                  DClass.IN,
                  NEGATIVE_TTL,
                  names.get((i + 1) % names.size()),
                  present.stream().mapToInt(Integer::intValue).toArray());
          add(served, nsec);
          add(toSign, nsec);
        }
      }

      StringBuilder text = new StringBuilder();
      for (Map.Entry<Name, Map<Integer, RRset>> byName : served.entrySet()) {
        Name owner = byName.getKey();
        boolean cut = !owner.equals(zone) && b.zoneSigned.containsKey(owner);
        for (Map.Entry<Integer, RRset> byType : byName.getValue().entrySet()) {
          int type = byType.getKey();
          for (Record r : byType.getValue().rrs(false)) {
            text.append(r).append('\n');
          }
          // RFC 4035 §2.2: the NS RRset at a delegation point and glue are not signed.
          boolean authoritative = !cut || type == Type.DS || type == Type.NSEC;
          if (signed && authoritative) {
            Treatment t =
                treatments.getOrDefault(owner, Map.of()).getOrDefault(type, Treatment.SIGNED);
            text.append(signature(zone, toSign.get(owner).get(type), t)).append('\n');
          }
        }
      }
      return text.toString();
    }

    private Record signature(Name zone, RRset set, Treatment treatment)
        throws DNSSEC.DNSSECException {
      KeyPair pair = keys.get(zone);
      DNSKEYRecord dnskey = dnskeys.get(zone);
      if (treatment == Treatment.EXPIRED) {
        return DNSSEC.sign(
            set,
            dnskey,
            pair.getPrivate(),
            now.minus(Duration.ofDays(31)),
            now.minus(Duration.ofDays(1)));
      }
      RRSIGRecord sig =
          DNSSEC.sign(
              set, dnskey, pair.getPrivate(), now.minus(Duration.ofHours(1)), now.plus(b.validity));
      if (treatment != Treatment.BAD_SIGNATURE) {
        return sig;
      }
      byte[] bytes = sig.getSignature().clone();
      bytes[bytes.length / 2] ^= 0x55;
      return new RRSIGRecord(
          sig.getName(),
          sig.getDClass(),
          sig.getTTL(),
          sig.getTypeCovered(),
          sig.getAlgorithm(),
          sig.getOrigTTL(),
          sig.getExpire(),
          sig.getTimeSigned(),
          sig.getFootprint(),
          sig.getSigner(),
          bytes);
    }

    private static void add(Map<Name, Map<Integer, RRset>> sets, Record r) {
      sets.computeIfAbsent(r.getName(), n -> new TreeMap<>())
          .computeIfAbsent(r.getType(), t -> new RRset())
          .addRR(r);
    }

    /** The deepest declared zone at or above the name. */
    private Name zoneOf(Name owner) {
      Name best = b.top;
      for (Name zone : b.zoneSigned.keySet()) {
        if (owner.subdomain(zone) && zone.labels() > best.labels()) {
          best = zone;
        }
      }
      return best;
    }

    private Name parentOf(Name zone) {
      return zoneOf(new Name(zone, 1));
    }
  }

  private static String nsdName(Name zone) {
    String s = zone.toString(true);
    return s.isEmpty() ? "." : s;
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a domain name: " + text, e);
    }
  }

  private static Name concatenate(String label, Name suffix) {
    try {
      return Name.concatenate(Name.fromString(label), suffix);
    } catch (IOException e) {
      throw new IllegalArgumentException(label + "." + suffix, e);
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
