/** Index specs as the indexer reads them: the running indexes per stream and each type's extraction_config. */
package dev.vigil.indexer.spec;
