package org.mailauth4j.spf;

/**
 * One term of an SPF record (RFC 7208 §4.6.1): a {@link Directive} (a mechanism with its qualifier)
 * or a {@link Modifier}.
 */
public sealed interface Term permits Directive, Modifier {}
