/**
 * Network guards: the SSRF policy for user-supplied webhook callback URLs (docs/security.md).
 */
package dev.vigil.common.net;
