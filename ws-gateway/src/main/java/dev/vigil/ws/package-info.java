/**
 * WebSocket gateway: delivers index records and alerts to WebSocket clients, at most once. Built with the WebSocket capability.
 */
package dev.vigil.ws;
