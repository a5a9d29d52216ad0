package s3

import (
	"context"
	"crypto/md5"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"

	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/store"
)

// CopyObjectInput copies an object.
type CopyObjectInput struct {
	Bucket                    string `uri:"Bucket" required:"true"`
	Key                       string `uri:"Key" required:"true"`
	CopySource                string `header:"x-amz-copy-source" required:"true"`
	CopySourceIfMatch         string `header:"x-amz-copy-source-if-match"`
	CopySourceIfNoneMatch     string `header:"x-amz-copy-source-if-none-match"`
	CopySourceIfModifiedSince string `header:"x-amz-copy-source-if-modified-since"`
	CopySourceIfUnmodified    string `header:"x-amz-copy-source-if-unmodified-since"`
	MetadataDirective         string `header:"x-amz-metadata-directive"`
	TaggingDirective          string `header:"x-amz-tagging-directive"`
	ChecksumAlgorithm         string `header:"x-amz-checksum-algorithm"`
	IfMatch                   string `header:"If-Match"`
	IfNoneMatch               string `header:"If-None-Match"`
	ExpectedBucketOwner       string `header:"x-amz-expected-bucket-owner"`
	ExpectedSourceBucketOwner string `header:"x-amz-source-expected-bucket-owner"`
	WriteHeaders
}

// CopyObjectOutput is CopyObjectResult.
type CopyObjectOutput struct {
	ServerSideEncryption string            `header:"x-amz-server-side-encryption"`
	Result               *CopyObjectResult `payload:"true"`
}

// CopyObjectResult describes the copy.
type CopyObjectResult struct {
	XMLName      xml.Name `xml:"CopyObjectResult"`
	ETag         string
	LastModified Timestamp
	ChecksumType string `xml:",omitempty"`
	ChecksumHeaders
}

