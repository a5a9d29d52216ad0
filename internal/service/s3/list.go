package s3

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// maxListKeys is the most entries one listing returns.
const maxListKeys = 1000

// ObjectSummary is one object in a listing.
type ObjectSummary struct {
	Key               string
	LastModified      Timestamp
	ETag              string
	ChecksumAlgorithm []string `xml:",omitempty"`
	ChecksumType      string   `xml:",omitempty"`
	Size              int64
	StorageClass      string
	Owner             *Owner `xml:",omitempty"`
}

// CommonPrefix is a group of keys rolled up by the delimiter.
type CommonPrefix struct {
	Prefix string
}

// ListObjectsInput lists a bucket (version 1).
type ListObjectsInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Delimiter           string `querystring:"delimiter"`
	EncodingType        string `querystring:"encoding-type"`
	Marker              string `querystring:"marker"`
	MaxKeys             *int   `querystring:"max-keys"`
	Prefix              string `querystring:"prefix"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
}

// ListObjectsOutput is ListBucketResult (version 1).
type ListObjectsOutput struct {
	XMLName        xml.Name `xml:"ListBucketResult"`
	Name           string
	Prefix         string
	Marker         string
	NextMarker     string `xml:",omitempty"`
	MaxKeys        int
	Delimiter      string `xml:",omitempty"`
	IsTruncated    bool
	EncodingType   string          `xml:",omitempty"`
	Contents       []ObjectSummary `xml:"Contents"`
	CommonPrefixes []CommonPrefix  `xml:"CommonPrefixes"`
}

// ListObjectsV2Input lists a bucket (version 2).
type ListObjectsV2Input struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Delimiter           string `querystring:"delimiter"`
	EncodingType        string `querystring:"encoding-type"`
	MaxKeys             *int   `querystring:"max-keys"`
	Prefix              string `querystring:"prefix"`
	ContinuationToken   string `querystring:"continuation-token"`
	FetchOwner          bool   `querystring:"fetch-owner"`
	StartAfter          string `querystring:"start-after"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
}

// ListObjectsV2Output is ListBucketResult (version 2).
type ListObjectsV2Output struct {
	XMLName               xml.Name `xml:"ListBucketResult"`
	Name                  string
	Prefix                string
	Delimiter             string `xml:",omitempty"`
	MaxKeys               int
	KeyCount              int
	IsTruncated           bool
	EncodingType          string          `xml:",omitempty"`
	ContinuationToken     string          `xml:",omitempty"`
	NextContinuationToken string          `xml:",omitempty"`
	StartAfter            string          `xml:",omitempty"`
	Contents              []ObjectSummary `xml:"Contents"`
	CommonPrefixes        []CommonPrefix  `xml:"CommonPrefixes"`
}

// listing is one page of a bucket's keys, rolled up by a delimiter.
type listing struct {
	objects   []*store.Object
	prefixes  []string
	truncated bool
	last      string // the last key or common prefix returned
}

// checkListArgs validates the arguments listings share and returns max-keys.
func checkListArgs(maxKeys *int, encoding string) (int, error) {
	max := maxListKeys
	if maxKeys != nil {
		if *maxKeys < 0 {
			return 0, errInvalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", itoa(*maxKeys))
		}
		max = min(*maxKeys, maxListKeys)
	}
	if encoding != "" && encoding != "url" {
		return 0, errInvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding)
	}
	return max, nil
}

