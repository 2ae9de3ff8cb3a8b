package org.mailauth4j.dkim;

import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dkim.DkimKeyQuery.KeyLookup;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * The verification of one message (RFC 6376 §6): the signatures found in its header, their key
 * lookups started at once, and the body hashes each distinct (canonicalization, hash, l=) needs,
 * computed in one pass as the body streams in. Not thread-safe; one per message.
 */
final class MessageVerification {
  private final DkimVerifier verifier;
  private final MessageHeader header;
  private final List<Slot> slots = new ArrayList<>();
  private final Map<Canonicalization, Body> bodies = new EnumMap<>(Canonicalization.class);

  /** One DKIM-Signature field and what is known of it so far. */
  private static final class Slot {
    final int field;
    DkimOutcome decided;
    DkimSignature signature;
    TagList tags;
    DomainName keyName;
    CompletableFuture<KeyLookup> key;
    Body body;
    int digest;

    Slot(int field) {
      this.field = field;
    }
  }

  /** The canonicalized body under one canonicalization, feeding one digest per (hash, l=). */
  private static final class Body {
    final List<String> hashes = new ArrayList<>();
    final List<Long> limits = new ArrayList<>();
    BodyHashOutput output;
    BodyCanonicalizer canonicalizer;
    byte[][] results;

    int target(String hash, long limit) {
      for (int t = 0; t < hashes.size(); t++) {
        if (hashes.get(t).equals(hash) && limits.get(t) == limit) {
          return t;
        }
      }
      hashes.add(hash);
      limits.add(limit);
      return hashes.size() - 1;
    }
  }

  MessageVerification(DkimVerifier verifier, MessageHeader header, Instant now) {
    this.verifier = verifier;
    this.header = header;
    for (int f = 0; f < header.fieldCount(); f++) {
      if (header.hasName(f, "DKIM-Signature")) {
        slots.add(new Slot(f));
      }
    }
    int evaluated = 0;
    for (Slot slot : slots) {
      if (evaluated == verifier.maxSignatures()) {
        slot.decided = notEvaluated(slot);
      } else {
        evaluated++;
        check(slot, now);
      }
    }
    startKeyLookups();
    for (Slot slot : slots) {
      if (slot.decided == null) {
        DkimSignature sig = slot.signature;
        slot.body = bodies.computeIfAbsent(sig.bodyCanonicalization(), c -> new Body());
        slot.digest =
            slot.body.target(
                sig.algorithm() == DkimAlgorithm.RSA_SHA1 ? "SHA-1" : "SHA-256",
                sig.bodyLength().orElse(Long.MAX_VALUE));
      }
    }
    for (Map.Entry<Canonicalization, Body> e : bodies.entrySet()) {
      Body body = e.getValue();
      MessageDigest[] digests = new MessageDigest[body.hashes.size()];
      long[] limits = new long[digests.length];
      for (int t = 0; t < digests.length; t++) {
        digests[t] = digest(body.hashes.get(t));
        limits[t] = body.limits.get(t);
      }
      body.output = new BodyHashOutput(digests, limits);
      body.canonicalizer = BodyCanonicalizer.of(e.getKey(), body.output);
    }
  }

  /** How many body digests the signatures need between them; for tests of the sharing. */
  int bodyDigestCount() {
    int count = 0;
    for (Body body : bodies.values()) {
      count += body.hashes.size();
    }
    return count;
  }

  /** Whether any signature still needs the body; if not, callers need not read it. */
  boolean needsBody() {
    return !bodies.isEmpty();
  }

  /** Feeds the next chunk of the body to every canonicalization in use. */
  void body(byte[] b, int off, int len) {
    for (Body body : bodies.values()) {
      body.canonicalizer.update(b, off, len);
    }
  }

  /** Ends every signature still open with the same problem, such as an unreadable stream. */
  void abandon(DkimProblem problem, String detail) {
    for (Slot slot : slots) {
      if (slot.decided == null) {
        slot.decided = DkimOutcome.problem(problem, detail, slot.signature, null);
      }
    }
    bodies.clear();
  }

