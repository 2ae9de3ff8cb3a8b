package org.mailauth4j.tlsrpt;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.tlsrpt.TlsReportException.Reason;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Builds a {@link TlsReport} from a stream of JSON tokens (RFC 8460 §4.4), leniently as received
 * reports require (RFC 8460 §4.4 as reporters write it): only {@code organization-name}, {@code
 * date-range}, {@code report-id}, {@code policies}, {@code policy-type} and {@code summary} are
 * required, with, inside the entries that are present, the two timestamps of the date range and the
 * result type and count of a failure detail; unknown fields are skipped without being built; {@code
 * null} for an optional field means absent. Jackson enforces the nesting depth and the string and
 * number lengths; the item counts are counted here.
 *
 * <p>One instance reads one document; not thread-safe.
 */
final class ReportJsonParser {
  /** RFC 7493 §2.2: integers beyond ±(2^53 − 1) are not interoperable in I-JSON. */
  static final long MAX_COUNT = TlsReport.MAX_COUNT;

  private static final int ORGANIZATION = 1;
  private static final int DATE_RANGE = 1 << 1;
  private static final int CONTACT = 1 << 2;
  private static final int REPORT_ID = 1 << 3;
  private static final int POLICIES = 1 << 4;

  private final JsonParser p;
  private final int maxPolicies;
  private final int maxFailureDetails;
  private final int maxPolicyStrings;
  private final int maxStringLength;

  ReportJsonParser(
      JsonParser p,
      int maxPolicies,
      int maxFailureDetails,
      int maxPolicyStrings,
      int maxStringLength) {
    this.p = p;
    this.maxPolicies = maxPolicies;
    this.maxFailureDetails = maxFailureDetails;
    this.maxPolicyStrings = maxPolicyStrings;
    this.maxStringLength = maxStringLength;
  }

