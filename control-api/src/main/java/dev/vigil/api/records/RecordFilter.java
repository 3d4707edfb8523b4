package dev.vigil.api.records;

import java.util.Set;
import java.util.stream.Collectors;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Which records a request may see and asked for: always one tenant (the API key's collection) and a
 * set of its streams, optionally one index, some channels and a time window. Every part is a
 * non-scoring filter clause.
 *
 * <p>Times are epoch milliseconds. {@code fromMs}/{@code toMs} select records that overlap the window
 * (end ≥ from and start ≤ to), so a record straddling a boundary is not lost; {@code sinceMs} selects
 * records that start strictly after it (polling: pass the start of the newest record seen).
 *
 * @param channels empty: every channel
 */
public record RecordFilter(String tenant, Set<String> rtstreamIds, String indexId, Set<Channel> channels, Long fromMs,
        Long toMs, Long sinceMs) {

    public RecordFilter {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("a record filter always names its tenant");
        }
        rtstreamIds = Set.copyOf(rtstreamIds);
        channels = Set.copyOf(channels);
    }

    /** Records of one stream. */
    public static RecordFilter stream(String tenant, String rtstreamId) {
        return new RecordFilter(tenant, Set.of(rtstreamId), null, Set.of(), null, null, null);
    }

    public RecordFilter withIndex(String id) {
        return new RecordFilter(tenant, rtstreamIds, id, channels, fromMs, toMs, sinceMs);
    }

    public RecordFilter withChannels(Set<Channel> only) {
        return new RecordFilter(tenant, rtstreamIds, indexId, only, fromMs, toMs, sinceMs);
    }

    public RecordFilter withWindow(Long from, Long to, Long since) {
        return new RecordFilter(tenant, rtstreamIds, indexId, channels, from, to, since);
    }

    /** Whether the filter can match nothing (no stream to look in, or an empty window). */
    boolean empty() {
        return rtstreamIds.isEmpty() || fromMs != null && toMs != null && fromMs > toMs;
    }

    /** The filter alone, as a query (for listings). */
    Query toQuery() {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        addTo(query);
        return query.build();
    }

    /** {@code scoring} restricted to this filter (for searches). */
    Query restrict(Query scoring) {
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(scoring, Occur.MUST);
        addTo(query);
        return query.build();
    }

    private void addTo(BooleanQuery.Builder query) {
        query.add(new TermQuery(new Term(StoredRecord.TENANT, tenant)), Occur.FILTER);
        query.add(rtstreamIds.size() == 1
                ? new TermQuery(new Term(StoredRecord.RTSTREAM, rtstreamIds.iterator().next()))
                : new TermInSetQuery(StoredRecord.RTSTREAM, rtstreamIds.stream().map(BytesRef::new).collect(Collectors.toList())),
                Occur.FILTER);
        if (indexId != null) {
            query.add(new TermQuery(new Term(StoredRecord.INDEX, indexId)), Occur.FILTER);
        }
        if (!channels.isEmpty() && channels.size() < Channel.values().length) {
            query.add(new TermInSetQuery(StoredRecord.CHANNEL,
                    channels.stream().map(c -> new BytesRef(c.wire())).collect(Collectors.toList())), Occur.FILTER);
        }
        if (fromMs != null) {
            query.add(LongField.newRangeQuery(StoredRecord.END, fromMs, Long.MAX_VALUE), Occur.FILTER);
        }
        if (toMs != null) {
            query.add(LongField.newRangeQuery(StoredRecord.START, Long.MIN_VALUE, toMs), Occur.FILTER);
        }
        if (sinceMs != null && sinceMs < Long.MAX_VALUE) {
            query.add(LongField.newRangeQuery(StoredRecord.START, sinceMs + 1, Long.MAX_VALUE), Occur.FILTER);
        }
    }
}
