/**
 * How untrusted text is read, the same way by every reader in the project: {@link dev.nrt4j.strict.StrictUtf8}
 * decodes bytes that must be UTF-8 and refuses anything else. The callers keep their own limits and their own
 * one-line messages; only the strictness lives here.
 */
package dev.nrt4j.strict;
