/**
 * The gateway's view of the control plane: which index and stream belong to which tenant, which
 * connection they are addressed to, and stream names. Read from the compacted control topics.
 */
package dev.vigil.ws.control;
