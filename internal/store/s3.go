package store

// S3Tx reads and writes S3 buckets, objects and multipart uploads.
type S3Tx interface{}
