package dev.vigil.api.records;

/**
 * One search result.
 *
 * @param score    relevance in (0, 1], absolute: the same value means the same match in any query
 *                 (a blend of meaning and word coverage, see {@link HybridSearch})
 * @param rawScore the BM25 score of the words (0 for a record found by meaning only; comparable only
 *                 within one query)
 */
public record SearchHit(StoredRecord record, double score, double rawScore) {
}
