package dev.vigil.ws.control;

/** Lookups of the control plane that routing needs; {@link ControlDirectory} is the Kafka-backed one. */
public interface ControlRoutes {

    /** The index {@code id}, or {@code null} if unknown. */
    IndexRoute index(String id);

    /** The stream {@code id}, or {@code null} if unknown. */
    StreamRoute stream(String id);
}
