/**
 * The webhook delivery log (an extension of VideoDB's API): per alert, every notification sent to its
 * webhook with its attempts and status, materialised from the dispatcher's topics, and replay of a
 * delivered or dead-lettered notification. See {@code DESIGN.md} in this package.
 */
package dev.vigil.api.deliveries;
