package org.mailauth4j.dane;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.MxHost;
import org.mailauth4j.dns.RawRecord;

/**
 * A fake {@link DnsResolver} that answers from a script: per name and type, records, NXDOMAIN,
 * NODATA or a temporary failure, each secure (DNSSEC-validated) or not. CNAMEs are followed as
 * {@code NetworkDnsResolver} follows them: the answer is authenticated only if every link and the
 * final answer are, type 5 returns the alias itself, and a loop or more than 8 links is an {@link
 * DnsFailure.Kind#ALIAS_CHAIN} failure. A name without a script answers NXDOMAIN, insecure. Every
 * question is recorded.
 */
final class ScriptedDns implements DnsResolver {
  private static final int CNAME = 5;
  private static final int MAX_ALIAS_CHAIN = 8;

  private record Key(DomainName name, int type) {}

  private record Entry(DnsStatus status, List<?> records, boolean secure, DnsFailure.Kind kind) {}

  private record Alias(DomainName target, boolean secure) {}

  private final Map<Key, Entry> script = new HashMap<>();
  private final Map<DomainName, Alias> aliases = new HashMap<>();
  private final List<DnsQuery<?>> asked = new CopyOnWriteArrayList<>();

  static DomainName name(String text) {
    return DomainName.parse(text);
  }

  ScriptedDns a(String name, boolean secure, String... addresses) {
    return put(name, 1, DnsStatus.FOUND, addresses(addresses), secure);
  }

  ScriptedDns aaaa(String name, boolean secure, String... addresses) {
    return put(name, 28, DnsStatus.FOUND, addresses(addresses), secure);
  }

  /** MX records written as {@code "10 mx.example"}. */
  ScriptedDns mx(String domain, boolean secure, String... records) {
    List<MxHost> hosts = new ArrayList<>();
    for (String r : records) {
      String[] parts = r.split(" ");
      hosts.add(
          new MxHost(
              Integer.parseInt(parts[0]), parts[1].equals(".") ? DomainName.ROOT : name(parts[1])));
    }
    return put(domain, 15, DnsStatus.FOUND, hosts, secure);
  }

  ScriptedDns tlsa(String name, boolean secure, TlsaRecord... records) {
    List<RawRecord> raw = new ArrayList<>();
    for (TlsaRecord r : records) {
      raw.add(new RawRecord(TlsaRecord.TYPE, r.toRdata(), r.toText()));
    }
    return put(name, TlsaRecord.TYPE, DnsStatus.FOUND, raw, secure);
  }

  ScriptedDns tlsaRdata(String name, boolean secure, byte[]... rdatas) {
    List<RawRecord> raw = new ArrayList<>();
    for (byte[] rdata : rdatas) {
      raw.add(new RawRecord(TlsaRecord.TYPE, rdata, "\\# " + rdata.length));
    }
    return put(name, TlsaRecord.TYPE, DnsStatus.FOUND, raw, secure);
  }

  ScriptedDns cname(String alias, String target, boolean secure) {
    aliases.put(name(alias), new Alias(name(target), secure));
    return this;
  }

  ScriptedDns nxDomain(String name, int type, boolean secure) {
    return put(name, type, DnsStatus.NXDOMAIN, List.of(), secure);
  }

  ScriptedDns noData(String name, int type, boolean secure) {
    return put(name, type, DnsStatus.NO_DATA, List.of(), secure);
  }

  ScriptedDns fail(String name, int type, DnsFailure.Kind kind) {
    script.put(new Key(name(name), type), new Entry(DnsStatus.TEMP_FAIL, List.of(), false, kind));
    return this;
  }

  /** The questions asked so far, as {@code name/TYPE}. */
  List<String> asked() {
    return asked.stream().map(q -> q.name() + "/" + q.typeName()).toList();
  }

  /** The TLSA questions asked so far, by name. */
  List<String> tlsaAsked() {
    return asked.stream()
        .filter(q -> q.type() == TlsaRecord.TYPE)
        .map(q -> q.name().toString())
        .toList();
  }

  private ScriptedDns put(
      String name, int type, DnsStatus status, List<?> records, boolean secure) {
    script.put(new Key(name(name), type), new Entry(status, records, secure, null));
    return this;
  }

  private static List<InetAddress> addresses(String... texts) {
    List<InetAddress> out = new ArrayList<>();
    for (String t : texts) {
      try {
        out.add(InetAddress.getByName(t)); // literals only: no lookup
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(t, e);
      }
    }
    return out;
  }

  @Override
  public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
    asked.add(query);
    return CompletableFuture.completedFuture(answer(query));
  }

  @SuppressWarnings("unchecked")
  private <T> DnsAnswer<T> answer(DnsQuery<T> query) {
    Duration ttl = Duration.ofMinutes(5);
    if (query.type() == CNAME) {
      Alias alias = aliases.get(query.name());
      if (alias != null) {
        return DnsAnswer.found(query, List.of((T) alias.target), ttl, alias.secure);
      }
    }
    DomainName current = query.name();
    boolean authenticated = true;
    Set<DomainName> visited = new HashSet<>(List.of(current));
    while (true) {
      Entry entry = script.get(new Key(current, query.type()));
      if (entry != null) {
        authenticated &= entry.secure;
        return switch (entry.status) {
          case FOUND -> DnsAnswer.found(query, (List<T>) entry.records, ttl, authenticated);
          case NO_DATA -> DnsAnswer.noData(query, ttl, authenticated);
          case NXDOMAIN -> DnsAnswer.nxDomain(query, ttl, authenticated);
          case TEMP_FAIL ->
              DnsAnswer.tempFail(
                  query, DnsFailure.of(entry.kind, "scripted " + entry.kind + " at " + current));
        };
      }
      Alias alias = query.type() == CNAME ? null : aliases.get(current);
      if (alias == null) {
        return DnsAnswer.nxDomain(query, ttl, false);
      }
      authenticated &= alias.secure;
      current = alias.target;
      if (!visited.add(current) || visited.size() > MAX_ALIAS_CHAIN + 1) {
        return DnsAnswer.tempFail(
            query, DnsFailure.of(DnsFailure.Kind.ALIAS_CHAIN, "CNAME chain at " + current));
      }
    }
  }
}
