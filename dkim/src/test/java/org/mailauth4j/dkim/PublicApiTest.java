package org.mailauth4j.dkim;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mailauth4j.testkit.PublicApi;

/**
 * The module's public API is the one recorded in {@code api/mailauth4j-dkim.api}: a change to it,
 * and above all a breaking one, is a reviewed decision (CONTRIBUTING.md, "How the API changes").
 */
class PublicApiTest {

  @Test
  void isTheRecordedApi() {
    PublicApi.assertMatches(Path.of("target", "classes"), Path.of("api", "mailauth4j-dkim.api"));
  }
}
