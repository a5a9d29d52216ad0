package s3

import (
	"crypto/md5"
	"encoding/base64"
	"errors"
	"hash/crc32"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// code returns the S3 error code of err, or "".
func code(err error) string {
	var e *operation.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestBucketNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"abc": true, "my-bucket.data": true, "a1b2c3": true, strings.Repeat("a", 63): true,
		"ab": false, strings.Repeat("a", 64): false, "My-Bucket": false, "my_bucket": false, "-abc": false,
		"abc-": false, "a..b": false, "a.-b": false, "a-.b": false, "10.0.0.1": false, "xn--abc": false,
		"sthree-abc": false, "amzn-s3-demo-x": false, "abc-s3alias": false, "abc--ol-s3": false, "abc.mrap": false,
		"abc--x-s3": false, "abc--table-s3": false,
	} {
		if err := checkBucketName(name); (err == nil) != ok {
			t.Errorf("checkBucketName(%q) = %v, want ok=%v", name, err, ok)
		} else if err != nil && code(err) != "InvalidBucketName" {
			t.Errorf("checkBucketName(%q) code %s", name, code(err))
		}
	}
	if code(checkKey(strings.Repeat("k", 1025))) != "KeyTooLongError" || checkKey(strings.Repeat("k", 1024)) != nil {
		t.Error("key length limit is not 1024 bytes")
	}
	if code(checkKey("bad\xffutf8")) != "InvalidURI" {
		t.Error("a key that is not UTF-8 is accepted")
	}
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		h           string
		size        int64
		start, n    int64
		ok          bool
		invalidCode string
	}{
		{"bytes=0-9", 100, 0, 10, true, ""},
		{"bytes=90-", 100, 90, 10, true, ""},
		{"bytes=-10", 100, 90, 10, true, ""},
		{"bytes=-200", 100, 0, 100, true, ""},
		{"bytes=50-1000", 100, 50, 50, true, ""},
		{"bytes=100-", 100, 0, 0, false, "InvalidRange"},
		{"bytes=-0", 100, 0, 0, false, "InvalidRange"},
		{"bytes=0-0", 0, 0, 0, false, "InvalidRange"},
		{"bytes=5-2", 100, 0, 0, false, ""},     // malformed: the whole object
		{"bytes=0-1,5-6", 100, 0, 0, false, ""}, // several ranges: the whole object
		{"items=0-1", 100, 0, 0, false, ""},     // another unit: the whole object
		{"bytes=abc-", 100, 0, 0, false, ""},    // malformed
	} {
		r, ok, err := parseRange(tc.h, tc.size)
		if code(err) != tc.invalidCode || ok != tc.ok || ok && (r.start != tc.start || r.length != tc.n) {
			t.Errorf("parseRange(%q, %d) = %+v %v %v", tc.h, tc.size, r, ok, err)
		}
	}
}

