package store

import "time"

// Bucket is an S3 bucket. Names are global across accounts.
type Bucket struct {
	Name      string
	AccountID string // the owner; objects in the bucket belong to it too
	Region    string
	CreatedAt time.Time
	// Policy is the bucket policy as the owner put it; nil for none.
	Policy []byte
	Tags   map[string]string
	// Encryption is the bucket's default encryption; nil is S3's default, SSE-S3.
	Encryption *BucketEncryption
}

// BucketEncryption is a bucket's default encryption (PutBucketEncryption's one rule).
type BucketEncryption struct {
	Algorithm        string // AES256, aws:kms or aws:kms:dsse
	KMSKeyID         string // the key as given (ID, ARN or alias); "" for the AWS managed key
	BucketKeyEnabled bool
}

// Encryption says how the bytes of an object, or of an upload's parts, are kept at rest.
// Objects stored as they came (SSE-S3) have Algorithm "AES256" (or "" when written before
// encryption was recorded) and no DataKey.
type Encryption struct {
	// Algorithm is what x-amz-server-side-encryption reports: AES256, aws:kms or
	// aws:kms:dsse.
	Algorithm string
	// KeyARN is the ARN of the KMS key that protects DataKey.
	KeyARN string
	// Context is the x-amz-server-side-encryption-context the object was written with
	// (base64 of a JSON object), "" for none.
	Context string
	// BucketKeyEnabled reports an S3 Bucket Key (the bucket's ARN is the encryption
	// context S3 gives KMS instead of the object's).
	BucketKeyEnabled bool
	// DataKey is the object's data key as KMS encrypted it: a KMS ciphertext blob. The
	// plaintext data key is never stored.
	DataKey []byte
}

// ObjectHeaders are the headers an object was stored with and is served with.
type ObjectHeaders struct {
	ContentType        string
	ContentEncoding    string
	ContentDisposition string
	ContentLanguage    string
	CacheControl       string
	Expires            string
	// Metadata holds the x-amz-meta-* headers, keyed by the lower-case name after the
	// prefix.
	Metadata map[string]string
}

// Checksum is an additional checksum of an object or part, as S3 reports it.
type Checksum struct {
	Algorithm string // CRC32, CRC32C, CRC64NVME, SHA1, SHA256; "" for none
	Type      string // FULL_OBJECT or COMPOSITE
	Value     string // base64; "<base64>-N" for a composite checksum of N parts
}

// Object is the current version of an S3 object. Its bytes live in the blob store
// under BlobID.
type Object struct {
	Bucket       string
	Key          string
	Size         int64
	ETag         string // quoted, as on the wire: "\"<md5 hex>\"" or "\"<hex>-N\""
	BlobID       string
	LastModified time.Time
	Headers      ObjectHeaders
	Tags         map[string]string
	Checksum     Checksum
	// PartsCount is the number of parts of an object made by a multipart upload, else 0.
	PartsCount int
	// Encryption is how the object's bytes are kept.
	Encryption Encryption
}

// Upload is a multipart upload in progress.
type Upload struct {
	ID        string
	Bucket    string
	Key       string
	Initiated time.Time
	// Initiator is the ARN of the principal that created the upload.
	Initiator string
	Headers   ObjectHeaders
	Tags      map[string]string
	// ChecksumAlgorithm and ChecksumType are the checksum the upload was created with.
	ChecksumAlgorithm string
	ChecksumType      string
	// Encryption is how the upload's parts, and the object they make, are kept.
	Encryption Encryption
}

// Part is one uploaded part of a multipart upload.
type Part struct {
	UploadID     string
	Number       int
	Size         int64
	ETag         string // quoted
	BlobID       string
	LastModified time.Time
	Checksum     Checksum // Type unused
}

// ObjectQuery selects objects of a bucket in key order.
type ObjectQuery struct {
	Prefix string
	// After excludes keys up to and including it.
	After string
	Limit int
}

// UploadQuery selects multipart uploads of a bucket in (key, initiation) order.
type UploadQuery struct {
	Prefix string
	// KeyMarker and UploadIDMarker start the listing after that key, or after that
	// upload of KeyMarker when UploadIDMarker is set.
	KeyMarker      string
	UploadIDMarker string
	Limit          int
}

// S3Tx reads and writes S3 buckets, objects and multipart uploads. Methods that drop
// records return the blob IDs that no record refers to any more, for the caller to delete
// once the transaction has committed. The Tags of buckets, objects and uploads are kept
// as TagTx's (under S3BucketResource, S3ObjectResource and S3UploadResource): the methods
// here read and write them with the record, an object put again has the tags it was put
// with and no others, and deleting a record deletes its tags.
type S3Tx interface {
	Bucket(name string) (*Bucket, error)
	// ListBuckets lists an account's buckets in name order.
	ListBuckets(account string, p Page) ([]*Bucket, error)
	CreateBucket(*Bucket) error
	// DeleteBucket deletes an empty bucket and its multipart uploads.
	DeleteBucket(name string) (orphans []string, err error)
	// BucketIsEmpty reports whether a bucket holds no objects.
	BucketIsEmpty(name string) (bool, error)
	PutBucketPolicy(name string, policy []byte) error
	// PutBucketTags replaces the bucket's tags; ErrNotFound when there is no bucket.
	PutBucketTags(name string, tags map[string]string) error
	// PutBucketEncryption sets the bucket's default encryption (nil restores S3's
	// default); ErrNotFound when there is no bucket. It records ChangeBucket.
	PutBucketEncryption(name string, enc *BucketEncryption) error

	Object(bucket, key string) (*Object, error)
	// PutObject creates or replaces an object; ErrNotFound when its bucket does not exist.
	PutObject(*Object) (orphans []string, err error)
	DeleteObject(bucket, key string) (orphans []string, err error)
	// PutObjectTags replaces the object's tags; ErrNotFound when there is no object.
	PutObjectTags(bucket, key string, tags map[string]string) error
	ListObjects(bucket string, q ObjectQuery) ([]*Object, error)

	CreateUpload(*Upload) error
	Upload(id string) (*Upload, error)
	ListUploads(bucket string, q UploadQuery) ([]*Upload, error)
	// DeleteUpload deletes an upload and its parts.
	DeleteUpload(id string) (orphans []string, err error)
	// PutPart creates or replaces a part.
	PutPart(*Part) (orphans []string, err error)
	// ListParts lists an upload's parts numbered above after, in number order.
	ListParts(uploadID string, after, limit int) ([]*Part, error)

	// BlobsInUse returns those of ids that an object or a part refers to.
	BlobsInUse(ids []string) (map[string]bool, error)
	// BlobsWithPrefix returns the IDs starting with prefix that an object or a part
	// refers to.
	BlobsWithPrefix(prefix string) ([]string, error)
	// ReplaceBlob points the objects and parts that refer to blob from at blob to, and
	// reports whether any did.
	ReplaceBlob(from, to string) (bool, error)
}
