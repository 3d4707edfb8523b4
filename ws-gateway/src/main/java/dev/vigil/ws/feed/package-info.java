/**
 * The Kafka side of the gateway: reads index records and alert notifications from the latest offset
 * (at-most-once), encodes each into one frame and hands batches to the connections.
 */
package dev.vigil.ws.feed;
