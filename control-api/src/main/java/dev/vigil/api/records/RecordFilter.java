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

    /**
     * This filter for searching one reader ({@code indexed}: that reader's facts), matching exactly the
     * documents {@link #toQuery()} matches, built to be cheap on it; null when it matches every
     * document (no filter is cheapest: a filtered nearest-neighbour search first collects the filter's
     * matches into a bit set, a million documents for a collection search).
     *
     * <p>A collection search asks for most of the streams in the index: "one of these 100 streams" is
     * a disjunction over all their postings, whereas "not one of the few other streams" (deleted ones,
     * other tenants') skips them. Both select the same documents of the tenant, since every document has
     * exactly one stream. When the tenant owns every document and no stream is left out, neither clause
     * is needed.
     */
    Query toQuery(IndexedStreams indexed) {
        Set<String> others = indexed.streams().stream().filter(s -> !rtstreamIds.contains(s)).collect(Collectors.toSet());
        boolean exclude = others.size() < rtstreamIds.size();
        boolean tenantEverywhere = indexed.onlyTenant(tenant);
        boolean narrowed = indexId != null || !channels.isEmpty() && channels.size() < Channel.values().length
                || fromMs != null || toMs != null || sinceMs != null && sinceMs < Long.MAX_VALUE;
        if (exclude && others.isEmpty() && tenantEverywhere && !narrowed) {
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        query.add(new TermQuery(new Term(StoredRecord.TENANT, tenant)), Occur.FILTER);
        if (!exclude) {
            query.add(streams(rtstreamIds), Occur.FILTER);
        } else if (!others.isEmpty()) {
            query.add(streams(others), Occur.MUST_NOT);
        }
        addNarrowing(query);
        return query.build();
    }

    private void addTo(BooleanQuery.Builder query) {
        query.add(new TermQuery(new Term(StoredRecord.TENANT, tenant)), Occur.FILTER);
        query.add(streams(rtstreamIds), Occur.FILTER);
        addNarrowing(query);
    }

    private static Query streams(Set<String> ids) {
        return ids.size() == 1
                ? new TermQuery(new Term(StoredRecord.RTSTREAM, ids.iterator().next()))
                : new TermInSetQuery(StoredRecord.RTSTREAM, ids.stream().map(BytesRef::new).collect(Collectors.toList()));
    }

    private void addNarrowing(BooleanQuery.Builder query) {
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
