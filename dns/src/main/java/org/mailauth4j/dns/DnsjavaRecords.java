package org.mailauth4j.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Turns dnsjava names and records into this module's values; shared by both resolvers. */
final class DnsjavaRecords {
  private DnsjavaRecords() {}

  static Name toName(DomainName name) {
    // dnsjava reads the escapes of DomainName's master-file form back into the same octets.
    return Name.fromConstantString(name.toAbsoluteString());
  }

  /** Returns the name's value; null only for a name over 253 octets, which dnsjava never makes. */
  static DomainName toDomainName(Name name) {
    List<byte[]> labels = new ArrayList<>(name.labels());
    for (int k = 0; k < name.labels(); k++) {
      byte[] label = name.getLabel(k); // a length octet, then the label's octets
      if (label.length > 1) {
        labels.add(Arrays.copyOfRange(label, 1, label.length));
      }
    }
    return DomainName.fromOctets(labels);
  }

  /**
   * Decodes the records into the query's answer type. Every MX, PTR and CNAME target DNS can carry
   * is a {@link DomainName}; whether it is also a host name is for the protocol using it to check.
   */
  static <T> List<T> decode(DnsQuery<T> query, List<Record> records) {
    List<T> values = new ArrayList<>(records.size());
    for (Record r : records) {
      T value = decode(query, r);
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  @SuppressWarnings("unchecked") // the query's factory fixed T to the type its form decodes to
  private static <T> T decode(DnsQuery<T> query, Record r) {
    switch (query.form()) {
      case TXT:
        return (T) TxtRecord.ofBytes(((TXTRecord) r).getStringsAsByteArrays());
      case A:
        return (T) ipv4(r.rdataToWireCanonical());
      case AAAA:
        return (T) ipv6(r.rdataToWireCanonical());
      case MX:
        DomainName exchange = toDomainName(((MXRecord) r).getTarget());
        return exchange == null ? null : (T) new MxHost(((MXRecord) r).getPriority(), exchange);
      case PTR:
        return (T) toDomainName(((PTRRecord) r).getTarget());
      case CNAME:
        return (T) toDomainName(((CNAMERecord) r).getTarget());
      case RAW:
        return (T) new RawRecord(r.getType(), r.rdataToWireCanonical(), r.rdataToString());
    }
    throw new AssertionError(query.form());
  }

  private static Inet4Address ipv4(byte[] octets) {
    try {
      return (Inet4Address) InetAddress.getByAddress(octets);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("A record with " + octets.length + " octets", e);
    }
  }

  private static Inet6Address ipv6(byte[] octets) {
    try {
      // Inet6Address.getByAddress keeps an IPv4-mapped address as IPv6, unlike InetAddress's.
      return Inet6Address.getByAddress(null, octets, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("AAAA record with " + octets.length + " octets", e);
    }
  }

  /** The negative-caching TTL an SOA record gives (RFC 2308 §5): the lesser of TTL and MINIMUM. */
  static Duration negativeTtl(SOARecord soa) {
    return Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum()));
  }

  static boolean isAlias(Record r) {
    return r.getType() == Type.CNAME;
  }
}
