package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dns.DomainName;

/**
 * Delivers a report to every destination of a policy domain's {@code rua} (RFC 8460 §3): it POSTs
 * the report to each {@code https:} URI with a {@link TlsReportSubmitter}, and builds one signed
 * message per {@code mailto:} recipient with a {@link TlsReportMail}, for the caller's MTA to send.
 * Each URI gets an {@link Outcome}; the report counts as delivered once one endpoint accepted it
 * (§3).
 *
 * <p>URIs of other schemes, {@code mailto:} addresses that are not plain addr-specs, URIs listed
 * twice and URIs past {@link Builder#maxDestinations(int)} are {@link Skipped}, with the reason.
 * The header fields a {@code mailto:} URI may carry ({@code ?subject=…}) are ignored: report data
 * and the configured fields only make the message. Immutable and thread-safe.
 *
 * <pre>{@code
 * TlsReportDelivery delivery =
 *     TlsReportDelivery.builder().https(submitter).mail(mail).build();
 * TlsReportDelivery.Result result = delivery.deliver(policyDomain, record.rua(), report);
 * for (TlsReportDelivery.Composed c : result.messages()) {
 *   mta.send(c.recipient(), c.message());
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

  /** What became of the report for one {@code rua} URI. */
  public sealed interface Outcome permits Posted, Composed, Skipped {
    /**
     * Returns the URI this outcome is for.
     *
     * @return the URI as the record listed it
     */
    URI uri();
  }

  /**
   * The report was POSTed to an {@code https:} URI.
   *
   * @param uri the endpoint
   * @param submission what the endpoint answered, after any retries
   */
  public record Posted(URI uri, TlsReportSubmission submission) implements Outcome {
    /**
     * Creates the outcome.
     *
     * @param uri the endpoint
     * @param submission the submission
     */
    public Posted {
      requireNonNull(uri, "uri");
      requireNonNull(submission, "submission");
    }
  }

  /**
   * A message was built for one recipient of a {@code mailto:} URI; sending it is the caller's.
   *
   * @param uri the {@code mailto:} URI
   * @param recipient the addr-spec the message is to
   * @param message the signed message, CRLF line ends; a copy on every call
   */
  public record Composed(URI uri, String recipient, byte[] message) implements Outcome {
    /**
     * Creates the outcome, copying the message.
     *
     * @param uri the URI
     * @param recipient the recipient
     * @param message the message
     */
    public Composed {
      requireNonNull(uri, "uri");
      requireNonNull(recipient, "recipient");
      message = message.clone();
    }

    /**
     * Returns the message.
     *
     * @return a copy of the signed message
     */
    @Override
    public byte[] message() {
      return message.clone();
    }
  }

  /**
   * Nothing was done for a URI.
   *
   * @param uri the URI
   * @param reason why, such as an unsupported scheme
   */
  public record Skipped(URI uri, String reason) implements Outcome {
    /**
     * Creates the outcome.
     *
     * @param uri the URI
     * @param reason the reason
     */
    public Skipped {
      requireNonNull(uri, "uri");
      requireNonNull(reason, "reason");
    }
  }

  /** The outcomes of one delivery, in the order of the {@code rua} URIs. Immutable. */
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

    /**
     * Returns the messages to hand to the MTA.
     *
     * @return the composed messages, in order
     */
    public List<Composed> messages() {
      return outcomes.stream().filter(o -> o instanceof Composed).map(o -> (Composed) o).toList();
    }
  }

  /**
   * Delivers a report to the destinations of a policy domain's {@code rua}: every HTTPS POST runs
   * at once, and the messages are built before any is sent.
   *
   * @param policyDomain the domain whose {@code _smtp._tls} record listed the URIs
   * @param rua the record's {@code rua} URIs
   * @param report the report
   * @return a future of the result; it completes normally whatever the network does
   * @throws IllegalArgumentException if the report cannot be mailed as it is: its {@code
   *     contact-info} is not at the mail's submitter, or it names another policy domain (see {@link
   *     TlsReportMail#compose})
   */
  public CompletableFuture<Result> deliverAsync(
      DomainName policyDomain, List<URI> rua, TlsReport report) {
    requireNonNull(policyDomain, "policyDomain");
    requireNonNull(report, "report");
    List<URI> uris = List.copyOf(rua);
    if (mail != null && uris.stream().anyMatch(u -> "mailto".equalsIgnoreCase(u.getScheme()))) {
      mail.checkReport(report, policyDomain); // before anything is sent anywhere
    }
    List<CompletableFuture<List<Outcome>>> pending = new ArrayList<>();
    Set<URI> seen = new HashSet<>();
    int destinations = 0;
    for (URI uri : uris) {
      if (!seen.add(uri)) {
        pending.add(skipped(uri, "listed twice"));
      } else if (++destinations > maxDestinations) {
        // The record's owner chose the URIs; a long list is not a reason to send without end.
        pending.add(skipped(uri, "beyond the first " + maxDestinations + " destinations"));
      } else if ("https".equalsIgnoreCase(uri.getScheme())) {
        pending.add(post(uri, report));
      } else if ("mailto".equalsIgnoreCase(uri.getScheme())) {
        pending.add(CompletableFuture.completedFuture(compose(uri, policyDomain, report)));
      } else {
        pending.add(skipped(uri, "RFC 8460 §3 knows only mailto: and https: destinations"));
      }
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new))
        .thenApply(
            ignored -> {
              List<Outcome> outcomes = new ArrayList<>();
              for (CompletableFuture<List<Outcome>> p : pending) {
                outcomes.addAll(p.join());
              }
              return new Result(outcomes);
            });
  }

  /**
   * Delivers a report and waits for every POST to finish, retries included. This only joins {@link
   * #deliverAsync(DomainName, List, TlsReport)}.
   *
   * @param policyDomain the domain whose record listed the URIs
   * @param rua the record's {@code rua} URIs
   * @param report the report
   * @return the result
   */
  public Result deliver(DomainName policyDomain, List<URI> rua, TlsReport report) {
    return deliverAsync(policyDomain, rua, report).join();
  }

  private CompletableFuture<List<Outcome>> post(URI uri, TlsReport report) {
    if (submitter == null) {
      return skipped(uri, "no HTTPS submitter configured");
    }
    try {
      TlsReportSubmitter.checkEndpoint(uri);
    } catch (IllegalArgumentException e) {
      return skipped(uri, e.getMessage());
    }
    return submitter.submitAsync(uri, report).thenApply(s -> List.of(new Posted(uri, s)));
  }

  private List<Outcome> compose(URI uri, DomainName policyDomain, TlsReport report) {
    if (mail == null) {
      return List.of(new Skipped(uri, "no report mail configured"));
    }
    List<String> recipients;
    try {
      recipients = recipients(uri);
    } catch (IllegalArgumentException e) {
      return List.of(new Skipped(uri, e.getMessage()));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (String recipient : recipients) {
      outcomes.add(new Composed(uri, recipient, mail.compose(report, policyDomain, recipient)));
    }
    return outcomes;
  }

  /**
   * The addresses of a {@code mailto:} URI (RFC 6068 §2: {@code to = addr-spec *("," addr-spec)},
   * then {@code ?hfields}, which are dropped), checked. RFC 8460 §3 has commas in {@code rua} URIs
   * percent-encoded, so the addresses are decoded before they are split.
   */
  static List<String> recipients(URI uri) {
    String raw = uri.getRawSchemeSpecificPart();
    int query = raw.indexOf('?');
    String to = percentDecoded(query < 0 ? raw : raw.substring(0, query));
    List<String> recipients = new ArrayList<>();
    int start = 0;
    while (start <= to.length()) {
      int comma = to.indexOf(',', start);
      int end = comma < 0 ? to.length() : comma;
      recipients.add(TlsReportMail.checkAddress(to.substring(start, end), "recipient"));
      start = end + 1;
    }
    return recipients;
  }

  private static String percentDecoded(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && hex(text, i + 1) >= 0 && hex(text, i + 2) >= 0) {
        out.write(hex(text, i + 1) * 16 + hex(text, i + 2));
        i += 2;
      } else if (c == '%') {
        throw new IllegalArgumentException("a broken percent escape in the mailto: URI");
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String text, int i) {
    return i < text.length() ? Character.digit(text.charAt(i), 16) : -1;
  }

  private static CompletableFuture<List<Outcome>> skipped(URI uri, String reason) {
    return CompletableFuture.completedFuture(List.of(new Skipped(uri, reason)));
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
     * Sets how many distinct URIs of one record are used, in the record's order; the rest are
     * skipped. Default 5.
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
