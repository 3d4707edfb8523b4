package dev.vigil.storage;

/** Where recorded segments are kept. */
public enum StorageBackend {
    /** A directory on the local file system (standalone; or a volume shared by worker and API). */
    LOCAL,
    /** An S3-compatible bucket: AWS S3, MinIO, Ceph RGW, ... */
    S3
}
