package s3

import (
	"context"
	"crypto/cipher"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/blob"
	"github.com/cairnhq/cairn/internal/store"
)

// ObjectInput names an object.
type ObjectInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Key                 string `uri:"Key" required:"true"`
	VersionID           string `querystring:"versionId"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
}

// object reads an object; a missing one is NoSuchKey (or NoSuchBucket).
func (s *Service) object(ctx context.Context, bucket, key string) (*store.Object, error) {
	var o *store.Object
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		o, err = tx.Object(bucket, key)
		if errors.Is(err, store.ErrNotFound) {
			return s.missing(tx, bucket, key)
		}
		return err
	})
	return o, err
}

// missing explains a missing object: NoSuchBucket when its bucket is gone, else NoSuchKey.
func (s *Service) missing(tx txn, bucket, key string) error {
	if _, err := tx.Bucket(bucket); errors.Is(err, store.ErrNotFound) {
		return errNoSuchBucket(bucket)
	} else if err != nil {
		return err
	}
	return errNoSuchKey(key)
}

// quotedETag renders an MD5 as S3's ETag.
func quotedETag(md5sum []byte) string { return `"` + hex.EncodeToString(md5sum) + `"` }

// PutObjectInput uploads an object.
type PutObjectInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Key                 string `uri:"Key" required:"true"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
	IfMatch             string `header:"If-Match"`
	IfNoneMatch         string `header:"If-None-Match"`
	WriteHeaders
	IntegrityHeaders
	Body *awsproto.Body `payload:"true"`
}

// PutObjectOutput describes the stored object.
type PutObjectOutput struct {
	ETag                 string `header:"ETag"`
	ServerSideEncryption string `header:"x-amz-server-side-encryption"`
	SSEHeaders
	ChecksumType string `header:"x-amz-checksum-type"`
	Size         *int64 `header:"x-amz-object-size"`
	ChecksumHeaders
}

