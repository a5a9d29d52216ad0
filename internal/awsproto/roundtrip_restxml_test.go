package awsproto_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/operation"
)

// Cairn-side shapes of S3 (restXml): members in the URI, the query string and headers, a
// streamed payload, and XML documents.
type (
	s3PutObjectInput struct {
		Bucket                    string            `uri:"Bucket" required:"true"`
		Key                       string            `uri:"Key" required:"true"`
		ContentType               *string           `header:"Content-Type"`
		ContentLength             *int64            `header:"Content-Length"`
		CacheControl              *string           `header:"Cache-Control"`
		Expires                   *time.Time        `header:"Expires"`
		Metadata                  map[string]string `headerPrefix:"x-amz-meta-"`
		Tagging                   *string           `header:"x-amz-tagging"`
		StorageClass              string            `header:"x-amz-storage-class"`
		ObjectLockRetainUntilDate *time.Time        `header:"x-amz-object-lock-retain-until-date"`
		BucketKeyEnabled          *bool             `header:"x-amz-server-side-encryption-bucket-key-enabled"`
		Body                      *awsproto.Body    `payload:"true"`
	}
	s3PutObjectOutput struct {
		ETag             string `header:"ETag"`
		VersionID        string `header:"x-amz-version-id"`
		Size             *int64 `header:"x-amz-object-size"`
		BucketKeyEnabled bool   `header:"x-amz-server-side-encryption-bucket-key-enabled"`
	}
	s3GetObjectInput struct {
		Bucket              string     `uri:"Bucket" required:"true"`
		Key                 string     `uri:"Key" required:"true"`
		VersionID           string     `querystring:"versionId"`
		PartNumber          *int32     `querystring:"partNumber"`
		ResponseContentType string     `querystring:"response-content-type"`
		Range               string     `header:"Range"`
		IfModifiedSince     *time.Time `header:"If-Modified-Since"`
		IfNoneMatch         string     `header:"If-None-Match"`
		ChecksumMode        string     `header:"x-amz-checksum-mode"`
	}
	s3GetObjectOutput struct {
		Body                      io.ReadCloser     `payload:"true"`
		Status                    int               `status:"true"`
		ContentLength             int64             `header:"Content-Length"`
		ContentRange              string            `header:"Content-Range"`
		ContentType               string            `header:"Content-Type"`
		ETag                      string            `header:"ETag"`
		LastModified              time.Time         `header:"Last-Modified"`
		ObjectLockRetainUntilDate *time.Time        `header:"x-amz-object-lock-retain-until-date" timestampFormat:"date-time"`
		Metadata                  map[string]string `headerPrefix:"x-amz-meta-"`
		TagCount                  *int32            `header:"x-amz-tagging-count"`
		DeleteMarker              *bool             `header:"x-amz-delete-marker"`
		VersionID                 string            `header:"x-amz-version-id"`
		StorageClass              string            `header:"x-amz-storage-class"`
	}
	s3ListObjectsV2Input struct {
		Bucket                   string   `uri:"Bucket" required:"true"`
		Prefix                   *string  `querystring:"prefix"`
		Delimiter                *string  `querystring:"delimiter"`
		MaxKeys                  *int32   `querystring:"max-keys"`
		ContinuationToken        *string  `querystring:"continuation-token"`
		StartAfter               *string  `querystring:"start-after"`
		FetchOwner               *bool    `querystring:"fetch-owner"`
		EncodingType             string   `querystring:"encoding-type"`
		ExpectedBucketOwner      string   `header:"x-amz-expected-bucket-owner"`
		OptionalObjectAttributes []string `header:"x-amz-optional-object-attributes"`
	}
	s3Owner struct {
		ID          string
		DisplayName string `xml:",omitempty"`
	}
	s3Object struct {
		Key               string
		LastModified      time.Time
		ETag              string
		ChecksumAlgorithm []string `xml:",omitempty"`
		Size              int64
		StorageClass      string
		Owner             *s3Owner `xml:",omitempty"`
	}
	s3CommonPrefix struct {
		Prefix string
	}
	s3ListObjectsV2Output struct {
		XMLName               xml.Name `xml:"ListBucketResult"`
		Name                  string
		Prefix                string
		Delimiter             string `xml:",omitempty"`
		MaxKeys               int32
		KeyCount              int32
		IsTruncated           bool
		ContinuationToken     string `xml:",omitempty"`
		NextContinuationToken string `xml:",omitempty"`
		EncodingType          string `xml:",omitempty"`
		Contents              []s3Object
		CommonPrefixes        []s3CommonPrefix
		RequestCharged        string `header:"x-amz-request-charged" xml:"-"`
	}
	s3Tag struct {
		Key   string
		Value string
	}
	s3Tagging struct {
		TagSet []s3Tag `xml:"TagSet>Tag"`
	}
	s3PutBucketTaggingInput struct {
		Bucket     string     `uri:"Bucket" required:"true"`
		ContentMD5 string     `header:"Content-MD5"`
		Tagging    *s3Tagging `payload:"true" xml:"Tagging"`
	}
	s3NoOutput struct{}
)

