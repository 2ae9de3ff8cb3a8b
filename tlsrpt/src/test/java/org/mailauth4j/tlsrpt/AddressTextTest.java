package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

class AddressTextTest {

  static Stream<Cases.Row> rfc5952() {
    return Cases.load(AddressTextTest.class, "/tlsrpt/rfc5952.cases").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc5952")
  void writesTheCanonicalText(Cases.Row c) throws UnknownHostException {
    assertThat(AddressText.of(InetAddress.getByName(c.get(0)))).isEqualTo(c.get(1));
  }

  @Test
  void writesAnIpv4MappedIpv6AddressWithADottedQuad() throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[13] = 0;
    mapped[14] = 2;
    mapped[15] = 1;
    // RFC 5952 §5; the JDK turns such bytes into an Inet4Address unless asked for IPv6
    assertThat(AddressText.of(Inet6Address.getByAddress(null, mapped, -1)))
        .isEqualTo("::ffff:192.0.2.1");
  }

  @Test
  void agreesWithGuavaOnRandomIpv6AddressesRichInZeroGroups() throws UnknownHostException {
    Random random = new Random(5952);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[16];
      for (int g = 0; g < 8; g++) {
        // mostly zero groups, so that runs of every length and position occur
        int value = random.nextInt(3) == 0 ? random.nextInt(0x10000) : 0;
        bytes[2 * g] = (byte) (value >> 8);
        bytes[2 * g + 1] = (byte) value;
      }
      InetAddress address = InetAddress.getByAddress(bytes);
      assertThat(AddressText.of(address))
          .as("%s", address)
          .isEqualTo(InetAddresses.toAddrString(address));
    }
  }
}
