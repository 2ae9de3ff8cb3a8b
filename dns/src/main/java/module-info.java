/** The shared DNS abstraction of mailauth4j. */
module org.mailauth4j.dns {
  requires org.dnsjava;

  exports org.mailauth4j.dns;
}