// s3Service is a restXml service spelled as S3 is.
func s3Service(ops ...*operation.Operation) *awsproto.Service {
	return awsproto.NewService(awsproto.Service{Name: "s3", Protocol: awsproto.RestXML, Streaming: true,
		XMLNamespace: "http://s3.amazonaws.com/doc/2006-03-01/", ValidationCode: "InvalidArgument",
		AccessDeniedCode: "AccessDenied", Subresources: []string{"tagging", "uploads", "uploadId"}}, ops...)
}

// s3Client is an S3 client whose requests l serves, path-style.
func s3Client(l *loopback) *s3.Client {
	return s3.NewFromConfig(l.config(), func(o *s3.Options) { o.UsePathStyle = true })
}

// putObjectHandler declares PutObject reading the whole streamed body into *payload.
func putObjectHandler(got **s3PutObjectInput, payload *[]byte, out *s3PutObjectOutput) *operation.Operation {
	return operation.Declare(operation.Op[s3PutObjectInput, s3PutObjectOutput]{Name: "PutObject",
		Route: operation.Route{Method: http.MethodPut, Path: "/{Bucket}/{Key+}"},
		Handler: func(_ context.Context, in *s3PutObjectInput) (*s3PutObjectOutput, error) {
			*got = in
			b, err := io.ReadAll(in.Body)
			if err != nil {
				return nil, err
			}
			*payload = b
			return out, nil
		}})
}

func TestRestXMLRoundTripPutObject(t *testing.T) {
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	retain := time.Date(2031, 6, 7, 8, 9, 10, 0, time.UTC)
	key := "dir a/b+c&d=e%f/ünï©ødé?.txt"
	content := "hello, object\n" + strings.Repeat("x", 5000)
	var got *s3PutObjectInput
	var payload []byte
	l := &loopback{svc: s3Service(putObjectHandler(&got, &payload, &s3PutObjectOutput{
		ETag: `"5d41402abc4b2a76b9719d911017c592"`, VersionID: "v1", Size: aws.Int64(int64(len(content))), BucketKeyEnabled: true}))}
	res, err := s3Client(l).PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String("my-bucket"), Key: aws.String(key), Body: strings.NewReader(content),
		ContentType: aws.String("text/plain; charset=utf-8"), CacheControl: aws.String("no-cache"),
		Expires:  aws.Time(expires),
		Metadata: map[string]string{"Team": "ml", "run-id": "7"},
		Tagging:  aws.String("project=churn&stage=train"), StorageClass: s3types.StorageClassStandardIa,
		ObjectLockRetainUntilDate: aws.Time(retain), BucketKeyEnabled: aws.Bool(false),
	})
	if err != nil {
		t.Fatalf("PutObject: %v (answer %d %s)", err, l.status, l.body)
	}
	if got == nil {
		t.Fatal("the operation did not run")
	}
	if string(payload) != content {
		t.Errorf("handler read %d bytes %.40q, want %d", len(payload), payload, len(content))
	}
	if got.Body.Length != int64(len(content)) {
		t.Errorf("Body.Length %d, want %d", got.Body.Length, len(content))
	}
	got.Body = nil
	want := &s3PutObjectInput{Bucket: "my-bucket", Key: key, ContentType: aws.String("text/plain; charset=utf-8"),
		ContentLength: aws.Int64(int64(len(content))), CacheControl: aws.String("no-cache"), Expires: &expires,
		Metadata: map[string]string{"team": "ml", "run-id": "7"}, Tagging: aws.String("project=churn&stage=train"),
		StorageClass: "STANDARD_IA", ObjectLockRetainUntilDate: &retain, BucketKeyEnabled: aws.Bool(false)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v", got, want)
	}
	if aws.ToString(res.ETag) != `"5d41402abc4b2a76b9719d911017c592"` || aws.ToString(res.VersionId) != "v1" ||
		aws.ToInt64(res.Size) != int64(len(content)) || !aws.ToBool(res.BucketKeyEnabled) {
		t.Errorf("SDK read ETag %q, VersionId %q, Size %v, BucketKeyEnabled %v", aws.ToString(res.ETag),
			aws.ToString(res.VersionId), res.Size, res.BucketKeyEnabled)
	}
}

