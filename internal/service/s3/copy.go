package s3

import (
	"context"
	"crypto/cipher"
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
	ServerSideEncryption string `header:"x-amz-server-side-encryption"`
	SSEHeaders
	Result *CopyObjectResult `payload:"true"`
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
	if src.Size > maxObjectSize {
		return nil, errInvalidRequest(fmt.Sprintf("The specified copy source is larger than the maximum allowable size for a copy source: %d", maxObjectSize))
	}
	// The copy is encrypted as its own headers, or its bucket's default, say; never as
	// its source was.
	b, err := s.bucket(ctx, in.Bucket)
	if err != nil {
		return nil, err
	}
	sse, err := sseFor(&in.WriteHeaders, b)
	if err != nil {
		return nil, err
	}
	sl, err := s.newSealer(ctx, sse, in.Bucket, in.Key)
	if err != nil {
		return nil, err
	}
	o := &store.Object{Bucket: in.Bucket, Key: in.Key, Size: src.Size, LastModified: s.now(), Headers: src.Headers, Tags: src.Tags}
	if sl != nil {
		o.Encryption = sl.enc
	}
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
	c, err := s.copySealed(ctx, src, byteRange{start: 0, length: src.Size}, needMD5, alg, sl)
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
	out := &CopyObjectOutput{Result: res}
	out.ServerSideEncryption, out.SSEHeaders = sseHeaders(o.Encryption)
	return out, nil
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

// partSealer is what seals a new part of upload u: nil for an upload kept as it came;
// else a key of the part's own from the upload's data key, which KMS decrypts as the
// caller.
func (s *Service) partSealer(ctx context.Context, u *store.Upload) (*sealer, error) {
	if len(u.Encryption.DataKey) == 0 {
		return nil, nil
	}
	key, err := s.dataKey(ctx, u.Encryption)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	salt := make([]byte, partSaltSize)
	if _, err := io.ReadFull(s.random, salt); err != nil {
		return nil, fmt.Errorf("part salt: %w", err)
	}
	aead, err := partAEAD(key, salt)
	if err != nil {
		return nil, err
	}
	return &sealer{enc: u.Encryption, aead: aead, head: salt}, nil
}

// openPart reads a part's plaintext: the part's key comes from the upload's data key
// and the salt heading its blob.
func openPart(f *blob.Reader, dataKey []byte, size int64) (io.Reader, error) {
	salt := make([]byte, partSaltSize)
	if _, err := f.ReadAt(salt, 0); err != nil {
		return nil, fmt.Errorf("part salt: %w", err)
	}
	aead, err := partAEAD(dataKey, salt)
	if err != nil {
		return nil, err
	}
	or := newOpeningReader(f, aead, size, 0, size)
	or.base = partSaltSize
	return or, nil
}

// copySealed copies a range of src's plaintext into a new blob sealed by sl (as it is
// when nil), decrypting an SSE-KMS source with its data key, which KMS decrypts as the
// caller. Without encryption on either side it is copyBlob.
func (s *Service) copySealed(ctx context.Context, src *store.Object, r byteRange, needMD5 bool, alg string, sl *sealer) (*copied, error) {
	if sl == nil && len(src.Encryption.DataKey) == 0 {
		return s.copyBlob(src, r, needMD5, alg)
	}
	var aead cipher.AEAD
	if len(src.Encryption.DataKey) > 0 {
		var err error
		if aead, err = s.opener(ctx, src.Encryption); err != nil {
			return nil, err
		}
	}
	f, err := s.blobs.Open(src.BlobID)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, s3Error(http.StatusConflict, "OperationAborted",
			"A conflicting conditional operation is currently in progress against this resource. Please try again.")
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var in io.Reader
	if aead != nil {
		in = newOpeningReader(f, aead, src.Size, r.start, r.length)
	} else if in, err = f.Section(r.start, r.length); err != nil {
		return nil, err
	}
	length := r.length
	if sl != nil {
		length = int64(len(sl.head)) + sealedSize(length)
	}
	w, err := s.blobs.Create(length)
	if err != nil {
		return nil, err
	}
	c := &copied{w: w}
	var md5h, sum hash.Hash
	writers := []io.Writer{}
	if needMD5 {
		md5h = md5.New()
		writers = append(writers, md5h)
	}
	if alg != "" {
		sum = newChecksum(alg)
		writers = append(writers, sum)
	}
	var dst io.Writer = w
	var sw *sealingWriter
	if sl != nil {
		if _, err := w.Write(sl.head); err != nil {
			w.Abort()
			return nil, fmt.Errorf("copy blob: %w", err)
		}
		sw = newSealingWriter(w, sl.aead)
		dst = sw
	}
	buf := s.getBuffer()
	defer s.putBuffer(buf)
	n, err := io.CopyBuffer(io.MultiWriter(append(writers, dst)...), in, *buf)
	if err == nil && n != r.length {
		err = fmt.Errorf("%d of %d bytes", n, r.length)
	}
	if err == nil && sw != nil {
		err = sw.Close()
	}
	if err != nil {
		w.Abort()
		return nil, fmt.Errorf("copy blob: %w", err)
	}
	if md5h != nil {
		c.md5 = md5h.Sum(nil)
	}
	if sum != nil {
		c.checksum = encodeSum(sum.Sum(nil))
	}
	return c, nil
}
