package dev.vigil.common.config;

import java.util.Collection;

/** Renders settings as a Markdown table for the README's configuration reference. */
public final class ConfigReference {

    private ConfigReference() {
    }

    public static String markdown(Collection<? extends Setting<?>> settings) {
        StringBuilder out = new StringBuilder("| Variable | Type | Default | Description |\n|---|---|---|---|\n");
        for (Setting<?> s : settings) {
            String dflt = s.isRequired() ? "*required*"
                    : s.isSecret() ? (s.defaultValue().isPresent() ? "*(secret)*" : "")
                    : s.defaultValue().map(v -> "`" + v + "`").orElse("");
            String doc = s.doc() + s.constraint().map(c -> " (" + c + ")").orElse("");
            out.append("| `").append(s.env()).append("` | ").append(s.type()).append(" | ").append(dflt)
                    .append(" | ").append(doc.replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
