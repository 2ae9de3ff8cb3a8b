/** SPF (RFC 7208): record parsing and check_host(). */
module org.mailauth4j.spf {
  requires transitive org.mailauth4j.dns;
  requires com.google.common;

  exports org.mailauth4j.spf;
}
