package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailauth4j.dane.SmtpTlsProbeResult.Status;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.PostfixServer;

/** A {@link PostfixServer} registered on a class serves its {@code @Nested} classes as well. */
class PostfixServerNestingTest {
  @RegisterExtension static final PostfixServer POSTFIX = new PostfixServer();

  /** The server the outer class got; null when Postfix is unavailable and the tests skip. */
  private static InetSocketAddress outer;

  @BeforeAll
  static void rememberTheOuterServer() {
    try {
      outer = POSTFIX.address();
    } catch (IllegalStateException unavailable) {
      outer = null;
    }
  }

  private static SmtpTlsProbeResult probe() {
    return SmtpTlsProbe.builder()
        .timeout(Duration.ofSeconds(20))
        .build()
        .probe(POSTFIX.address(), DomainName.parse(POSTFIX.hostName()));
  }

  @Test
  void outerClassMeetsTheServer() {
    assertThat(probe().status()).as(POSTFIX.log()).isEqualTo(Status.TLS_ESTABLISHED);
  }

  @Nested
  class Inner {
    @Test
    void nestedClassMeetsTheSameServer() {
      // a second start would have left the first master running, on another port
      assertThat(POSTFIX.address()).isEqualTo(outer);
      assertThat(probe().status()).as(POSTFIX.log()).isEqualTo(Status.TLS_ESTABLISHED);
    }
  }
}
