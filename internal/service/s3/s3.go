// Package s3 serves Amazon S3 (restXml): buckets owned by accounts and governed by
// bucket policies, objects whose bytes stream to and from the blob store, multipart
// uploads, tagging and checksums, addressed path-style (/bucket/key) or
// virtual-hosted-style (bucket.<domain>/key).
package s3

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/store"
)

// Namespace is the XML namespace of S3 documents.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// Options configures the service.
type Options struct {
	Store  store.Store
	Blobs  *blob.Store
	Region string
	Now    func() time.Time
	Random io.Reader
	Logger *slog.Logger
	// KMS encrypts and decrypts the data keys of SSE-KMS objects; nil refuses SSE-KMS.
	KMS KMS
	// Domains are the host names under which a request's Host names a bucket
	// (virtual-hosted style: <bucket>.<domain>); "localhost" when empty.
	Domains []string
}

// Service is S3.
type Service struct {
	store   store.Scoped[txn, txn]
	blobs   *blob.Store
	region  string
	now     func() time.Time
	random  io.Reader
	log     *slog.Logger
	domains []string
	kms     KMS
	started time.Time

	buckets    *bucketCache
	writes     *committer
	compaction compaction
	buffers    sync.Pool // *[]byte of copyBufferSize
}

// copyBufferSize is the size of the buffers object bytes stream through.
const copyBufferSize = 256 << 10

