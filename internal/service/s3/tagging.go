package s3

import (
	"context"
	"encoding/xml"
	"errors"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cairnhq/cairn/internal/store"
)

// Tag is a key-value pair on a bucket or an object.
type Tag struct {
	Key   string
	Value string
}

// Tagging is the body of Put*Tagging.
type Tagging struct {
	TagSet []Tag `xml:"TagSet>Tag"`
}

// TaggingOutput is the Tagging document Get*Tagging returns.
type TaggingOutput struct {
	XMLName   xml.Name `xml:"Tagging"`
	VersionID string   `header:"x-amz-version-id" xml:"-"`
	TagSet    []Tag    `xml:"TagSet>Tag"`
}

// Tag limits.
const (
	maxObjectTags  = 10
	maxBucketTags  = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// checkTags validates a tag set and returns it as a map.
func checkTags(tags []Tag, max int, what string) (map[string]string, error) {
	if len(tags) > max {
		if what == "object" {
			return nil, errInvalidTag("Object tags cannot be greater than 10")
		}
		return nil, errInvalidTag("Bucket tag count cannot be greater than 50")
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		if t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLen || !validTagText(t.Key) {
			return nil, errInvalidTag("The TagKey you have provided is invalid")
		}
		if utf8.RuneCountInString(t.Value) > maxTagValueLen || !validTagText(t.Value) {
			return nil, errInvalidTag("The TagValue you have provided is invalid")
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return nil, errInvalidTag("Your TagKey cannot be prefixed with aws:")
		}
		if _, dup := m[t.Key]; dup {
			return nil, errInvalidTag("Cannot provide multiple Tags with the same key")
		}
		m[t.Key] = t.Value
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// validTagText reports whether s holds only the characters S3 allows in tags: letters,
// digits, white space and + - = . _ : / @.
func validTagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r > 127:
		case strings.ContainsRune(" +-=._:/@", r):
		default:
			return false
		}
	}
	return true
}

func objectTags(tags []Tag) (map[string]string, error) {
	return checkTags(tags, maxObjectTags, "object")
}
func bucketTags(tags []Tag) (map[string]string, error) {
	return checkTags(tags, maxBucketTags, "bucket")
}

// parseTaggingHeader reads x-amz-tagging: "k1=v1&k2=v2", URL-encoded.
func parseTaggingHeader(h string) (map[string]string, error) {
	if h == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(h)
	if err != nil {
		return nil, errInvalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", "x-amz-tagging", h)
	}
	tags := make([]Tag, 0, len(q))
	for k, vs := range q {
		if len(vs) > 1 {
			return nil, errInvalidTag("Cannot provide multiple Tags with the same key")
		}
		tags = append(tags, Tag{Key: k, Value: vs[0]})
	}
	return objectTags(tags)
}

// tagSet renders tags sorted by key.
func tagSet(m map[string]string) []Tag {
	out := make([]Tag, 0, len(m))
	for k, v := range m {
		out = append(out, Tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func (s *Service) getBucketTagging(ctx context.Context, in *BucketInput) (*TaggingOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if len(b.Tags) == 0 {
		return nil, s3Error(404, "NoSuchTagSet", "The TagSet does not exist").With("BucketName", in.Bucket)
	}
	return &TaggingOutput{TagSet: tagSet(b.Tags)}, nil
}

// PutBucketTaggingInput replaces a bucket's tags.
type PutBucketTaggingInput struct {
	Bucket              string   `uri:"Bucket" required:"true"`
	ExpectedBucketOwner string   `header:"x-amz-expected-bucket-owner"`
	Tagging             *Tagging `payload:"true" required:"true"`
}

func (s *Service) putBucketTagging(ctx context.Context, in *PutBucketTaggingInput) (*NoOutput, error) {
	tags, err := bucketTags(in.Tagging.TagSet)
	if err != nil {
		return nil, err
	}
	return &NoOutput{}, s.updateBucket(ctx, in.Bucket, func(tx txn) error { return tx.PutBucketTags(in.Bucket, tags) })
}

func (s *Service) deleteBucketTagging(ctx context.Context, in *BucketInput) (*NoOutput, error) {
	return &NoOutput{}, s.updateBucket(ctx, in.Bucket, func(tx txn) error { return tx.PutBucketTags(in.Bucket, nil) })
}

// updateBucket runs fn in a transaction, answering NoSuchBucket for a missing bucket.
func (s *Service) updateBucket(ctx context.Context, bucket string, fn func(txn) error) error {
	err := s.store.Update(ctx, fn)
	if errors.Is(err, store.ErrNotFound) {
		return errNoSuchBucket(bucket)
	}
	return err
}

func (s *Service) getObjectTagging(ctx context.Context, in *ObjectInput) (*TaggingOutput, error) {
	o, err := s.object(ctx, in.Bucket, in.Key)
	if err != nil {
		return nil, err
	}
	return &TaggingOutput{TagSet: tagSet(o.Tags)}, nil
}

// PutObjectTaggingInput replaces an object's tags.
type PutObjectTaggingInput struct {
	Bucket              string   `uri:"Bucket" required:"true"`
	Key                 string   `uri:"Key" required:"true"`
	VersionID           string   `querystring:"versionId"`
	ExpectedBucketOwner string   `header:"x-amz-expected-bucket-owner"`
	Tagging             *Tagging `payload:"true" required:"true"`
}

// PutObjectTaggingOutput answers PutObjectTagging.
type PutObjectTaggingOutput struct {
	VersionID string `header:"x-amz-version-id"`
}

func (s *Service) putObjectTagging(ctx context.Context, in *PutObjectTaggingInput) (*PutObjectTaggingOutput, error) {
	tags, err := objectTags(in.Tagging.TagSet)
	if err != nil {
		return nil, err
	}
	return &PutObjectTaggingOutput{}, s.updateObjectTags(ctx, in.Bucket, in.Key, tags)
}

func (s *Service) deleteObjectTagging(ctx context.Context, in *ObjectInput) (*NoOutput, error) {
	return &NoOutput{}, s.updateObjectTags(ctx, in.Bucket, in.Key, nil)
}

func (s *Service) updateObjectTags(ctx context.Context, bucket, key string, tags map[string]string) error {
	return s.store.Update(ctx, func(tx txn) error {
		err := tx.PutObjectTags(bucket, key, tags)
		if errors.Is(err, store.ErrNotFound) {
			return s.missing(tx, bucket, key)
		}
		return err
	})
}
