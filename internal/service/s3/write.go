package s3

import (
	"crypto/md5"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/store"
)

// Size limits of S3.
const (
	maxObjectSize   = 5 << 30 // one PUT, one part, one copy
	maxMetadataSize = 2 << 10 // user metadata: keys and values
)

// WriteHeaders are the headers of a request that creates an object: how to serve it,
// its metadata and tags, and settings S3 accepts only in the form this bucket supports.
type WriteHeaders struct {
	ContentType          string            `header:"Content-Type"`
	ContentEncoding      string            `header:"Content-Encoding"`
	ContentDisposition   string            `header:"Content-Disposition"`
	ContentLanguage      string            `header:"Content-Language"`
	CacheControl         string            `header:"Cache-Control"`
	Expires              string            `header:"Expires"`
	Metadata             map[string]string `headerPrefix:"x-amz-meta-"`
	Tagging              string            `header:"x-amz-tagging"`
	ACL                  string            `header:"x-amz-acl"`
	GrantFullControl     string            `header:"x-amz-grant-full-control"`
	GrantRead            string            `header:"x-amz-grant-read"`
	GrantReadACP         string            `header:"x-amz-grant-read-acp"`
	GrantWriteACP        string            `header:"x-amz-grant-write-acp"`
	StorageClass         string            `header:"x-amz-storage-class"`
	ServerSideEncryption string            `header:"x-amz-server-side-encryption"`
	SSEKMSKeyID          string            `header:"x-amz-server-side-encryption-aws-kms-key-id"`
	SSEContext           string            `header:"x-amz-server-side-encryption-context"`
	BucketKeyEnabled     string            `header:"x-amz-server-side-encryption-bucket-key-enabled"`
	SSECustomerAlgorithm string            `header:"x-amz-server-side-encryption-customer-algorithm"`
	ObjectLockMode       string            `header:"x-amz-object-lock-mode"`
	ObjectLockLegalHold  string            `header:"x-amz-object-lock-legal-hold"`
}

// storageClasses are the storage classes S3 names; objects are kept alike whichever is
// asked for.
var storageClasses = map[string]bool{
	"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "OUTPOSTS": true,
	"GLACIER_IR": true, "SNOW": true, "EXPRESS_ONEZONE": true, "FSX_OPENZFS": true,
}

// check refuses settings this bucket cannot honour.
func (h *WriteHeaders) check() error {
	if err := checkCannedACL(h.ACL); err != nil {
		return err
	}
	if h.GrantRead != "" || h.GrantReadACP != "" || h.GrantWriteACP != "" || h.GrantFullControl != "" {
		return errACLNotSupported()
	}
	if h.StorageClass != "" && !storageClasses[h.StorageClass] {
		return s3Error(http.StatusBadRequest, "InvalidStorageClass", "The storage class you specified is not valid").
			With("StorageClassRequested", h.StorageClass)
	}
	switch h.ServerSideEncryption {
	case "", "AES256", "aws:kms", "aws:kms:dsse":
	default:
		return errInvalidArgument("The encryption method specified is not supported", "x-amz-server-side-encryption", h.ServerSideEncryption)
	}
	if h.SSECustomerAlgorithm != "" {
		return errNotImplemented("Server-side encryption with customer-provided keys is not supported.")
	}
	if h.ObjectLockMode != "" || h.ObjectLockLegalHold != "" {
		return errInvalidRequest("Bucket is missing Object Lock Configuration")
	}
	return nil
}

// objectHeaders returns what to store of the headers: aws-chunked is dropped from
// Content-Encoding, and user metadata is bounded.
func (h *WriteHeaders) objectHeaders() (store.ObjectHeaders, error) {
	size := 0
	for k, v := range h.Metadata {
		size += len(k) + len(v)
		if !utf8.ValidString(v) {
			return store.ObjectHeaders{}, errInvalidArgument("User metadata values must be UTF-8.", "x-amz-meta-"+k, v)
		}
	}
	if size > maxMetadataSize {
		return store.ObjectHeaders{}, s3Error(http.StatusBadRequest, "MetadataTooLarge",
			"Your metadata headers exceed the maximum allowed metadata size").
			With("Size", itoa(size)).With("MaxSizeAllowed", itoa(maxMetadataSize))
	}
	return store.ObjectHeaders{
		ContentType:        h.ContentType,
		ContentEncoding:    dropAWSChunked(h.ContentEncoding),
		ContentDisposition: h.ContentDisposition,
		ContentLanguage:    h.ContentLanguage,
		CacheControl:       h.CacheControl,
		Expires:            h.Expires,
		Metadata:           h.Metadata,
	}, nil
}