// New returns the S3 service. It starts sweeping, in the background, blobs that a crash
// left without a record.
func New(o Options) *Service {
	s := &Service{store: store.Scope[txn, txn](o.Store), blobs: o.Blobs, region: o.Region, now: o.Now, random: o.Random, log: o.Logger,
		domains: o.Domains, kms: o.KMS, buckets: newBucketCache(), writes: &committer{store: store.Scope[txn, txn](o.Store)}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if len(s.domains) == 0 {
		s.domains = []string{"localhost"}
	}
	s.buffers.New = func() any {
		b := make([]byte, copyBufferSize)
		return &b
	}
	s.started = s.now()
	o.Store.Subscribe(s.buckets.invalidate)
	s.compaction.running.Store(true)
	go func() {
		defer s.compaction.running.Store(false)
		s.sweep()
		s.compact()
	}()
	return s
}

// sweep removes blobs older than the service that no record refers to.
func (s *Service) sweep() {
	n, err := s.blobs.Sweep(s.started, func(ids []string) (map[string]bool, error) {
		var used map[string]bool
		err := s.store.View(context.Background(), func(tx txn) error {
			var err error
			used, err = tx.BlobsInUse(ids)
			return err
		})
		return used, err
	})
	if err != nil {
		s.log.Warn("s3: sweep orphaned blobs", "err", err)
	} else if n > 0 {
		s.log.Info("s3: removed orphaned blobs", "count", n)
	}
}

// API declares the operations of S3.
func (s *Service) API() *awsproto.Service {
	return awsproto.NewService(awsproto.Service{
		Name:             "s3",
		Protocol:         awsproto.RestXML,
		XMLNamespace:     Namespace,
		Streaming:        true,
		ValidationCode:   "InvalidArgument",
		AccessDeniedCode: "AccessDenied",
		VirtualHost:      s.virtualHostBucket,
		Subresources:     subresources,
		CheckBody:        checkDocument,
	}, append(s.operations(), s.encryptionOps()...)...)
}

// subresources are the query keys that select an S3 operation.
var subresources = []string{
	"accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering",
	"inventory", "legal-hold", "lifecycle", "location", "logging", "metadataConfiguration", "metadataTable",
	"metrics", "notification", "object-lock", "ownershipControls", "policy", "policyStatus",
	"publicAccessBlock", "renameObject", "replication", "requestPayment", "restore", "retention", "select",
	"session", "tagging", "torrent", "uploadId", "uploads", "versioning", "versions", "website",
}

func (s *Service) operations() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[ListBucketsInput, ListBucketsOutput]{
			Name: "ListBuckets", Action: "s3:ListAllMyBuckets", Route: operation.Route{Method: "GET", Path: "/"},
			Handler: s.listBuckets,
		}),
		operation.Declare(operation.Op[CreateBucketInput, CreateBucketOutput]{
			Name: "CreateBucket", Route: operation.Route{Method: "PUT", Path: "/{Bucket}"},
			Access: s.createBucketAccess, Handler: s.createBucket,
		}),
		operation.Declare(operation.Op[BucketInput, HeadBucketOutput]{
			Name: "HeadBucket", Action: "s3:ListBucket", Route: operation.Route{Method: "HEAD", Path: "/{Bucket}"},
			Access: s.bucketInputAccess, Handler: s.headBucket,
		}),
		operation.Declare(operation.Op[BucketInput, NoOutput]{
			Name: "DeleteBucket", Route: operation.Route{Method: "DELETE", Path: "/{Bucket}", Status: http.StatusNoContent},
			Access: s.bucketInputAccess, Handler: s.deleteBucket,
		}),
		operation.Declare(operation.Op[BucketInput, GetBucketLocationOutput]{
			Name: "GetBucketLocation", Route: operation.Route{Method: "GET", Path: "/{Bucket}?location"},
			Access: s.bucketInputAccess, Handler: s.getBucketLocation,
		}),
		operation.Declare(operation.Op[BucketInput, TaggingOutput]{
			Name: "GetBucketTagging", Route: operation.Route{Method: "GET", Path: "/{Bucket}?tagging"},
			Access: s.bucketInputAccess, Handler: s.getBucketTagging,
		}),
		operation.Declare(operation.Op[PutBucketTaggingInput, NoOutput]{
			Name: "PutBucketTagging", Route: operation.Route{Method: "PUT", Path: "/{Bucket}?tagging", Status: http.StatusNoContent},
			Access: s.putBucketTaggingAccess, Handler: s.putBucketTagging,
		}),
		operation.Declare(operation.Op[BucketInput, NoOutput]{
			Name: "DeleteBucketTagging", Action: "s3:PutBucketTagging",
			Route:  operation.Route{Method: "DELETE", Path: "/{Bucket}?tagging", Status: http.StatusNoContent},
			Access: s.bucketInputAccess, Handler: s.deleteBucketTagging,
		}),
		operation.Declare(operation.Op[PutBucketPolicyInput, NoOutput]{
			Name: "PutBucketPolicy", Route: operation.Route{Method: "PUT", Path: "/{Bucket}?policy", Status: http.StatusNoContent},
			Access: s.putBucketPolicyAccess, Handler: s.putBucketPolicy,
		}),
		operation.Declare(operation.Op[BucketInput, GetBucketPolicyOutput]{
			Name: "GetBucketPolicy", Route: operation.Route{Method: "GET", Path: "/{Bucket}?policy"},
			Access: s.bucketInputAccess, Handler: s.getBucketPolicy,
		}),
		operation.Declare(operation.Op[BucketInput, NoOutput]{
			Name: "DeleteBucketPolicy", Route: operation.Route{Method: "DELETE", Path: "/{Bucket}?policy", Status: http.StatusNoContent},
			Access: s.bucketInputAccess, Handler: s.deleteBucketPolicy,
		}),
		operation.Declare(operation.Op[BucketInput, AccessControlPolicy]{
			Name: "GetBucketAcl", Route: operation.Route{Method: "GET", Path: "/{Bucket}?acl"},
			Access: s.bucketInputAccess, Handler: s.getBucketACL,
		}),
		operation.Declare(operation.Op[PutBucketACLInput, NoOutput]{
			Name: "PutBucketAcl", Route: operation.Route{Method: "PUT", Path: "/{Bucket}?acl"},
			Access: s.putBucketACLAccess, Handler: s.putBucketACL,
		}),
		operation.Declare(operation.Op[BucketInput, OwnershipControls]{
			Name: "GetBucketOwnershipControls", Route: operation.Route{Method: "GET", Path: "/{Bucket}?ownershipControls"},
			Access: s.bucketInputAccess, Handler: s.getBucketOwnershipControls,
		}),
		operation.Declare(operation.Op[BucketInput, VersioningConfiguration]{
			Name: "GetBucketVersioning", Route: operation.Route{Method: "GET", Path: "/{Bucket}?versioning"},
			Access: s.bucketInputAccess, Handler: s.getBucketVersioning,
		}),
		operation.Declare(operation.Op[ListObjectsInput, ListObjectsOutput]{
			Name: "ListObjects", Action: "s3:ListBucket", Route: operation.Route{Method: "GET", Path: "/{Bucket}"},
			Access: s.listObjectsAccess, Handler: s.listObjects,
		}),
		operation.Declare(operation.Op[ListObjectsV2Input, ListObjectsV2Output]{
			Name: "ListObjectsV2", Action: "s3:ListBucket", Route: operation.Route{Method: "GET", Path: "/{Bucket}?list-type=2"},
			Access: s.listObjectsV2Access, Handler: s.listObjectsV2,
		}),
		operation.Declare(operation.Op[ListMultipartUploadsInput, ListMultipartUploadsOutput]{
			Name: "ListMultipartUploads", Action: "s3:ListBucketMultipartUploads",
			Route:  operation.Route{Method: "GET", Path: "/{Bucket}?uploads"},
			Access: s.listUploadsAccess, Handler: s.listMultipartUploads,
		}),
		operation.Declare(operation.Op[DeleteObjectsInput, DeleteObjectsOutput]{
			Name: "DeleteObjects", Action: "s3:DeleteObject", Route: operation.Route{Method: "POST", Path: "/{Bucket}?delete"},
			Access: s.deleteObjectsAccess, Handler: s.deleteObjects,
		}),

		operation.Declare(operation.Op[PutObjectInput, PutObjectOutput]{
			Name: "PutObject", Route: operation.Route{Method: "PUT", Path: "/{Bucket}/{Key+}"},
			Access: s.putObjectAccess, Handler: s.putObject,
		}),
		operation.Declare(operation.Op[CopyObjectInput, CopyObjectOutput]{
			Name: "CopyObject", Action: "s3:PutObject",
			Route:  operation.Route{Method: "PUT", Path: "/{Bucket}/{Key+}", Header: "X-Amz-Copy-Source"},
			Access: s.copyObjectAccess, Handler: s.copyObject,
		}),
		operation.Declare(operation.Op[GetObjectInput, GetObjectOutput]{
			Name: "GetObject", Route: operation.Route{Method: "GET", Path: "/{Bucket}/{Key+}"},
			Access: s.getObjectAccess, Handler: s.getObject,
		}),
		operation.Declare(operation.Op[GetObjectInput, GetObjectOutput]{
			Name: "HeadObject", Action: "s3:GetObject", Route: operation.Route{Method: "HEAD", Path: "/{Bucket}/{Key+}"},
			Access: s.getObjectAccess, Handler: s.headObject,
		}),
		operation.Declare(operation.Op[ObjectInput, DeleteObjectOutput]{
			Name: "DeleteObject", Route: operation.Route{Method: "DELETE", Path: "/{Bucket}/{Key+}", Status: http.StatusNoContent},
			Access: s.objectInputAccess, Handler: s.deleteObject,
		}),
		operation.Declare(operation.Op[ObjectInput, TaggingOutput]{
			Name: "GetObjectTagging", Route: operation.Route{Method: "GET", Path: "/{Bucket}/{Key+}?tagging"},
			Access: s.existingObjectAccess, Handler: s.getObjectTagging,
		}),
		operation.Declare(operation.Op[PutObjectTaggingInput, PutObjectTaggingOutput]{
			Name: "PutObjectTagging", Route: operation.Route{Method: "PUT", Path: "/{Bucket}/{Key+}?tagging"},
			Access: s.putObjectTaggingAccess, Handler: s.putObjectTagging,
		}),
		operation.Declare(operation.Op[ObjectInput, NoOutput]{
			Name: "DeleteObjectTagging", Route: operation.Route{Method: "DELETE", Path: "/{Bucket}/{Key+}?tagging", Status: http.StatusNoContent},
			Access: s.existingObjectAccess, Handler: s.deleteObjectTagging,
		}),
		operation.Declare(operation.Op[ObjectInput, AccessControlPolicy]{
			Name: "GetObjectAcl", Route: operation.Route{Method: "GET", Path: "/{Bucket}/{Key+}?acl"},
			Access: s.existingObjectAccess, Handler: s.getObjectACL,
		}),
		operation.Declare(operation.Op[PutObjectACLInput, NoOutput]{
			Name: "PutObjectAcl", Route: operation.Route{Method: "PUT", Path: "/{Bucket}/{Key+}?acl"},
			Access: s.putObjectACLAccess, Handler: s.putObjectACL,
		}),
		operation.Declare(operation.Op[CreateMultipartUploadInput, CreateMultipartUploadOutput]{
			Name: "CreateMultipartUpload", Action: "s3:PutObject", Route: operation.Route{Method: "POST", Path: "/{Bucket}/{Key+}?uploads"},
			Access: s.createUploadAccess, Handler: s.createMultipartUpload,
		}),
		operation.Declare(operation.Op[UploadPartInput, UploadPartOutput]{
			Name: "UploadPart", Action: "s3:PutObject", Route: operation.Route{Method: "PUT", Path: "/{Bucket}/{Key+}?partNumber&uploadId"},
			Access: s.uploadPartAccess, Handler: s.uploadPart,
		}),
		operation.Declare(operation.Op[UploadPartCopyInput, UploadPartCopyOutput]{
			Name: "UploadPartCopy", Action: "s3:PutObject",
			Route:  operation.Route{Method: "PUT", Path: "/{Bucket}/{Key+}?partNumber&uploadId", Header: "X-Amz-Copy-Source"},
			Access: s.uploadPartCopyAccess, Handler: s.uploadPartCopy,
		}),
		operation.Declare(operation.Op[CompleteMultipartUploadInput, CompleteMultipartUploadOutput]{
			Name: "CompleteMultipartUpload", Action: "s3:PutObject", Route: operation.Route{Method: "POST", Path: "/{Bucket}/{Key+}?uploadId"},
			Access: s.completeUploadAccess, Handler: s.completeMultipartUpload,
		}),
		operation.Declare(operation.Op[UploadInput, NoOutput]{
			Name: "AbortMultipartUpload", Route: operation.Route{Method: "DELETE", Path: "/{Bucket}/{Key+}?uploadId", Status: http.StatusNoContent},
			Access: s.uploadInputAccess, Handler: s.abortMultipartUpload,
		}),
		operation.Declare(operation.Op[ListPartsInput, ListPartsOutput]{
			Name: "ListParts", Action: "s3:ListMultipartUploadParts", Route: operation.Route{Method: "GET", Path: "/{Bucket}/{Key+}?uploadId"},
			Access: s.listPartsAccess, Handler: s.listParts,
		}),
	}
}

