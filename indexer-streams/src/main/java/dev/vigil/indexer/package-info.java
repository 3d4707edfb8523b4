/**
 * Indexer: Kafka Streams topologies from vigil.media.* to vigil.index.* (transcript, scene, audio). Built with the indexing capability.
 */
package dev.vigil.indexer;
