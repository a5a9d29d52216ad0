package s3

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/store"
)

// Multipart limits of S3.
const (
	maxParts        = 10_000
	minPartSize     = 5 << 20 // every part but the last
	maxListParts    = 1000
	maxListUploads  = 1000
	uploadIDRandLen = 16
)

// CreateMultipartUploadInput starts a multipart upload.
type CreateMultipartUploadInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Key                 string `uri:"Key" required:"true"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
	ChecksumAlgorithm   string `header:"x-amz-checksum-algorithm"`
	ChecksumType        string `header:"x-amz-checksum-type"`
	WriteHeaders
}

// CreateMultipartUploadOutput is InitiateMultipartUploadResult.
type CreateMultipartUploadOutput struct {
	XMLName              xml.Name `xml:"InitiateMultipartUploadResult"`
	Bucket               string
	Key                  string
	UploadID             string `xml:"UploadId"`
	ChecksumAlgorithm    string `header:"x-amz-checksum-algorithm" xml:"-"`
	ChecksumType         string `header:"x-amz-checksum-type" xml:"-"`
	ServerSideEncryption string `header:"x-amz-server-side-encryption" xml:"-"`
	SSEHeaders           `xml:"-"`
}

func (s *Service) createMultipartUpload(ctx context.Context, in *CreateMultipartUploadInput) (*CreateMultipartUploadOutput, error) {
	if err := checkObjectName(in.Bucket, in.Key); err != nil {
		return nil, err
	}
	if err := in.WriteHeaders.check(); err != nil {
		return nil, err
	}
	b, err := s.bucket(ctx, in.Bucket)
	if err != nil {
		return nil, err
	}
	sse, err := sseFor(&in.WriteHeaders, b)
	if err != nil {
		return nil, err
	}
	headers, err := in.WriteHeaders.objectHeaders()
	if err != nil {
		return nil, err
	}
	tags, err := parseTaggingHeader(in.Tagging)
	if err != nil {
		return nil, err
	}
	alg, typ := strings.ToUpper(in.ChecksumAlgorithm), strings.ToUpper(in.ChecksumType)
	if alg != "" && newChecksum(alg) == nil {
		return nil, errInvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
	}
	switch {
	case typ != "" && typ != fullObject && typ != composite:
		return nil, errInvalidRequest("Value for x-amz-checksum-type header is invalid.")
	case typ != "" && alg == "":
		return nil, errInvalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
	case typ == fullObject && !isCRC(alg):
		return nil, errInvalidRequest("The FULL_OBJECT checksum type cannot be used with the " + strings.ToLower(alg) + " checksum algorithm.")
	case typ == composite && alg == algCRC64NVME:
		return nil, errInvalidRequest("The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.")
	case typ == "" && alg == algCRC64NVME:
		typ = fullObject
	case typ == "" && alg != "":
		typ = composite
	}
	// The upload's data key is made now, as S3 does: creating the upload needs
	// kms:GenerateDataKey; its parts and completion need kms:Decrypt.
	sl, err := s.newSealer(ctx, sse, in.Bucket, in.Key)
	if err != nil {
		return nil, err
	}
	id, err := s.newUploadID()
	if err != nil {
		return nil, err
	}
	u := &store.Upload{ID: id, Bucket: in.Bucket, Key: in.Key, Initiated: s.now(), Initiator: auth.PrincipalFrom(ctx).ARN,
		Headers: headers, Tags: tags, ChecksumAlgorithm: alg, ChecksumType: typ}
	if sl != nil {
		u.Encryption = sl.enc
	}
	err = s.store.Update(ctx, func(tx txn) error {
		if err := s.bucketExists(tx, in.Bucket); err != nil {
			return err
		}
		return tx.CreateUpload(u)
	})
	if err != nil {
		return nil, err
	}
	out := &CreateMultipartUploadOutput{Bucket: in.Bucket, Key: in.Key, UploadID: id, ChecksumAlgorithm: alg, ChecksumType: typ}
	out.ServerSideEncryption, out.SSEHeaders = sseHeaders(u.Encryption)
	return out, nil
}

// newUploadID returns an upload ID that sorts after every earlier one: the time, then
// randomness.
func (s *Service) newUploadID() (string, error) {
	var raw [8 + uploadIDRandLen]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(s.now().UnixNano()))
	if _, err := io.ReadFull(s.random, raw[8:]); err != nil {
		return "", fmt.Errorf("new upload id: %w", err)
	}
	return hex.EncodeToString(raw[:]), nil
}

// upload reads an upload and checks it belongs to bucket/key.
func (s *Service) upload(tx txn, bucket, key, id string) (*store.Upload, error) {
	u, err := tx.Upload(id)
	if errors.Is(err, store.ErrNotFound) {
		if err := s.bucketExists(tx, bucket); err != nil {
			return nil, err
		}
		return nil, errNoSuchUpload(id)
	}
	if err != nil {
		return nil, err
	}
	if u.Bucket != bucket || u.Key != key {
		return nil, errNoSuchUpload(id)
	}
	return u, nil
}

// checkPartNumber validates partNumber.
func checkPartNumber(n int) error {
	if n < 1 || n > maxParts {
		return errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", strconv.Itoa(n))
	}
	return nil
}

// UploadPartInput uploads one part.
type UploadPartInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Key                 string `uri:"Key" required:"true"`
	PartNumber          int    `querystring:"partNumber"`
	UploadID            string `querystring:"uploadId" required:"true"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
	IntegrityHeaders
	Body *awsproto.Body `payload:"true"`
}