func (s *Service) putObject(ctx context.Context, in *PutObjectInput) (*PutObjectOutput, error) {
	if err := checkObjectName(in.Bucket, in.Key); err != nil {
		return nil, err
	}
	if err := in.WriteHeaders.check(); err != nil {
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
	if in.IfNoneMatch != "" && in.IfNoneMatch != "*" {
		return nil, errNotImplemented("A header you provided implies functionality that is not implemented: If-None-Match takes only *.")
	}
	plan, err := in.IntegrityHeaders.plan(algCRC64NVME)
	if err != nil {
		return nil, err
	}
	if err := checkLength(in.Body); err != nil {
		return nil, err
	}
	cond := writeConditions{ifMatch: in.IfMatch, ifNoneMatch: in.IfNoneMatch}
	if cond.any() {
		// Fail before reading the body when the answer is already known.
		if err := s.store.View(ctx, func(tx txn) error { return cond.check(tx, in.Bucket, in.Key) }); err != nil {
			return nil, err
		}
	}
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
	body, err := s.ingestSealed(in.Body, plan, sl)
	if err != nil {
		return nil, err
	}
	o := &store.Object{Bucket: in.Bucket, Key: in.Key, Size: body.size, ETag: quotedETag(body.md5),
		LastModified: s.now(), Headers: headers, Tags: tags,
		Checksum: store.Checksum{Algorithm: plan.alg, Type: fullObject, Value: body.checksum}}
	if sl != nil {
		o.Encryption = sl.enc
	}
	if err := s.commitObject(ctx, body.w, o, cond); err != nil {
		return nil, err
	}
	alg, h := sseHeaders(o.Encryption)
	return &PutObjectOutput{ETag: o.ETag, ServerSideEncryption: alg, SSEHeaders: h, ChecksumType: fullObject,
		ChecksumHeaders: checksumFor(plan.alg, body.checksum)}, nil
}

// writeConditions are the preconditions of a write: If-Match (the current object's ETag)
// and If-None-Match: * (no current object).
type writeConditions struct {
	ifMatch, ifNoneMatch string
}

func (c writeConditions) any() bool { return c.ifMatch != "" || c.ifNoneMatch != "" }

// check tests the conditions against the current object, in a transaction.
func (c writeConditions) check(tx txn, bucket, key string) error {
	if !c.any() {
		return nil
	}
	if _, err := tx.Bucket(bucket); errors.Is(err, store.ErrNotFound) {
		return errNoSuchBucket(bucket)
	} else if err != nil {
		return err
	}
	cur, err := tx.Object(bucket, key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if c.ifNoneMatch == "*" && cur != nil {
		return errPreconditionFailed("If-None-Match")
	}
	if c.ifMatch != "" {
		if cur == nil {
			return errNoSuchKey(key)
		}
		if !etagMatches(c.ifMatch, cur.ETag) {
			return errPreconditionFailed("If-Match")
		}
	}
	return nil
}

// commitObject makes the blob durable and records the object in one transaction, under
// the write's conditions. On failure the blob is discarded.
func (s *Service) commitObject(ctx context.Context, w *blob.Writer, o *store.Object, cond writeConditions) error {
	id, err := w.Commit()
	if err != nil {
		return err
	}
	o.BlobID = id
	var orphans []string
	err = s.writes.update(ctx, func(tx txn) error {
		if err := cond.check(tx, o.Bucket, o.Key); err != nil {
			return err
		}
		var err error
		orphans, err = tx.PutObject(o)
		if errors.Is(err, store.ErrNotFound) {
			return errNoSuchBucket(o.Bucket)
		}
		return err
	})
	if err != nil {
		s.removeBlobs([]string{id})
		return err
	}
	s.removeBlobs(orphans)
	return nil
}

// GetObjectInput reads an object or its headers.
type GetObjectInput struct {
	Bucket                     string `uri:"Bucket" required:"true"`
	Key                        string `uri:"Key" required:"true"`
	VersionID                  string `querystring:"versionId"`
	PartNumber                 *int   `querystring:"partNumber"`
	ResponseCacheControl       string `querystring:"response-cache-control"`
	ResponseContentDisposition string `querystring:"response-content-disposition"`
	ResponseContentEncoding    string `querystring:"response-content-encoding"`
	ResponseContentLanguage    string `querystring:"response-content-language"`
	ResponseContentType        string `querystring:"response-content-type"`
	ResponseExpires            string `querystring:"response-expires"`
	IfMatch                    string `header:"If-Match"`
	IfNoneMatch                string `header:"If-None-Match"`
	IfModifiedSince            string `header:"If-Modified-Since"`
	IfUnmodifiedSince          string `header:"If-Unmodified-Since"`
	Range                      string `header:"Range"`
	ChecksumMode               string `header:"x-amz-checksum-mode"`
	ExpectedBucketOwner        string `header:"x-amz-expected-bucket-owner"`
	SSECustomerAlgorithm       string `header:"x-amz-server-side-encryption-customer-algorithm"`

	current *store.Object // read while authorizing
}

// GetObjectOutput is an object's headers and, for GetObject, its bytes.
type GetObjectOutput struct {
	Status               int               `status:"true"`
	Body                 io.ReadCloser     `payload:"true"`
	AcceptRanges         string            `header:"Accept-Ranges"`
	LastModified         time.Time         `header:"Last-Modified"`
	ContentLength        int64             `header:"Content-Length"`
	ContentRange         string            `header:"Content-Range"`
	ETag                 string            `header:"ETag"`
	ContentType          string            `header:"Content-Type"`
	ContentEncoding      string            `header:"Content-Encoding"`
	ContentDisposition   string            `header:"Content-Disposition"`
	ContentLanguage      string            `header:"Content-Language"`
	CacheControl         string            `header:"Cache-Control"`
	Expires              string            `header:"Expires"`
	Metadata             map[string]string `headerPrefix:"x-amz-meta-"`
	PartsCount           int               `header:"x-amz-mp-parts-count"`
	TagCount             int               `header:"x-amz-tagging-count"`
	ServerSideEncryption string            `header:"x-amz-server-side-encryption"`
	SSEHeaders
	ChecksumType string `header:"x-amz-checksum-type"`
	ChecksumHeaders
}

// defaultContentType is what S3 serves for an object stored without a Content-Type.
const defaultContentType = "binary/octet-stream"

// readObject answers GetObject and HeadObject: the object's headers, the range to serve
// and, when body is set, the open blob.
func (s *Service) readObject(ctx context.Context, in *GetObjectInput, body bool) (*GetObjectOutput, error) {
	if err := checkKey(in.Key); err != nil {
		return nil, err
	}
	if in.VersionID != "" && in.VersionID != "null" {
		return nil, errInvalidArgument("Invalid version id specified", "versionId", in.VersionID)
	}
	if in.SSECustomerAlgorithm != "" {
		return nil, errInvalidRequest("The encryption parameters are not applicable to this object.")
	}
	// The blob of an object replaced between reading its record and opening its file is
	// gone; read the record again.
	for attempt := 0; ; attempt++ {
		o := in.current
		in.current = nil
		if o == nil {
			var err error
			if o, err = s.object(ctx, in.Bucket, in.Key); err != nil {
				return nil, err
			}
		}
		out, start, err := s.objectOutput(o, in)
		if err != nil || !body {
			return out, err
		}
		var aead cipher.AEAD
		if len(o.Encryption.DataKey) > 0 {
			if aead, err = s.opener(ctx, o.Encryption); err != nil {
				return nil, err
			}
		}
		f, err := s.blobs.Open(o.BlobID)
		if errors.Is(err, blob.ErrNotFound) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("open object %s/%s: %w", in.Bucket, in.Key, err)
		}
		if aead != nil {
			out.Body = newOpeningReader(f, aead, o.Size, start, out.ContentLength)
			return out, nil
		}
		out.Body = &objectReader{r: f, off: start, n: out.ContentLength, s: s}
		return out, nil
	}
}

// objectOutput builds the headers of a read of o, after its preconditions and range, and
// returns the offset the body starts at.
func (s *Service) objectOutput(o *store.Object, in *GetObjectInput) (*GetObjectOutput, int64, error) {
	cond := Conditions{IfMatch: in.IfMatch, IfNoneMatch: in.IfNoneMatch, IfModifiedSince: in.IfModifiedSince,
		IfUnmodifiedSince: in.IfUnmodifiedSince}
	if err := cond.check(o, false); err != nil {
		return nil, 0, err
	}
	h := o.Headers
	out := &GetObjectOutput{
		Status: http.StatusOK, AcceptRanges: "bytes", LastModified: o.LastModified, ContentLength: o.Size, ETag: o.ETag,
		ContentType: h.ContentType, ContentEncoding: h.ContentEncoding, ContentDisposition: h.ContentDisposition,
		ContentLanguage: h.ContentLanguage, CacheControl: h.CacheControl, Expires: h.Expires, Metadata: h.Metadata,
		PartsCount: o.PartsCount, TagCount: len(o.Tags),
	}
	out.ServerSideEncryption, out.SSEHeaders = sseHeaders(o.Encryption)
	if out.ContentType == "" {
		out.ContentType = defaultContentType
	}
	whole, start := true, int64(0)
	if in.PartNumber != nil {
		if *in.PartNumber < 1 || *in.PartNumber > maxParts {
			return nil, 0, errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", strconv.Itoa(*in.PartNumber))
		}
		if o.PartsCount > 0 || *in.PartNumber != 1 {
			return nil, 0, errNotImplemented("Reading one part of a multipart object by partNumber is not supported; use a Range.")
		}
		if o.Size > 0 {
			out.Status = http.StatusPartialContent
			out.ContentRange = fmt.Sprintf("bytes 0-%d/%d", o.Size-1, o.Size)
		}
	} else if in.Range != "" {
		r, ok, err := parseRange(in.Range, o.Size)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			whole, start = r.start == 0 && r.length == o.Size, r.start
			out.Status = http.StatusPartialContent
			out.ContentLength = r.length
			out.ContentRange = fmt.Sprintf("bytes %d-%d/%d", r.start, r.start+r.length-1, o.Size)
		}
	}
	if whole && in.ChecksumMode == "ENABLED" && o.Checksum.Algorithm != "" {
		out.ChecksumType = o.Checksum.Type
		out.ChecksumHeaders = checksumFor(o.Checksum.Algorithm, o.Checksum.Value)
	}
	for _, r := range []struct {
		dst *string
		v   string
	}{
		{&out.CacheControl, in.ResponseCacheControl}, {&out.ContentDisposition, in.ResponseContentDisposition},
		{&out.ContentEncoding, in.ResponseContentEncoding}, {&out.ContentLanguage, in.ResponseContentLanguage},
		{&out.ContentType, in.ResponseContentType}, {&out.Expires, in.ResponseExpires},
	} {
		if r.v != "" {
			*r.dst = r.v
		}
	}
	return out, start, nil
}