func TestRestXMLRoundTripGetObject(t *testing.T) {
	modified := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	since := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	retain := time.Date(2031, 6, 7, 8, 9, 10, 0, time.UTC)
	content := "partial content"
	var got *s3GetObjectInput
	out := &s3GetObjectOutput{Body: io.NopCloser(strings.NewReader(content)), Status: http.StatusPartialContent,
		ContentLength: int64(len(content)), ContentRange: "bytes 0-14/100", ContentType: "text/csv", ETag: `"abc"`,
		LastModified: modified, ObjectLockRetainUntilDate: &retain, Metadata: map[string]string{"team": "ml"},
		TagCount: aws.Int32(2), DeleteMarker: aws.Bool(false), VersionID: "v2", StorageClass: "GLACIER_IR"}
	l := &loopback{svc: s3Service(answering("GetObject", operation.Route{Method: http.MethodGet, Path: "/{Bucket}/{Key+}"}, &got, out, nil))}
	res, err := s3Client(l).GetObject(context.Background(), &s3.GetObjectInput{
		Bucket: aws.String("my-bucket"), Key: aws.String("a/b c.csv"), VersionId: aws.String("v2"), PartNumber: aws.Int32(1),
		ResponseContentType: aws.String("text/csv"), Range: aws.String("bytes=0-14"), IfModifiedSince: aws.Time(since),
		IfNoneMatch: aws.String(`"zzz"`), ChecksumMode: s3types.ChecksumModeEnabled})
	if err != nil {
		t.Fatalf("GetObject: %v (answer %d %s)", err, l.status, l.body)
	}
	defer res.Body.Close()
	want := &s3GetObjectInput{Bucket: "my-bucket", Key: "a/b c.csv", VersionID: "v2", PartNumber: aws.Int32(1),
		ResponseContentType: "text/csv", Range: "bytes=0-14", IfModifiedSince: &since, IfNoneMatch: `"zzz"`, ChecksumMode: "ENABLED"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v", got, want)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil || string(body) != content {
		t.Errorf("SDK read body %q (%v), want %q", body, err, content)
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"status", l.status, http.StatusPartialContent},
		{"ContentLength", aws.ToInt64(res.ContentLength), int64(len(content))},
		{"ContentRange", aws.ToString(res.ContentRange), "bytes 0-14/100"},
		{"ContentType", aws.ToString(res.ContentType), "text/csv"},
		{"ETag", aws.ToString(res.ETag), `"abc"`},
		{"LastModified", aws.ToTime(res.LastModified).UTC(), modified},
		{"ObjectLockRetainUntilDate", aws.ToTime(res.ObjectLockRetainUntilDate).UTC(), retain},
		{"Metadata", res.Metadata, map[string]string{"team": "ml"}},
		{"TagCount", res.TagCount, aws.Int32(2)},
		{"DeleteMarker", res.DeleteMarker, aws.Bool(false)},
		{"VersionId", aws.ToString(res.VersionId), "v2"},
		{"StorageClass", res.StorageClass, s3types.StorageClassGlacierIr},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("SDK read %s as %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestRestXMLRoundTripListObjectsV2(t *testing.T) {
	modified := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	var got *s3ListObjectsV2Input
	out := &s3ListObjectsV2Output{Name: "my-bucket", Prefix: "data/", Delimiter: "/", MaxKeys: 2, KeyCount: 3, IsTruncated: true,
		ContinuationToken: "tok/1==", NextContinuationToken: "tok/2==",
		Contents: []s3Object{
			{Key: "data/a&b <c>.csv", LastModified: modified, ETag: `"e1"`, Size: 0, StorageClass: "STANDARD",
				Owner: &s3Owner{ID: "111111111111", DisplayName: "owner"}},
			{Key: "data/ü.csv", LastModified: modified.Add(time.Second), ETag: `"e2-3"`, Size: 5 << 30, StorageClass: "INTELLIGENT_TIERING",
				ChecksumAlgorithm: []string{"CRC64NVME"}},
		},
		CommonPrefixes: []s3CommonPrefix{{"data/x/"}},
		RequestCharged: "requester",
	}
	l := &loopback{svc: s3Service(answering("ListObjectsV2", operation.Route{Method: http.MethodGet, Path: "/{Bucket}?list-type=2"}, &got, out, nil))}
	res, err := s3Client(l).ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{
		Bucket: aws.String("my-bucket"), Prefix: aws.String("data/"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2),
		ContinuationToken: aws.String("tok/1=="), StartAfter: aws.String("data/0 +&"), FetchOwner: aws.Bool(true),
		ExpectedBucketOwner:      aws.String("111111111111"),
		OptionalObjectAttributes: []s3types.OptionalObjectAttributes{s3types.OptionalObjectAttributesRestoreStatus}})
	if err != nil {
		t.Fatalf("ListObjectsV2: %v (answer %d %s)", err, l.status, l.body)
	}
	want := &s3ListObjectsV2Input{Bucket: "my-bucket", Prefix: aws.String("data/"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2),
		ContinuationToken: aws.String("tok/1=="), StartAfter: aws.String("data/0 +&"), FetchOwner: aws.Bool(true),
		ExpectedBucketOwner: "111111111111", OptionalObjectAttributes: []string{"RestoreStatus"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v", got, want)
	}
	if strings.Contains(string(l.body), "requester") {
		t.Errorf("a header member went into the document: %s", l.body)
	}
	var contents []s3Object
	for _, o := range res.Contents {
		c := s3Object{Key: aws.ToString(o.Key), LastModified: aws.ToTime(o.LastModified).UTC(), ETag: aws.ToString(o.ETag),
			Size: aws.ToInt64(o.Size), StorageClass: string(o.StorageClass)}
		for _, a := range o.ChecksumAlgorithm {
			c.ChecksumAlgorithm = append(c.ChecksumAlgorithm, string(a))
		}
		if o.Owner != nil {
			c.Owner = &s3Owner{ID: aws.ToString(o.Owner.ID), DisplayName: aws.ToString(o.Owner.DisplayName)}
		}
		contents = append(contents, c)
	}
	var prefixes []s3CommonPrefix
	for _, p := range res.CommonPrefixes {
		prefixes = append(prefixes, s3CommonPrefix{aws.ToString(p.Prefix)})
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"Name", aws.ToString(res.Name), "my-bucket"},
		{"Prefix", aws.ToString(res.Prefix), "data/"},
		{"Delimiter", aws.ToString(res.Delimiter), "/"},
		{"MaxKeys", aws.ToInt32(res.MaxKeys), int32(2)},
		{"KeyCount", aws.ToInt32(res.KeyCount), int32(3)},
		{"IsTruncated", aws.ToBool(res.IsTruncated), true},
		{"ContinuationToken", aws.ToString(res.ContinuationToken), "tok/1=="},
		{"NextContinuationToken", aws.ToString(res.NextContinuationToken), "tok/2=="},
		{"Contents", contents, out.Contents},
		{"CommonPrefixes", prefixes, out.CommonPrefixes},
		{"RequestCharged", res.RequestCharged, s3types.RequestChargedRequester},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("SDK read %s as %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestRestXMLRoundTripPutBucketTagging sends an XML document as the payload.
func TestRestXMLRoundTripPutBucketTagging(t *testing.T) {
	var got *s3PutBucketTaggingInput
	l := &loopback{svc: s3Service(answering("PutBucketTagging",
		operation.Route{Method: http.MethodPut, Path: "/{Bucket}?tagging", Status: http.StatusNoContent}, &got, &s3NoOutput{}, nil))}
	_, err := s3Client(l).PutBucketTagging(context.Background(), &s3.PutBucketTaggingInput{Bucket: aws.String("my-bucket"),
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("team"), Value: aws.String("ml & data")}, {Key: aws.String("empty"), Value: aws.String("")}}}})
	if err != nil {
		t.Fatalf("PutBucketTagging: %v (answer %d %s)", err, l.status, l.body)
	}
	if got == nil || got.Bucket != "my-bucket" || got.Tagging == nil ||
		!reflect.DeepEqual(got.Tagging.TagSet, []s3Tag{{"team", "ml & data"}, {"empty", ""}}) {
		t.Errorf("decoded %+v (tagging %+v)", got, got.Tagging)
	}
	if l.status != http.StatusNoContent || len(l.body) != 0 {
		t.Errorf("answer %d %q, want 204 and no body", l.status, l.body)
	}
}