// dropAWSChunked removes the aws-chunked coding, which describes the request's framing
// and not the object.
func dropAWSChunked(enc string) string {
	if !strings.Contains(enc, "aws-chunked") {
		return enc
	}
	var keep []string
	for _, e := range strings.Split(enc, ",") {
		if e = strings.TrimSpace(e); e != "" && e != "aws-chunked" {
			keep = append(keep, e)
		}
	}
	return strings.Join(keep, ",")
}

// ingested is a body written to a blob, not yet committed.
type ingested struct {
	w        *blob.Writer
	size     int64
	md5      []byte
	checksum string // base64 of plan.alg over the body; "" when none
}

// checkLength rejects a body whose length S3 requires and which is too large.
func checkLength(body *awsproto.Body) error {
	if body == nil || body.Length < 0 {
		return errMissingContentLength()
	}
	if body.Length > maxObjectSize {
		return errEntityTooLarge(body.Length, maxObjectSize)
	}
	return nil
}

// ingest streams a request body into a new blob, computing its MD5 and the planned
// checksum on the way, and checks them against what the client sent. The caller commits
// or aborts the blob.
func (s *Service) ingest(body *awsproto.Body, plan checksumPlan) (*ingested, error) {
	return s.ingestSealed(body, plan, nil)
}

// ingestSealed is ingest with the bytes encrypted on their way to disk when sl is not nil.
func (s *Service) ingestSealed(body *awsproto.Body, plan checksumPlan, sl *sealer) (*ingested, error) {
	length := body.Length
	if sl != nil && length >= 0 {
		length = int64(len(sl.head)) + sealedSize(length)
	}
	bw, err := s.blobs.Create(length)
	if err != nil {
		return nil, err
	}
	w := bw
	var dst io.Writer = bw
	var sw *sealingWriter
	if sl != nil {
		if _, err := bw.Write(sl.head); err != nil {
			w.Abort()
			return nil, fmt.Errorf("write blob: %w", err)
		}
		sw = newSealingWriter(bw, sl.aead)
		dst = sw
	}
	md5h := md5.New()
	var sum hash.Hash
	if plan.alg != "" {
		sum = newChecksum(plan.alg)
	}
	buf := s.getBuffer()
	defer s.putBuffer(buf)
	var n int64
	for {
		m, rerr := body.Read(*buf)
		if m > 0 {
			chunk := (*buf)[:m]
			md5h.Write(chunk)
			if sum != nil {
				sum.Write(chunk)
			}
			if _, err := dst.Write(chunk); err != nil {
				w.Abort()
				return nil, fmt.Errorf("write blob: %w", err)
			}
			n += int64(m)
			if n > maxObjectSize {
				w.Abort()
				return nil, errEntityTooLarge(n, maxObjectSize)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			w.Abort()
			return nil, bodyError(rerr)
		}
	}
	if body.Length >= 0 && n != body.Length {
		w.Abort()
		return nil, errIncompleteBody()
	}
	if sw != nil {
		if err := sw.Close(); err != nil {
			w.Abort()
			return nil, fmt.Errorf("write blob: %w", err)
		}
	}
	in := &ingested{w: w, size: n, md5: md5h.Sum(nil)}
	if sum != nil {
		in.checksum = encodeSum(sum.Sum(nil))
	}
	if err := plan.verify(in.md5, in.checksum, body.Trailer()); err != nil {
		w.Abort()
		return nil, err
	}
	return in, nil
}

// bodyError turns a failure to read a request body into S3's error: authentication
// failures found while streaming come as *operation.Error already.
func bodyError(err error) error {
	var e *operation.Error
	if errors.As(err, &e) {
		return e
	}
	return errIncompleteBody()
}
