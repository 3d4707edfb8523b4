/** Audio indexing: VAD and utterance buffering for transcripts, DSP sound features and labels for audio windows. */
package dev.vigil.indexer.audio;