// TestRestXMLRoundTripErrors answers S3's modeled errors and checks that the SDK reads each
// as its type, with its message and status.
func TestRestXMLRoundTripErrors(t *testing.T) {
	t.Run("NoSuchKey", func(t *testing.T) {
		var got *s3GetObjectInput
		e := operation.Errorf(404, "NoSuchKey", "The specified key does not exist.").With("Key", "a/b")
		l := &loopback{svc: s3Service(answering[s3GetObjectInput, s3GetObjectOutput]("GetObject",
			operation.Route{Method: http.MethodGet, Path: "/{Bucket}/{Key+}"}, &got, nil, e))}
		_, err := s3Client(l).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("a/b")})
		wantS3Error[*s3types.NoSuchKey](t, err, 404, e.Message)
		checkXMLError(t, l, e)
	})
	t.Run("NoSuchBucket", func(t *testing.T) {
		var got *s3ListObjectsV2Input
		e := operation.Errorf(404, "NoSuchBucket", "The specified bucket does not exist").With("BucketName", "b")
		l := &loopback{svc: s3Service(answering[s3ListObjectsV2Input, s3ListObjectsV2Output]("ListObjectsV2",
			operation.Route{Method: http.MethodGet, Path: "/{Bucket}?list-type=2"}, &got, nil, e))}
		_, err := s3Client(l).ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("b")})
		wantS3Error[*s3types.NoSuchBucket](t, err, 404, e.Message)
	})
	t.Run("BucketAlreadyOwnedByYou", func(t *testing.T) {
		type createBucket struct {
			Bucket string `uri:"Bucket" required:"true"`
		}
		var got *createBucket
		e := operation.Errorf(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
		l := &loopback{svc: s3Service(answering[createBucket, s3NoOutput]("CreateBucket",
			operation.Route{Method: http.MethodPut, Path: "/{Bucket}"}, &got, nil, e))}
		_, err := s3Client(l).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("b")})
		wantS3Error[*s3types.BucketAlreadyOwnedByYou](t, err, 409, e.Message)
	})
	t.Run("HeadNotFound", func(t *testing.T) {
		var got *s3GetObjectInput
		e := operation.Errorf(404, "NoSuchKey", "The specified key does not exist.")
		l := &loopback{svc: s3Service(answering[s3GetObjectInput, s3GetObjectOutput]("HeadObject",
			operation.Route{Method: http.MethodHead, Path: "/{Bucket}/{Key+}"}, &got, nil, e))}
		_, err := s3Client(l).HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("b"), Key: aws.String("k")})
		wantS3Error[*s3types.NotFound](t, err, 404, "")
	})
}

