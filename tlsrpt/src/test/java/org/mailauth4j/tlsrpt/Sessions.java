package org.mailauth4j.tlsrpt;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MtaStsMode;
import org.mailauth4j.mtasts.MtaStsPolicy;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptPolicy;
import org.mailauth4j.mtasts.TlsRptPolicyType;
import org.mailauth4j.mtasts.TlsRptResultType;

/** Policies and verdicts as an MTA would hand them to the recorder. */
final class Sessions {
  private Sessions() {}

  /** The policy of RFC 8460 Appendix B. */
  static final TlsRptPolicy COMPANY_Y =
      TlsRptPolicy.sts(
          DomainName.parse("company-y.example"),
          MtaStsPolicy.parse(
              "version: STSv1\nmode: testing\nmx: *.mail.company-y.example\nmax_age: 86400\n"));

  /** The same domain's policy after it moved to enforce. */
  static final TlsRptPolicy COMPANY_Y_ENFORCE =
      TlsRptPolicy.sts(
          DomainName.parse("company-y.example"),
          MtaStsPolicy.parse(
              "version: STSv1\nmode: enforce\nmx: *.mail.company-y.example\nmax_age: 86400\n"));

  static final TlsRptPolicy NO_POLICY = TlsRptPolicy.noPolicyFound(DomainName.parse("example.net"));

  static final TlsRptPolicy DANE =
      TlsRptPolicy.tlsa(
          DomainName.parse("mx.example.org"),
          List.of("3 1 1 8d02536c887482bc34ff54e41d2ba659bf85b341a0a20afadb5813dcfbcf286d"),
          DomainName.parse("mx.example.org"));

  static MxVerdict success(TlsRptPolicy policy, String mx) {
    return MxVerdict.builder(MxVerdict.Action.DELIVER, mode(policy), DomainName.parse(mx), policy)
        .build();
  }

  static MxVerdict failure(TlsRptPolicy policy, String mx, TlsRptResultType type) {
    return MxVerdict.builder(
            MxVerdict.Action.DELIVER_AND_REPORT, mode(policy), DomainName.parse(mx), policy)
        .failure(type)
        .build();
  }

  private static MtaStsMode mode(TlsRptPolicy policy) {
    return policy.type() == TlsRptPolicyType.STS ? MtaStsMode.TESTING : MtaStsMode.NONE;
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
