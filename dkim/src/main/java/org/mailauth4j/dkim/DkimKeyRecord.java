package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A DKIM key record from {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.1), parsed and
 * checked. Immutable; RFC defaults applied ({@code k=rsa}, {@code s=*}).
 *
 * <p>Parsing checks the record's syntax only. Whether the key suits a given signature (type, hash,
 * service, strict identity) and whether {@code p=} holds a usable key is for the verifier to find
 * out.
 *
 * <p>A record, since its components are the tags of the key record (RFC 6376 §3.6.1), which later
 * versions do not change.
 *
 * @param hashAlgorithms {@code h=}, the hashes the key may be used with, in lower case; empty when
 *     the tag is absent, meaning any
 * @param keyType {@code k=}, in lower case; {@code rsa} by default
 * @param publicKey {@code p=}, base64 with whitespace removed; empty when the key is revoked
 * @param serviceTypes {@code s=}, in lower case; {@code *} by default
 * @param testing {@code t=y}: the domain is testing DKIM
 * @param strictIdentity {@code t=s}: the domain of {@code i=} must be exactly {@code d=}
 * @param notes {@code n=}, as written
 */
public record DkimKeyRecord(
    List<String> hashAlgorithms,
    String keyType,
    String publicKey,
    List<String> serviceTypes,
    boolean testing,
    boolean strictIdentity,
    Optional<String> notes) {

  /**
   * Creates a key record, copying the lists.
   *
   * @param hashAlgorithms {@code h=}
   * @param keyType {@code k=}
   * @param publicKey {@code p=}
   * @param serviceTypes {@code s=}
   * @param testing {@code t=y}
   * @param strictIdentity {@code t=s}
   * @param notes {@code n=}
   */
  public DkimKeyRecord {
    hashAlgorithms = List.copyOf(hashAlgorithms);
    requireNonNull(keyType, "keyType");
    requireNonNull(publicKey, "publicKey");
    serviceTypes = List.copyOf(serviceTypes);
    requireNonNull(notes, "notes");
  }

  /*
   * key-v-tag = %x76 [FWS] "=" [FWS] %x44.4B.49.4D.31     ; "DKIM1", first if present
   * key-h-tag = %x68 [FWS] "=" [FWS] key-h-tag-alg *( [FWS] ":" [FWS] key-h-tag-alg )
   * key-k-tag = %x6b [FWS] "=" [FWS] key-k-tag-type
   * key-p-tag = %x70 [FWS] "=" [ [FWS] base64string ]
   * key-s-tag = %x73 [FWS] "=" [FWS] key-s-tag-type *( [FWS] ":" [FWS] key-s-tag-type )
   * key-t-tag = %x74 [FWS] "=" [FWS] key-t-tag-flag *( [FWS] ":" [FWS] key-t-tag-flag )
   */

  /**
   * Parses the text of a key record, such as {@code v=DKIM1; k=ed25519; p=11qYAYKx...}.
   *
   * @param text the TXT record's character-strings joined
   * @return the record
   * @throws DkimSyntaxException with {@link DkimProblem#KEY_SYNTAX} (or {@link
   *     DkimProblem#KEY_MALFORMED} for bad base64) and the index of the problem
   */
  public static DkimKeyRecord parse(CharSequence text) {
    return parse(text.toString(), TagList.UNLIMITED);
  }

  /** Parses a key record of at most {@code maxTags} tags, as the verifier does. */
  static DkimKeyRecord parse(String text, int maxTags) {
    TagList tags = TagList.scan(text, DkimProblem.KEY_SYNTAX, maxTags);
    List<String> hashes = List.of();
    String keyType = "rsa";
    String publicKey = null;
    List<String> services = List.of("*");
    boolean testing = false;
    boolean strict = false;
    Optional<String> notes = Optional.empty();
    for (int tag = 0; tag < tags.size(); tag++) {
      String value = tags.value(tag);
      switch (tags.name(tag)) {
        case "v":
          // RFC 6376 §3.6.1: if present, v= must be DKIM1 and the first tag.
          if (tag != 0 || !value.equals("DKIM1")) {
            throw tags.error(
                tags.valueStart(tag), tag != 0 ? "v= must come first" : "v= must be DKIM1");
          }
          break;
        case "h":
          hashes = list(tags, tag);
          break;
        case "k":
          keyType = value.toLowerCase(Locale.ROOT);
          if (keyType.isEmpty()) {
            throw tags.error(tags.valueStart(tag), "empty k=");
          }
          break;
        case "p":
          publicKey = TagList.withoutWhitespace(value);
          try {
            Base64.getDecoder().decode(publicKey);
          } catch (IllegalArgumentException e) {
            throw tags.error(
                TagList.firstNonBase64(tags.text(), tags.valueStart(tag), value.length()),
                DkimProblem.KEY_MALFORMED,
                "malformed base64 in p=");
          }
          break;
        case "s":
          services = list(tags, tag);
          break;
        case "t":
          for (String flag : list(tags, tag)) {
            testing |= flag.equals("y");
            strict |= flag.equals("s");
          }
          break;
        case "n":
          notes = Optional.of(value);
          break;
        default:
          break; // unknown tags are ignored
      }
    }
    if (publicKey == null) {
      throw tags.error(tags.text().length(), "required tag p missing");
    }
    return new DkimKeyRecord(hashes, keyType, publicKey, services, testing, strict, notes);
  }

  private static List<String> list(TagList tags, int tag) {
    List<String> items = new ArrayList<>();
    for (String item : tags.value(tag).split(":", -1)) {
      String trimmed = TagList.withoutWhitespace(item).toLowerCase(Locale.ROOT);
      if (trimmed.isEmpty()) {
        throw tags.error(tags.valueStart(tag), "empty entry in " + tags.name(tag) + "=");
      }
      items.add(trimmed);
    }
    return items;
  }

  /**
   * Tells whether the key was revoked: {@code p=} is empty (RFC 6376 §3.6.1).
   *
   * @return {@code true} for a revoked key
   */
  public boolean isRevoked() {
    return publicKey.isEmpty();
  }

  /**
   * Tells whether {@code h=} allows a hash algorithm.
   *
   * @param hash such as {@code sha256}
   * @return {@code true} if {@code h=} is absent or lists it
   */
  public boolean allowsHash(String hash) {
    return hashAlgorithms.isEmpty() || hashAlgorithms.contains(hash);
  }

  /**
   * Tells whether {@code s=} allows use for e-mail: it lists {@code *} or {@code email}. The same
   * as {@code allowsService("email")}.
   *
   * @return {@code true} if the key may verify mail signatures
   */
  public boolean isForEmail() {
    return allowsService("email");
  }

  /**
   * Tells whether {@code s=} allows a service type (RFC 6376 §3.6.1): it lists {@code *} or that
   * type. TLS reports, for example, are signed with keys that allow {@code tlsrpt} (RFC 8460 §3).
   *
   * @param serviceType such as {@code email} or {@code tlsrpt}, in lower case
   * @return {@code true} if the key may verify signatures for that service
   */
  public boolean allowsService(String serviceType) {
    requireNonNull(serviceType, "serviceType");
    return serviceTypes.contains("*") || serviceTypes.contains(serviceType);
  }

  /**
   * Decodes {@code p=}.
   *
   * @return a fresh array, empty for a revoked key
   */
  public byte[] publicKeyBytes() {
    return Base64.getDecoder().decode(publicKey);
  }
}
