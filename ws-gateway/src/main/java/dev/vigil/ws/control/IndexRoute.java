package dev.vigil.ws.control;

/**
 * What the gateway needs of an {@code IndexSpec}: its tenant, its stream and the connection its
 * records are addressed to ({@code null} when none).
 */
public record IndexRoute(String id, String rtstreamId, String collectionId, String wsConnectionId) {
}
