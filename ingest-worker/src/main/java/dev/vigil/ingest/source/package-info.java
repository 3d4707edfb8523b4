/**
 * Where media comes from: parsing a stream URL into a source kind, opening an FFmpeg grabber with the
 * options that bound every network wait for that kind, and turning FFmpeg's errors and log lines into
 * reasons a user can act on, classified as worth retrying or not.
 */
package dev.vigil.ingest.source;
