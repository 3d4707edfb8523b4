/** Speech engines behind transcript indexes: Sphinx4 phrase grammar (default), Sphinx4 free-form, OpenAI-compatible transcription. */
package dev.vigil.indexer.speech;
