package org.mailauth4j.fuzz;

import java.net.InetAddress;
import java.util.List;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.spf.SpfVerifier;

/**
 * Whole check_host() ({@link SpfVerifier#check} and {@link SpfVerifier#checkHelo}) over a zone
 * whose SPF records are fuzzed: several names whose TXT texts come from the input, so that includes
 * and redirects between them, loops and limits are all reachable. Fixed A, AAAA, MX, PTR and CNAME
 * records and a name that times out sit beside them.
 */
class SpfCheckHostFuzz {
  /** The names whose TXT records the input gives, in order of its lines after the first. */
  static final List<String> NAMES =
      List.of(
          "example.com",
          "a.example.com",
          "b.example.com",
          "c.example.com",
          "d.example.com",
          "mail.example.com");

  /** Separates several TXT records at one name within a line. */
  static final char RECORD_SEPARATOR = 0x1E;

  private static final String FIXED =
      """
      example.com. A 192.0.2.1
      example.com. AAAA 2001:db8::1
      example.com. MX 10 mx.example.com.
      example.com. MX 20 mx2.example.com.
      mx.example.com. A 192.0.2.2
      mx2.example.com. AAAA 2001:db8::2
      a.example.com. A 192.0.2.3
      b.example.com. MX 10 mx.example.com.
      mail.example.com. A 192.0.2.1
      1.2.0.192.in-addr.arpa. PTR mail.example.com.
      1.2.0.192.in-addr.arpa. PTR other.example.net.
      alias.example.com. CNAME a.example.com.
      loop1.example.com. CNAME loop2.example.com.
      loop2.example.com. CNAME loop1.example.com.
      *.w.example.com. TXT "v=spf1 -all"
      *.w.example.com. A 192.0.2.9
      """;

  private static final InetAddress DEFAULT_IP = Contract.address("192.0.2.1", null);

  /** Fields, one per line: the client address, then the TXT texts of {@link #NAMES}. */
  @FuzzTarget
  void check(byte[] input) {
    List<byte[]> fields = Contract.fields(input, 1 + NAMES.size());
    InetAddress ip = Contract.address(Contract.field(fields, 0), DEFAULT_IP);
    StringBuilder zoneText = new StringBuilder(FIXED);
    for (int i = 0; i < NAMES.size() && i + 1 < fields.size(); i++) {
      for (String record :
          Contract.field(fields, i + 1).split(String.valueOf(RECORD_SEPARATOR), -1)) {
        zoneText.append(NAMES.get(i)).append(". TXT ").append(TxtRecord.split(record)).append('\n');
      }
    }
    Contract.timed(
        input.length,
        () -> {
          ZoneFileResolver zone =
              ZoneFileResolver.builder()
                  .zone(zoneText.toString())
                  .fail(DomainName.parse("fail.example.com"), DnsFailure.Kind.TIMEOUT)
                  .build();
          SpfVerifier spf = SpfVerifier.builder(zone).clock(DkimFixture.CLOCK).build();
          SpfOutcomes.checkOutcome(spf.check(ip, "mail.example.com", "alice@example.com"));
          SpfOutcomes.checkOutcome(spf.checkHelo(ip, "mail.example.com"));
        });
  }
}
