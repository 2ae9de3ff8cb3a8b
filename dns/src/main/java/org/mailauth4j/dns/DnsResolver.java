package org.mailauth4j.dns;

import java.util.concurrent.CompletableFuture;

/**
 * Answers DNS questions for the protocol modules. This is the one door through which SPF, DKIM,
 * DMARC, MTA-STS and TLS-RPT reach DNS; which implementation stands behind it decides whether they
 * talk to the network ({@link NetworkDnsResolver}), to zone files ({@link ZoneFileResolver}), or to
 * a cache in front of either ({@link CachingDnsResolver}).
 *
 * <p>Implementations are thread-safe. A lookup never completes exceptionally because of DNS: a
 * timeout, SERVFAIL or garbage from a server is a normal {@link DnsStatus#TEMP_FAIL} answer.
 *
 * <pre>{@code
 * DnsAnswer<TxtRecord> answer = resolver.lookup(DnsQuery.txt(DomainName.parse("_dmarc.example.com")));
 * switch (answer.status()) {
 *   case FOUND -> answer.records().forEach(r -> System.out.println(r.text()));
 *   case NO_DATA, NXDOMAIN -> System.out.println("no DMARC record");
 *   case TEMP_FAIL -> System.out.println("try again: " + answer.failure().orElseThrow().detail());
 * }
 * }</pre>
 */
public interface DnsResolver {

  /**
   * Looks a question up without blocking the calling thread.
   *
   * @param query the question
   * @param <T> the record type the query fixes
   * @return a future that completes normally with the answer, whatever it is
   */
  <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query);

  /**
   * Looks a question up and waits for the answer. This only joins {@link #lookupAsync(DnsQuery)};
   * it runs the same code.
   *
   * @param query the question
   * @param <T> the record type the query fixes
   * @return the answer, whatever it is
   */
  default <T> DnsAnswer<T> lookup(DnsQuery<T> query) {
    return lookupAsync(query).join();
  }
}
