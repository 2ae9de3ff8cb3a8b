/** DKIM signing and verification (RFC 6376, RFC 8301, RFC 8463). */
module org.mailauth4j.dkim {
  requires transitive org.mailauth4j.dns;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;

  exports org.mailauth4j.dkim;
}
