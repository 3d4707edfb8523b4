package dev.vigil.testkit;

import dev.vigil.schemas.TopicDef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;

/**
 * Reproducible random instances of Vigil's generated record classes, built with Avro's {@link RandomData}:
 * every field filled, unions on either branch, for round-trip tests of the topics.
 */
public final class RandomRecords {

    private RandomRecords() {
    }

    /** {@code count} random values of {@code def}'s value type; the same seed gives the same values. */
    public static <V> List<V> of(TopicDef<?, V> def, int count, long seed) {
        @SuppressWarnings("unchecked") // a TopicDef's value serde is the AvroSerde of V's class
        List<V> values = (List<V>) of(def.avroValueSerde().type(), count, seed);
        return values;
    }

    /** {@code count} random instances of the generated class {@code type}. */
    public static <T extends SpecificRecord> List<T> of(Class<T> type, int count, long seed) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        // RandomData fills records through put(), which would store raw longs in the Instant fields of
        // generated classes. So it builds generic records (no conversions), and Avro's specific reader
        // turns their binary form into instances with the generated Java types.
        GenericDatumWriter<Object> writer = new GenericDatumWriter<>(schema, GenericData.get());
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema, schema, model);
        List<T> records = new ArrayList<>(count);
        try {
            for (Object generic : new RandomData(GenericData.get(), schema, count, seed, false)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                writer.write(generic, encoder);
                encoder.flush();
                records.add(reader.read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build random " + type.getSimpleName(), e);
        }
        return records;
    }
}
