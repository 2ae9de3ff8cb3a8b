/**
 * DMARC (RFC 9989, with an RFC 7489 profile), Authentication-Results (RFC 8601), and one-call
 * message authentication over SPF and DKIM.
 */
module org.mailauth4j.dmarc {
  requires transitive org.mailauth4j.dns;
  requires transitive org.mailauth4j.dkim;
  requires transitive org.mailauth4j.spf;
  requires com.google.common;

  exports org.mailauth4j.dmarc;
}
