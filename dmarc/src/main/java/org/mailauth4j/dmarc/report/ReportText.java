package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.DiscoveryMethod;
import org.mailauth4j.dmarc.DmarcPolicy;

/**
 * A canonical text of a published policy and of a record's group (everything but the count): equal
 * values give equal text and different values different text, so it keys a store's rows and its
 * hash names a report. Each field is length-prefixed ({@code 5:hello}), an absent optional is
 * {@code -}, a present one {@code +} and the field, a list its size and {@code #} then its
 * elements; enums are written by name. {@link #policy(String)} and {@link #group(String, long)}
 * read it back. Not for people to read.
 */
final class ReportText {
  private ReportText() {}

  // --- writing ---

  static String policy(PublishedPolicy p) {
    StringBuilder s = new StringBuilder(128);
    field(s, p.domain());
    optionalName(s, p.policy());
    optionalName(s, p.subdomainPolicy());
    optionalName(s, p.nonexistentDomainPolicy());
    optionalName(s, p.dkimAlignment());
    optionalName(s, p.spfAlignment());
    optionalName(s, p.discoveryMethod());
    optional(s, p.failureOptions());
    optional(s, p.testing().map(t -> t ? "y" : "n"));
    OptionalInt pct = p.percent();
    optional(s, pct.isPresent() ? Optional.of(Integer.toString(pct.getAsInt())) : Optional.empty());
    return s.toString();
  }

  /** The record without its count. */
  static String group(ReportRecord r) {
    StringBuilder s = new StringBuilder(256);
    field(s, address(r.sourceIp()));
    optionalName(s, r.disposition());
    optional(s, r.dkimAligned().map(b -> b ? "y" : "n"));
    optional(s, r.spfAligned().map(b -> b ? "y" : "n"));
    s.append(r.reasons().size()).append('#');
    for (OverrideReason reason : r.reasons()) {
      field(s, reason.type().name());
      optional(s, reason.comment());
    }
    field(s, r.headerFrom());
    optional(s, r.envelopeFrom());
    optional(s, r.envelopeTo());
    s.append(r.dkim().size()).append('#');
    for (DkimAuthResult d : r.dkim()) {
      field(s, d.domain());
      optional(s, d.selector());
      field(s, d.result().name());
      optional(s, d.humanResult());
    }
    s.append(r.spf().size()).append('#');
    for (SpfAuthResult d : r.spf()) {
      field(s, d.domain());
      optionalName(s, d.scope());
      field(s, d.result().name());
      optional(s, d.humanResult());
    }
    s.append(r.extensions().size()).append('#');
    for (ReportExtension e : r.extensions()) {
      field(s, e.xml());
    }
    return s.toString();
  }

  /** An address as RFC 5952 text, IPv4 dotted; no scope, no DNS. */
  static String address(InetAddress ip) {
    return InetAddresses.toAddrString(ip);
  }

  private static void field(StringBuilder s, String value) {
    s.append(value.length()).append(':').append(value);
  }

  private static void optional(StringBuilder s, Optional<String> value) {
    if (value.isPresent()) {
      s.append('+');
      field(s, value.get());
    } else {
      s.append('-');
    }
  }

  private static void optionalName(StringBuilder s, Optional<? extends Enum<?>> value) {
    optional(s, value.map(Enum::name));
  }

  // --- reading ---

  /**
   * Reads a policy back.
   *
   * @throws IllegalArgumentException if the text was not written by {@link #policy}
   */
  static PublishedPolicy policy(String text) {
    Cursor c = new Cursor(text);
    PublishedPolicy.Builder b = PublishedPolicy.builder(c.field());
    b.policy(c.optional().map(DmarcPolicy::valueOf))
        .subdomainPolicy(c.optional().map(DmarcPolicy::valueOf))
        .nonexistentDomainPolicy(c.optional().map(DmarcPolicy::valueOf))
        .dkimAlignment(c.optional().map(AlignmentMode::valueOf))
        .spfAlignment(c.optional().map(AlignmentMode::valueOf))
        .discoveryMethod(c.optional().map(DiscoveryMethod::valueOf))
        .failureOptions(c.optional())
        .testing(c.optional().map(t -> t.equals("y")));
    Optional<String> pct = c.optional();
    b.percent(pct.isPresent() ? OptionalInt.of(Integer.parseInt(pct.get())) : OptionalInt.empty());
    c.end();
    return b.build();
  }

