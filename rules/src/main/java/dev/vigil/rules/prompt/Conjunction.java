package dev.vigil.rules.prompt;

import dev.vigil.schemas.alerts.Channel;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Atoms that must all hold on one record: one "or"-separated part of a prompt. */
record Conjunction(List<Atom> atoms) {

    Conjunction {
        atoms = List.copyOf(atoms);
    }

    /** The channels on which every atom can hold; empty when the part can never match. */
    Set<Channel> channels() {
        Set<Channel> channels = EnumSet.allOf(Channel.class);
        for (Atom a : atoms) {
            channels.retainAll(a.channels());
        }
        return channels;
    }
}
