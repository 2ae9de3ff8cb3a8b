/**
 * DANE for SMTP (RFC 7672): TLSA records under DNSSEC, the sending MTA's combined DANE and MTA-STS
 * transport decision, and an SMTP STARTTLS probe.
 */
module org.mailauth4j.dane {
  requires transitive org.mailauth4j.dns;
  requires transitive org.mailauth4j.mtasts;
  // LdapName reads the subject's common name (RFC 6125 §6.4.4)
  requires java.naming;

  exports org.mailauth4j.dane;
}