// wantS3Error is wantSDKError for S3, whose errors carry the request id S3 spells its own way.
func wantS3Error[E interface {
	error
	ErrorMessage() string
	ErrorCode() string
}](t *testing.T, err error, status int, message string) {
	t.Helper()
	var modeled E
	if !errors.As(err, &modeled) {
		t.Fatalf("SDK returned %T %v, want %T", err, err, modeled)
	}
	if message != "" && modeled.ErrorMessage() != message {
		t.Errorf("%s: SDK read message %q, want %q", modeled.ErrorCode(), modeled.ErrorMessage(), message)
	}
	var re interface {
		HTTPStatusCode() int
		ServiceRequestID() string
	}
	if !errors.As(err, &re) {
		t.Fatalf("%v carries no HTTP response", err)
	}
	if re.HTTPStatusCode() != status {
		t.Errorf("%s: status %d, want %d", modeled.ErrorCode(), re.HTTPStatusCode(), status)
	}
	if re.ServiceRequestID() != "rt-request" {
		t.Errorf("%s: SDK read request id %q, want rt-request", modeled.ErrorCode(), re.ServiceRequestID())
	}
}

// checkXMLError checks a restXml error answer: its status and the <Error> document with the
// code, message, extra fields and request id.
func checkXMLError(t *testing.T, l *loopback, e *operation.Error) {
	t.Helper()
	if l.status != e.Status {
		t.Errorf("status %d, want %d", l.status, e.Status)
	}
	var doc struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		Key       string
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(l.body, &doc); err != nil {
		t.Fatalf("error body %s: %v", l.body, err)
	}
	if doc.Code != e.Code || doc.Message != e.Message || doc.Key != e.Fields["Key"] || doc.RequestID != "rt-request" {
		t.Errorf("error body %s, want %s %q", l.body, e.Code, e.Message)
	}
	if l.header.Get("X-Amz-Request-Id") != "rt-request" {
		t.Errorf("X-Amz-Request-Id %q", l.header.Get("X-Amz-Request-Id"))
	}
}