// NoOutput is the output of operations that answer with headers only.
type NoOutput struct{}

// virtualHostBucket returns the bucket a virtual-hosted-style request names in its Host:
// "<bucket>.<domain>[:port]" for one of the service's domains.
func (s *Service) virtualHostBucket(r *http.Request) string {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(host) != nil {
		return ""
	}
	for _, d := range s.domains {
		if bucket, ok := strings.CutSuffix(host, "."+d); ok && bucket != "" && bucket != "s3" {
			return bucket
		}
	}
	return ""
}

// canonicalID is the canonical user ID S3 shows for an account: 64 hex digits derived
// from the account ID.
func canonicalID(account string) string {
	sum := sha256.Sum256([]byte("cairn canonical user " + account))
	return hex.EncodeToString(sum[:])
}

// bucketARN and objectARN are the resources of S3's authorization.
func bucketARN(bucket string) string      { return arn.Bucket(bucket) }
func objectARN(bucket, key string) string { return arn.Object(bucket, key) }

// getBuffer and putBuffer lend the buffers object bytes stream through.
func (s *Service) getBuffer() *[]byte  { return s.buffers.Get().(*[]byte) }
func (s *Service) putBuffer(b *[]byte) { s.buffers.Put(b) }

// bucketCache remembers buckets (owner, policy, tags) for authorization, forgetting them
// when a committed change touches them.
type bucketCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[string]*store.Bucket
}

// maxCachedBuckets bounds the cache; past it the cache starts over.
const maxCachedBuckets = 10_000

func newBucketCache() *bucketCache { return &bucketCache{entries: map[string]*store.Bucket{}} }

func (c *bucketCache) get(name string) (*store.Bucket, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[name], c.gen
}

// put caches b unless a change was committed since gen was read.
func (c *bucketCache) put(b *store.Bucket, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.entries) >= maxCachedBuckets {
		clear(c.entries)
	}
	c.entries[b.Name] = b
}

func (c *bucketCache) invalidate(changes []store.Change) {
	for _, ch := range changes {
		if ch.Kind != store.ChangeBucket {
			continue
		}
		c.mu.Lock()
		c.gen++
		delete(c.entries, ch.Key)
		c.mu.Unlock()
	}
}
