package s3

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// bucket returns a bucket, from the cache when it can. A missing bucket is NoSuchBucket.
func (s *Service) bucket(ctx context.Context, name string) (*store.Bucket, error) {
	b, gen := s.buckets.get(name)
	if b != nil {
		return b, nil
	}
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		b, err = tx.Bucket(name)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSuchBucket(name)
	}
	if err != nil {
		return nil, fmt.Errorf("read bucket %s: %w", name, err)
	}
	s.buckets.put(b, gen)
	return b, nil
}

// ownedBucket returns a bucket after checking x-amz-expected-bucket-owner.
func (s *Service) ownedBucket(ctx context.Context, name, expectedOwner string) (*store.Bucket, error) {
	if err := checkBucketName(name); err != nil {
		// S3 answers a name it could never have created as a missing bucket.
		return nil, errNoSuchBucket(name)
	}
	b, err := s.bucket(ctx, name)
	if err != nil {
		return nil, err
	}
	if expectedOwner != "" && expectedOwner != b.AccountID {
		return nil, errAccessDenied()
	}
	return b, nil
}

// bucketResource is the bucket as authorization sees it.
func bucketResource(b *store.Bucket) operation.Resource {
	return operation.Resource{ARN: bucketARN(b.Name), Account: b.AccountID, Policy: b.Policy, Tags: b.Tags}
}

// objectResource is an object as authorization sees it: the bucket's owner and policy.
func objectResource(b *store.Bucket, key string) operation.Resource {
	return operation.Resource{ARN: objectARN(b.Name, key), Account: b.AccountID, Policy: b.Policy}
}

// requestKeys are the condition keys every S3 request carries: s3:ResourceAccount (the
// bucket's owner, when there is a bucket), and how the request was signed,
// s3:signatureversion ("AWS4-HMAC-SHA256", or "AWS" for SigV2) and s3:authType.
func requestKeys(ctx context.Context, account string) map[string][]string {
	keys := map[string][]string{}
	if account != "" {
		keys["s3:ResourceAccount"] = []string{account}
	}
	if info := operation.RequestInfoFrom(ctx); info != nil {
		if info.SignatureVersion != "" {
			keys["s3:signatureversion"] = []string{info.SignatureVersion}
		}
		if info.AuthType != "" {
			keys["s3:authType"] = []string{info.AuthType}
		}
	}
	return keys
}

// bucketAccess authorizes an operation on a bucket.
func (s *Service) bucketAccess(ctx context.Context, name, expectedOwner string) (*operation.Access, error) {
	b, err := s.ownedBucket(ctx, name, expectedOwner)
	if err != nil {
		return nil, err
	}
	return &operation.Access{Resources: []operation.Resource{bucketResource(b)},
		Context: requestKeys(ctx, b.AccountID)}, nil
}

// objectAccess authorizes an operation on an object that does not read it.
func (s *Service) objectAccess(ctx context.Context, bucket, key, expectedOwner string) (*operation.Access, error) {
	b, err := s.ownedBucket(ctx, bucket, expectedOwner)
	if err != nil {
		return nil, err
	}
	return &operation.Access{Resources: []operation.Resource{objectResource(b, key)},
		Context: requestKeys(ctx, b.AccountID)}, nil
}

