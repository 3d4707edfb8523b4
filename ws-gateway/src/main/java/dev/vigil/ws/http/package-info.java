/** The HTTP side of the gateway: ticket checks and the WebSocket upgrade on {@code /ws}. */
package dev.vigil.ws.http;
