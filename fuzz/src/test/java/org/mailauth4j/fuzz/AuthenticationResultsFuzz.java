package org.mailauth4j.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.dmarc.AuthResult;
import org.mailauth4j.dmarc.AuthResultsSyntaxException;
import org.mailauth4j.dmarc.AuthenticationResults;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;

/**
 * Authentication-Results (RFC 8601): {@link AuthenticationResults#parse} on any field, and
 * rendering of any text a message can bring, which must never break out of its value.
 */
class AuthenticationResultsFuzz {
  private static final InetAddress CLIENT = InetAddresses.forString("192.0.2.1");

  /**
   * Any field value (UTF-8): it is read or refused with the documented exception, and what is read
   * renders to a field that reads back equal, whether folded or not.
   */
  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          AuthenticationResults ar =
              Contract.parseOrNull(
                  AuthResultsSyntaxException.class, () -> AuthenticationResults.parse(text));
          if (ar == null) {
            return;
          }
          checkField(ar);
          // An id of only white space (or controls, which read as spaces) and a dot claims nothing.
          String id = ar.authservId().strip();
          boolean claimsNothing = id.isEmpty() || id.equals(".");
          check(ar.isFrom(ar.authservId()) != claimsNothing, "isFrom its own id " + id);
          check(!ar.isFrom(ar.authservId() + "x"), "isFrom another id");
          for (AuthResult r : ar.results()) {
            check(ar.results(r.method()).contains(r), "results(" + r.method() + ")");
          }
        });
  }

  /**
   * Text a message brings, one field per line: an authserv-id, a MAIL FROM sender, a reason, a
   * comment and a property value. The field has exactly the results and properties it was built
   * with, whatever they hold.
   */
  @FuzzTarget
  void render(byte[] input) {
    List<byte[]> fields = Contract.fields(input, 5);
    String id = Contract.field(fields, 0);
    String sender = Contract.field(fields, 1);
    String reason = Contract.field(fields, 2);
    String comment = Contract.field(fields, 3);
    String value = Contract.field(fields, 4);
    Contract.timed(
        input.length,
        () -> {
          AuthenticationResults.Builder builder;
          try {
            builder = AuthenticationResults.builder(id);
          } catch (IllegalArgumentException e) {
            check(id.isEmpty() || id.length() > 256, "refused the authserv-id " + id);
            builder = AuthenticationResults.builder("mx.example.org");
          }
          AuthenticationResults ar =
              builder
                  .addSpf(
                      SpfOutcome.builder()
                          .result(SpfResult.FAIL)
                          .identity(SpfIdentity.MAILFROM)
                          .clientIp(CLIENT)
                          .sender(sender)
                          .helo(Optional.of("mail.example.com"))
                          .detail("fail")
                          .build())
                  .add(
                      AuthResult.builder("x-fuzz", "pass")
                          .reason(reason)
                          .comment(comment)
                          .property("header", "x", value)
                          .build())
                  .build();
          AuthenticationResults back = checkField(ar);
          check(back.results().size() == 2, "two results in " + ar.field());
          check(back.results().get(0).properties().size() == 1, "one spf property");
          check(back.results().get(1).properties().size() == 1, "one x-fuzz property");
        });
  }

  /**
   * A field that cannot be broken: no control character in its value, every line break a fold (CRLF
   * and a space), lines within 998 octets, and it reads back equal folded and unfolded.
   *
   * @return the field read back
   */
  private static AuthenticationResults checkField(AuthenticationResults ar) {
    String value = ar.value();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      check(
          c >= 0x20 && (c < 0x7F || c > 0x9F) && c != '\u2028' && c != '\u2029',
          "control character " + (int) c + " in " + value);
    }
    String field = ar.field();
    assertEqual("unfolded field", "Authentication-Results: " + value, field.replace("\r\n", ""));
    String[] lines = field.split("\r\n", -1);
    for (int i = 0; i < lines.length; i++) {
      check(lines[i].indexOf('\r') < 0 && lines[i].indexOf('\n') < 0, "bare CR or LF");
      check(lines[i].getBytes(UTF_8).length <= 998, "line over 998 octets in " + field);
      check(i == 0 || lines[i].startsWith(" ") && !lines[i].isBlank(), "bad fold in " + field);
    }
    AuthenticationResults unfolded = AuthenticationResults.parse(value);
    assertEqual("parse(value())", ar, unfolded);
    assertEqual("value() is stable", value, unfolded.value());
    AuthenticationResults folded = AuthenticationResults.parse(field);
    assertEqual("parse(field())", ar, folded);
    return folded;
  }
}
