package org.mailauth4j.dkim;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;

/**
 * Fetches and decodes the key at {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.2, §6.1.2).
 * What the records at a name gave is remembered until they change, so a busy verifier decodes each
 * published key once; the DNS answer itself is cached, if at all, by the resolver.
 */
final class DkimKeyQuery {
  /** The result of a key lookup: a key, or the problem that prevents using one. */
  record KeyLookup(VerificationKey key, DkimProblem problem, String detail) {
    static KeyLookup failed(DkimProblem problem, String detail) {
      return new KeyLookup(null, problem, detail);
    }
  }

  private final DnsResolver dns;
  private final String serviceType;
  private final int cacheSize;
  private final int maxTags;
  private final System.Logger logger;

  /** The key records last seen at a name, and what they gave. */
  private record Seen(List<TxtRecord> records, KeyLookup lookup) {}

  /**
   * By key name: a hit needs the same records as last time, compared octet by octet, so nothing is
   * decoded or even turned into a string twice for an unchanged key.
   */
  private final ConcurrentHashMap<DomainName, Seen> seen = new ConcurrentHashMap<>();

  DkimKeyQuery(
      DnsResolver dns, String serviceType, int cacheSize, int maxTags, System.Logger logger) {
    this.dns = dns;
    this.serviceType = serviceType;
    this.cacheSize = cacheSize;
    this.maxTags = maxTags;
    this.logger = logger;
  }

  CompletableFuture<KeyLookup> lookup(DomainName keyName) {
    CompletableFuture<DnsAnswer<TxtRecord>> answer;
    try {
      answer = dns.lookupAsync(DnsQuery.txt(keyName));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    // A resolver should never fail the future, but one that does must not break verification.
    return answer.handle(
        (a, error) -> error == null ? interpret(keyName, a) : resolverFailed(keyName, error));
  }

  /** The resolver broke its contract (DnsResolver futures complete normally): a bug to fix. */
  private KeyLookup resolverFailed(DomainName keyName, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (logger.isLoggable(Level.WARNING)) {
      logger.log(
          Level.WARNING,
          "DKIM: the DNS resolver failed instead of answering for " + keyName + ": " + cause,
          cause);
    }
    return KeyLookup.failed(
        DkimProblem.KEY_UNAVAILABLE, "key lookup of " + keyName + " failed: " + cause);
  }

  private KeyLookup interpret(DomainName keyName, DnsAnswer<TxtRecord> answer) {
    switch (answer.status()) {
      case TEMP_FAIL:
        if (logger.isLoggable(Level.DEBUG)) {
          logger.log(
              Level.DEBUG,
              "DKIM: key lookup of "
                  + keyName
                  + " failed temporarily: "
                  + answer.failure().orElseThrow().kind());
        }
        return KeyLookup.failed(
            DkimProblem.KEY_UNAVAILABLE,
            "key " + keyName + " unavailable: " + answer.failure().orElseThrow().detail());
      case NXDOMAIN:
      case NO_DATA:
        return KeyLookup.failed(DkimProblem.KEY_NOT_FOUND, "no key record at " + keyName);
      case FOUND:
        break;
    }
    Seen last = seen.get(keyName);
    if (last != null && last.records().equals(answer.records())) {
      return last.lookup();
    }
    KeyLookup lookup = decode(keyName, answer.records());
    if (seen.size() >= cacheSize) {
      seen.clear(); // crude but bounded; a full cache means keys churn anyway
    }
    seen.put(keyName, new Seen(answer.records(), lookup));
    return lookup;
  }

  private KeyLookup decode(DomainName keyName, List<TxtRecord> records) {
    List<VerificationKey> usable = new ArrayList<>();
    Set<String> texts = new HashSet<>(); // a set: linear in the records, however many
    DkimSyntaxException firstError = null;
    boolean notForService = false;
    for (TxtRecord txt : records) {
      String text = txt.text();
      if (!texts.add(text)) {
        continue; // the same record twice is one record
      }
      Object key = decoded(text);
      if (key instanceof DkimSyntaxException) {
        firstError = firstError == null ? (DkimSyntaxException) key : firstError;
      } else if (!((VerificationKey) key).record().allowsService(serviceType)) {
        notForService = true; // RFC 6376 §3.6.1 s=: a record for other services is ignored
      } else {
        usable.add((VerificationKey) key);
      }
    }
    if (usable.size() == 1) {
      return new KeyLookup(usable.get(0), null, null);
    }
    if (usable.size() > 1) {
      // RFC 6376 §3.6.2.2: with several records the result is undefined; refuse to guess.
      return KeyLookup.failed(
          DkimProblem.KEY_AMBIGUOUS, usable.size() + " usable key records at " + keyName);
    }
    if (firstError != null && firstError.problem() == DkimProblem.TOO_MANY_TAGS) {
      // Said without quoting the record, so that the detail can be logged as it is.
      return KeyLookup.failed(
          DkimProblem.TOO_MANY_TAGS,
          "the key record at " + keyName + " has more than " + maxTags + " tags");
    }
    if (firstError != null) {
      return KeyLookup.failed(
          firstError.problem(), "key record at " + keyName + ": " + firstError.getMessage());
    }
    if (notForService) {
      return KeyLookup.failed(
          DkimProblem.KEY_SERVICE_NOT_ALLOWED,
          "the key at " + keyName + " is not for " + serviceType + " (s=)");
    }
    return KeyLookup.failed(DkimProblem.KEY_NOT_FOUND, "no key record at " + keyName);
  }

  private Object decoded(String text) {
    try {
      return VerificationKey.decode(DkimKeyRecord.parse(text, maxTags), text);
    } catch (DkimSyntaxException e) {
      return e;
    }
  }
}
