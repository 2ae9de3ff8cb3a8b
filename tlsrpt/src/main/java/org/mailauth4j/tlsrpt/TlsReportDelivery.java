package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dns.DomainName;

/**
 * Delivers a report to every destination in a policy domain's TLS-RPT record (RFC 8460 §3): it
 * POSTs the report to each {@code https:} URI of {@link TlsRptRecord#reportUris()} with a {@link
 * TlsReportSubmitter}, and builds one signed message per {@code mailto:} recipient ({@link
 * TlsRptUri#mailboxes()}) with a {@link TlsReportMail}, for the caller's MTA to send. Each URI, and
 * each recipient of a {@code mailto:} URI, gets an {@link Outcome}; the report counts as delivered
 * once one endpoint accepted it (§3).
 *
 * <p>{@link #deliver} composes every message before it starts any POST, so that a report that
 * cannot be mailed throws with nothing sent, and then hands the messages back at once in a {@link
 * Dispatch}, while the POSTs, whose retries may take hours, go on; {@link Dispatch#result()}
 * completes when the last of them has finished.
 *
 * <p>The record has already refused what is no usable {@code mailto:} or {@code https:} URI. A
 * destination is {@link Skipped}, with the reason, when this delivery has no submitter or no
 * composer for its scheme, when the submitter cannot POST to it (an {@code https:} URI with a
 * fragment, or a host {@link java.net.URI} does not read as one) or the composer cannot write its
 * address in a header (see {@link TlsReportMail#compose}), when the record lists it twice, and past
 * {@link Builder#maxDestinations(int)}. The header fields a {@code mailto:} URI may carry ({@code
 * ?subject=…}) are ignored: report data and the configured fields only make the message. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * TlsReportDelivery delivery =
 *     TlsReportDelivery.builder().https(submitter).mail(mail).build();
 * TlsRptRecordLookup found = tlsrpt.lookup(policyDomain);
 * if (found.isFound()) {
 *   TlsReportDelivery.Dispatch dispatch =
 *       delivery.deliver(policyDomain, found.record().orElseThrow(), report);
 *   for (TlsReportDelivery.Composed c : dispatch.messages()) {
 *     mta.send(c.recipient(), c.message()); // now, while the POSTs run
 *   }
 *   dispatch.result().thenAccept(r -> log.info("delivered over HTTPS: " + r.isDelivered()));
 * }
 * }</pre>
 */
public final class TlsReportDelivery {
  private final TlsReportSubmitter submitter;
  private final TlsReportMail mail;
  private final int maxDestinations;

  private TlsReportDelivery(Builder b) {
    this.submitter = b.submitter;
    this.mail = b.mail;
    this.maxDestinations = b.maxDestinations;
  }

  /**
   * Starts configuring a delivery.
   *
   * @return a builder; give it a submitter, a mail composer, or both
   */
  public static Builder builder() {
    return new Builder();
  }

  /** What became of the report for one destination of the record. */
  public sealed interface Outcome permits Posted, Composed, Skipped {
    /**
     * Returns the URI this outcome is for.
     *
     * @return the URI as the record listed it
     */
    TlsRptUri uri();
  }

  /**
   * The report was POSTed to an {@code https:} URI.
   *
   * <p>It has no public constructor, so that later versions can add fields without breaking
   * callers. Immutable and thread-safe; equal when all their fields are.
   */
  public static final class Posted implements Outcome {
    private final TlsRptUri uri;
    private final TlsReportSubmission submission;

    Posted(TlsRptUri uri, TlsReportSubmission submission) {
      requireNonNull(uri, "uri");
      requireNonNull(submission, "submission");
      this.uri = uri;
      this.submission = submission;
    }

    /**
     * Returns the endpoint.
     *
     * @return the URI
     */
    public TlsRptUri uri() {
      return uri;
    }

    /**
     * Returns what the endpoint answered, after any retries.
     *
     * @return the submission
     */
    public TlsReportSubmission submission() {
      return submission;
    }

