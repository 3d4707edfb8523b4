package dev.vigil.rules.prompt;

import dev.vigil.schemas.alerts.Channel;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a vocabulary entry means, on which channels it can be observed, and the thresholds it uses.
 * The CEL for each concept is written in {@link Atom}; the words that select it are in
 * {@link Vocabulary}. Thresholds are constants here so that the documentation
 * ({@code rules/DESIGN.md}), the compiled conditions and the tests share one value.
 */
enum Concept {
    /** {@code counts.people} (or a zone's), compared with a {@link Quantity}. */
    PEOPLE(Channel.SCENE_INDEX),
    /** {@code counts.faces} (or a zone's), compared with a {@link Quantity}. */
    FACES(Channel.SCENE_INDEX),
    /** {@code counts.vehicles} (or a zone's), compared with a {@link Quantity}. */
    VEHICLES(Channel.SCENE_INDEX),
    /** {@code counts.animals} (or a zone's), compared with a {@link Quantity}. */
    ANIMALS(Channel.SCENE_INDEX),
    MOTION(Channel.SCENE_INDEX),
    DARK(Channel.SCENE_INDEX),
    COVERED(Channel.SCENE_INDEX),
    SILENCE(Channel.AUDIO_INDEX),
    ALARM(Channel.AUDIO_INDEX),
    LOUD(Channel.AUDIO_INDEX),
    IMPULSE(Channel.AUDIO_INDEX),
    MUSIC(Channel.AUDIO_INDEX),
    /** Transcript records carry the label "speech" when they have words (see RecordNormaliser). */
    SPEECH(Channel.TRANSCRIPT, Channel.AUDIO_INDEX),
    /** Words in {@code transcript_norm}. */
    SAID(Channel.TRANSCRIPT, Channel.AUDIO_INDEX);

    /** Fraction of the picture that must move to count as motion (MOG2 noise stays well below). */
    static final String MOTION_MIN = "0.02";
    /** Mean luma below which the picture is dark (lights off, night without IR). */
    static final String DARK_BELOW = "0.15";
    /** Mean luma below which the camera is taken as covered even without the "covered" label. */
    static final String COVERED_BELOW = "0.03";
    /** RMS level of a window above which it is loud: shouting near the microphone, not speech. */
    static final String LOUD_DBFS = "-20.0";

    private final Set<Channel> channels;

    Concept(Channel first, Channel... rest) {
        this.channels = EnumSet.of(first, rest);
    }

    /** The channels whose records can show this concept. */
    Set<Channel> channels() {
        return EnumSet.copyOf(channels);
    }

    /** True for concepts about sound made by a person: a person word next to them names the speaker. */
    boolean isVoice() {
        return this == SAID || this == SPEECH || this == LOUD;
    }

    boolean isAudible() {
        return channels.contains(Channel.AUDIO_INDEX);
    }

    /**
     * Whether an offline engine fills what this concept's condition reads. OpenCV counts people and
     * faces, measures motion and brightness and labels a covered lens; the DSP engine labels sounds and
     * measures loudness; the transcript engines write text. Nothing offline counts vehicles or animals
     * (no detector for them ships in a registry, see NOTES), and a vision model writes a description, not
     * counts: so a condition on {@code counts.vehicles} could never fire, and such prompts need a model
     * (the judge reads the vision model's description).
     */
    boolean reportedOffline() {
        return this != VEHICLES && this != ANIMALS;
    }

    /** What a prompt about this concept asks for, for refusals ("vehicles"). */
    String noun() {
        return switch (this) {
            case VEHICLES -> "vehicles";
            case ANIMALS -> "animals";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    boolean isCounted() {
        return this == PEOPLE || this == FACES || this == VEHICLES || this == ANIMALS;
    }

    /** The {@code counts} key of a counted concept. */
    String countKey() {
        return switch (this) {
            case PEOPLE -> "people";
            case FACES -> "faces";
            case VEHICLES -> "vehicles";
            case ANIMALS -> "animals";
            default -> throw new IllegalStateException(this + " is not counted");
        };
    }
}