// existingObjectAccessOf authorizes an operation on an existing object: its tags become
// s3:ExistingObjectTag/<key> condition keys. It returns the object read, nil when there
// is none.
func (s *Service) existingObjectAccessOf(ctx context.Context, bucket, key, expectedOwner string) (*operation.Access, *store.Object, error) {
	a, err := s.objectAccess(ctx, bucket, key, expectedOwner)
	if err != nil {
		return nil, nil, err
	}
	var o *store.Object
	err = s.store.View(ctx, func(tx txn) error {
		var err error
		o, err = tx.Object(bucket, key)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("read object %s/%s: %w", bucket, key, err)
	}
	if o != nil {
		for k, v := range o.Tags {
			a.Context["s3:ExistingObjectTag/"+k] = []string{v}
		}
	}
	return a, o, nil
}

// existingObject adapts existingObjectAccessOf to operations that need only the access.
func existingObject(a *operation.Access, _ *store.Object, err error) (*operation.Access, error) {
	return a, err
}

// copySourceAccess adds s3:GetObject on a copy source to a.
func (s *Service) copySourceAccess(ctx context.Context, a *operation.Access, source, expectedOwner string) error {
	src, err := parseCopySource(source)
	if err != nil {
		return err
	}
	sa, err := existingObject(s.existingObjectAccessOf(ctx, src.bucket, src.key, expectedOwner))
	if err != nil {
		return err
	}
	sa.Action = "s3:GetObject"
	a.Implied = append(a.Implied, *sa)
	a.Context["s3:x-amz-copy-source"] = []string{source}
	return nil
}

func (s *Service) bucketInputAccess(ctx context.Context, in *BucketInput) (*operation.Access, error) {
	return s.bucketAccess(ctx, in.Bucket, in.ExpectedBucketOwner)
}

func (s *Service) objectInputAccess(ctx context.Context, in *ObjectInput) (*operation.Access, error) {
	return s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
}

func (s *Service) existingObjectAccess(ctx context.Context, in *ObjectInput) (*operation.Access, error) {
	return existingObject(s.existingObjectAccessOf(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner))
}

func (s *Service) createBucketAccess(ctx context.Context, in *CreateBucketInput) (*operation.Access, error) {
	a := &operation.Access{Resources: []operation.Resource{{ARN: bucketARN(in.Bucket)}}, Context: requestKeys(ctx, "")}
	if in.Configuration != nil && in.Configuration.LocationConstraint != "" {
		a.Context["s3:LocationConstraint"] = []string{in.Configuration.LocationConstraint}
	}
	if in.ACL != "" {
		a.Context["s3:x-amz-acl"] = []string{in.ACL}
	}
	if in.ObjectOwnership != "" {
		a.Context["s3:x-amz-object-ownership"] = []string{in.ObjectOwnership}
	}
	return a, nil
}

func (s *Service) putBucketTaggingAccess(ctx context.Context, in *PutBucketTaggingInput) (*operation.Access, error) {
	return s.bucketAccess(ctx, in.Bucket, in.ExpectedBucketOwner)
}

func (s *Service) putBucketPolicyAccess(ctx context.Context, in *PutBucketPolicyInput) (*operation.Access, error) {
	return s.bucketAccess(ctx, in.Bucket, in.ExpectedBucketOwner)
}

func (s *Service) putBucketACLAccess(ctx context.Context, in *PutBucketACLInput) (*operation.Access, error) {
	return s.bucketAccess(ctx, in.Bucket, in.ExpectedBucketOwner)
}

// listContext holds the condition keys of a listing.
func listContext(a *operation.Access, prefix, delimiter string, maxKeys *int) {
	a.Context["s3:prefix"] = []string{prefix}
	if delimiter != "" {
		a.Context["s3:delimiter"] = []string{delimiter}
	}
	if maxKeys != nil {
		a.Context["s3:max-keys"] = []string{strconv.Itoa(*maxKeys)}
	}
}

func (s *Service) listObjectsAccess(ctx context.Context, in *ListObjectsInput) (*operation.Access, error) {
	a, err := s.bucketAccess(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	listContext(a, in.Prefix, in.Delimiter, in.MaxKeys)
	return a, nil
}

func (s *Service) listObjectsV2Access(ctx context.Context, in *ListObjectsV2Input) (*operation.Access, error) {
	a, err := s.bucketAccess(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	listContext(a, in.Prefix, in.Delimiter, in.MaxKeys)
	return a, nil
}

func (s *Service) listUploadsAccess(ctx context.Context, in *ListMultipartUploadsInput) (*operation.Access, error) {
	return s.bucketAccess(ctx, in.Bucket, in.ExpectedBucketOwner)
}

func (s *Service) deleteObjectsAccess(ctx context.Context, in *DeleteObjectsInput) (*operation.Access, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	a := &operation.Access{Context: requestKeys(ctx, b.AccountID), EachResource: true}
	if in.Delete != nil {
		for _, o := range in.Delete.Objects {
			a.Resources = append(a.Resources, objectResource(b, o.Key))
		}
	}
	if len(a.Resources) == 0 {
		a.Resources = []operation.Resource{objectResource(b, "*")}
	}
	return a, nil
}

// writeContext adds the condition keys of a request that writes an object.
func writeContext(a *operation.Access, h *WriteHeaders) error {
	if h.ACL != "" {
		a.Context["s3:x-amz-acl"] = []string{h.ACL}
	}
	if h.ServerSideEncryption != "" {
		a.Context["s3:x-amz-server-side-encryption"] = []string{h.ServerSideEncryption}
	}
	if h.StorageClass != "" {
		a.Context["s3:x-amz-storage-class"] = []string{h.StorageClass}
	}
	if h.Tagging != "" {
		tags, err := parseTaggingHeader(h.Tagging)
		if err != nil {
			return err
		}
		keys := make([]string, 0, len(tags))
		for k, v := range tags {
			a.Context["s3:RequestObjectTag/"+k] = []string{v}
			keys = append(keys, k)
		}
		a.Context["s3:RequestObjectTagKeys"] = keys
	}
	return nil
}

func (s *Service) putObjectAccess(ctx context.Context, in *PutObjectInput) (*operation.Access, error) {
	a, err := s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	return a, writeContext(a, &in.WriteHeaders)
}

func (s *Service) copyObjectAccess(ctx context.Context, in *CopyObjectInput) (*operation.Access, error) {
	a, err := s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if err := writeContext(a, &in.WriteHeaders); err != nil {
		return nil, err
	}
	if in.MetadataDirective != "" {
		a.Context["s3:x-amz-metadata-directive"] = []string{in.MetadataDirective}
	}
	return a, s.copySourceAccess(ctx, a, in.CopySource, in.ExpectedSourceBucketOwner)
}

// getObjectAccess authorizes a read; the handler serves the object read for it.
func (s *Service) getObjectAccess(ctx context.Context, in *GetObjectInput) (*operation.Access, error) {
	a, o, err := s.existingObjectAccessOf(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
	in.current = o
	return a, err
}

func (s *Service) putObjectTaggingAccess(ctx context.Context, in *PutObjectTaggingInput) (*operation.Access, error) {
	a, err := existingObject(s.existingObjectAccessOf(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner))
	if err != nil {
		return nil, err
	}
	if in.Tagging != nil {
		keys := make([]string, 0, len(in.Tagging.TagSet))
		for _, t := range in.Tagging.TagSet {
			a.Context["s3:RequestObjectTag/"+t.Key] = []string{t.Value}
			keys = append(keys, t.Key)
		}
		a.Context["s3:RequestObjectTagKeys"] = keys
	}
	return a, nil
}

func (s *Service) putObjectACLAccess(ctx context.Context, in *PutObjectACLInput) (*operation.Access, error) {
	return existingObject(s.existingObjectAccessOf(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner))
}

func (s *Service) createUploadAccess(ctx context.Context, in *CreateMultipartUploadInput) (*operation.Access, error) {
	a, err := s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	return a, writeContext(a, &in.WriteHeaders)
}

func (s *Service) uploadPartAccess(ctx context.Context, in *UploadPartInput) (*operation.Access, error) {
	return s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
}

func (s *Service) uploadPartCopyAccess(ctx context.Context, in *UploadPartCopyInput) (*operation.Access, error) {
	a, err := s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	return a, s.copySourceAccess(ctx, a, in.CopySource, in.ExpectedSourceBucketOwner)
}

func (s *Service) completeUploadAccess(ctx context.Context, in *CompleteMultipartUploadInput) (*operation.Access, error) {
	return s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
}

func (s *Service) uploadInputAccess(ctx context.Context, in *UploadInput) (*operation.Access, error) {
	return s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
}

func (s *Service) listPartsAccess(ctx context.Context, in *ListPartsInput) (*operation.Access, error) {
	return s.objectAccess(ctx, in.Bucket, in.Key, in.ExpectedBucketOwner)
}

// copySource is the object an x-amz-copy-source header names.
type copySource struct {
	bucket, key, versionID string
}

// parseCopySource reads "[/]bucket/key[?versionId=…]", URL-encoded.
func parseCopySource(s string) (copySource, error) {
	bad := errInvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
		"x-amz-copy-source", s)
	raw, query, _ := strings.Cut(s, "?")
	path, err := url.PathUnescape(strings.TrimPrefix(raw, "/"))
	if err != nil {
		return copySource{}, bad
	}
	bucket, key, ok := strings.Cut(path, "/")
	if !ok || bucket == "" || key == "" {
		return copySource{}, bad
	}
	src := copySource{bucket: bucket, key: key}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return copySource{}, bad
		}
		src.versionID = q.Get("versionId")
	}
	return src, nil
}
