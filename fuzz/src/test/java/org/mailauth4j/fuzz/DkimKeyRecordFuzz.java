package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.check;

import org.mailauth4j.dkim.DkimKeyRecord;
import org.mailauth4j.dkim.DkimSyntaxException;

/** {@link DkimKeyRecord#parse} on any TXT text, and the accessors of what it accepts. */
class DkimKeyRecordFuzz {

  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          DkimKeyRecord key =
              Contract.parseOrNull(DkimSyntaxException.class, () -> DkimKeyRecord.parse(text));
          if (key == null) {
            return;
          }
          check(!key.keyType().isEmpty(), "empty k= accepted");
          check(key.isRevoked() == (key.publicKeyBytes().length == 0), "isRevoked and p=");
          key.allowsHash("sha256");
          key.isForEmail();
          check(
              key.equals(
                  new DkimKeyRecord(
                      key.hashAlgorithms(),
                      key.keyType(),
                      key.publicKey(),
                      key.serviceTypes(),
                      key.testing(),
                      key.strictIdentity(),
                      key.notes())),
              "a copy is not equal");
        });
  }
}
