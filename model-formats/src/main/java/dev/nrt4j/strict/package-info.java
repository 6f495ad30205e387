/**
 * How untrusted text is read, the same way by every reader in the project: {@link dev.nrt4j.strict.StrictUtf8}
 * decodes bytes that must be UTF-8 and refuses anything else, {@link dev.nrt4j.strict.StrictJsonMapper}
 * builds a Jackson mapper that refuses duplicate keys and trailing data. The callers keep their own limits and
 * their own one-line messages; only the strictness lives here.
 */
package dev.nrt4j.strict;
