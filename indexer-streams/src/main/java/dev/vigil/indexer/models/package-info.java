/** Which model, if any, each index uses, and the client that calls it (see DESIGN.md of dev.vigil.indexer). */
package dev.vigil.indexer.models;
