package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.check;

import org.mailauth4j.dkim.DkimSignature;
import org.mailauth4j.dkim.DkimSyntaxException;
import org.mailauth4j.dns.DnsSyntaxException;

/**
 * {@link DkimSignature#parse} on any field value (one char per octet, as the verifier reads header
 * fields), and the accessors of what it accepts.
 */
class DkimSignatureFuzz {

  @FuzzTarget
  void parse(byte[] input) {
    String value = Contract.latin1(input);
    Contract.timed(
        input.length,
        () -> {
          DkimSignature signature =
              Contract.parseOrNull(DkimSyntaxException.class, () -> DkimSignature.parse(value));
          if (signature == null) {
            return;
          }
          check(!signature.signedHeaders().isEmpty(), "no h= in " + value);
          check(
              signature.identityDomain().isWithin(signature.domain()),
              "i= outside d= accepted: " + value);
          check(signature.signatureBytes().length > 0, "empty b= accepted");
          check(signature.bodyHashBytes().length > 0, "empty bh= accepted");
          check(signature.signaturePrefix().length() <= 8, "signaturePrefix");
          signature
              .expiration()
              .ifPresent(
                  x -> signature.timestamp().ifPresent(t -> check(!x.isBefore(t), "x= before t=")));
          try {
            signature.keyName();
          } catch (DnsSyntaxException documented) {
            // selector and domain together too long: documented on keyName()
          }
        });
  }
}