// list returns up to max entries of bucket whose keys start with prefix and sort after
// after, keys sharing a segment up to the delimiter rolled into one common prefix.
func (s *Service) list(ctx context.Context, bucket, prefix, delimiter, after string, max int) (*listing, error) {
	l := &listing{}
	if max == 0 {
		return l, s.store.View(ctx, func(tx txn) error { return s.bucketExists(tx, bucket) })
	}
	cursor := after
	// A marker that is itself a common prefix (a previous page ended there) resumes
	// after every key the prefix rolls up.
	if delimiter != "" && strings.HasPrefix(after, prefix) && strings.HasSuffix(after, delimiter) &&
		strings.Index(after[len(prefix):], delimiter) == len(after)-len(prefix)-len(delimiter) {
		cursor = after + "\xff"
	}
	if cursor < prefix {
		cursor = ""
	}
	err := s.store.View(ctx, func(tx txn) error {
		if err := s.bucketExists(tx, bucket); err != nil {
			return err
		}
		for {
			batch, err := tx.ListObjects(bucket, store.ObjectQuery{Prefix: prefix, After: cursor, Limit: max + 1})
			if err != nil {
				return err
			}
			rolled := false
			for _, o := range batch {
				if delimiter != "" {
					if i := strings.Index(o.Key[len(prefix):], delimiter); i >= 0 {
						cp := o.Key[:len(prefix)+i+len(delimiter)]
						if len(l.objects)+len(l.prefixes) == max {
							l.truncated = true
							return nil
						}
						l.prefixes = append(l.prefixes, cp)
						l.last = cp
						// Skip the rest of the group: keys are UTF-8, so none holds 0xFF.
						cursor, rolled = cp+"\xff", true
						break
					}
				}
				if len(l.objects)+len(l.prefixes) == max {
					l.truncated = true
					return nil
				}
				l.objects = append(l.objects, o)
				l.last, cursor = o.Key, o.Key
			}
			if !rolled && len(batch) <= max {
				return nil
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// bucketExists answers NoSuchBucket for a missing bucket.
func (s *Service) bucketExists(tx txn, bucket string) error {
	if _, err := tx.Bucket(bucket); err != nil {
		if err == store.ErrNotFound {
			return errNoSuchBucket(bucket)
		}
		return fmt.Errorf("read bucket: %w", err)
	}
	return nil
}

// summaries renders a page's objects.
func summaries(objects []*store.Object, owner *Owner, encode func(string) string) []ObjectSummary {
	out := make([]ObjectSummary, len(objects))
	for i, o := range objects {
		out[i] = ObjectSummary{Key: encode(o.Key), LastModified: Timestamp(o.LastModified), ETag: o.ETag,
			Size: o.Size, StorageClass: "STANDARD", Owner: owner}
		if o.Checksum.Algorithm != "" {
			out[i].ChecksumAlgorithm = []string{o.Checksum.Algorithm}
			out[i].ChecksumType = o.Checksum.Type
		}
	}
	return out
}

func commonPrefixes(prefixes []string, encode func(string) string) []CommonPrefix {
	out := make([]CommonPrefix, len(prefixes))
	for i, p := range prefixes {
		out[i] = CommonPrefix{Prefix: encode(p)}
	}
	return out
}

// encoder returns how a listing renders keys: URL-encoded for encoding-type=url.
func encoder(encoding string) func(string) string {
	if encoding == "url" {
		return url.QueryEscape
	}
	return func(s string) string { return s }
}

func (s *Service) listObjects(ctx context.Context, in *ListObjectsInput) (*ListObjectsOutput, error) {
	max, err := checkListArgs(in.MaxKeys, in.EncodingType)
	if err != nil {
		return nil, err
	}
	l, err := s.list(ctx, in.Bucket, in.Prefix, in.Delimiter, in.Marker, max)
	if err != nil {
		return nil, err
	}
	enc := encoder(in.EncodingType)
	b, err := s.bucket(ctx, in.Bucket)
	if err != nil {
		return nil, err
	}
	out := &ListObjectsOutput{Name: in.Bucket, Prefix: enc(in.Prefix), Marker: enc(in.Marker), MaxKeys: max,
		Delimiter: enc(in.Delimiter), IsTruncated: l.truncated, EncodingType: in.EncodingType,
		Contents: summaries(l.objects, ownerOf(b.AccountID), enc), CommonPrefixes: commonPrefixes(l.prefixes, enc)}
	if l.truncated && in.Delimiter != "" {
		out.NextMarker = enc(l.last)
	}
	return out, nil
}

func (s *Service) listObjectsV2(ctx context.Context, in *ListObjectsV2Input) (*ListObjectsV2Output, error) {
	max, err := checkListArgs(in.MaxKeys, in.EncodingType)
	if err != nil {
		return nil, err
	}
	after := in.StartAfter
	if in.ContinuationToken != "" {
		if after, err = decodeToken(in.ContinuationToken); err != nil {
			return nil, errInvalidArgument("The continuation token provided is incorrect", "continuation-token", in.ContinuationToken)
		}
	}
	l, err := s.list(ctx, in.Bucket, in.Prefix, in.Delimiter, after, max)
	if err != nil {
		return nil, err
	}
	enc := encoder(in.EncodingType)
	var owner *Owner
	if in.FetchOwner {
		b, err := s.bucket(ctx, in.Bucket)
		if err != nil {
			return nil, err
		}
		owner = ownerOf(b.AccountID)
	}
	out := &ListObjectsV2Output{Name: in.Bucket, Prefix: enc(in.Prefix), Delimiter: enc(in.Delimiter), MaxKeys: max,
		KeyCount: len(l.objects) + len(l.prefixes), IsTruncated: l.truncated, EncodingType: in.EncodingType,
		ContinuationToken: in.ContinuationToken, StartAfter: enc(in.StartAfter),
		Contents: summaries(l.objects, owner, enc), CommonPrefixes: commonPrefixes(l.prefixes, enc)}
	if l.truncated {
		out.NextContinuationToken = encodeToken(l.last)
	}
	return out, nil
}

// encodeToken and decodeToken turn the key a page ended at into an opaque token.
func encodeToken(key string) string { return base64.RawURLEncoding.EncodeToString([]byte("k:" + key)) }

func decodeToken(token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || !strings.HasPrefix(string(raw), "k:") {
		return "", fmt.Errorf("bad continuation token")
	}
	return string(raw[2:]), nil
}
