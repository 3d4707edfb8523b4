/**
 * Identifiers of the control plane: generation and strict validation of RTStream,
 * index/event/alert, WebSocket connection and notification ids, and webhook secrets.
 */
package dev.vigil.common.ids;