// UploadPartOutput describes the stored part.
type UploadPartOutput struct {
	ETag                 string `header:"ETag"`
	ServerSideEncryption string `header:"x-amz-server-side-encryption"`
	SSEHeaders
	ChecksumHeaders
}

func (s *Service) uploadPart(ctx context.Context, in *UploadPartInput) (*UploadPartOutput, error) {
	if err := checkPartNumber(in.PartNumber); err != nil {
		return nil, err
	}
	var u *store.Upload
	if err := s.store.View(ctx, func(tx txn) error {
		var err error
		u, err = s.upload(tx, in.Bucket, in.Key, in.UploadID)
		return err
	}); err != nil {
		return nil, err
	}
	plan, err := in.IntegrityHeaders.plan(u.ChecksumAlgorithm)
	if err != nil {
		return nil, err
	}
	if u.ChecksumAlgorithm != "" && plan.alg != u.ChecksumAlgorithm {
		return nil, errInvalidRequest(fmt.Sprintf("Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
			strings.ToLower(u.ChecksumAlgorithm), strings.ToLower(plan.alg)))
	}
	if err := checkLength(in.Body); err != nil {
		return nil, err
	}
	sl, err := s.partSealer(ctx, u)
	if err != nil {
		return nil, err
	}
	body, err := s.ingestSealed(in.Body, plan, sl)
	if err != nil {
		return nil, err
	}
	p := &store.Part{UploadID: in.UploadID, Number: in.PartNumber, Size: body.size, ETag: quotedETag(body.md5),
		LastModified: s.now(), Checksum: store.Checksum{Algorithm: plan.alg, Value: body.checksum}}
	if err := s.commitPart(ctx, body.w.Commit, p, in.Bucket, in.Key); err != nil {
		return nil, err
	}
	out := &UploadPartOutput{ETag: p.ETag}
	out.ServerSideEncryption, out.SSEHeaders = sseHeaders(u.Encryption)
	if p.Checksum.Algorithm != "" {
		out.ChecksumHeaders = checksumFor(p.Checksum.Algorithm, p.Checksum.Value)
	}
	return out, nil
}

// commitPart makes a part's blob durable and records the part, if its upload still exists.
func (s *Service) commitPart(ctx context.Context, commit func() (string, error), p *store.Part, bucket, key string) error {
	id, err := commit()
	if err != nil {
		return err
	}
	p.BlobID = id
	var orphans []string
	err = s.writes.update(ctx, func(tx txn) error {
		if _, err := s.upload(tx, bucket, key, p.UploadID); err != nil {
			return err
		}
		var err error
		orphans, err = tx.PutPart(p)
		return err
	})
	if err != nil {
		s.removeBlobs([]string{id})
		return err
	}
	s.removeBlobs(orphans)
	return nil
}

