package org.mailauth4j.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

/** Which addresses the fetcher's public-addresses-only guard refuses, from addresses.cases. */
class PublicAddressesTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(PublicAddressesTest.class, "/mtasts/addresses.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void tellsPublicAddressesFromTheRest(Cases.Row row) throws Exception {
    InetAddress address = InetAddress.getByName(row.get(0)); // a literal: no lookup
    String reason = PublicAddresses.nonPublicReason(address);
    if (row.get(1).equals("public")) {
      assertThat(reason).as("%s", address).isNull();
    } else {
      assertThat(reason).as("%s", address).isNotNull().contains(row.get(1));
    }
  }
}