func TestConditions(t *testing.T) {
	mod := time.Date(2025, 3, 1, 12, 0, 0, 500, time.UTC)
	o := &store.Object{ETag: `"abc"`, LastModified: mod}
	before, after := mod.Add(-time.Hour).Format(http.TimeFormat), mod.Add(time.Hour).Format(http.TimeFormat)
	same := mod.Format(http.TimeFormat)
	for _, tc := range []struct {
		c    Conditions
		want string
	}{
		{Conditions{}, ""},
		{Conditions{IfMatch: `"abc"`}, ""},
		{Conditions{IfMatch: `abc`}, ""},
		{Conditions{IfMatch: `"x", "abc"`}, ""},
		{Conditions{IfMatch: `*`}, ""},
		{Conditions{IfMatch: `"x"`}, "PreconditionFailed"},
		{Conditions{IfNoneMatch: `"abc"`}, "NotModified"},
		{Conditions{IfNoneMatch: `"x"`}, ""},
		{Conditions{IfModifiedSince: after}, "NotModified"},
		{Conditions{IfModifiedSince: same}, "NotModified"},
		{Conditions{IfModifiedSince: before}, ""},
		{Conditions{IfModifiedSince: "not a date"}, ""},
		{Conditions{IfUnmodifiedSince: before}, "PreconditionFailed"},
		{Conditions{IfUnmodifiedSince: after}, ""},
		// If-Match holding overrides If-Unmodified-Since; If-None-Match failing to match
		// overrides If-Modified-Since.
		{Conditions{IfMatch: `"abc"`, IfUnmodifiedSince: before}, ""},
		{Conditions{IfNoneMatch: `"x"`, IfModifiedSince: after}, ""},
	} {
		if got := code(tc.c.check(o, false)); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
	if got := code(Conditions{IfNoneMatch: `"abc"`}.check(o, true)); got != "PreconditionFailed" {
		t.Errorf("a copy source's If-None-Match answers %q, want PreconditionFailed", got)
	}
}

func TestParseCopySource(t *testing.T) {
	for src, want := range map[string]copySource{
		"bucket/key":                    {bucket: "bucket", key: "key"},
		"/bucket/dir/key":               {bucket: "bucket", key: "dir/key"},
		"bucket/a%20b%2Bc":              {bucket: "bucket", key: "a b+c"},
		"bucket/key?versionId=null":     {bucket: "bucket", key: "key", versionID: "null"},
		"bucket/%E2%9C%93?versionId=v1": {bucket: "bucket", key: "✓", versionID: "v1"},
	} {
		if got, err := parseCopySource(src); err != nil || got != want {
			t.Errorf("parseCopySource(%q) = %+v, %v", src, got, err)
		}
	}
	for _, bad := range []string{"", "bucket", "bucket/", "/key", "bucket/%zz"} {
		if _, err := parseCopySource(bad); code(err) != "InvalidArgument" {
			t.Errorf("parseCopySource(%q) = %v, want InvalidArgument", bad, err)
		}
	}
}

func TestTags(t *testing.T) {
	if _, err := objectTags(make([]Tag, 11)); code(err) != "InvalidTag" {
		t.Error("11 object tags accepted")
	}
	for _, bad := range [][]Tag{
		{{Key: "", Value: "v"}},
		{{Key: strings.Repeat("k", 129), Value: "v"}},
		{{Key: "k", Value: strings.Repeat("v", 257)}},
		{{Key: "aws:owner", Value: "v"}},
		{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}},
		{{Key: "semi;colon", Value: "v"}},
	} {
		if _, err := objectTags(bad); code(err) != "InvalidTag" {
			t.Errorf("objectTags(%v) = %v, want InvalidTag", bad, err)
		}
	}
	m, err := parseTaggingHeader("team=ml&stage=raw%20data&empty=")
	if err != nil || m["team"] != "ml" || m["stage"] != "raw data" || m["empty"] != "" || len(m) != 3 {
		t.Errorf("parseTaggingHeader = %v, %v", m, err)
	}
}