func (s *Service) getObject(ctx context.Context, in *GetObjectInput) (*GetObjectOutput, error) {
	return s.readObject(ctx, in, true)
}

func (s *Service) headObject(ctx context.Context, in *GetObjectInput) (*GetObjectOutput, error) {
	return s.readObject(ctx, in, false)
}

// objectReader streams a range of a blob into the response: by sendfile when the
// connection allows, else through a pooled buffer.
type objectReader struct {
	r   *blob.Reader
	off int64
	n   int64
	s   *Service
	pos int64
}

func (o *objectReader) Read(p []byte) (int, error) {
	if o.pos >= o.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), o.n-o.pos)]
	m, err := o.r.ReadAt(p, o.off+o.pos)
	o.pos += int64(m)
	if err == io.EOF && o.pos < o.n {
		err = io.ErrUnexpectedEOF
	} else if err == io.EOF {
		err = nil
	}
	return m, err
}

// WriteTo copies the rest of the range to w.
func (o *objectReader) WriteTo(w io.Writer) (int64, error) {
	src, err := o.r.Section(o.off+o.pos, o.n-o.pos)
	if err != nil {
		return 0, err
	}
	if rf, ok := unwrapResponse(w).(io.ReaderFrom); ok {
		n, err := rf.ReadFrom(src)
		o.pos += n
		return n, err
	}
	buf := o.s.getBuffer()
	defer o.s.putBuffer(buf)
	n, err := io.CopyBuffer(struct{ io.Writer }{w}, src, *buf)
	o.pos += n
	return n, err
}

