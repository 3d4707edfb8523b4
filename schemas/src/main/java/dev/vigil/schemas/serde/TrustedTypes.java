package dev.vigil.schemas.serde;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Allows Avro to instantiate the generated record and enum classes of Vigil's schemas.
 *
 * <p>Since 1.12.2 Avro loads generated classes through a JVM-wide {@link ClassSecurityValidator} that
 * trusts only a few {@code java.*} types unless the {@code org.apache.avro.SERIALIZABLE_*} system
 * properties say otherwise; without this every decode fails with "Forbidden ... not trusted". Rather
 * than asking every service to set a property, each {@link AvroSerde} trusts exactly the named types
 * of its own schema, keeping Avro's default refusal of any other class a writer schema might name.
 */
final class TrustedTypes {

    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

    static {
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                ClassSecurityValidator.getGlobal(), type -> NAMES.contains(type.getName())));
    }

    private TrustedTypes() {
    }

    /** Trusts the classes generated for every record and enum reachable from {@code schema}. */
    static void trust(Schema schema) {
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Schema> todo = new ArrayDeque<>();
        todo.push(schema);
        while (!todo.isEmpty()) {
            Schema s = todo.pop();
            if (!seen.add(s)) {
                continue;
            }
            switch (s.getType()) {
                case RECORD -> {
                    NAMES.add(s.getFullName());
                    s.getFields().forEach(f -> todo.push(f.schema()));
                }
                case ENUM, FIXED -> NAMES.add(s.getFullName());
                case ARRAY -> todo.push(s.getElementType());
                case MAP -> todo.push(s.getValueType());
                case UNION -> s.getTypes().forEach(todo::push);
                default -> {
                    // Primitives map to java.* classes Avro trusts already.
                }
            }
        }
    }
}
