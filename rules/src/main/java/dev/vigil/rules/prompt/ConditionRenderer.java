package dev.vigil.rules.prompt;

import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.alerts.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a parsed prompt (an "or" of {@link Conjunction}s) as CEL text and as an English sentence.
 *
 * <p>Every condition starts with a guard on {@code channel}: a rule sees one record at a time, and
 * variables that a channel does not measure hold neutral defaults (brightness 0 on audio records),
 * so without the guard "dark" would fire on every transcript. When the parts of an "or" share their
 * channels the guard is written once: {@code channel == "scene_index" && (a || b)}; otherwise each
 * part carries its own.
 */
final class ConditionRenderer {

    private ConditionRenderer() {
    }

    static String cel(List<Conjunction> parts) {
        if (parts.size() == 1) {
            Conjunction only = parts.get(0);
            return guard(only.channels()) + " && " + conjunction(only);
        }
        if (sameChannels(parts)) {
            List<String> disjuncts = new ArrayList<>();
            for (Conjunction part : parts) {
                disjuncts.add(disjunct(part));
            }
            return guard(parts.get(0).channels()) + " && (" + String.join(" || ", disjuncts) + ")";
        }
        List<String> disjuncts = new ArrayList<>();
        for (Conjunction part : parts) {
            disjuncts.add("(" + guard(part.channels()) + " && " + conjunction(part) + ")");
        }
        return String.join(" || ", disjuncts);
    }

    static String explanation(List<Conjunction> parts) {
        StringBuilder sb = new StringBuilder("Fires on ");
        String previousChannels = null;
        for (int k = 0; k < parts.size(); k++) {
            Conjunction part = parts.get(k);
            String channels = channelsText(part.channels());
            if (k > 0) {
                sb.append(", or ");
                if (!channels.equals(previousChannels)) {
                    sb.append("on ");
                }
            }
            if (!channels.equals(previousChannels)) {
                sb.append(channels).append(" records ");
            }
            sb.append("with ").append(part.atoms().stream().map(Atom::describe).collect(Collectors.joining(" and ")));
            previousChannels = channels;
        }
        return sb.append('.').toString();
    }

    /** English for a set of channels, e.g. "transcript or audio_index". */
    static String channelsText(Set<Channel> channels) {
        return channels.stream().map(NormalisedRecord::wireName).collect(Collectors.joining(" or "));
    }

    private static String guard(Set<Channel> channels) {
        if (channels.size() == 1) {
            return "channel == \"" + NormalisedRecord.wireName(channels.iterator().next()) + "\"";
        }
        return "channel in [" + channels.stream().map(c -> "\"" + NormalisedRecord.wireName(c) + "\"")
                .collect(Collectors.joining(", ")) + "]";
    }

    private static String conjunction(Conjunction part) {
        return part.atoms().stream().map(a -> a.cel().text()).collect(Collectors.joining(" && "));
    }

    // && binds tighter than ||, so parentheses here are for the reader only.
    private static String disjunct(Conjunction part) {
        if (part.atoms().size() == 1 && !part.atoms().get(0).cel().topLevelAnd()) {
            return conjunction(part);
        }
        return "(" + conjunction(part) + ")";
    }

    private static boolean sameChannels(List<Conjunction> parts) {
        Set<Channel> first = parts.get(0).channels();
        return parts.stream().allMatch(p -> p.channels().equals(first));
    }
}
