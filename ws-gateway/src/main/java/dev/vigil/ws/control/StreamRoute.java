package dev.vigil.ws.control;

/**
 * What the gateway needs of an {@code RtStreamSpec}: its tenant, its name (every frame carries
 * {@code rtstream_name}) and the connection its transcript is addressed to ({@code null} when none).
 */
public record StreamRoute(String id, String collectionId, String name, String wsConnectionId) {
}
