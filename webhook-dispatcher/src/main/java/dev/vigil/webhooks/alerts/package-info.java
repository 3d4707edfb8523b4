/**
 * The alert bindings ({@code vigil.alerts}) as an in-memory table: webhook secrets and status.
 */
package dev.vigil.webhooks.alerts;
