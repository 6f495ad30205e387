/**
 * The runtime contract as a test kit: named rules, written once against the public API, that every
 * backend must keep (DESIGN.md "The runtime contract"), a runner that gives each rule a fresh context
 * and checks it left nothing open, and the small programs the rules execute.
 */
package dev.nrt4j.conformance.contract;
