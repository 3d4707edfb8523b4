/**
 * HTTP delivery: the connect-time SSRF guard with its address cache, and the pooled WebClient.
 */
package dev.vigil.webhooks.http;