// UploadPartCopyInput copies a range of an object into a part.
type UploadPartCopyInput struct {
	Bucket                    string `uri:"Bucket" required:"true"`
	Key                       string `uri:"Key" required:"true"`
	PartNumber                int    `querystring:"partNumber"`
	UploadID                  string `querystring:"uploadId" required:"true"`
	CopySource                string `header:"x-amz-copy-source" required:"true"`
	CopySourceRange           string `header:"x-amz-copy-source-range"`
	CopySourceIfMatch         string `header:"x-amz-copy-source-if-match"`
	CopySourceIfNoneMatch     string `header:"x-amz-copy-source-if-none-match"`
	CopySourceIfModifiedSince string `header:"x-amz-copy-source-if-modified-since"`
	CopySourceIfUnmodified    string `header:"x-amz-copy-source-if-unmodified-since"`
	ExpectedBucketOwner       string `header:"x-amz-expected-bucket-owner"`
	ExpectedSourceBucketOwner string `header:"x-amz-source-expected-bucket-owner"`
}

// UploadPartCopyOutput is CopyPartResult.
type UploadPartCopyOutput struct {
	ServerSideEncryption string `header:"x-amz-server-side-encryption"`
	SSEHeaders
	Result *CopyPartResult `payload:"true"`
}

// CopyPartResult describes a part made by copying.
type CopyPartResult struct {
	XMLName      xml.Name `xml:"CopyPartResult"`
	ETag         string
	LastModified Timestamp
	ChecksumHeaders
}

func (s *Service) uploadPartCopy(ctx context.Context, in *UploadPartCopyInput) (*UploadPartCopyOutput, error) {
	if err := checkPartNumber(in.PartNumber); err != nil {
		return nil, err
	}
	var u *store.Upload
	if err := s.store.View(ctx, func(tx txn) error {
		var err error
		u, err = s.upload(tx, in.Bucket, in.Key, in.UploadID)
		return err
	}); err != nil {
		return nil, err
	}
	src, err := s.copySourceObject(ctx, in.CopySource, Conditions{IfMatch: in.CopySourceIfMatch, IfNoneMatch: in.CopySourceIfNoneMatch,
		IfModifiedSince: in.CopySourceIfModifiedSince, IfUnmodifiedSince: in.CopySourceIfUnmodified})
	if err != nil {
		return nil, err
	}
	r := byteRange{start: 0, length: src.Size}
	if in.CopySourceRange != "" {
		var ok bool
		r, ok = parseCopyRange(in.CopySourceRange, src.Size)
		if !ok {
			return nil, errInvalidArgument(fmt.Sprintf("Range specified is not valid for source object of size: %d", src.Size),
				"x-amz-copy-source-range", in.CopySourceRange)
		}
	}
	if r.length > maxObjectSize {
		return nil, errInvalidRequest("The specified copy range is larger than the maximum allowable size for a part: 5368709120")
	}
	sl, err := s.partSealer(ctx, u)
	if err != nil {
		return nil, err
	}
	c, err := s.copySealed(ctx, src, r, true, u.ChecksumAlgorithm, sl)
	if err != nil {
		return nil, err
	}
	p := &store.Part{UploadID: in.UploadID, Number: in.PartNumber, Size: r.length, ETag: quotedETag(c.md5),
		LastModified: s.now(), Checksum: store.Checksum{Algorithm: u.ChecksumAlgorithm, Value: c.checksum}}
	if err := s.commitPart(ctx, c.w.Commit, p, in.Bucket, in.Key); err != nil {
		return nil, err
	}
	res := &CopyPartResult{ETag: p.ETag, LastModified: Timestamp(p.LastModified)}
	if p.Checksum.Algorithm != "" {
		res.ChecksumHeaders = checksumFor(p.Checksum.Algorithm, p.Checksum.Value)
	}
	out := &UploadPartCopyOutput{Result: res}
	out.ServerSideEncryption, out.SSEHeaders = sseHeaders(u.Encryption)
	return out, nil
}