  /** Ends the body and completes when every key lookup has. */
  CompletableFuture<DkimVerification> finish() {
    for (Body body : bodies.values()) {
      body.canonicalizer.finish();
      body.results = new byte[body.hashes.size()][];
      for (int t = 0; t < body.results.length; t++) {
        body.results[t] = body.output.digest(t).digest();
      }
    }
    List<CompletableFuture<KeyLookup>> pending = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.decided == null) {
        pending.add(slot.key);
      }
    }
    if (pending.isEmpty()) {
      return CompletableFuture.completedFuture(verification());
    }
    if (pending.size() == 1) {
      return pending.get(0).thenApply(done -> verification()); // the common case: one signature
    }
    return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> verification());
  }

  private DkimVerification verification() {
    List<DkimOutcome> outcomes = new ArrayList<>(slots.size());
    ByteSink data = null;
    for (Slot slot : slots) {
      if (slot.decided == null) {
        if (data == null) {
          data = new ByteSink(2048);
        }
        data.reset();
        slot.decided = complete(slot, slot.key.join(), data);
      }
      outcomes.add(slot.decided);
    }
    if (verifier.logger().isLoggable(Level.DEBUG)) {
      logRefusals(outcomes);
    }
    return new DkimVerification(outcomes, Optional.of(header));
  }

  /**
   * Local refusals whose details hold only sizes, limits, domains, selectors and key names, never
   * message contents, so that they can be logged as they are.
   */
  private static final Set<DkimProblem> LOGGED_REFUSALS =
      EnumSet.of(
          DkimProblem.TOO_MANY_TAGS,
          DkimProblem.TOO_MANY_SIGNED_HEADERS,
          DkimProblem.INSECURE_ALGORITHM,
          DkimProblem.KEY_SIZE_NOT_ALLOWED,
          DkimProblem.BODY_PARTLY_SIGNED);

  /** Logs the signatures refused by a limit or local policy: one line each, the rest summed. */
  private void logRefusals(List<DkimOutcome> outcomes) {
    System.Logger logger = verifier.logger();
    int notEvaluated = 0;
    int tooManyKeys = 0;
    for (DkimOutcome outcome : outcomes) {
      DkimProblem problem = outcome.problem().orElse(null);
      if (problem == DkimProblem.SIGNATURE_LIMIT_REACHED) {
        notEvaluated++;
      } else if (problem == DkimProblem.KEY_LOOKUP_LIMIT_REACHED) {
        tooManyKeys++;
      } else if (problem != null && LOGGED_REFUSALS.contains(problem)) {
        logger.log(
            Level.DEBUG,
            "DKIM: signature refused, "
                + problem
                + " (d="
                + outcome.domain().map(Object::toString).orElse("-")
                + ", s="
                + outcome.selector().orElse("-")
                + "): "
                + outcome.detail());
      }
    }
    if (notEvaluated > 0) {
      logger.log(
          Level.DEBUG,
          "DKIM: "
              + notEvaluated
              + " of "
              + outcomes.size()
              + " signatures not evaluated, "
              + DkimProblem.SIGNATURE_LIMIT_REACHED
              + " (limit "
              + verifier.maxSignatures()
              + ")");
    }
    if (tooManyKeys > 0) {
      logger.log(
          Level.DEBUG,
          "DKIM: "
              + tooManyKeys
              + " of "
              + outcomes.size()
              + " signatures not evaluated, "
              + DkimProblem.KEY_LOOKUP_LIMIT_REACHED
              + " (limit "
              + verifier.maxKeyLookups()
              + " keys)");
    }
  }

  /**
   * Parses the slot's signature; if it does not parse, returns the outcome with what could be read
   * of it, else null.
   */
  private DkimOutcome parse(Slot slot, DkimProblem problemIfUnparsed, String detailIfUnparsed) {
    String value = header.rawValue(slot.field);
    try {
      slot.tags = TagList.scan(value, DkimProblem.SIGNATURE_SYNTAX, verifier.maxTags());
    } catch (DkimSyntaxException e) {
      return DkimOutcome.unparsed(
          problemIfUnparsed == null ? e.problem() : problemIfUnparsed,
          detailIfUnparsed != null
              ? detailIfUnparsed
              : e.problem() == DkimProblem.TOO_MANY_TAGS
                  // Said without quoting the field, so that the detail can be logged as it is.
                  ? "the DKIM-Signature has more than " + verifier.maxTags() + " tags"
                  : e.getMessage(),
          SignatureEvidence.read(value, verifier.maxTags()));
    }
    try {
      slot.signature = DkimSignature.fromTags(slot.tags);
    } catch (DkimSyntaxException e) {
      return DkimOutcome.unparsed(
          problemIfUnparsed == null ? e.problem() : problemIfUnparsed,
          detailIfUnparsed == null ? e.getMessage() : detailIfUnparsed,
          SignatureEvidence.read(slot.tags));
    }
    return null;
  }

  /** RFC 6376 §6.1.1: the checks that need neither key nor body. */
  private void check(Slot slot, Instant now) {
    slot.decided = parse(slot, null, null);
    if (slot.decided != null) {
      return;
    }
    DkimSignature sig = slot.signature;
    if (sig.signedHeaders().size() > verifier.maxSignedHeaders()) {
      slot.decided =
          DkimOutcome.problem(
              DkimProblem.TOO_MANY_SIGNED_HEADERS,
              "h= lists "
                  + sig.signedHeaders().size()
                  + " fields; the limit is "
                  + verifier.maxSignedHeaders(),
              sig,
              null);
      return;
    }
    if (sig.algorithm() == DkimAlgorithm.RSA_SHA1 && !verifier.allowsRsaSha1()) {
      slot.decided =
          DkimOutcome.problem(
              DkimProblem.INSECURE_ALGORITHM,
              "rsa-sha1 must not be used (RFC 8301 §3.1)",
              sig,
              null);
      return;
    }
    Instant expiration = sig.expiration().orElse(Instant.MAX);
    // Expired more than the skew ago; between two instants cannot overflow, now minus a skew can.
    if (!expiration.equals(Instant.MAX)
        && Duration.between(expiration, now).compareTo(verifier.clockSkew()) > 0) {
      slot.decided =
          DkimOutcome.problem(
              DkimProblem.SIGNATURE_EXPIRED,
              "signature by " + sig.domain() + " expired at " + expiration,
              sig,
              null);
      return;
    }
    try {
      slot.keyName = sig.keyName();
    } catch (DnsSyntaxException e) {
      slot.decided =
          DkimOutcome.problem(
              DkimProblem.SIGNATURE_SYNTAX,
              "selector and domain do not make a valid key name: " + e.getMessage(),
              sig,
              null);
    }
  }

  private DkimOutcome notEvaluated(Slot slot) {
    String detail =
        "not evaluated: the message has more than " + verifier.maxSignatures() + " signatures";
    // Parsed all the same, within the tag limit, for the evidence.
    DkimOutcome unparsed = parse(slot, DkimProblem.SIGNATURE_LIMIT_REACHED, detail);
    return unparsed != null
        ? unparsed
        : DkimOutcome.problem(DkimProblem.SIGNATURE_LIMIT_REACHED, detail, slot.signature, null);
  }

  private void startKeyLookups() {
    Map<DomainName, CompletableFuture<KeyLookup>> lookups = new LinkedHashMap<>();
    for (Slot slot : slots) {
      if (slot.decided != null) {
        continue;
      }
      CompletableFuture<KeyLookup> lookup = lookups.get(slot.keyName);
      if (lookup == null) {
        if (lookups.size() == verifier.maxKeyLookups()) {
          slot.decided =
              DkimOutcome.problem(
                  DkimProblem.KEY_LOOKUP_LIMIT_REACHED,
                  "not evaluated: more than " + verifier.maxKeyLookups() + " distinct keys",
                  slot.signature,
                  null);
          continue;
        }
        lookup = verifier.keyQuery().lookup(slot.keyName);
        lookups.put(slot.keyName, lookup);
      }
      slot.key = lookup;
    }
  }

  /** RFC 6376 §6.1.2 and §6.1.3: the key checks, then the body hash, then the signature. */
  private DkimOutcome complete(Slot slot, KeyLookup lookup, ByteSink data) {
    DkimSignature sig = slot.signature;
    if (lookup.key() == null) {
      return DkimOutcome.problem(lookup.problem(), lookup.detail(), sig, null);
    }
    VerificationKey key = lookup.key();
    DkimKeyRecord record = key.record();
    String keyName = slot.keyName.toString();
    if (record.isRevoked()) {
      return DkimOutcome.problem(
          DkimProblem.KEY_REVOKED,
          "the key at " + keyName + " was revoked (empty p=)",
          sig,
          record);
    }
    if (!record.keyType().equals(sig.algorithm().keyType())) {
      return DkimOutcome.problem(
          DkimProblem.KEY_TYPE_MISMATCH,
          "the key at "
              + keyName
              + " is k="
              + record.keyType()
              + " but a="
              + sig.algorithm().token(),
          sig,
          record);
    }
    if (!record.allowsHash(sig.algorithm().hash())) {
      return DkimOutcome.problem(
          DkimProblem.KEY_HASH_NOT_ALLOWED,
          "the key at " + keyName + " does not allow " + sig.algorithm().hash() + " (h=)",
          sig,
          record);
    }
    if (record.strictIdentity() && !sig.identityDomain().equals(sig.domain())) {
      return DkimOutcome.problem(
          DkimProblem.KEY_STRICT_IDENTITY_MISMATCH,
          "the key at " + keyName + " says t=s but i= is in " + sig.identityDomain(),
          sig,
          record);
    }
    if (key.isRsa()
        && (key.bits() < verifier.minRsaKeyBits() || key.bits() > verifier.maxRsaKeyBits())) {
      return DkimOutcome.problem(
          DkimProblem.KEY_SIZE_NOT_ALLOWED,
          "the RSA key at "
              + keyName
              + " has "
              + key.bits()
              + " bits; allowed are "
              + verifier.minRsaKeyBits()
              + " to "
              + verifier.maxRsaKeyBits(),
          sig,
          record);
    }

    long length = slot.body.output.length();
    long signedLength = sig.bodyLength().orElse(length);
    if (signedLength > length) {
      return DkimOutcome.problem(
          DkimProblem.BODY_LENGTH_EXCEEDS_BODY,
          "l=" + signedLength + " but the canonicalized body has " + length + " octets",
          sig,
          record);
    }
    byte[] bodyHash = slot.body.results[slot.digest];
    if (!MessageDigest.isEqual(bodyHash, sig.bodyHashBytes())) {
      return DkimOutcome.problem(
          DkimProblem.BODY_HASH_MISMATCH,
          "body hash did not verify: the body changed after "
              + sig.domain()
              + " signed it (c="
              + sig.headerCanonicalization().token()
              + "/"
              + sig.bodyCanonicalization().token()
              + ", "
              + length
              + " canonicalized octets)",
          sig,
          record);
    }

    headerData(slot, data);
    if (!key.verify(sig.algorithm(), data.array(), data.size(), sig.signatureBytes())) {
      return DkimOutcome.problem(
          DkimProblem.SIGNATURE_MISMATCH,
          "signature did not verify: a signed header field changed, or the key at "
              + keyName
              + " is not the signer's",
          sig,
          record);
    }
    if (signedLength < length && !verifier.allowsPartlySignedBody()) {
      // RFC 6376 §8.2: content after l= octets is unsigned and could be anything.
      return DkimOutcome.problem(
          DkimProblem.BODY_PARTLY_SIGNED,
          "l="
              + signedLength
              + " leaves "
              + (length - signedLength)
              + " octets of the body unsigned",
          sig,
          record);
    }
    return DkimOutcome.pass(sig, record);
  }

  /**
   * RFC 6376 §3.7 and §5.4.2: the fields named in h=, each instance taken from the bottom up, then
   * this DKIM-Signature with the value of b= emptied and without a final CRLF.
   */
  private void headerData(Slot slot, ByteSink data) {
    Canonicalization c = slot.signature.headerCanonicalization();
    byte[] b = header.bytes();
    HeaderCanonicalizer.appendSignedFields(
        c, header, slot.signature.signedHeaders(), slot.field, data);
    int valueOffset = header.colon(slot.field) + 1;
    int tag = slot.tags.indexOf("b");
    HeaderCanonicalizer.append(
        c,
        b,
        header.start(slot.field),
        header.colon(slot.field),
        header.end(slot.field),
        valueOffset + slot.tags.afterEquals(tag),
        valueOffset + slot.tags.specEnd(tag),
        data);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }
}
