/**
 * Delivery attempts on the event loop: endpoint queues, signing, HTTP, classification into outcomes.
 */
package dev.vigil.webhooks.delivery;
