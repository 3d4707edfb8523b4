/**
 * WebSocket sessions: one {@code Connection} per client (keep-alive, inbound limits and
 * subscriptions on its event loop), the {@code ConnectionRegistry} that routes deliveries on the
 * feed thread (addressed connections, then {@code SubscriberIndex} candidates, tenant by tenant),
 * and the per-connection byte bound past which frames are dropped and counted.
 */
package dev.vigil.ws.session;