  /**
   * Reads a group back as a record with a count.
   *
   * @throws IllegalArgumentException if the text was not written by {@link #group}
   */
  static ReportRecord group(String text, long count) {
    Cursor c = new Cursor(text);
    InetAddress ip = InetAddresses.forString(c.field());
    Optional<Disposition> disposition = c.optional().map(Disposition::valueOf);
    Optional<Boolean> dkimAligned = c.optional().map(v -> v.equals("y"));
    Optional<Boolean> spfAligned = c.optional().map(v -> v.equals("y"));
    int reasons = c.size();
    OverrideReason[] rs = new OverrideReason[reasons];
    for (int i = 0; i < reasons; i++) {
      OverrideType type = OverrideType.valueOf(c.field());
      Optional<String> comment = c.optional();
      rs[i] =
          comment.isPresent() ? OverrideReason.of(type, comment.get()) : OverrideReason.of(type);
    }
    ReportRecord.Builder b =
        ReportRecord.builder(ip, c.field())
            .count(count)
            .disposition(disposition)
            .dkimAligned(dkimAligned)
            .spfAligned(spfAligned);
    for (OverrideReason r : rs) {
      b.addReason(r);
    }
    b.envelopeFrom(c.optional()).envelopeTo(c.optional());
    for (int i = c.size(); i > 0; i--) {
      String domain = c.field();
      Optional<String> selector = c.optional();
      DkimResult result = DkimResult.valueOf(c.field());
      b.addDkim(DkimAuthResult.of(domain, selector, result, c.optional()));
    }
    for (int i = c.size(); i > 0; i--) {
      String domain = c.field();
      Optional<SpfScope> scope = c.optional().map(SpfScope::valueOf);
      SpfReportResult result = SpfReportResult.valueOf(c.field());
      b.addSpf(SpfAuthResult.of(domain, scope, result, c.optional()));
    }
    for (int i = c.size(); i > 0; i--) {
      b.addExtension(ReportExtension.of(c.field()));
    }
    c.end();
    return b.build();
  }

  /** Reads fields from the start of a canonical text. */
  private static final class Cursor {
    private final String text;
    private int i;

    Cursor(String text) {
      this.text = text;
    }

    private int number(char end) {
      int start = i;
      long n = 0;
      while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        n = n * 10 + (text.charAt(i++) - '0');
        if (n > text.length()) {
          throw bad();
        }
      }
      if (i == start || i >= text.length() || text.charAt(i) != end) {
        throw bad();
      }
      i++;
      return (int) n;
    }

    String field() {
      int n = number(':');
      if (n > text.length() - i) {
        throw bad();
      }
      String v = text.substring(i, i + n);
      i += n;
      return v;
    }

    Optional<String> optional() {
      if (i >= text.length()) {
        throw bad();
      }
      char c = text.charAt(i++);
      if (c == '-') {
        return Optional.empty();
      }
      if (c != '+') {
        throw bad();
      }
      return Optional.of(field());
    }

    int size() {
      return number('#');
    }

    void end() {
      if (i != text.length()) {
        throw bad();
      }
    }

    private IllegalArgumentException bad() {
      return new IllegalArgumentException("not a stored report text at index " + i);
    }
  }

  // --- hashing and order ---

  static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** IPv4 before IPv6, each in numeric order. */
  static final Comparator<InetAddress> ADDRESS_ORDER =
      (a, b) -> {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
          return Integer.compare(x.length, y.length);
        }
        return java.util.Arrays.compareUnsigned(x, y);
      };

  /**
   * Records by source address, then author domain, then the rest of their group: an order that
   * depends only on the records, so a report built again lists them alike.
   */
  static final Comparator<ReportRecord> RECORD_ORDER =
      Comparator.comparing(ReportRecord::sourceIp, ADDRESS_ORDER)
          .thenComparing(ReportRecord::headerFrom)
          .thenComparing(r -> group(r))
          .thenComparingLong(ReportRecord::count);

  /** Policies by domain, then configuration. */
  static final Comparator<PublishedPolicy> POLICY_ORDER =
      Comparator.comparing(PublishedPolicy::domain).thenComparing(p -> policy(p));

  /** Counts in one order: day, policy, record. */
  static final Comparator<DmarcReportCounts> COUNTS_ORDER =
      Comparator.comparing(DmarcReportCounts::day)
          .thenComparing(DmarcReportCounts::policy, POLICY_ORDER)
          .thenComparing(DmarcReportCounts::record, RECORD_ORDER);
}
