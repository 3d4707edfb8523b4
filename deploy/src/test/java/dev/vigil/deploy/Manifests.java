package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The objects of a rendered chart (multi-document YAML), looked up by kind and name. */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<JsonNode> objects;
    private final String text;

    private Manifests(String text, List<JsonNode> objects) {
        this.text = text;
        this.objects = List.copyOf(objects);
    }

    static Manifests parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    objects.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered chart is not valid YAML", e);
        }
        return new Manifests(yaml, objects);
    }

    String text() {
        return text;
    }

    List<JsonNode> all() {
        return objects;
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    JsonNode get(String kind, String name) {
        Optional<JsonNode> found = find(kind, name);
        assertThat(found).as("%s %s in the rendered chart", kind, name).isPresent();
        return found.get();
    }
}