func TestBucketPolicyValidation(t *testing.T) {
	ok := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],
		"Resource":["arn:aws:s3:::data","arn:aws:s3:::data/*"]}]}`
	if err := checkBucketPolicy("data", []byte(ok)); err != nil {
		t.Errorf("valid policy: %v", err)
	}
	wild := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::da*/*"}]}`
	if err := checkBucketPolicy("data", []byte(wild)); err != nil {
		t.Errorf("policy with a wildcard matching the bucket: %v", err)
	}
	for name, doc := range map[string]string{
		"empty":         ``,
		"not JSON":      `{`,
		"no principal":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`,
		"other bucket":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`,
		"other service": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2:RunInstances","Resource":"arn:aws:s3:::data/*"}]}`,
		"too large":     `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("a", 21<<10) + `","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`,
	} {
		if err := checkBucketPolicy("data", []byte(doc)); code(err) != "MalformedPolicy" {
			t.Errorf("%s: %v, want MalformedPolicy", name, err)
		}
	}
}

func TestChecksumPlan(t *testing.T) {
	body := []byte("hello")
	crc := crc32.ChecksumIEEE(body)
	crcB64 := base64.StdEncoding.EncodeToString([]byte{byte(crc >> 24), byte(crc >> 16), byte(crc >> 8), byte(crc)})
	md5sum := md5.Sum(body)
	md5B64 := base64.StdEncoding.EncodeToString(md5sum[:])

	p, err := (&IntegrityHeaders{ChecksumHeaders: ChecksumHeaders{CRC32: crcB64}}).plan(algCRC64NVME)
	if err != nil || p.alg != algCRC32 || p.want != crcB64 {
		t.Fatalf("plan with a CRC32 header = %+v, %v", p, err)
	}
	if err := p.verify(md5sum[:], crcB64, nil); err != nil {
		t.Errorf("verify matching CRC32: %v", err)
	}
	if err := p.verify(md5sum[:], "AAAAAA==", nil); code(err) != "BadDigest" {
		t.Errorf("verify wrong CRC32: %v", err)
	}
	if p, _ := (&IntegrityHeaders{}).plan(algCRC64NVME); p.alg != algCRC64NVME || p.want != "" {
		t.Errorf("plan without a checksum = %+v, want the default algorithm", p)
	}
	p, err = (&IntegrityHeaders{Trailer: "x-amz-checksum-crc32", SDKChecksumAlgorithm: "CRC32"}).plan("")
	if err != nil || p.trailer != "x-amz-checksum-crc32" {
		t.Fatalf("plan with a trailer = %+v, %v", p, err)
	}
	if err := p.verify(md5sum[:], crcB64, http.Header{"X-Amz-Checksum-Crc32": {crcB64}}); err != nil {
		t.Errorf("verify matching trailer: %v", err)
	}
	if err := p.verify(md5sum[:], crcB64, http.Header{}); code(err) != "InvalidRequest" {
		t.Errorf("verify missing trailer: %v", err)
	}
	for name, h := range map[string]IntegrityHeaders{
		"two checksums":        {ChecksumHeaders: ChecksumHeaders{CRC32: crcB64, SHA1: "x"}},
		"malformed value":      {ChecksumHeaders: ChecksumHeaders{CRC32: "not base64"}},
		"wrong length":         {ChecksumHeaders: ChecksumHeaders{SHA256: crcB64}},
		"algorithm, no value":  {SDKChecksumAlgorithm: "SHA256"},
		"algorithm mismatch":   {SDKChecksumAlgorithm: "SHA1", ChecksumHeaders: ChecksumHeaders{CRC32: crcB64}},
		"unsupported trailer":  {Trailer: "x-amz-checksum-md4"},
		"unsupported algorith": {SDKChecksumAlgorithm: "MD4"},
	} {
		if _, err := h.plan(""); code(err) != "InvalidRequest" {
			t.Errorf("%s: %v, want InvalidRequest", name, err)
		}
	}
	if _, err := (&IntegrityHeaders{ContentMD5: "short"}).plan(""); code(err) != "InvalidDigest" {
		t.Errorf("malformed Content-MD5: %v", err)
	}
	p, _ = (&IntegrityHeaders{ContentMD5: md5B64}).plan("")
	if err := p.verify(make([]byte, 16), "", nil); code(err) != "BadDigest" {
		t.Errorf("wrong Content-MD5: %v", err)
	}
	composite, err := compositeChecksum(algCRC32, []string{crcB64, crcB64})
	if err != nil || !strings.HasSuffix(composite, "-2") {
		t.Errorf("compositeChecksum = %q, %v", composite, err)
	}
}

func TestDropAWSChunked(t *testing.T) {
	for in, want := range map[string]string{"aws-chunked": "", "gzip,aws-chunked": "gzip", "aws-chunked, br": "br", "gzip": "gzip", "": ""} {
		if got := dropAWSChunked(in); got != want {
			t.Errorf("dropAWSChunked(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVirtualHostBucket(t *testing.T) {
	s := &Service{domains: []string{"localhost", "s3.example.test"}}
	for host, want := range map[string]string{
		"bucket.localhost:7766": "bucket", "a.b.localhost": "a.b", "BUCKET.LOCALHOST": "bucket",
		"localhost:7766": "", "127.0.0.1:7766": "", "[::1]:7766": "", "data.s3.example.test": "data",
		"s3.localhost": "", "bucket.example.org": "",
	} {
		r := &http.Request{Host: host}
		if got := s.virtualHostBucket(r); got != want {
			t.Errorf("virtualHostBucket(%q) = %q, want %q", host, got, want)
		}
	}
}
