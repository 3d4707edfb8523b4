/** Scene indexing: per-frame OpenCV analysis on vision lanes, epoch-aligned batch windows, summaries and the optional vision-model engine. */
package dev.vigil.indexer.scene;
