/** MTA-STS (RFC 8461): records, policies, the HTTPS fetch, the policy cache and MX checks. */
module org.mailauth4j.mtasts {
  requires transitive org.mailauth4j.dns;
  requires transitive java.net.http;

  exports org.mailauth4j.mtasts;
}
