/**
 * Authentication helpers shared by the services: signed, short-lived, single-use WebSocket tickets
 * that control-api issues and ws-gateway verifies with only a shared secret.
 */
package dev.vigil.common.auth;
