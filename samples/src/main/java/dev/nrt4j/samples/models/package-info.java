/** The HLO programs and inputs the samples run, built in code so a bare clone needs no model files. */
package dev.nrt4j.samples.models;