// parseCopyRange reads x-amz-copy-source-range: "bytes=first-last", within the source.
func parseCopyRange(h string, size int64) (byteRange, bool) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return byteRange{}, false
	}
	a, b, ok := strings.Cut(spec, "-")
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || first < 0 || last < first || last >= size {
		return byteRange{}, false
	}
	return byteRange{start: first, length: last - first + 1}, true
}

// CompleteMultipartUploadInput assembles an upload's parts into the object.
type CompleteMultipartUploadInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Key                 string `uri:"Key" required:"true"`
	UploadID            string `querystring:"uploadId" required:"true"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
	IfMatch             string `header:"If-Match"`
	IfNoneMatch         string `header:"If-None-Match"`
	ChecksumType        string `header:"x-amz-checksum-type"`
	MpuObjectSize       *int64 `header:"x-amz-mp-object-size"`
	ChecksumHeaders
	MultipartUpload *CompletedMultipartUpload `payload:"true"`
}

// CompletedMultipartUpload lists the parts to assemble.
type CompletedMultipartUpload struct {
	Parts []CompletedPart `xml:"Part"`
}

// CompletedPart names one part to assemble.
type CompletedPart struct {
	PartNumber int
	ETag       string
	ChecksumHeaders
}

// CompleteMultipartUploadOutput is CompleteMultipartUploadResult.
type CompleteMultipartUploadOutput struct {
	XMLName              xml.Name `xml:"CompleteMultipartUploadResult"`
	Location             string
	Bucket               string
	Key                  string
	ETag                 string
	ServerSideEncryption string `header:"x-amz-server-side-encryption" xml:"-"`
	SSEHeaders           `xml:"-"`
	ChecksumCRC32        string `xml:",omitempty"`
	ChecksumCRC32C       string `xml:",omitempty"`
	ChecksumCRC64NVME    string `xml:",omitempty"`
	ChecksumSHA1         string `xml:",omitempty"`
	ChecksumSHA256       string `xml:",omitempty"`
	ChecksumType         string `xml:",omitempty"`
}

func (s *Service) completeMultipartUpload(ctx context.Context, in *CompleteMultipartUploadInput) (*CompleteMultipartUploadOutput, error) {
	if in.MultipartUpload == nil || len(in.MultipartUpload.Parts) == 0 {
		return nil, errMalformedXML()
	}
	if len(in.MultipartUpload.Parts) > maxParts {
		return nil, errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "", "")
	}
	cond := writeConditions{ifMatch: in.IfMatch, ifNoneMatch: in.IfNoneMatch}
	var u *store.Upload
	var parts []*store.Part
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		if u, err = s.upload(tx, in.Bucket, in.Key, in.UploadID); err != nil {
			return err
		}
		if err := cond.check(tx, in.Bucket, in.Key); err != nil {
			return err
		}
		parts, err = s.chosenParts(tx, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := checkCompletedChecksums(u, in, parts); err != nil {
		return nil, err
	}
	o, w, err := s.assemble(ctx, u, parts)
	if err != nil {
		return nil, err
	}
	if in.MpuObjectSize != nil && *in.MpuObjectSize != o.Size {
		w.Abort()
		return nil, errInvalidRequest(fmt.Sprintf("The provided 'x-amz-mp-object-size' header value %d does not match what was computed: %d",
			*in.MpuObjectSize, o.Size))
	}
	if alg, want, err := in.ChecksumHeaders.given(); err != nil {
		w.Abort()
		return nil, err
	} else if want != "" {
		got := o.Checksum.Value
		if alg != o.Checksum.Algorithm || strings.TrimSuffix(got, "-"+strconv.Itoa(len(parts))) != strings.TrimSuffix(want, "-"+strconv.Itoa(len(parts))) {
			w.Abort()
			return nil, errBadDigest("The " + alg + " you specified did not match the calculated checksum.")
		}
	}
	id, err := w.Commit()
	if err != nil {
		return nil, err
	}
	o.BlobID = id
	var orphans []string
	err = s.store.Update(ctx, func(tx txn) error {
		if _, err := s.upload(tx, in.Bucket, in.Key, in.UploadID); err != nil {
			return err
		}
		if err := cond.check(tx, in.Bucket, in.Key); err != nil {
			return err
		}
		old, err := tx.PutObject(o)
		if err != nil {
			return err
		}
		partBlobs, err := tx.DeleteUpload(in.UploadID)
		orphans = append(old, partBlobs...)
		return err
	})
	if err != nil {
		s.removeBlobs([]string{id})
		return nil, err
	}
	s.removeBlobs(orphans)
	out := &CompleteMultipartUploadOutput{Location: "/" + in.Bucket + "/" + in.Key, Bucket: in.Bucket, Key: in.Key,
		ETag: o.ETag}
	out.ServerSideEncryption, out.SSEHeaders = sseHeaders(o.Encryption)
	if u.ChecksumAlgorithm != "" {
		out.ChecksumType = o.Checksum.Type
		switch o.Checksum.Algorithm {
		case algCRC32:
			out.ChecksumCRC32 = o.Checksum.Value
		case algCRC32C:
			out.ChecksumCRC32C = o.Checksum.Value
		case algCRC64NVME:
			out.ChecksumCRC64NVME = o.Checksum.Value
		case algSHA1:
			out.ChecksumSHA1 = o.Checksum.Value
		case algSHA256:
			out.ChecksumSHA256 = o.Checksum.Value
		}
	}
	return out, nil
}

// chosenParts checks the parts a Complete request lists, in order, against the uploaded
// ones and returns them.
func (s *Service) chosenParts(tx txn, in *CompleteMultipartUploadInput) ([]*store.Part, error) {
	uploaded := map[int]*store.Part{}
	after := 0
	for {
		page, err := tx.ListParts(in.UploadID, after, maxListParts)
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			uploaded[p.Number] = p
			after = p.Number
		}
		if len(page) < maxListParts {
			break
		}
	}
	chosen := make([]*store.Part, 0, len(in.MultipartUpload.Parts))
	prev := 0
	for _, cp := range in.MultipartUpload.Parts {
		if cp.PartNumber <= prev {
			return nil, s3Error(http.StatusBadRequest, "InvalidPartOrder",
				"The list of parts was not in ascending order. Parts must be ordered by part number.").With("UploadId", in.UploadID)
		}
		prev = cp.PartNumber
		p := uploaded[cp.PartNumber]
		if p == nil || normalizeETag(cp.ETag) != p.ETag {
			return nil, errInvalidPart(in.UploadID, cp.PartNumber, cp.ETag)
		}
		chosen = append(chosen, p)
	}
	for i, p := range chosen {
		if i < len(chosen)-1 && p.Size < minPartSize {
			return nil, s3Error(http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.").
				With("ProposedSize", strconv.FormatInt(p.Size, 10)).With("MinSizeAllowed", strconv.Itoa(minPartSize)).
				With("PartNumber", strconv.Itoa(p.Number)).With("ETag", p.ETag)
		}
	}
	return chosen, nil
}

func errInvalidPart(uploadID string, n int, etag string) error {
	return s3Error(http.StatusBadRequest, "InvalidPart",
		"One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.").
		With("UploadId", uploadID).With("PartNumber", strconv.Itoa(n)).With("ETag", etag)
}

// normalizeETag quotes an ETag as parts store it.
func normalizeETag(e string) string {
	e = strings.TrimSpace(e)
	if !strings.HasPrefix(e, `"`) {
		e = `"` + e + `"`
	}
	return e
}

