package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailauth4j.dns.DomainName;

/**
 * An MTA-STS policy (RFC 8461 §3.2), as served at {@code
 * https://mta-sts.<domain>/.well-known/mta-sts.txt}: the mode, the MX patterns, and how long a
 * sender may keep it. Immutable; {@link #toPolicyText()} writes a valid policy file, for domain
 * owners who host one.
 *
 * <pre>{@code
 * MtaStsPolicy policy = MtaStsPolicy.parse(text);
 * if (policy.permits(DomainName.parse("mx1.example.com"))) { ... }
 * }</pre>
 *
 * <p>A record, since its components are the fields of the policy file (RFC 8461 §3.2), which later
 * versions do not change.
 *
 * @param mode what a sender does when an MX fails validation ({@code mode:})
 * @param mx the patterns of the MX hosts that may receive mail ({@code mx:}); empty only in mode
 *     {@code none}
 * @param maxAge how long after fetching a sender may apply the policy ({@code max_age:}), at most
 *     one year, {@link #MAX_MAX_AGE}
 * @param extensions fields this library does not know, in the order written, the first of each
 */
public record MtaStsPolicy(
    MtaStsMode mode, List<MxPattern> mx, Duration maxAge, Map<String, String> extensions) {

  /** The largest {@code max_age}: 31557600 seconds, one year (RFC 8461 §3.2). */
  public static final Duration MAX_MAX_AGE = Duration.ofSeconds(31_557_600);

  /**
   * Creates a policy.
   *
   * @param mode the mode
   * @param mx the MX patterns; at least one unless the mode is {@code none}
   * @param maxAge whole seconds from zero to {@link #MAX_MAX_AGE}
   * @param extensions further fields: names as RFC 8461 §3.2's {@code sts-policy-ext-name}, values
   *     without control characters
   */
  public MtaStsPolicy {
    requireNonNull(mode, "mode");
    mx = List.copyOf(mx);
    requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.compareTo(MAX_MAX_AGE) > 0 || maxAge.getNano() != 0) {
      throw new IllegalArgumentException("max_age must be whole seconds from 0 to 31557600");
    }
    if (mx.isEmpty() && mode != MtaStsMode.NONE) {
      throw new IllegalArgumentException("a policy in mode " + mode.token() + " needs mx patterns");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    extensions.forEach(
        (name, value) -> {
          if (!PolicyParser.isKeyName(name) || PolicyParser.KNOWN_KEYS.contains(name)) {
            throw new IllegalArgumentException("not an extension field name: " + name);
          }
          if (!PolicyParser.isValue(value)) {
            throw new IllegalArgumentException("not a field value: " + value);
          }
          copy.put(name, value);
        });
    extensions = Collections.unmodifiableMap(copy);
  }

  /**
   * Parses a policy file as RFC 8461 §3.2 writes it.
   *
   * @param text the policy file
   * @return the policy
   * @throws MtaStsSyntaxException at the start of the line of the first error; {@link
   *     #parseWithFindings(CharSequence, PolicyLeniency)} lists them all
   */
  public static MtaStsPolicy parse(CharSequence text) {
    PolicyParser parser = new PolicyParser(text.toString(), PolicyLeniency.STRICT);
    PolicyParseResult result = parser.parse();
    if (result.policy().isEmpty()) {
      PolicyFinding first = result.errors().get(0);
      throw new MtaStsSyntaxException(text.toString(), parser.firstErrorIndex(), first.message());
    }
    return result.policy().get();
  }

  /**
   * Parses a policy file and reports every problem with its line, errors and warnings alike.
   *
   * @param text the policy file
   * @param leniency which deviations from the RFC are errors
   * @return the policy, if there was no error, and the problems
   */
  public static PolicyParseResult parseWithFindings(CharSequence text, PolicyLeniency leniency) {
    return PolicyParser.read(text.toString(), requireNonNull(leniency, "leniency"));
  }

  /**
   * Tells whether an MX host fits one of the patterns (RFC 8461 §4.1).
   *
   * @param mxHost the host name from the MX record
   * @return {@code true} if the policy allows delivery to it, given a valid certificate
   */
  public boolean permits(DomainName mxHost) {
    requireNonNull(mxHost, "mxHost");
    for (MxPattern pattern : mx) {
      if (pattern.matches(mxHost)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the MX hosts the policy allows, in the order given: a sender walks them in its usual
   * order of preference and treats the others as unreachable (RFC 8461 §8.4).
   *
   * @param mxHosts the recipient domain's MX hosts, in order of preference
   * @return those that fit a pattern
   */
  public List<DomainName> permittedHosts(List<DomainName> mxHosts) {
    return mxHosts.stream().filter(this::permits).toList();
  }

  /**
   * Writes the policy file, lines ending in CRLF, as RFC 8461 §3.2 asks.
   *
   * @return text that {@link #parse(CharSequence)} reads back as an equal policy
   */
  public String toPolicyText() {
    StringBuilder sb = new StringBuilder("version: STSv1\r\n");
    sb.append("mode: ").append(mode.token()).append("\r\n");
    for (MxPattern pattern : mx) {
      sb.append("mx: ").append(pattern).append("\r\n");
    }
    sb.append("max_age: ").append(maxAge.getSeconds()).append("\r\n");
    extensions.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    return sb.toString();
  }
}