    /**
     * Compares all fields.
     *
     * @param other the other object
     * @return {@code true} if {@code other} is {@code Posted} with equal fields
     */
    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      return other instanceof Posted o && uri.equals(o.uri) && submission.equals(o.submission);
    }

    /**
     * Hashes all fields.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
      return Objects.hash(uri, submission);
    }

    /**
     * Describes the value for logs, with every field.
     *
     * @return the description
     */
    @Override
    public String toString() {
      return "Posted[uri=" + uri + ", submission=" + submission + "]";
    }
  }

  /**
   * A message was built for one recipient of a {@code mailto:} URI; sending it is the caller's.
   *
   * <p>It has no public constructor, so that later versions can add fields without breaking
   * callers. Immutable and thread-safe; equal when all their fields are.
   */
  public static final class Composed implements Outcome {
    private final TlsRptUri uri;
    private final String recipient;
    private final byte[] message;

    Composed(TlsRptUri uri, String recipient, byte[] message) {
      requireNonNull(uri, "uri");
      requireNonNull(recipient, "recipient");
      message = message.clone();
      this.uri = uri;
      this.recipient = recipient;
      this.message = message;
    }

    /**
     * Returns the {@code mailto:} URI.
     *
     * @return the URI
     */
    public TlsRptUri uri() {
      return uri;
    }

    /**
     * Returns the addr-spec the message is to.
     *
     * @return the recipient
     */
    public String recipient() {
      return recipient;
    }

    /**
     * Returns the message.
     *
     * @return a copy of the signed message
     */
    public byte[] message() {
      return message.clone();
    }

    /**
     * Compares all fields.
     *
     * @param other the other object
     * @return {@code true} if {@code other} is {@code Composed} with equal fields
     */
    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      return other instanceof Composed o
          && uri.equals(o.uri)
          && recipient.equals(o.recipient)
          && Arrays.equals(message, o.message);
    }

    /**
     * Hashes all fields.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
      return Objects.hash(uri, recipient, Arrays.hashCode(message));
    }

    /**
     * Describes the value for logs, with the message's size rather than its content.
     *
     * @return the description
     */
    @Override
    public String toString() {
      return "Composed[uri="
          + uri
          + ", recipient="
          + recipient
          + ", message="
          + message.length
          + " bytes]";
    }
  }

  /**
   * Nothing was done for a URI, or for one recipient of a {@code mailto:} URI.
   *
   * <p>It has no public constructor, so that later versions can add fields without breaking
   * callers. Immutable and thread-safe; equal when all their fields are.
   */
  public static final class Skipped implements Outcome {
    private final TlsRptUri uri;
    private final String reason;

    Skipped(TlsRptUri uri, String reason) {
      requireNonNull(uri, "uri");
      requireNonNull(reason, "reason");
      this.uri = uri;
      this.reason = reason;
    }

    /**
     * Returns the URI.
     *
     * @return the URI
     */
    public TlsRptUri uri() {
      return uri;
    }

    /**
     * Returns why nothing was done, such as that no submitter is configured; it names the recipient
     * when it is about one.
     *
     * @return the reason
     */
    public String reason() {
      return reason;
    }

    /**
     * Compares all fields.
     *
     * @param other the other object
     * @return {@code true} if {@code other} is {@code Skipped} with equal fields
     */
    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      return other instanceof Skipped o && uri.equals(o.uri) && reason.equals(o.reason);
    }

    /**
     * Hashes all fields.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
      return Objects.hash(uri, reason);
    }

    /**
     * Describes the value for logs, with every field.
     *
     * @return the description
     */
    @Override
    public String toString() {
      return "Skipped[uri=" + uri + ", reason=" + reason + "]";
    }
  }

  /** The outcomes of one delivery, in the order of the record's URIs. Immutable. */
  public static final class Result {
    private final List<Outcome> outcomes;

    Result(List<Outcome> outcomes) {
      this.outcomes = List.copyOf(outcomes);
    }

    /**
     * Returns every outcome, one per URI and one per recipient of a {@code mailto:} URI.
     *
     * @return the outcomes
     */
    public List<Outcome> outcomes() {
      return outcomes;
    }

    /**
     * Tells whether an HTTPS endpoint accepted the report, which is delivery by RFC 8460 §3.
     * Messages to send are not counted: whether the MTA delivers them is for the caller to see.
     *
     * @return {@code true} if a POST was accepted
     */
    public boolean isDelivered() {
      return outcomes.stream()
          .anyMatch(o -> o instanceof Posted && ((Posted) o).submission().isDelivered());
    }
  }

  /**
   * A delivery under way: the messages, ready at once, and the future result of the POSTs.
   * Immutable.
   */
  public static final class Dispatch {
    private final List<Composed> messages;
    private final CompletableFuture<Result> result;

    Dispatch(List<Composed> messages, CompletableFuture<Result> result) {
      this.messages = List.copyOf(messages);
      this.result = result;
    }

    /**
     * Returns the messages to hand to the MTA, composed before any POST started; they do not wait
     * for the POSTs, so their {@code Date} and DKIM {@code t=} are of now.
     *
     * @return the composed messages, in the record's order
     */
    public List<Composed> messages() {
      return messages;
    }

    /**
     * Returns the outcome of every destination, once every POST has finished, retries included;
     * {@code result().join()} waits for it.
     *
     * @return a future of the result, which completes normally whatever the network does; a copy,
     *     so completing or cancelling it touches neither the POSTs nor other callers
     */
    public CompletableFuture<Result> result() {
      return result.copy();
    }
  }

  /**
   * Delivers a report to the destinations of a policy domain's record. It checks the report and
   * composes every message first, then starts every HTTPS POST at once, and returns without waiting
   * for any of them.
   *
   * @param policyDomain the domain at whose {@code _smtp._tls} the record was found
   * @param record the record; its {@link TlsRptRecord#reportUris()} are the destinations, in order
   * @param report the report
   * @return the messages to send now and the future result of the POSTs
   * @throws IllegalArgumentException if the report cannot be mailed as it is: its {@code
   *     contact-info} is not at the mail's submitter, or it names another policy domain (see {@link
   *     TlsReportMail#compose}); nothing has been sent then
   * @throws IllegalStateException if the mail's {@link TlsReportMail.Builder#uniqueIds unique id
   *     supplier} gives no usable id; nothing has been sent then
   */
  public Dispatch deliver(DomainName policyDomain, TlsRptRecord record, TlsReport report) {
    requireNonNull(policyDomain, "policyDomain");
    requireNonNull(record, "record");
    requireNonNull(report, "report");
    List<TlsRptUri> uris = record.reportUris();
    if (mail != null && uris.stream().anyMatch(u -> u.scheme() == TlsRptUri.Scheme.MAILTO)) {
      mail.checkReport(report, policyDomain); // before anything is sent anywhere
    }
    // First every outcome that needs no network, in the record's order; a slot left null is a
    // POST to start once every message is composed, so that a compose that throws leaves no
    // POST running.
    List<List<Outcome>> slots = new ArrayList<>();
    List<Composed> messages = new ArrayList<>();
    Set<TlsRptUri> seenUris = new HashSet<>();
    Set<String> seenRecipients = new HashSet<>();
    int used = 0; // destinations posted to or composed for, counted against maxDestinations
    for (TlsRptUri uri : uris) {
      if (!seenUris.add(uri)) {
        slots.add(List.of(new Skipped(uri, "listed twice")));
      } else if (uri.scheme() == TlsRptUri.Scheme.HTTPS) {
        Optional<String> unusable = unusableEndpoint(uri);
        if (unusable.isPresent()) {
          slots.add(List.of(new Skipped(uri, unusable.get())));
        } else if (++used > maxDestinations) {
          slots.add(List.of(new Skipped(uri, beyondTheLimit())));
        } else {
          slots.add(null);
        }
      } else if (mail == null) {
        slots.add(List.of(new Skipped(uri, "no report mail configured")));
      } else {
        List<Outcome> outcomes = new ArrayList<>();
        for (String recipient : uri.mailboxes()) {
          Optional<String> unusable = unusableRecipient(recipient);
          if (!seenRecipients.add(recipient)) {
            outcomes.add(new Skipped(uri, recipient + ": listed twice"));
          } else if (unusable.isPresent()) {
            outcomes.add(new Skipped(uri, unusable.get()));
          } else if (++used > maxDestinations) {
            outcomes.add(new Skipped(uri, recipient + ": " + beyondTheLimit()));
          } else {
            Composed c =
                new Composed(uri, recipient, mail.compose(report, policyDomain, recipient));
            outcomes.add(c);
            messages.add(c);
          }
        }
        slots.add(outcomes);
      }
    }
    List<CompletableFuture<List<Outcome>>> pending = new ArrayList<>();
    for (int i = 0; i < uris.size(); i++) {
      TlsRptUri uri = uris.get(i);
      pending.add(
          slots.get(i) != null
              ? CompletableFuture.completedFuture(slots.get(i))
              : submitter
                  .submitAsync(uri.uri(), report)
                  .thenApply(s -> List.<Outcome>of(new Posted(uri, s))));
    }
    CompletableFuture<Result> result =
        CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new))
            .thenApply(
                ignored -> {
                  List<Outcome> outcomes = new ArrayList<>();
                  for (CompletableFuture<List<Outcome>> p : pending) {
                    outcomes.addAll(p.join());
                  }
                  return new Result(outcomes);
                });
    return new Dispatch(messages, result);
  }

  private String beyondTheLimit() {
    // The record's owner chose the destinations; a long list is not a reason to send without end.
    return "beyond the first " + maxDestinations + " destinations";
  }

  /** Why the submitter cannot POST to a URI, if it cannot. */
  private Optional<String> unusableEndpoint(TlsRptUri uri) {
    if (submitter == null) {
      return Optional.of("no HTTPS submitter configured");
    }
    try {
      TlsReportSubmitter.checkEndpoint(uri.uri());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Why the composer cannot write an address in a {@code To} field, if it cannot: a quoted or
   * non-ASCII local part is a valid {@code mailto:} address that a plain header cannot hold.
   */
  private static Optional<String> unusableRecipient(String recipient) {
    try {
      TlsReportMail.checkAddress(recipient, "recipient");
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Configures a {@link TlsReportDelivery}. Not thread-safe; build once, then share the result. */
  public static final class Builder {
    private TlsReportSubmitter submitter;
    private TlsReportMail mail;
    private int maxDestinations = 5;

    private Builder() {}

    /**
     * Sets the submitter for {@code https:} URIs. Without one they are skipped.
     *
     * @param submitter the submitter
     * @return this builder
     */
    public Builder https(TlsReportSubmitter submitter) {
      this.submitter = requireNonNull(submitter, "submitter");
      return this;
    }

    /**
     * Sets the composer for {@code mailto:} URIs. Without one they are skipped.
     *
     * @param mail the composer
     * @return this builder
     */
    public Builder mail(TlsReportMail mail) {
      this.mail = requireNonNull(mail, "mail");
      return this;
    }

    /**
     * Sets how many destinations of one record are used, in the record's order: each {@code https:}
     * URI posted to counts one, and each recipient of a {@code mailto:} URI composed for one, so
     * that a record cannot make one report into many requests or messages. Destinations skipped for
     * another reason do not count; those past the limit are skipped. Default 5.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxDestinations(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxDestinations must be at least 1: " + max);
      }
      this.maxDestinations = max;
      return this;
    }

    /**
     * Builds the delivery.
     *
     * @return the delivery
     * @throws IllegalStateException if neither a submitter nor a mail composer was given
     */
    public TlsReportDelivery build() {
      if (submitter == null && mail == null) {
        throw new IllegalStateException("give an HTTPS submitter, a report mail composer, or both");
      }
      return new TlsReportDelivery(this);
    }
  }
}