func (s *Service) copyObject(ctx context.Context, in *CopyObjectInput) (*CopyObjectOutput, error) {
	if err := checkObjectName(in.Bucket, in.Key); err != nil {
		return nil, err
	}
	if err := in.WriteHeaders.check(); err != nil {
		return nil, err
	}
	for _, d := range []struct{ name, v string }{{"x-amz-metadata-directive", in.MetadataDirective}, {"x-amz-tagging-directive", in.TaggingDirective}} {
		if d.v != "" && d.v != "COPY" && d.v != "REPLACE" {
			return nil, errInvalidArgument("Unknown "+d.name, d.name, d.v)
		}
	}
	alg := ""
	if in.ChecksumAlgorithm != "" {
		if alg = strings.ToUpper(in.ChecksumAlgorithm); newChecksum(alg) == nil {
			return nil, errInvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
	}
	src, err := s.copySourceObject(ctx, in.CopySource, Conditions{IfMatch: in.CopySourceIfMatch, IfNoneMatch: in.CopySourceIfNoneMatch,
		IfModifiedSince: in.CopySourceIfModifiedSince, IfUnmodifiedSince: in.CopySourceIfUnmodified})
	if err != nil {
		return nil, err
	}
	if src.Bucket == in.Bucket && src.Key == in.Key && in.MetadataDirective != "REPLACE" && alg == "" &&
		in.StorageClass == "" && in.ServerSideEncryption == "" {
		return nil, errInvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	if len(src.Encryption.DataKey) > 0 || in.ServerSideEncryption == sseKMS || in.ServerSideEncryption == sseDSSE {
		return nil, errNotImplemented("CopyObject with SSE-KMS (from or to an object encrypted with a KMS key) is not supported by Cairn yet; read the object and put it again.")
	}
	if src.Size > maxObjectSize {
		return nil, errInvalidRequest(fmt.Sprintf("The specified copy source is larger than the maximum allowable size for a copy source: %d", maxObjectSize))
	}
	o := &store.Object{Bucket: in.Bucket, Key: in.Key, Size: src.Size, LastModified: s.now(), Headers: src.Headers, Tags: src.Tags}
	if in.MetadataDirective == "REPLACE" {
		if o.Headers, err = in.WriteHeaders.objectHeaders(); err != nil {
			return nil, err
		}
	}
	if in.TaggingDirective == "REPLACE" {
		if o.Tags, err = parseTaggingHeader(in.Tagging); err != nil {
			return nil, err
		}
	}
	// The copy is one object of one part: its ETag is its MD5, which a multipart source's
	// ETag is not, and its checksum covers the whole object.
	needMD5 := src.PartsCount > 0
	sameChecksum := src.Checksum.Type == fullObject && (alg == "" || alg == src.Checksum.Algorithm)
	if alg == "" && !sameChecksum {
		alg = src.Checksum.Algorithm
		if alg == "" || !isCRC(alg) {
			alg = algCRC64NVME
		}
	}
	if sameChecksum {
		alg = ""
	}
	c, err := s.copyBlob(src, byteRange{start: 0, length: src.Size}, needMD5, alg)
	if err != nil {
		return nil, err
	}
	o.ETag = src.ETag
	if needMD5 {
		o.ETag = quotedETag(c.md5)
	}
	o.Checksum = src.Checksum
	if alg != "" {
		o.Checksum = store.Checksum{Algorithm: alg, Type: fullObject, Value: c.checksum}
	}
	if err := s.commitObject(ctx, c.w, o, writeConditions{ifMatch: in.IfMatch, ifNoneMatch: in.IfNoneMatch}); err != nil {
		return nil, err
	}
	res := &CopyObjectResult{ETag: o.ETag, LastModified: Timestamp(o.LastModified)}
	if o.Checksum.Algorithm != "" {
		res.ChecksumType = o.Checksum.Type
		res.ChecksumHeaders = checksumFor(o.Checksum.Algorithm, o.Checksum.Value)
	}
	return &CopyObjectOutput{ServerSideEncryption: "AES256", Result: res}, nil
}

// copySourceObject reads the object an x-amz-copy-source header names and applies the
// x-amz-copy-source-if-* conditions to it.
func (s *Service) copySourceObject(ctx context.Context, source string, cond Conditions) (*store.Object, error) {
	src, err := parseCopySource(source)
	if err != nil {
		return nil, err
	}
	if src.versionID != "" && src.versionID != "null" {
		return nil, errInvalidArgument("Invalid version id specified", "x-amz-copy-source", source)
	}
	o, err := s.object(ctx, src.bucket, src.key)
	if err != nil {
		return nil, err
	}
	if err := cond.check(o, true); err != nil {
		return nil, err
	}
	return o, nil
}

// copied is a range of an object copied into a new blob, not yet committed.
type copied struct {
	w        *blob.Writer
	md5      []byte
	checksum string
}

// copyBlob copies a range of src into a new blob. It computes the MD5 when needMD5 is
// set and a checksum of alg when alg is set; without either the kernel copies the bytes.
func (s *Service) copyBlob(src *store.Object, r byteRange, needMD5 bool, alg string) (*copied, error) {
	w, err := s.blobs.Create(r.length)
	if err != nil {
		return nil, err
	}
	c := &copied{w: w}
	var md5h, sum hash.Hash
	if needMD5 {
		md5h = md5.New()
	}
	if alg != "" {
		sum = newChecksum(alg)
	}
	if err := s.copyRange(w, src.BlobID, r, md5h, sum); err != nil {
		w.Abort()
		return nil, err
	}
	if md5h != nil {
		c.md5 = md5h.Sum(nil)
	}
	if sum != nil {
		c.checksum = encodeSum(sum.Sum(nil))
	}
	return c, nil
}

// appendBlob appends a whole blob of size bytes to w, feeding sum when set.
func (s *Service) appendBlob(w *blob.Writer, id string, size int64, sum hash.Hash) error {
	return s.copyRange(w, id, byteRange{start: 0, length: size}, nil, sum)
}

// copyRange appends a range of blob id to w, through the hashes given.
func (s *Service) copyRange(w *blob.Writer, id string, r byteRange, hashes ...hash.Hash) error {
	f, err := s.blobs.Open(id)
	if errors.Is(err, blob.ErrNotFound) {
		return s3Error(http.StatusConflict, "OperationAborted",
			"A conflicting conditional operation is currently in progress against this resource. Please try again.")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := f.Section(r.start, r.length)
	if err != nil {
		return err
	}
	var writers []io.Writer
	for _, h := range hashes {
		if h != nil {
			writers = append(writers, h)
		}
	}
	var n int64
	if len(writers) == 0 {
		n, err = w.ReadFrom(src)
	} else {
		buf := s.getBuffer()
		defer s.putBuffer(buf)
		n, err = io.CopyBuffer(io.MultiWriter(append(writers, w)...), src, *buf)
	}
	if err != nil {
		return fmt.Errorf("copy blob: %w", err)
	}
	if n != r.length {
		return fmt.Errorf("copy blob: %d of %d bytes", n, r.length)
	}
	return nil
}
