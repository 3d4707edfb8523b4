/** Plumbing for heavy work and state: bounded worker lanes and a compact binary serde for store values. */
package dev.vigil.indexer.work;
