package dev.vigil.api.records;

import dev.vigil.rules.meaning.SearchEmbedder;
import java.util.List;
import java.util.function.Function;

/**
 * How similar a query is to records that have nothing to do with it, so that a cosine can be read on
 * the same scale for every query.
 *
 * <p>Raw cosines do not compare across queries: with e5 every cosine sits between 0.7 and 0.95
 * against every sentence, a long one lower, and a right paraphrase of one query can score below an
 * unrelated sentence for another. So each query is compared with a fixed background of
 * {@value #SIZE} everyday record texts (speech, offline scene and sound descriptions, model-style
 * captions, none about an incident): {@link #z} is how many standard deviations a record's cosine lies
 * above the query's mean cosine with that background. The background is fixed, so the score of a
 * record for a query does not depend on what else is in the index: {@code score_threshold} keeps its
 * meaning (control-api/.../records/DESIGN.md, <i>Search by meaning</i>).
 */
final class QueryBaseline {

    /** Everyday texts, none of them about an incident; embedded once, as records are. */
    static final List<String> BACKGROUND = List.of(
            "good afternoon, how can I help you", "the meeting has been moved to tuesday", "please close the window",
            "I had pasta for lunch", "the invoice is attached", "see you tomorrow morning", "the bus is late again",
            "my phone battery is low", "let me check the calendar", "the garden looks lovely in spring",
            "we need more paper towels", "the game starts at eight", "could you repeat that please",
            "the keys are on the table", "it is raining outside", "I am going to the gym", "the kids are at school",
            "the parcel is from my aunt", "this song is great", "the lift is on the third floor",
            "2 people, motion in 5% of the picture", "no people, no motion",
            "1 person, 1 face, motion in 14% of the picture",
            "1 person, motion in 4% of the picture; in entrance: 1 person",
            "4 people, 2 faces, motion in 30% of the picture", "no people, motion in 6% of the picture",
            "Speech at -29 dBFS.", "Background sound at -60 dBFS.", "Noise at -35 dBFS.",
            "Speech, music-like sound at -25 dBFS.", "Steady tone around 60 Hz at -45 dBFS.",
            "a man walks across the lobby", "a woman carries a box to the car", "two children play in the yard",
            "a cashier scans groceries", "cars drive past on the street", "an office with people at their desks",
            "a corridor with fluorescent lights", "a parked van in front of a warehouse", "a cat sleeps on the sofa",
            "someone is typing on a laptop", "people queue at the counter", "a cyclist rides along the path",
            "a forklift moves pallets", "a delivery driver walks to the door", "the room is empty and quiet",
            "the lights are on in the kitchen", "a dog walks with its owner", "a bird sits on the roof",
            "a customer pays at the till", "what is the wifi password", "I think it will be sunny",
            "turn left at the lights", "the report needs one more chart", "shall we order pizza",
            "my brother lives in Lyon", "the film was too long", "do you have this in a larger size",
            "the train was cancelled", "the store opens at nine", "put the box over there", "nice to meet you",
            "I forgot my umbrella", "the soup is too salty");
    static final int SIZE = 64;

    private final List<float[]> background;

    /** {@code embed}: record texts to vectors (the search embedder's {@code embedAll}). */
    QueryBaseline(Function<List<String>, List<float[]>> embed) {
        this.background = embed.apply(BACKGROUND);
    }

    static QueryBaseline shared() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final QueryBaseline INSTANCE = new QueryBaseline(SearchEmbedder.shared()::embedAll);
    }

    /** The scale of one query: its mean and spread of cosines with the background. */
    Scale scale(float[] queryVector) {
        double sum = 0;
        double[] cos = new double[background.size()];
        for (int i = 0; i < cos.length; i++) {
            cos[i] = SearchEmbedder.cosine(queryVector, background.get(i));
            sum += cos[i];
        }
        double mean = sum / cos.length;
        double var = 0;
        for (double c : cos) {
            var += (c - mean) * (c - mean);
        }
        // A floor on the spread: a degenerate query (all cosines equal) must not blow the scale up.
        return new Scale(mean, Math.max(Math.sqrt(var / cos.length), 0.01));
    }

    /** One query's background: {@link #z} reads a cosine on it. */
    record Scale(double mean, double spread) {
        /** Standard deviations above the background mean; NaN stays NaN (no vector). */
        double z(double cosine) {
            return (cosine - mean) / spread;
        }
    }
}
