package dev.vigil.api.records;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * What one index reader holds that decides how a {@link RecordFilter} is cheapest to run on it: the
 * stream ids that have documents (deleted documents' too, until a merge drops them: a superset is
 * harmless) and whether every document belongs to one tenant (the usual self-hosted case).
 *
 * @param streams stream ids with documents in the reader
 * @param tenant the tenant of every document, or null when there are several (or none)
 */
record IndexedStreams(Set<String> streams, String tenant) {

    IndexedStreams {
        streams = Set.copyOf(streams);
    }

    /** Reads the facts of {@code reader}: the terms of two keyword fields, a few hundred terms at most per tenant. */
    static IndexedStreams of(IndexReader reader) throws IOException {
        Set<String> streams = new HashSet<>();
        Terms terms = MultiTerms.getTerms(reader, StoredRecord.RTSTREAM);
        if (terms != null) {
            TermsEnum e = terms.iterator();
            for (BytesRef t = e.next(); t != null; t = e.next()) {
                streams.add(t.utf8ToString());
            }
        }
        String tenant = null;
        Terms tenants = MultiTerms.getTerms(reader, StoredRecord.TENANT);
        if (tenants != null) {
            TermsEnum e = tenants.iterator();
            BytesRef next = e.next();
            BytesRef first = next == null ? null : BytesRef.deepCopyOf(next); // the enum reuses its BytesRef
            // docFreq counts deleted documents too, so equal to maxDoc means every document, live or not.
            if (first != null && e.next() == null && reader.docFreq(new Term(StoredRecord.TENANT, first)) == reader.maxDoc()) {
                tenant = first.utf8ToString();
            }
        }
        return new IndexedStreams(streams, tenant);
    }

    /** Whether every document of the reader belongs to {@code tenant}. */
    boolean onlyTenant(String tenant) {
        return tenant.equals(this.tenant);
    }
}
