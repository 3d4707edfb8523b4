package dev.vigil.api.records;

import dev.vigil.rules.meaning.SearchEmbedder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.BytesRef;

/**
 * Search by words and by meaning at once, with a score that means the same thing in every query.
 *
 * <p>Candidates: the BM25 top hits of the words ({@link SearchText}) and the nearest records by
 * sentence embedding (Lucene HNSW, {@link RecordVectors#FIELD}), both within the caller's filter
 * (and, for quoted phrases, only records that contain them). Each candidate is then scored from two
 * absolute measures, not relative to the best hit:
 * <ul>
 *   <li>{@code semantic}: how far the record's cosine with the query (e5 embeddings,
 *       {@link SearchEmbedder}) lies above the query's cosines with a fixed background of everyday texts,
 *       in standard deviations ({@link QueryBaseline}), {@code z}, read as
 *       {@code 1 - exp(-(z - }{@value #Z_NONE}{@code ) / }{@value #Z_SCALE}{@code )} above {@value #Z_NONE}
 *       and 0 below: raw cosines do not compare across queries (e5 puts every pair of sentences between
 *       0.7 and 0.95), their distance from the query's own background does. The curve never saturates,
 *       so a rewording (z 8 and more) still ranks above a record that only shares the setting (z 5).
 *       Calibrated on the paraphrase pairs of control-api/.../records/DESIGN.md: unrelated records stay
 *       below {@value #Z_NONE} but for 3 %, right paraphrases reach 2-6 ("someone is asking to be
 *       rescued" vs "help me" 3.0, semantic 0.46);</li>
 *   <li>{@code lexical}: the fraction of the query's distinct words the record contains (text or
 *       labels), English stop words left out ("is" in common says nothing).</li>
 * </ul>
 * {@code score = 1 - (1 - semantic) × (1 - }{@value #LEXICAL_WEIGHT}{@code  × lexical)}: either kind of
 * evidence alone can carry a record (all words present: at least 0.9), both together push it toward 1.
 * So {@code score_threshold} keeps the same meaning across queries. BM25 still orders the word
 * candidates and is reported as the raw score.
 */
final class HybridSearch {

