/**
 * DMARC (RFC 9989, with an RFC 7489 profile): the policy a domain publishes for mail that claims it
 * in From, whether SPF or DKIM authenticated an aligned domain, and what to do with a message that
 * fails; Authentication-Results (RFC 8601); and the one-call authentication of a message.
 */
package org.mailauth4j.dmarc;
