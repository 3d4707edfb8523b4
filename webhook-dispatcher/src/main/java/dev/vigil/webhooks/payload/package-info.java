/**
 * The webhook body: an alert notification as the JSON that VideoDB receivers expect.
 */
package dev.vigil.webhooks.payload;
