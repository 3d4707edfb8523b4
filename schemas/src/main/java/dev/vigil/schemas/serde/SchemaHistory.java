package dev.vigil.schemas.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * The schemas that Vigil's records were ever written with, so that old records still decode.
 *
 * <p>Every {@code META-INF/vigil/schema-history.list} on the classpath names, one per line, classpath
 * resources holding an earlier {@code .avsc} of a record. When you change a schema in
 * {@code schemas/src/main/avro}, copy the released version into {@code schema-history/} first and list
 * it, so that records already on the topics keep decoding. Current schemas need no listing: the
 * decoder knows its own.
 */
public final class SchemaHistory implements SchemaStore {

    static final String LIST_RESOURCE = "META-INF/vigil/schema-history.list";
    private static final SchemaHistory INSTANCE = load(SchemaHistory.class.getClassLoader());

    private final Map<Long, Schema> byFingerprint;

    private SchemaHistory(Map<Long, Schema> byFingerprint) {
        this.byFingerprint = byFingerprint;
    }

    /** The history found on the class path of this library. */
    public static SchemaHistory instance() {
        return INSTANCE;
    }

    static SchemaHistory load(ClassLoader loader) {
        Map<Long, Schema> schemas = new ConcurrentHashMap<>();
        try {
            Enumeration<URL> lists = loader.getResources(LIST_RESOURCE);
            for (URL list : Collections.list(lists)) {
                for (String path : readLines(list)) {
                    Schema schema = parse(loader, path);
                    schemas.put(SchemaNormalization.parsingFingerprint64(schema), schema);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIST_RESOURCE, e);
        }
        return new SchemaHistory(Map.copyOf(schemas));
    }

    private static List<String> readLines(URL list) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
            return reader.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    private static Schema parse(ClassLoader loader, String path) throws IOException {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("schema history lists '" + path + "' but no such resource exists");
            }
            return new Schema.Parser().parse(in);
        }
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    /** Number of historical schemas known. */
    public int size() {
        return byFingerprint.size();
    }
}
