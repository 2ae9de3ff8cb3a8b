package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A {@link DnsResolver} that answers from records loaded from RFC 1035 zone (master) files, without
 * any network: for tests, examples and offline checks.
 *
 * <p>It answers as an authoritative server holding all the loaded data would:
 *
 * <ul>
 *   <li>a name with records of the asked type: {@link DnsStatus#FOUND};
 *   <li>a name with only other types, or an empty non-terminal (a name with no records but with
 *       names below it, such as {@code _domainkey.example.com}): {@link DnsStatus#NO_DATA};
 *   <li>any other name: {@link DnsStatus#NXDOMAIN}, unless a wildcard ({@code *.example.com})
 *       covers it (RFC 4592);
 *   <li>CNAMEs are followed, and a loop is a {@link DnsFailure.Kind#ALIAS_CHAIN} failure;
 *   <li>names you {@linkplain Builder#fail(DomainName, DnsFailure.Kind) mark as failing} answer
 *       {@link DnsStatus#TEMP_FAIL} with the kind you chose, so that every {@code temperror} path
 *       of a protocol can be tested.
 * </ul>
 *
 * <p>Negative answers carry the TTL from the SOA of the enclosing zone when one was loaded, else
 * the builder's {@link Builder#negativeTtl(Duration) negative TTL}. No answer is {@link
 * DnsAnswer#authenticated()}. Answers complete immediately.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * DnsResolver dns = ZoneFileResolver.fromZoneText("""
 *     example.test.     TXT "v=spf1 mx -all"
 *     example.test.     MX  10 mx.example.test.
 *     mx.example.test.  A   192.0.2.10
 *     """);
 * }</pre>
 */
public final class ZoneFileResolver implements DnsResolver {
  private static final Name WILDCARD = Name.fromConstantString("*");

  private final Map<Name, List<Record>> byOwner;

  /** Every owner name and all their ancestors: the names that exist (RFC 8020). */
  private final Set<Name> existing;

  private final Map<Name, SOARecord> zoneApexes;
  private final Map<Name, DnsFailure.Kind> failures;
  private final Duration negativeTtl;
  private final int maxAliasChain;

  private ZoneFileResolver(Builder b) {
    Map<Name, List<Record>> owners = new HashMap<>();
    Set<Name> names = new HashSet<>();
    Map<Name, SOARecord> apexes = new HashMap<>();
    for (Record r : b.records) {
      owners.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
      for (Name n = r.getName(); n.labels() > 1 && names.add(n); ) {
        n = new Name(n, 1);
      }
      if (r instanceof SOARecord) {
        apexes.put(r.getName(), (SOARecord) r);
      }
    }
    owners.replaceAll((name, list) -> List.copyOf(list));
    this.byOwner = Map.copyOf(owners);
    this.existing = Set.copyOf(names);
    this.zoneApexes = Map.copyOf(apexes);
    this.failures = Map.copyOf(b.failures);
    this.negativeTtl = b.negativeTtl;
    this.maxAliasChain = b.maxAliasChain;
  }

  /**
   * Starts configuring a resolver.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates a resolver from zone-file text whose names are absolute or relative to the root.
   *
   * @param zoneText records in RFC 1035 master-file syntax
   * @return the resolver
   * @throws IllegalArgumentException if the text does not parse; the message gives the line
   */
  public static ZoneFileResolver fromZoneText(String zoneText) {
    return builder().zone(zoneText).build();
  }

  /**
   * Creates a resolver from a zone file on the class path, found relative to a class as {@link
   * Class#getResourceAsStream(String)} does.
   *
   * @param anchor the class whose package (or, with a leading slash, whose class path root) the
   *     name is resolved against
   * @param resourceName the resource, such as {@code /spf/mx-and-a.zone}
   * @return the resolver
   * @throws IllegalArgumentException if the resource is missing or does not parse
   */
  public static ZoneFileResolver fromResource(Class<?> anchor, String resourceName) {
    return builder().zoneResource(anchor, resourceName).build();
  }

  @Override
  public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
    return CompletableFuture.completedFuture(resolve(requireNonNull(query, "query")));
  }

  private <T> DnsAnswer<T> resolve(DnsQuery<T> query) {
    Name current = DnsjavaRecords.toName(query.name());
    Set<Name> visited = new HashSet<>();
    long ttl = Long.MAX_VALUE;
    while (true) {
      DnsFailure.Kind failure = failures.get(current);
      if (failure != null) {
        return DnsAnswer.tempFail(
            query,
            DnsFailure.of(failure, "configured to fail: " + current + " " + query.typeName()));
      }
      List<Record> records = recordsAt(current);
      if (records == null) {
        Duration negative = negativeTtlFor(current, ttl);
        return existing.contains(current)
            ? DnsAnswer.noData(query, negative, false)
            : DnsAnswer.nxDomain(query, negative, false);
      }
      List<Record> matching = new ArrayList<>();
      CNAMERecord alias = null;
      for (Record r : records) {
        if (r.getDClass() != DClass.IN) {
          continue;
        }
        if (r.getType() == query.type()) {
          matching.add(r);
          ttl = Math.min(ttl, r.getTTL());
        } else if (r.getType() == Type.CNAME) {
          alias = (CNAMERecord) r;
        }
      }
      if (!matching.isEmpty()) {
        List<T> values = DnsjavaRecords.decode(query, matching);
        return values.isEmpty()
            ? DnsAnswer.noData(query, Duration.ofSeconds(ttl), false)
            : DnsAnswer.found(query, values, Duration.ofSeconds(ttl), false);
      }
      if (alias == null) {
        return DnsAnswer.noData(query, negativeTtlFor(current, ttl), false);
      }
      visited.add(current);
      current = alias.getTarget();
      ttl = Math.min(ttl, alias.getTTL());
      if (visited.contains(current) || visited.size() > maxAliasChain) {
        return DnsAnswer.tempFail(
            query,
            DnsFailure.of(
                DnsFailure.Kind.ALIAS_CHAIN,
                (visited.contains(current) ? "CNAME loop at " : "CNAME chain too long at ")
                    + current
                    + " while resolving "
                    + query));
      }
    }
  }

  /** The records owned by a name, or synthesized from a covering wildcard; null if none. */
  private List<Record> recordsAt(Name name) {
    List<Record> records = byOwner.get(name);
    if (records != null || existing.contains(name)) {
      return records;
    }
    // RFC 4592 §3.3.1: only the closest encloser's wildcard applies.
    Name encloser = name;
    do {
      encloser = new Name(encloser, 1);
    } while (encloser.labels() > 1 && !existing.contains(encloser));
    List<Record> wildcard;
    try {
      wildcard = byOwner.get(Name.concatenate(WILDCARD, encloser));
    } catch (NameTooLongException e) {
      return null; // the encloser is too long to have a wildcard child
    }
    if (wildcard == null) {
      return null;
    }
    List<Record> synthesized = new ArrayList<>(wildcard.size());
    for (Record r : wildcard) {
      synthesized.add(r.withName(name));
    }
    return synthesized;
  }

  private Duration negativeTtlFor(Name name, long ttlSoFar) {
    for (Name n = name; n.labels() >= 1; n = new Name(n, 1)) {
      SOARecord soa = zoneApexes.get(n);
      if (soa != null) {
        return Duration.ofSeconds(Math.min(ttlSoFar, DnsjavaRecords.negativeTtl(soa).toSeconds()));
      }
      if (n.labels() == 1) {
        break;
      }
    }
    return Duration.ofSeconds(Math.min(ttlSoFar, negativeTtl.toSeconds()));
  }

  /** Configures a {@link ZoneFileResolver}. Not thread-safe; build once, then share the result. */
  public static final class Builder {
    private static final long DEFAULT_TTL = 3600;
    private static final Pattern TOKENIZER_MESSAGE = Pattern.compile("(?s).*?:(\\d+): (.*)");

    private final List<Record> records = new ArrayList<>();
    private final Map<Name, DnsFailure.Kind> failures = new HashMap<>();
    private Duration negativeTtl = Duration.ofMinutes(5);
    private int maxAliasChain = 8;
    private int maxRecords = 10_000;

    private Builder() {}

    /**
     * Adds the records of zone-file text whose relative names are relative to the root. Records
     * without a TTL and no {@code $TTL} get 3600 seconds. {@code $INCLUDE} is refused.
     *
     * @param zoneText records in RFC 1035 master-file syntax
     * @return this builder
     * @throws IllegalArgumentException if the text does not parse; the message gives the line
     */
    public Builder zone(String zoneText) {
      return zone(zoneText, DomainName.ROOT);
    }

    /**
     * Adds the records of zone-file text, resolving relative names against an origin as {@code
     * $ORIGIN} would.
     *
     * @param zoneText records in RFC 1035 master-file syntax
     * @param origin the origin for relative names
     * @return this builder
     * @throws IllegalArgumentException if the text does not parse; the message gives the line
     */
    public Builder zone(String zoneText, DomainName origin) {
      requireNonNull(zoneText, "zoneText");
      return load(
          new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)), origin, "zone text");
    }

    /**
     * Adds the records of a zone file, with relative names relative to the root.
     *
     * @param file the zone file
     * @return this builder
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the file does not parse; the message gives the line
     */
    public Builder zoneFile(Path file) {
      try (InputStream in = Files.newInputStream(file)) {
        return load(in, DomainName.ROOT, file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read zone file " + file, e);
      }
    }

    /**
     * Adds the records of a zone file on the class path.
     *
     * @param anchor the class the resource name is resolved against
     * @param resourceName the resource, such as {@code /dkim/keys.zone}
     * @return this builder
     * @throws IllegalArgumentException if the resource is missing or does not parse
     */
    public Builder zoneResource(Class<?> anchor, String resourceName) {
      try (InputStream in = anchor.getResourceAsStream(resourceName)) {
        if (in == null) {
          throw new IllegalArgumentException("no resource " + resourceName + " near " + anchor);
        }
        return load(in, DomainName.ROOT, resourceName);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read resource " + resourceName, e);
      }
    }

    private Builder load(InputStream in, DomainName origin, String source) {
      try (Master master = new Master(in, DnsjavaRecords.toName(origin), DEFAULT_TTL)) {
        // A zone handed to a test or the CLI must not make us read other files.
        master.disableIncludes(true);
        for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
          if (records.size() == maxRecords) {
            // A few octets of $GENERATE can ask for millions of records.
            throw new IllegalArgumentException(
                source + ", more than " + maxRecords + " records (see Builder.maxRecords)");
          }
          records.add(r);
        }
      } catch (IOException e) {
        // dnsjava writes "<file>:<line>: <problem>"; say it with our source name.
        Matcher m = TOKENIZER_MESSAGE.matcher(String.valueOf(e.getMessage()));
        String problem = m.matches() ? "line " + m.group(1) + ": " + m.group(2) : e.getMessage();
        throw new IllegalArgumentException(source + ", " + problem, e);
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        // dnsjava's parser lets some malformed input escape as other exceptions (an empty owner
        // name, an empty $GENERATE range, a short NSAP address): still a zone that does not parse.
        throw new IllegalArgumentException(
            source + ", does not parse: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
            e);
      }
      return this;
    }

    /**
     * Sets how many records the zones of this builder may hold in all; more is refused with an
     * {@link IllegalArgumentException} while the zone is read, so set it before adding zones.
     * Default 10,000: a few octets of {@code $GENERATE} can ask for millions, and zone text may
     * come from users (the CLI's {@code --zone}).
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxRecords(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRecords must be at least 1: " + max);
      }
      this.maxRecords = max;
      return this;
    }

    /**
     * Makes every lookup of a name fail with {@link DnsStatus#TEMP_FAIL}, whatever its records:
     * {@link DnsFailure.Kind#TIMEOUT} to test what a protocol does on a timeout, {@link
     * DnsFailure.Kind#SERVER_FAILURE} for SERVFAIL, and so on. Also applies when a CNAME leads to
     * the name.
     *
     * @param name the name that fails
     * @param kind the failure to report
     * @return this builder
     */
    public Builder fail(DomainName name, DnsFailure.Kind kind) {
      failures.put(DnsjavaRecords.toName(name), requireNonNull(kind, "kind"));
      return this;
    }

    /**
     * Sets the TTL of negative answers for names outside any loaded SOA's zone. Default 5 minutes.
     *
     * @param ttl zero or more
     * @return this builder
     */
    public Builder negativeTtl(Duration ttl) {
      if (requireNonNull(ttl, "ttl").isNegative()) {
        throw new IllegalArgumentException("negative TTL " + ttl);
      }
      this.negativeTtl = ttl;
      return this;
    }

    /**
     * Sets how many CNAMEs a lookup follows before failing with {@link
     * DnsFailure.Kind#ALIAS_CHAIN}. Default 8.
     *
     * @param max at least 0
     * @return this builder
     */
    public Builder maxAliasChain(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxAliasChain must not be negative: " + max);
      }
      this.maxAliasChain = max;
      return this;
    }

    /**
     * Builds the resolver. The builder may be changed and built again afterwards without affecting
     * it.
     *
     * @return the resolver
     */
    public ZoneFileResolver build() {
      return new ZoneFileResolver(this);
    }
  }
}
