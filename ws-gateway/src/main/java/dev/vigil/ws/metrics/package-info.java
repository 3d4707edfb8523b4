/** The gateway's Micrometer meters ({@code vigil_ws_gateway_…}). */
package dev.vigil.ws.metrics;