func (o *objectReader) Close() error { return o.r.Close() }

// unwrapResponse returns the innermost http.ResponseWriter under w's wrappers, whose
// ReadFrom can hand a file to the kernel.
func unwrapResponse(w io.Writer) io.Writer {
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}

// DeleteObjectOutput answers DeleteObject.
type DeleteObjectOutput struct {
	DeleteMarker string `header:"x-amz-delete-marker"`
	VersionID    string `header:"x-amz-version-id"`
}

func (s *Service) deleteObject(ctx context.Context, in *ObjectInput) (*DeleteObjectOutput, error) {
	if err := checkObjectName(in.Bucket, in.Key); err != nil {
		return nil, err
	}
	var orphans []string
	err := s.store.Update(ctx, func(tx txn) error {
		var err error
		orphans, err = tx.DeleteObject(in.Bucket, in.Key)
		if errors.Is(err, store.ErrNotFound) {
			// Deleting a missing key succeeds; only a missing bucket is an error.
			var e *operation.Error
			if err := s.missing(tx, in.Bucket, in.Key); !errors.As(err, &e) || e.Code != "NoSuchKey" {
				return err
			}
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.removeBlobs(orphans)
	return &DeleteObjectOutput{}, nil
}

// maxDeleteKeys bounds one DeleteObjects request.
const maxDeleteKeys = 1000

// DeleteObjectsInput deletes many objects.
type DeleteObjectsInput struct {
	Bucket              string  `uri:"Bucket" required:"true"`
	ExpectedBucketOwner string  `header:"x-amz-expected-bucket-owner"`
	Delete              *Delete `payload:"true" required:"true"`
}

// Delete is the body of DeleteObjects.
type Delete struct {
	Objects []ObjectIdentifier `xml:"Object"`
	Quiet   bool
}

// ObjectIdentifier names one object to delete.
type ObjectIdentifier struct {
	Key       string
	VersionID string `xml:"VersionId"`
}

// DeleteObjectsOutput is DeleteResult.
type DeleteObjectsOutput struct {
	XMLName xml.Name        `xml:"DeleteResult"`
	Deleted []DeletedObject `xml:"Deleted"`
	Errors  []DeleteError   `xml:"Error"`
}

// DeletedObject is a key DeleteObjects deleted (or found absent).
type DeletedObject struct {
	Key string
}

// DeleteError is a key DeleteObjects could not delete.
type DeleteError struct {
	Key     string
	Code    string
	Message string
}

func (s *Service) deleteObjects(ctx context.Context, in *DeleteObjectsInput) (*DeleteObjectsOutput, error) {
	if len(in.Delete.Objects) == 0 || len(in.Delete.Objects) > maxDeleteKeys {
		return nil, errMalformedXML()
	}
	out := &DeleteObjectsOutput{}
	var orphans []string
	err := s.store.Update(ctx, func(tx txn) error {
		out.Deleted, out.Errors, orphans = nil, nil, nil
		if _, err := tx.Bucket(in.Bucket); errors.Is(err, store.ErrNotFound) {
			return errNoSuchBucket(in.Bucket)
		} else if err != nil {
			return err
		}
		for _, o := range in.Delete.Objects {
			if err := checkKey(o.Key); err != nil || o.Key == "" {
				out.Errors = append(out.Errors, DeleteError{Key: o.Key, Code: "InvalidArgument", Message: "Invalid key"})
				continue
			}
			if denied := operation.Denied(ctx, objectARN(in.Bucket, o.Key)); denied != nil {
				out.Errors = append(out.Errors, DeleteError{Key: o.Key, Code: "AccessDenied", Message: "Access Denied"})
				continue
			}
			if o.VersionID != "" && o.VersionID != "null" {
				out.Errors = append(out.Errors, DeleteError{Key: o.Key, Code: "NoSuchVersion",
					Message: "The specified version does not exist."})
				continue
			}
			ids, err := tx.DeleteObject(in.Bucket, o.Key)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			orphans = append(orphans, ids...)
			if !in.Delete.Quiet {
				out.Deleted = append(out.Deleted, DeletedObject{Key: o.Key})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.removeBlobs(orphans)
	return out, nil
}
