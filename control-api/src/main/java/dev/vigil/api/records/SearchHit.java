package dev.vigil.api.records;

/**
 * One search result.
 *
 * @param score    relevance in (0, 1]: the record's BM25 score divided by the best hit's (best = 1)
 * @param rawScore the BM25 score itself (comparable only within one query)
 */
public record SearchHit(StoredRecord record, double score, double rawScore) {
}
