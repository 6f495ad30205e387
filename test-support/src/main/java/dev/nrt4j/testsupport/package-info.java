/**
 * What nrt4j's tests share: {@link dev.nrt4j.testsupport.Needs}, the one way a test says it needs
 * something the machine may lack (the shared corpus, gcc, tmux). It skips saying what is missing, or
 * fails under {@code NRT4J_STRICT=1}, so a green CI build has run every test. Also what several modules'
 * tests need alike, such as {@link dev.nrt4j.testsupport.ChildJvm}, another process to test against.
 */
package dev.nrt4j.testsupport;
