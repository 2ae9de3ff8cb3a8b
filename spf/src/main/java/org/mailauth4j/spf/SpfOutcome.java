package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * What an SPF check concluded, and the evidence: the identity and domain checked, the term that
 * decided, the explanation of a {@code fail}, the problem behind a {@code none}, {@code temperror}
 * or {@code permerror}, the lookup counts and the trace of every DNS lookup. It holds what a
 * Received-SPF header field (RFC 7208 §9.1, {@link #receivedSpf(String)}) and an
 * Authentication-Results {@code spf} entry need. Immutable.
 *
 * @param result the result
 * @param identity which identity was checked
 * @param clientIp the client's address as given
 * @param sender the checked identity as an address: the MAIL FROM, or {@code postmaster@} and the
 *     HELO domain
 * @param helo the HELO or EHLO domain, as the client gave it
 * @param domain the domain whose policy was checked, if it was a valid domain name
 * @param mechanism the term that decided, such as {@code ip4:192.0.2.0/24} or {@code -all}; {@code
 *     default} when no term matched (RFC 7208 §4.7); empty for errors and {@code none}
 * @param explanation the domain's explanation of a {@code fail} ({@code exp=}, RFC 7208 §6.2). It
 *     comes from the domain owner, not from this library
 * @param problem why the result is {@code none}, {@code temperror} or {@code permerror}
 * @param detail a human-readable account of the result
 * @param dnsLookups the DNS-querying terms evaluated, out of the limit (10 by default)
 * @param voidLookups the lookups that found nothing, out of the limit (2 by default)
 * @param trace every DNS lookup made, in order
 */
public record SpfOutcome(
    SpfResult result,
    SpfIdentity identity,
    InetAddress clientIp,
    String sender,
    Optional<String> helo,
    Optional<DomainName> domain,
    Optional<String> mechanism,
    Optional<String> explanation,
    Optional<SpfProblem> problem,
    String detail,
    int dnsLookups,
    int voidLookups,
    List<SpfLookup> trace) {

  /**
   * Creates an outcome, copying the trace.
   *
   * @param result the result
   * @param identity the identity checked
   * @param clientIp the client address
   * @param sender the checked identity as an address
   * @param helo the HELO domain
   * @param domain the domain checked
   * @param mechanism the deciding term
   * @param explanation the explanation
   * @param problem the problem
   * @param detail the account of the result
   * @param dnsLookups DNS-querying terms used
   * @param voidLookups void lookups seen
   * @param trace the lookups made
   */
  public SpfOutcome {
    requireNonNull(result, "result");
    requireNonNull(identity, "identity");
    requireNonNull(clientIp, "clientIp");
    requireNonNull(sender, "sender");
    requireNonNull(helo, "helo");
    requireNonNull(domain, "domain");
    requireNonNull(mechanism, "mechanism");
    requireNonNull(explanation, "explanation");
    requireNonNull(problem, "problem");
    requireNonNull(detail, "detail");
    trace = List.copyOf(trace);
  }

  /**
   * Returns the terms whose target could not be looked up because it expanded to something that is
   * no DNS name (an empty label, a label of more than 63 octets), from the trace. Such a term
   * matched nothing; a domain owner whose macros do this wants to know.
   *
   * @return the trace entries of targets not looked up, in order; usually empty
   */
  public List<SpfLookup> notLookedUp() {
    return trace.stream().filter(l -> !l.isLookedUp()).toList();
  }

  /**
   * Writes the Received-SPF header field (RFC 7208 §9.1) for this outcome, with what a later reader
   * needs to re-check it: {@code client-ip}, {@code envelope-from}, {@code helo}, {@code receiver},
   * {@code identity}, and {@code mechanism} or {@code problem}.
   *
   * @param receiver the name of the host that made the check, such as {@code mx.example.org}
   * @return the whole field, {@code Received-SPF: ...}, without a final line break
   */
  public String receivedSpf(String receiver) {
    requireNonNull(receiver, "receiver");
    StringBuilder sb = new StringBuilder("Received-SPF: ").append(result.token());
    sb.append(" (").append(comment(receiver)).append(')');
    sb.append(" client-ip=").append(InetAddresses.toAddrString(clientIp)).append(';');
    sb.append(" envelope-from=").append(value(sender)).append(';');
    helo.ifPresent(h -> sb.append(" helo=").append(value(h)).append(';'));
    sb.append(" receiver=").append(value(receiver)).append(';');
    sb.append(" identity=").append(identity.token()).append(';');
    mechanism.ifPresent(m -> sb.append(" mechanism=").append(value(m)).append(';'));
    if (problem.isPresent() && (result == SpfResult.PERMERROR || result == SpfResult.TEMPERROR)) {
      sb.append(" problem=").append(value(detail)).append(';');
    }
    return sb.toString();
  }

  private String comment(String receiver) {
    String ip = InetAddresses.toAddrString(clientIp);
    String who = domain.map(d -> "domain of " + sender).orElse(sender);
    String text;
    switch (result) {
      case PASS:
        text = receiver + ": " + who + " designates " + ip + " as permitted sender";
        break;
      case FAIL:
        text = receiver + ": " + who + " does not designate " + ip + " as permitted sender";
        break;
      case SOFTFAIL:
        text = receiver + ": " + who + " discourages use of " + ip + " as permitted sender";
        break;
      case NEUTRAL:
        text = receiver + ": " + ip + " is neither permitted nor denied by " + who;
        break;
      case NONE:
        text = receiver + ": " + who + " does not designate permitted sender hosts";
        break;
      case TEMPERROR:
        text = receiver + ": error in processing during lookup of " + who;
        break;
      default:
        text = receiver + ": error in the SPF record of " + who;
    }
    // A comment may not hold unbalanced parentheses or backslashes (RFC 5322 §3.2.2), nor any
    // control character: a CR or LF from the sender would start a header field of its own.
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c == '\\' || c == '(' || c == ')') {
        sb.append('\\').append(c);
      } else {
        sb.append(c < 0x20 || c == 0x7F ? ' ' : c);
      }
    }
    return sb.toString();
  }

  /** RFC 7208 §9.1: a value is a dot-atom or a quoted-string. */
  static String value(String v) {
    if (!v.isEmpty()
        && v.chars().allMatch(c -> isAtext(c) || c == '.')
        && !v.startsWith(".")
        && !v.endsWith(".")
        && !v.contains("..")) {
      return v;
    }
    StringBuilder sb = new StringBuilder("\"");
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return sb.append('"').toString();
  }

  private static boolean isAtext(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
  }
}
