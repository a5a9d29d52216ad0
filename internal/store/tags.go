package store

import (
	"sort"
	"strings"
)

// Tag is a key-value pair on a resource of any service.
type Tag struct {
	Key   string
	Value string
}

// TagTx reads and writes the tags of every service's resources, kept in one place. A
// resource is named by a string that no other service's resource can take:
//
//   - IAM users, roles and managed policies: their unique IDs (AIDA…, AROA…, ANPA…), so
//     that a rename keeps the tags;
//   - Organizations: the ID of the root (r-…), an OU (ou-…), an account (12 digits) or a
//     policy (p-…);
//   - S3: S3BucketResource and S3ObjectResource (the bucket's and object's ARNs), and
//     S3UploadResource for a multipart upload;
//   - SageMaker: the resource's ARN;
//   - RAM: a resource share's ARN (arn:aws:ram:<region>:<owner>:resource-share/<id>) and
//     a customer managed permission's (arn:aws:ram:<region>:<owner>:permission/<name>).
//
// The records that carry tags (IAM users, roles and managed policies; S3 buckets, objects
// and uploads) have them read and written by their own methods, which keep them here;
// deleting any tagged resource deletes its tags. A RAM share is never deleted from the
// store (it stays, DELETED), so RAM removes its tags with SetTags when it deletes one;
// DeleteRAMPermission deletes a permission's.
type TagTx interface {
	// Tags returns the resource's tags in the order they were set; an empty slice when it
	// has none.
	Tags(resource string) ([]Tag, error)
	// SetTags replaces every tag of the resource with tags, keeping their order; no tags
	// removes them all. A key given twice is ErrExists. It records a Change of kind
	// ChangeTags with the resource as its key.
	SetTags(resource string, tags []Tag) error
	// TagsOf returns the tags of each of resources that has any, by resource, each list in
	// its order: what a list of many resources reads in one go.
	TagsOf(resources []string) (map[string][]Tag, error)
}

// S3BucketResource names an S3 bucket's tags: arn:aws:s3:::<bucket>.
func S3BucketResource(bucket string) string { return "arn:aws:s3:::" + bucket }

// S3ObjectResource names an S3 object's tags: arn:aws:s3:::<bucket>/<key>.
func S3ObjectResource(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }

// S3UploadResource names a multipart upload's tags (those its object will take):
// s3-upload:<upload ID>, since an upload has no ARN.
func S3UploadResource(uploadID string) string { return "s3-upload:" + uploadID }

// FoldTags merges the tags whose keys are equal without regard to case, as IAM compares
// tag keys: a later tag's key and value replace the earlier one's, in the earlier one's
// place. The writes of IAMTx store tags folded.
func FoldTags(tags []Tag) []Tag {
	if len(tags) == 0 {
		return tags
	}
	out := make([]Tag, 0, len(tags))
next:
	for _, t := range tags {
		for i := range out {
			if strings.EqualFold(out[i].Key, t.Key) {
				out[i] = t
				continue next
			}
		}
		out = append(out, t)
	}
	return out
}

// TagsFromMap returns the tags of a map (S3's form), ordered by key; nil for none.
func TagsFromMap(m map[string]string) []Tag {
	if len(m) == 0 {
		return nil
	}
	out := make([]Tag, 0, len(m))
	for k, v := range m {
		out = append(out, Tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// TagMap returns tags as a map (S3's form); nil for none.
func TagMap(tags []Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}
