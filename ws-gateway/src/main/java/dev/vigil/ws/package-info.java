/**
 * WebSocket gateway (ws/DESIGN.md): delivers index records and alerts to WebSocket clients, at most
 * once, with tenant isolation, subscriptions and backpressure. Entry points: {@link
 * dev.vigil.ws.WsGatewayService} (the factory {@code standalone} composes), {@link
 * dev.vigil.ws.WsGatewayConfig} and {@link dev.vigil.ws.Main}. The flow and threading are described
 * in {@code DESIGN.md} next to this package.
 */
package dev.vigil.ws;