// checkCompletedChecksums checks the part checksums a Complete request lists against
// the stored ones.
func checkCompletedChecksums(u *store.Upload, in *CompleteMultipartUploadInput, parts []*store.Part) error {
	for i, cp := range in.MultipartUpload.Parts {
		alg, value, err := cp.ChecksumHeaders.given()
		if err != nil {
			return err
		}
		if alg == "" {
			continue
		}
		if alg != parts[i].Checksum.Algorithm || value != parts[i].Checksum.Value {
			return errInvalidPart(in.UploadID, cp.PartNumber, cp.ETag)
		}
	}
	if u.ChecksumType == composite {
		for _, p := range parts {
			if p.Checksum.Value == "" {
				return errInvalidRequest("The upload was created using a " + strings.ToLower(u.ChecksumAlgorithm) +
					" checksum. The complete request must include the checksum for each part.")
			}
		}
	}
	return nil
}

// assemble concatenates the parts into a new blob, computing the object's ETag and its
// checksum: the upload's (composite or full-object), else a full-object CRC64NVME.
func (s *Service) assemble(ctx context.Context, u *store.Upload, parts []*store.Part) (*store.Object, *blob.Writer, error) {
	etags := md5.New()
	var size int64
	for _, p := range parts {
		raw, err := hex.DecodeString(strings.Trim(p.ETag, `"`))
		if err != nil {
			return nil, nil, fmt.Errorf("part %d etag: %w", p.Number, err)
		}
		etags.Write(raw)
		size += p.Size
	}
	o := &store.Object{Bucket: u.Bucket, Key: u.Key, Size: size,
		ETag:         `"` + hex.EncodeToString(etags.Sum(nil)) + "-" + strconv.Itoa(len(parts)) + `"`,
		LastModified: s.now(), Headers: u.Headers, Tags: u.Tags, PartsCount: len(parts)}
	fullAlg := ""
	switch {
	case u.ChecksumType == composite:
		values := make([]string, len(parts))
		for i, p := range parts {
			values[i] = p.Checksum.Value
		}
		v, err := compositeChecksum(u.ChecksumAlgorithm, values)
		if err != nil {
			return nil, nil, err
		}
		o.Checksum = store.Checksum{Algorithm: u.ChecksumAlgorithm, Type: composite, Value: v}
	case u.ChecksumAlgorithm != "":
		fullAlg = u.ChecksumAlgorithm
	default:
		fullAlg = algCRC64NVME
	}
	var sum hash.Hash
	if fullAlg != "" {
		sum = newChecksum(fullAlg)
	}
	var w *blob.Writer
	var err error
	if len(u.Encryption.DataKey) > 0 {
		o.Encryption = u.Encryption
		w, err = s.assembleSealed(ctx, u, parts, size, sum)
	} else {
		w, err = s.blobs.Create(size)
		for _, p := range parts {
			if err != nil {
				break
			}
			if err = s.appendBlob(w, p.BlobID, p.Size, sum); err != nil {
				w.Abort()
				err = fmt.Errorf("assemble part %d: %w", p.Number, err)
			}
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if fullAlg != "" {
		o.Checksum = store.Checksum{Algorithm: fullAlg, Type: fullObject, Value: encodeSum(sum.Sum(nil))}
	}
	return o, w, nil
}

// AbortMultipartUpload and ListParts name an upload.

// UploadInput names a multipart upload.
type UploadInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Key                 string `uri:"Key" required:"true"`
	UploadID            string `querystring:"uploadId" required:"true"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
}

func (s *Service) abortMultipartUpload(ctx context.Context, in *UploadInput) (*NoOutput, error) {
	var orphans []string
	err := s.store.Update(ctx, func(tx txn) error {
		if _, err := s.upload(tx, in.Bucket, in.Key, in.UploadID); err != nil {
			return err
		}
		var err error
		orphans, err = tx.DeleteUpload(in.UploadID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.removeBlobs(orphans)
	return &NoOutput{}, nil
}

// ListPartsInput pages through an upload's parts.
type ListPartsInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Key                 string `uri:"Key" required:"true"`
	UploadID            string `querystring:"uploadId" required:"true"`
	MaxParts            *int   `querystring:"max-parts"`
	PartNumberMarker    int    `querystring:"part-number-marker"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
}

// ListPartsOutput is ListPartsResult.
type ListPartsOutput struct {
	XMLName              xml.Name `xml:"ListPartsResult"`
	Bucket               string
	Key                  string
	UploadID             string `xml:"UploadId"`
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	Parts                []PartSummary `xml:"Part"`
	Initiator            *Initiator
	Owner                *Owner
	StorageClass         string
	ChecksumAlgorithm    string `xml:",omitempty"`
	ChecksumType         string `xml:",omitempty"`
}

// PartSummary is one part in ListParts.
type PartSummary struct {
	PartNumber   int
	LastModified Timestamp
	ETag         string
	Size         int64
	ChecksumHeaders
}

// Initiator is who started an upload.
type Initiator struct {
	ID          string
	DisplayName string `xml:",omitempty"`
}

func (s *Service) listParts(ctx context.Context, in *ListPartsInput) (*ListPartsOutput, error) {
	max := maxListParts
	if in.MaxParts != nil {
		if *in.MaxParts < 0 {
			return nil, errInvalidArgument("Argument max-parts must be an integer between 0 and 2147483647", "max-parts", itoa(*in.MaxParts))
		}
		max = min(*in.MaxParts, maxListParts)
	}
	if in.PartNumberMarker < 0 {
		return nil, errInvalidArgument("Argument part-number-marker must be an integer between 0 and 2147483647", "part-number-marker", itoa(in.PartNumberMarker))
	}
	out := &ListPartsOutput{Bucket: in.Bucket, Key: in.Key, UploadID: in.UploadID, PartNumberMarker: in.PartNumberMarker,
		MaxParts: max, StorageClass: "STANDARD", Parts: []PartSummary{}}
	err := s.store.View(ctx, func(tx txn) error {
		u, err := s.upload(tx, in.Bucket, in.Key, in.UploadID)
		if err != nil {
			return err
		}
		b, err := tx.Bucket(in.Bucket)
		if err != nil {
			return err
		}
		out.Initiator = &Initiator{ID: u.Initiator}
		out.Owner = ownerOf(b.AccountID)
		out.ChecksumAlgorithm, out.ChecksumType = u.ChecksumAlgorithm, u.ChecksumType
		if max == 0 {
			return nil
		}
		parts, err := tx.ListParts(in.UploadID, in.PartNumberMarker, max+1)
		if err != nil {
			return err
		}
		if len(parts) > max {
			parts, out.IsTruncated = parts[:max], true
		}
		for _, p := range parts {
			ps := PartSummary{PartNumber: p.Number, LastModified: Timestamp(p.LastModified), ETag: p.ETag, Size: p.Size}
			if p.Checksum.Algorithm != "" {
				ps.ChecksumHeaders = checksumFor(p.Checksum.Algorithm, p.Checksum.Value)
			}
			out.Parts = append(out.Parts, ps)
			out.NextPartNumberMarker = p.Number
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListMultipartUploadsInput pages through a bucket's uploads in progress.
type ListMultipartUploadsInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Delimiter           string `querystring:"delimiter"`
	EncodingType        string `querystring:"encoding-type"`
	KeyMarker           string `querystring:"key-marker"`
	MaxUploads          *int   `querystring:"max-uploads"`
	Prefix              string `querystring:"prefix"`
	UploadIDMarker      string `querystring:"upload-id-marker"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
}

// ListMultipartUploadsOutput is ListMultipartUploadsResult.
type ListMultipartUploadsOutput struct {
	XMLName            xml.Name `xml:"ListMultipartUploadsResult"`
	Bucket             string
	KeyMarker          string
	UploadIDMarker     string `xml:"UploadIdMarker"`
	NextKeyMarker      string
	NextUploadIDMarker string `xml:"NextUploadIdMarker"`
	Prefix             string
	Delimiter          string `xml:",omitempty"`
	MaxUploads         int
	IsTruncated        bool
	EncodingType       string          `xml:",omitempty"`
	Uploads            []UploadSummary `xml:"Upload"`
	CommonPrefixes     []CommonPrefix  `xml:"CommonPrefixes"`
}

// UploadSummary is one upload in ListMultipartUploads.
type UploadSummary struct {
	UploadID          string `xml:"UploadId"`
	Key               string
	Initiated         Timestamp
	StorageClass      string
	Owner             *Owner
	Initiator         *Initiator
	ChecksumAlgorithm string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
}

func (s *Service) listMultipartUploads(ctx context.Context, in *ListMultipartUploadsInput) (*ListMultipartUploadsOutput, error) {
	max, err := checkListArgs(in.MaxUploads, in.EncodingType)
	if err != nil {
		return nil, err
	}
	enc := encoder(in.EncodingType)
	out := &ListMultipartUploadsOutput{Bucket: in.Bucket, KeyMarker: enc(in.KeyMarker), UploadIDMarker: in.UploadIDMarker,
		Prefix: enc(in.Prefix), Delimiter: enc(in.Delimiter), MaxUploads: max, EncodingType: in.EncodingType}
	err = s.store.View(ctx, func(tx txn) error {
		b, err := tx.Bucket(in.Bucket)
		if errors.Is(err, store.ErrNotFound) {
			return errNoSuchBucket(in.Bucket)
		} else if err != nil {
			return err
		}
		owner := ownerOf(b.AccountID)
		q := store.UploadQuery{Prefix: in.Prefix, KeyMarker: in.KeyMarker, UploadIDMarker: in.UploadIDMarker, Limit: maxListUploads + 1}
		if in.UploadIDMarker == "" {
			q.UploadIDMarker = ""
		}
		lastPrefix := ""
		for max > 0 {
			page, err := tx.ListUploads(in.Bucket, q)
			if err != nil {
				return err
			}
			for _, u := range page {
				q.KeyMarker, q.UploadIDMarker = u.Key, u.ID
				cp := ""
				if in.Delimiter != "" {
					if i := strings.Index(u.Key[len(in.Prefix):], in.Delimiter); i >= 0 {
						cp = u.Key[:len(in.Prefix)+i+len(in.Delimiter)]
					}
				}
				if cp != "" && cp == lastPrefix {
					continue
				}
				if len(out.Uploads)+len(out.CommonPrefixes) == max {
					out.IsTruncated = true
					return nil
				}
				if cp != "" {
					lastPrefix = cp
					out.CommonPrefixes = append(out.CommonPrefixes, CommonPrefix{Prefix: enc(cp)})
					out.NextKeyMarker, out.NextUploadIDMarker = enc(cp), ""
					continue
				}
				out.Uploads = append(out.Uploads, UploadSummary{UploadID: u.ID, Key: enc(u.Key), Initiated: Timestamp(u.Initiated),
					StorageClass: "STANDARD", Owner: owner, Initiator: &Initiator{ID: u.Initiator},
					ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType})
				out.NextKeyMarker, out.NextUploadIDMarker = enc(u.Key), u.ID
			}
			if len(page) <= maxListUploads {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !out.IsTruncated {
		out.NextKeyMarker, out.NextUploadIDMarker = "", ""
	}
	return out, nil
}

// assembleSealed makes an SSE-KMS upload's object: each part is opened with its own key
// and its bytes sealed again into the object's chunks under the upload's data key, which
// KMS decrypts as the caller. The object is then like one PutObject made, so GET and
// its ranges read it as any other.
func (s *Service) assembleSealed(ctx context.Context, u *store.Upload, parts []*store.Part, size int64, sum hash.Hash) (*blob.Writer, error) {
	key, err := s.dataKey(ctx, u.Encryption)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	aead, err := dataKeyAEAD(key)
	if err != nil {
		return nil, err
	}
	w, err := s.blobs.Create(sealedSize(size))
	if err != nil {
		return nil, err
	}
	sw := newSealingWriter(w, aead)
	var dst io.Writer = sw
	if sum != nil {
		dst = io.MultiWriter(sum, sw)
	}
	buf := s.getBuffer()
	defer s.putBuffer(buf)
	for _, p := range parts {
		if err := s.appendPart(dst, p, key, *buf); err != nil {
			w.Abort()
			return nil, fmt.Errorf("assemble part %d: %w", p.Number, err)
		}
	}
	if err := sw.Close(); err != nil {
		w.Abort()
		return nil, fmt.Errorf("assemble: %w", err)
	}
	return w, nil
}

// appendPart writes a sealed part's plaintext to dst.
func (s *Service) appendPart(dst io.Writer, p *store.Part, dataKey, buf []byte) error {
	f, err := s.blobs.Open(p.BlobID)
	if errors.Is(err, blob.ErrNotFound) {
		return s3Error(http.StatusConflict, "OperationAborted",
			"A conflicting conditional operation is currently in progress against this resource. Please try again.")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := openPart(f, dataKey, p.Size)
	if err != nil {
		return err
	}
	n, err := io.CopyBuffer(dst, r, buf)
	if err == nil && n != p.Size {
		err = fmt.Errorf("%d of %d bytes", n, p.Size)
	}
	return err
}