    static final double Z_NONE = 1.75;
    static final double Z_SCALE = 2.0;
    static final double LEXICAL_WEIGHT = 0.9;
    /** Lucene's classic English stop words (EnglishAnalyzer's, which lives outside lucene-core). */
    static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if",
            "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
            "these", "they", "this", "to", "was", "will", "with");
    /** Least candidates taken from each side, so a small {@code limit} still sees enough to rank. */
    static final int MIN_CANDIDATES = 50;

    private final SearchText searchText;
    /** The newest reader's facts: searches run on the newest reader but for a refresh's overlap. */
    private volatile ReaderFacts lastFacts;

    HybridSearch(SearchText searchText) {
        this.searchText = searchText;
    }

    /** Hits for {@code parsed} within {@code filter}, best first, at most {@code limit}, all at least {@code minScore}. */
    List<SearchHit> search(IndexSearcher searcher, RecordFilter filter, SearchText.Parsed parsed, float[] queryVector,
            QueryBaseline.Scale scale, int limit, double minScore, Double dynamicPercentage) throws IOException {
        int candidates = Math.max(limit, MIN_CANDIDATES);
        Map<Integer, Candidate> byDoc = new HashMap<>();
        Query filterQuery = filter.toQuery(indexedStreams(searcher)); // null: every document

        Query words = filterQuery == null ? parsed.query()
                : new BooleanQuery.Builder().add(parsed.query(), Occur.MUST).add(filterQuery, Occur.FILTER).build();
        for (ScoreDoc d : searcher.search(words, candidates).scoreDocs) {
            byDoc.computeIfAbsent(d.doc, Candidate::new).bm25 = Float.isNaN(d.score) ? 0 : d.score;
        }
        BooleanQuery.Builder knnFilter = new BooleanQuery.Builder();
        if (filterQuery != null) {
            knnFilter.add(filterQuery, Occur.FILTER);
        }
        if (parsed.hasPhrases()) {
            knnFilter.add(parsed.query(), Occur.FILTER); // quoted phrases must occur in vector hits too
        }
        Query knn = new KnnFloatVectorQuery(RecordVectors.FIELD, queryVector, candidates,
                filterQuery == null && !parsed.hasPhrases() ? null : knnFilter.build());
        for (ScoreDoc d : searcher.search(knn, candidates).scoreDocs) {
            // Lucene's cosine score is (1 + cos) / 2.
            byDoc.computeIfAbsent(d.doc, Candidate::new).cosine = 2.0 * d.score - 1.0;
        }

        // Scored from the index alone; stored fields (the costly part: a compressed block per record) are read
        // only for the hits returned.
        List<Candidate> scored = new ArrayList<>(byDoc.values());
        scored.sort(Comparator.comparingInt(c -> c.doc));
        countQueryWords(searcher, queryWords(parsed.words()), scored);
        for (Candidate c : scored) {
            if (Double.isNaN(c.cosine)) {
                c.cosine = cosineOf(searcher, c.doc, queryVector);
            }
            c.score = score(scale.z(c.cosine), c.lexical);
        }
        scored.sort(Comparator.comparingDouble((Candidate c) -> c.score).reversed()
                .thenComparing(Comparator.comparingDouble((Candidate c) -> c.bm25).reversed()));
        double floor = minScore;
        if (dynamicPercentage != null && !scored.isEmpty()) {
            // VideoDB: keep results within this percentage of the best score.
            floor = Math.max(floor, scored.get(0).score * (1 - dynamicPercentage / 100.0));
        }
        StoredFields stored = searcher.storedFields();
        List<SearchHit> hits = new ArrayList<>(Math.min(limit, scored.size()));
        for (Candidate c : scored) {
            if (hits.size() == limit || c.score < floor || c.score <= 0) {
                break;
            }
            hits.add(new SearchHit(StoredRecord.fromDocument(stored.document(c.doc)), c.score, c.bm25));
        }
        return hits;
    }

    /**
     * Sets each candidate's {@code lexical}: the fraction of {@code words} among its text's terms or its labels,
     * read from the postings (the index's analyser made the text's terms, so this equals {@link #lexical} on
     * the stored record). {@code candidates} in doc id order.
     */
    private static void countQueryWords(IndexSearcher searcher, Set<String> words, List<Candidate> candidates)
            throws IOException {
        if (words.isEmpty()) {
            return;
        }
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        for (String word : words) {
            BytesRef term = new BytesRef(word);
            for (String field : List.of(StoredRecord.TEXT, StoredRecord.LABELS)) {
                int leafIndex = -1;
                PostingsEnum postings = null;
                for (Candidate c : candidates) {
                    int leaf = ReaderUtil.subIndex(c.doc, leaves);
                    if (leaf != leafIndex) {
                        leafIndex = leaf;
                        postings = postings(leaves.get(leaf), field, term);
                    }
                    if (postings == null || c.matched.contains(word)) {
                        continue;
                    }
                    // Candidates come in doc id order, so each leaf's postings only move forward.
                    int target = c.doc - leaves.get(leaf).docBase;
                    int at = postings.docID() >= target ? postings.docID() : postings.advance(target);
                    if (at == target) {
                        c.matched.add(word);
                    }
                }
            }
        }
        for (Candidate c : candidates) {
            c.lexical = (double) c.matched.size() / words.size();
        }
    }

    /** {@link #lexical} of each of {@code docs} (ascending) as {@link #search} reads it from the index; for tests. */
    static double[] lexicalFromIndex(IndexSearcher searcher, Set<String> allQueryWords, int[] docs) throws IOException {
        List<Candidate> candidates = new ArrayList<>();
        for (int doc : docs) {
            candidates.add(new Candidate(doc));
        }
        countQueryWords(searcher, queryWords(allQueryWords), candidates);
        return candidates.stream().mapToDouble(c -> c.lexical).toArray();
    }

    /** The documents of {@code leaf} whose {@code field} has {@code term}, or null when none has. */
    private static PostingsEnum postings(LeafReaderContext leaf, String field, BytesRef term) throws IOException {
        Terms terms = leaf.reader().terms(field);
        if (terms == null) {
            return null;
        }
        TermsEnum termsEnum = terms.iterator();
        return termsEnum.seekExact(term) ? termsEnum.postings(null, PostingsEnum.NONE) : null;
    }

    /** The facts of the searcher's reader, read once per reader (a refresh makes a new one). */
    private IndexedStreams indexedStreams(IndexSearcher searcher) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
        Object key = helper == null ? null : helper.getKey();
        ReaderFacts last = lastFacts;
        if (key != null && last != null && last.key() == key) {
            return last.facts();
        }
        IndexedStreams facts = IndexedStreams.of(reader);
        if (key != null) {
            lastFacts = new ReaderFacts(key, facts);
        }
        return facts;
    }

    private record ReaderFacts(Object key, IndexedStreams facts) {
    }

    /**
     * The blend documented on the class, rounded to 2 decimals: smaller differences are below the
     * model's noise (a text's vector moves by up to 0.005 in cosine with its batch neighbours), so
     * records that close are equal and BM25 orders them.
     */
    static double score(double z, double lexical) {
        double semantic = Double.isNaN(z) || z <= Z_NONE ? 0 : 1 - Math.exp(-(z - Z_NONE) / Z_SCALE);
        double s = 1 - (1 - semantic) * (1 - LEXICAL_WEIGHT * lexical);
        return Math.round(s * 100) / 100.0;
    }

    /** The query's words that count for {@code lexical}: stop words left out, unless there is nothing else. */
    static Set<String> queryWords(Set<String> allQueryWords) {
        Set<String> queryWords = new HashSet<>();
        for (String w : allQueryWords) {
            if (!STOP_WORDS.contains(w)) {
                queryWords.add(w);
            }
        }
        if (queryWords.isEmpty()) {
            queryWords.addAll(allQueryWords);
        }
        return queryWords;
    }

    /**
     * Fraction of the query's words (see {@link #queryWords}) found in the record's text or labels: the definition
     * that {@link #search} reproduces from the postings without loading the record (HybridSearchLexicalTest
     * compares the two).
     */
    double lexical(Set<String> allQueryWords, StoredRecord record) {
        Set<String> queryWords = queryWords(allQueryWords);
        if (queryWords.isEmpty()) {
            return 0;
        }
        Set<String> have = new HashSet<>(searchText.words(record.text()));
        record.labels().forEach(l -> have.add(l.toLowerCase(Locale.ROOT)));
        long found = queryWords.stream().filter(have::contains).count();
        return (double) found / queryWords.size();
    }

    /** The cosine of the record's stored vector with the query's, or NaN when it has none yet. */
    private static double cosineOf(IndexSearcher searcher, int doc, float[] queryVector) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(RecordVectors.FIELD);
        if (values == null) {
            return Double.NaN;
        }
        int target = doc - leaf.docBase;
        if (values.advance(target) != target) {
            return Double.NaN;
        }
        return SearchEmbedder.cosine(queryVector, values.vectorValue());
    }

    private static final class Candidate {
        final int doc;
        double bm25;
        double cosine = Double.NaN;
        final Set<String> matched = new HashSet<>(4);
        double lexical;
        double score;

        Candidate(int doc) {
            this.doc = doc;
        }
    }
}
