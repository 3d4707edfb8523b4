package dev.vigil.api.records;

import java.util.List;

/**
 * One page of records in start-time order.
 *
 * @param page     1-based page number
 * @param total    records matching the filter, over all pages
 * @param nextPage whether a later page has records
 */
public record RecordPage(List<StoredRecord> records, long total, int page, int pageSize, boolean nextPage) {

    public RecordPage {
        records = List.copyOf(records);
    }
}
