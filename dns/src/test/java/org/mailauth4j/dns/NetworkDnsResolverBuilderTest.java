package org.mailauth4j.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkDnsResolverBuilderTest {
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

  @Test
  void refusesSettingsThatCannotWork() {
    NetworkDnsResolver.Builder b = NetworkDnsResolver.builder();
    assertThatThrownBy(() -> b.servers(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.servers(List.of(InetSocketAddress.createUnresolved("dns", 53))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resolved");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.lookupTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.attempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.ednsPayloadSize(100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.ednsPayloadSize(65000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxAliasChain(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesUnusableTrustAnchors() {
    assertThatThrownBy(
            () ->
                NetworkDnsResolver.builder()
                    .servers(List.of(SERVER))
                    .dnssecTrustAnchors("example. 300 IN TXT \"not an anchor\"")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no DS or DNSKEY");
    assertThatThrownBy(
            () ->
                NetworkDnsResolver.builder()
                    .servers(List.of(SERVER))
                    .dnssecTrustAnchors("this is not a zone file")
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                NetworkDnsResolver.builder()
                    .servers(List.of(SERVER))
                    .ednsPayloadSize(0)
                    .dnssecTrustAnchors(
                        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EDNS");
  }

  @Test
  void keepsTheServersItWasGiven() {
    NetworkDnsResolver dns = NetworkDnsResolver.builder().servers(List.of(SERVER)).build();
    assertThat(dns.servers()).containsExactly(SERVER);
    assertThat(dns).hasToString("NetworkDnsResolver[/127.0.0.1:53]");
  }
}
