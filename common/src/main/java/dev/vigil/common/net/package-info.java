/**
 * Network guards: the SSRF policy for user-supplied webhook callback URLs (DESIGN §4.3).
 */
package dev.vigil.common.net;
