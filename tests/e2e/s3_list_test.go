package e2e

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// putKeys uploads an empty object at each key.
func putKeys(t *testing.T, client *s3.Client, bucket string, keys []string) {
	t.Helper()
	for _, k := range keys {
		if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k),
			Body: strings.NewReader(k)}); err != nil {
			t.Fatalf("PutObject %s: %v", k, err)
		}
	}
}

func TestS3ListObjectsV2(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "listing")
	keys := []string{"a.txt", "data/2024/01/x.csv", "data/2024/01/y.csv", "data/2024/02/z.csv", "data/readme",
		"logs/run-1.log", "logs/run-2.log", "models/m1/model.tar.gz", "models/m2/model.tar.gz", "z", "ü-unicode"}
	putKeys(t, client, "listing", keys)
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted)

	// Everything, one key per page, through the paginator.
	var all []string
	p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), MaxKeys: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListObjectsV2 page %d: %v", pages, err)
		}
		pages++
		for _, o := range page.Contents {
			all = append(all, aws.ToString(o.Key))
			if aws.ToInt64(o.Size) == 0 || aws.ToString(o.ETag) == "" || o.LastModified == nil {
				t.Errorf("listing entry %s lacks size, ETag or time", aws.ToString(o.Key))
			}
		}
	}
	if !reflect.DeepEqual(all, sorted) || pages != 6 {
		t.Errorf("paginated listing (%d pages) = %v, want %v", pages, all, sorted)
	}

	for _, tc := range []struct {
		name                string
		in                  s3.ListObjectsV2Input
		wantKeys, wantPrefs []string
		truncated           bool
	}{
		{name: "delimiter at root", in: s3.ListObjectsV2Input{Delimiter: aws.String("/")},
			wantKeys: []string{"a.txt", "z", "ü-unicode"}, wantPrefs: []string{"data/", "logs/", "models/"}},
		{name: "prefix and delimiter", in: s3.ListObjectsV2Input{Prefix: aws.String("data/"), Delimiter: aws.String("/")},
			wantKeys: []string{"data/readme"}, wantPrefs: []string{"data/2024/"}},
		{name: "deeper", in: s3.ListObjectsV2Input{Prefix: aws.String("data/2024/"), Delimiter: aws.String("/")},
			wantPrefs: []string{"data/2024/01/", "data/2024/02/"}},
		{name: "prefix only", in: s3.ListObjectsV2Input{Prefix: aws.String("logs/")},
			wantKeys: []string{"logs/run-1.log", "logs/run-2.log"}},
		{name: "start-after", in: s3.ListObjectsV2Input{StartAfter: aws.String("logs/run-1.log"), MaxKeys: aws.Int32(2)},
			wantKeys: []string{"logs/run-2.log", "models/m1/model.tar.gz"}, truncated: true},
		{name: "prefixes count toward max-keys", in: s3.ListObjectsV2Input{Delimiter: aws.String("/"), MaxKeys: aws.Int32(3)},
			wantKeys: []string{"a.txt"}, wantPrefs: []string{"data/", "logs/"}, truncated: true},
		{name: "no match", in: s3.ListObjectsV2Input{Prefix: aws.String("nothing/")}},
	} {
		in := tc.in
		in.Bucket = aws.String("listing")
		out, err := client.ListObjectsV2(ctx, &in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var gotKeys, gotPrefs []string
		for _, o := range out.Contents {
			gotKeys = append(gotKeys, aws.ToString(o.Key))
		}
		for _, p := range out.CommonPrefixes {
			gotPrefs = append(gotPrefs, aws.ToString(p.Prefix))
		}
		if !reflect.DeepEqual(gotKeys, tc.wantKeys) || !reflect.DeepEqual(gotPrefs, tc.wantPrefs) ||
			aws.ToBool(out.IsTruncated) != tc.truncated || int(aws.ToInt32(out.KeyCount)) != len(gotKeys)+len(gotPrefs) {
			t.Errorf("%s: keys %v prefixes %v truncated %v count %d; want %v %v %v", tc.name, gotKeys, gotPrefs,
				aws.ToBool(out.IsTruncated), aws.ToInt32(out.KeyCount), tc.wantKeys, tc.wantPrefs, tc.truncated)
		}
	}

	// Common prefixes across pages are never repeated.
	var seen []string
	p = s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			seen = append(seen, aws.ToString(o.Key))
		}
		for _, cp := range page.CommonPrefixes {
			seen = append(seen, aws.ToString(cp.Prefix))
		}
	}
	want := []string{"a.txt", "data/", "logs/", "models/", "z", "ü-unicode"}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("delimited pages = %v, want %v", seen, want)
	}
	_, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), ContinuationToken: aws.String("!!bogus")})
	wantS3Error(t, "bogus continuation token", err, 400, "InvalidArgument")
}

func TestS3ListObjectsV1(t *testing.T) {
	c := start(t, startOptions{})
	ctx := context.Background()
	client := c.s3Client("default")
	mustCreateBucket(t, client, "listing-v1")
	var keys []string
	for i := 0; i < 7; i++ {
		keys = append(keys, fmt.Sprintf("dir%d/file", i%3), fmt.Sprintf("file-%02d", i))
	}
	putKeys(t, client, "listing-v1", keys)
	var got []string
	marker := ""
	for i := 0; i < 20; i++ {
		out, err := client.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("listing-v1"), Delimiter: aws.String("/"),
			MaxKeys: aws.Int32(2), Marker: aws.String(marker)})
		if err != nil {
			t.Fatal(err)
		}
		for _, cp := range out.CommonPrefixes {
			got = append(got, aws.ToString(cp.Prefix))
		}
		for _, o := range out.Contents {
			got = append(got, aws.ToString(o.Key))
			if o.Owner == nil || aws.ToString(o.Owner.ID) == "" {
				t.Errorf("ListObjects entry %s has no owner", aws.ToString(o.Key))
			}
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		marker = aws.ToString(out.NextMarker)
		if marker == "" {
			t.Fatal("truncated ListObjects with a delimiter has no NextMarker")
		}
	}
	sort.Strings(got)
	want := []string{"dir0/", "dir1/", "dir2/", "file-00", "file-01", "file-02", "file-03", "file-04", "file-05", "file-06"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListObjects pages = %v, want %v", got, want)
	}
}
