package org.mailauth4j.dane;

import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;

/** DNS questions whose trouble is an answer, never an exception: the resolvers here promise it. */
final class Lookups {
  private Lookups() {}

  /**
   * Asks DNS. A resolver that throws, returns no future, or completes it exceptionally gives a
   * temporary failure, which the DANE rules treat as a failed lookup (RFC 7672 §2.1.1).
   */
  static <T> CompletableFuture<DnsAnswer<T>> ask(DnsResolver dns, DnsQuery<T> query) {
    CompletableFuture<DnsAnswer<T>> answer;
    try {
      answer = dns.lookupAsync(query);
      if (answer == null) {
        answer = CompletableFuture.failedFuture(new NullPointerException("no future returned"));
      }
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (a, e) -> {
          if (e == null && a != null) {
            return a;
          }
          String detail = "lookup of " + query + " failed: " + (e != null ? e : "no answer");
          return DnsAnswer.tempFail(
              query,
              e != null
                  ? DnsFailure.of(DnsFailure.Kind.NETWORK_ERROR, detail, e)
                  : DnsFailure.of(DnsFailure.Kind.NETWORK_ERROR, detail));
        });
  }
}