  /** Reads the whole document: one report object and nothing after it. */
  TlsReport report() {
    JsonToken first = p.nextToken();
    if (first == null) {
      throw new TlsReportException(Reason.NOT_JSON, null, "the input is empty");
    }
    expect(first, JsonToken.START_OBJECT, "an object");
    int seen = 0;
    String organization = null;
    DateRange dateRange = null;
    Optional<String> contact = Optional.empty();
    String reportId = null;
    List<PolicyResult> policies = null;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "organization-name":
          seen = once(seen, ORGANIZATION);
          organization = string(t);
          break;
        case "date-range":
          seen = once(seen, DATE_RANGE);
          dateRange = dateRange(t);
          break;
        case "contact-info":
          seen = once(seen, CONTACT);
          contact = optionalString(t);
          break;
        case "report-id":
          seen = once(seen, REPORT_ID);
          reportId = string(t);
          break;
        case "policies":
          seen = once(seen, POLICIES);
          policies = policies(t);
          break;
        default:
          p.skipChildren(); // RFC 8460 §4.4 defines the fields; others are ignored unread
      }
    }
    // RFC 8460 §4.4: the fields no report can do without.
    require(organization, "organization-name");
    require(dateRange, "date-range");
    require(reportId, "report-id");
    require(policies, "policies");
    if (p.nextToken() != null) {
      throw new TlsReportException(
          Reason.NOT_JSON, null, "more JSON follows the report object, at " + offset());
    }
    return new TlsReport(organization, dateRange, contact, reportId, policies);
  }

  private DateRange dateRange(JsonToken t) {
    expect(t, JsonToken.START_OBJECT, "an object");
    Instant start = null;
    Instant end = null;
    int seen = 0;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "start-datetime":
          seen = once(seen, 1);
          start = timestamp(v);
          break;
        case "end-datetime":
          seen = once(seen, 2);
          end = timestamp(v);
          break;
        default:
          p.skipChildren();
      }
    }
    require(start, "start-datetime");
    require(end, "end-datetime");
    if (end.isBefore(start)) {
      throw new TlsReportException(
          Reason.BAD_VALUE, here(), "the range ends at " + end + ", before its start " + start);
    }
    return new DateRange(start, end);
  }

  /**
   * RFC 8460 §4.4: RFC 3339 {@code date-time}. Fractions of a second and offsets other than {@code
   * Z} are accepted, and so are the lower-case {@code t} and {@code z} and the space for {@code T}
   * that RFC 3339 §5.6 allows.
   */
  private Instant timestamp(JsonToken t) {
    String text = string(t);
    String normalized = text;
    if (text.length() > 10 && (text.charAt(10) == 't' || text.charAt(10) == ' ')) {
      normalized = text.substring(0, 10) + 'T' + text.substring(11);
    }
    if (normalized.endsWith("z")) {
      normalized = normalized.substring(0, normalized.length() - 1) + 'Z';
    }
    try {
      return OffsetDateTime.parse(normalized, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new TlsReportException(
          Reason.BAD_VALUE,
          here(),
          TlsReportException.quote(text) + " is not an RFC 3339 date-time with an offset");
    }
  }

  private List<PolicyResult> policies(JsonToken t) {
    expect(t, JsonToken.START_ARRAY, "an array"); // RFC 8460 §4: an array even with one entry
    List<PolicyResult> policies = new ArrayList<>();
    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
      if (policies.size() == maxPolicies) {
        throw tooMany("policies", maxPolicies);
      }
      policies.add(policyResult(e));
    }
    return policies;
  }

  private PolicyResult policyResult(JsonToken t) {
    expect(t, JsonToken.START_OBJECT, "an object");
    ReportedPolicy policy = null;
    long[] summary = null;
    List<FailureDetail> failures = List.of();
    int seen = 0;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "policy":
          seen = once(seen, 1);
          policy = policy(v);
          break;
        case "summary":
          seen = once(seen, 2);
          summary = summary(v);
          break;
        case "failure-details":
          seen = once(seen, 4);
          failures = v == JsonToken.VALUE_NULL ? List.of() : failureDetails(v);
          break;
        default:
          p.skipChildren();
      }
    }
    require(policy, "policy");
    require(summary, "summary");
    return new PolicyResult(policy, summary[0], summary[1], failures);
  }

  private ReportedPolicy policy(JsonToken t) {
    expect(t, JsonToken.START_OBJECT, "an object");
    String type = null;
    List<String> strings = List.of();
    Optional<String> domain = Optional.empty();
    List<String> mxHosts = List.of();
    int seen = 0;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "policy-type":
          seen = once(seen, 1);
          type = string(v); // unknown types are kept as text (rpt03.json has one)
          break;
        case "policy-string":
          seen = once(seen, 2);
          strings = strings(v);
          break;
        case "policy-domain":
          seen = once(seen, 4);
          domain = optionalString(v); // Postfix omits it with no-policy-found
          break;
        case "mx-host":
          seen = once(seen, 8);
          mxHosts = strings(v); // RFC 8460 Appendix B writes one string, §4.4 a list
          break;
        default:
          p.skipChildren();
      }
    }
    require(type, "policy-type");
    return new ReportedPolicy(type, strings, domain, mxHosts);
  }

  /** Returns the successful and the failed count; an absent count is 0 (rpt03.json). */
  private long[] summary(JsonToken t) {
    expect(t, JsonToken.START_OBJECT, "an object");
    long[] counts = new long[2];
    int seen = 0;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "total-successful-session-count":
          seen = once(seen, 1);
          counts[0] = count(v);
          break;
        case "total-failure-session-count":
          seen = once(seen, 2);
          counts[1] = count(v);
          break;
        default:
          p.skipChildren();
      }
    }
    return counts;
  }

  private List<FailureDetail> failureDetails(JsonToken t) {
    expect(t, JsonToken.START_ARRAY, "an array");
    List<FailureDetail> details = new ArrayList<>();
    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
      if (details.size() == maxFailureDetails) {
        throw tooMany("failure details in one policy", maxFailureDetails);
      }
      details.add(failureDetail(e));
    }
    return details;
  }

  private FailureDetail failureDetail(JsonToken t) {
    expect(t, JsonToken.START_OBJECT, "an object");
    String resultType = null;
    Optional<String> sendingIp = Optional.empty();
    Optional<String> mxHostname = Optional.empty();
    Optional<String> mxHelo = Optional.empty();
    Optional<String> receivingIp = Optional.empty();
    long count = -1;
    Optional<String> information = Optional.empty();
    Optional<String> reasonCode = Optional.empty();
    Optional<String> errorCode = Optional.empty();
    int seen = 0;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "result-type":
          seen = once(seen, 1);
          resultType = string(v); // types registered later are kept as text
          break;
        case "sending-mta-ip":
          seen = once(seen, 1 << 1);
          sendingIp = optionalString(v);
          break;
        case "receiving-mx-hostname":
          seen = once(seen, 1 << 2);
          mxHostname = optionalString(v);
          break;
        case "receiving-mx-helo":
          seen = once(seen, 1 << 3);
          mxHelo = optionalString(v);
          break;
        case "receiving-ip":
          seen = once(seen, 1 << 4);
          receivingIp = optionalString(v);
          break;
        case "failed-session-count":
          seen = once(seen, 1 << 5);
          count = count(v);
          break;
        case "additional-information":
          seen = once(seen, 1 << 6);
          information = optionalString(v);
          break;
        case "failure-reason-code":
          seen = once(seen, 1 << 7);
          reasonCode = optionalString(v);
          break;
        case "failure-error-code":
          // RFC 8460 Appendix B spells failure-reason-code so; §4.4 wins where both appear.
          seen = once(seen, 1 << 8);
          errorCode = optionalString(v);
          break;
        default:
          p.skipChildren();
      }
    }
    require(resultType, "result-type");
    if (count < 0) {
      require(null, "failed-session-count");
    }
    return new FailureDetail(
        resultType,
        sendingIp,
        mxHostname,
        mxHelo,
        receivingIp,
        count,
        information,
        reasonCode.isPresent() ? reasonCode : errorCode);
  }

  /** {@code policy-string} and {@code mx-host}: an array of strings, or one string. */
  private List<String> strings(JsonToken t) {
    if (t == JsonToken.VALUE_STRING) {
      return List.of(string(t));
    }
    if (t == JsonToken.VALUE_NULL) {
      return List.of();
    }
    expect(t, JsonToken.START_ARRAY, "an array of strings or a string");
    List<String> values = new ArrayList<>();
    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
      if (values.size() == maxPolicyStrings) {
        throw tooMany("strings in one list", maxPolicyStrings);
      }
      values.add(string(e));
    }
    return values;
  }

  private Optional<String> optionalString(JsonToken t) {
    return t == JsonToken.VALUE_NULL ? Optional.empty() : Optional.of(string(t));
  }

  private String string(JsonToken t) {
    expect(t, JsonToken.VALUE_STRING, "a string");
    String s = p.getString();
    if (s.length() > maxStringLength) {
      throw new TlsReportException(
          Reason.TOO_LARGE,
          here(),
          "a string of " + s.length() + " characters, over the limit of " + maxStringLength);
    }
    return s;
  }

  /** RFC 8460 §4.4: counts are JSON integers; not negative, and exact in I-JSON. */
  private long count(JsonToken t) {
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      throw new TlsReportException(
          Reason.WRONG_TYPE,
          here(),
          "a count must be a JSON integer, not a number with a fraction or exponent");
    }
    expect(t, JsonToken.VALUE_NUMBER_INT, "an integer");
    JsonParser.NumberType type = p.getNumberType();
    if (type == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() > MAX_COUNT) {
      throw new TlsReportException(
          Reason.BAD_VALUE,
          here(),
          "a count above 2^53 - 1, the largest exact integer of I-JSON (RFC 7493 §2.2)");
    }
    long value = p.getLongValue();
    if (value < 0) {
      throw new TlsReportException(Reason.BAD_VALUE, here(), "a negative count " + value);
    }
    return value;
  }

  private void expect(JsonToken actual, JsonToken expected, String what) {
    if (actual != expected) {
      throw new TlsReportException(
          Reason.WRONG_TYPE, here(), "expected " + what + ", found " + describe(actual));
    }
  }

  /** Marks a field as seen in its object; I-JSON (RFC 7493 §2.3) forbids it twice. */
  private int once(int seen, int bit) {
    if ((seen & bit) != 0) {
      throw new TlsReportException(
          Reason.DUPLICATE_FIELD, here(), "the field appears twice in one object");
    }
    return seen | bit;
  }

  /**
   * Refuses a missing field. Called at the object's end, where the parser's context is the object's
   * parent, whose pointer is the object's.
   */
  private void require(Object value, String name) {
    if (value == null) {
      throw new TlsReportException(
          Reason.MISSING_FIELD, here() + "/" + name, "the required field " + name + " is absent");
    }
  }

  private TlsReportException tooMany(String what, int max) {
    return new TlsReportException(
        Reason.TOO_MANY_ITEMS, here(), "more " + what + " than the limit of " + max);
  }

  /** The JSON pointer of the current token. */
  private String here() {
    return p.streamReadContext().pathAsPointer().toString();
  }

  private String offset() {
    return "byte " + p.currentTokenLocation().getByteOffset();
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the input";
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
        return "an integer";
      case VALUE_NUMBER_FLOAT:
        return "a number with a fraction or exponent";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.toString();
    }
  }
}
