package s3

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/store"
)

// Timestamp is a time as S3 documents carry it: ISO 8601 with milliseconds.
type Timestamp time.Time

// MarshalText writes 2006-01-02T15:04:05.000Z.
func (t Timestamp) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z")), nil
}

// Owner is the canonical user that owns a bucket or object.
type Owner struct {
	ID          string
	DisplayName string `xml:",omitempty"`
}

func ownerOf(account string) *Owner { return &Owner{ID: canonicalID(account)} }

// BucketInput names a bucket.
type BucketInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
}

// ListBucketsInput pages through the caller's buckets.
type ListBucketsInput struct {
	MaxBuckets        *int   `querystring:"max-buckets"`
	ContinuationToken string `querystring:"continuation-token"`
	Prefix            string `querystring:"prefix"`
	BucketRegion      string `querystring:"bucket-region"`
}

// ListBucketsOutput is ListAllMyBucketsResult.
type ListBucketsOutput struct {
	XMLName           xml.Name `xml:"ListAllMyBucketsResult"`
	Owner             *Owner
	Buckets           []BucketSummary `xml:"Buckets>Bucket"`
	ContinuationToken string          `xml:",omitempty"`
	Prefix            string          `xml:",omitempty"`
}

// BucketSummary is one bucket in ListBuckets.
type BucketSummary struct {
	Name         string
	CreationDate Timestamp
	BucketRegion string
}

// maxBucketsPage is the largest page of ListBuckets; without max-buckets every bucket is
// listed, as S3 does for accounts under its default quota.
const maxBucketsPage = 10_000

func (s *Service) listBuckets(ctx context.Context, in *ListBucketsInput) (*ListBucketsOutput, error) {
	p := auth.PrincipalFrom(ctx)
	limit := maxBucketsPage
	if in.MaxBuckets != nil {
		if *in.MaxBuckets < 1 || *in.MaxBuckets > maxBucketsPage {
			return nil, errInvalidArgument("Argument max-buckets must be an integer between 1 and 10000", "max-buckets", itoa(*in.MaxBuckets))
		}
		limit = *in.MaxBuckets
	}
	after := ""
	if in.ContinuationToken != "" {
		var err error
		if after, err = decodeToken(in.ContinuationToken); err != nil {
			return nil, errInvalidArgument("The continuation token provided is incorrect", "continuation-token", in.ContinuationToken)
		}
	}
	if in.Prefix != "" && after < in.Prefix {
		after = ""
	}
	out := &ListBucketsOutput{Owner: ownerOf(p.Account), Buckets: []BucketSummary{}, Prefix: in.Prefix}
	err := s.store.View(ctx, func(tx txn) error {
		for {
			buckets, err := tx.ListBuckets(p.Account, store.Page{After: after, Limit: limit + 1})
			if err != nil {
				return err
			}
			for _, b := range buckets {
				after = b.Name
				if in.Prefix != "" && !strings.HasPrefix(b.Name, in.Prefix) || in.BucketRegion != "" && b.Region != in.BucketRegion {
					continue
				}
				if len(out.Buckets) == limit {
					out.ContinuationToken = encodeToken(out.Buckets[limit-1].Name)
					return nil
				}
				out.Buckets = append(out.Buckets, BucketSummary{Name: b.Name, CreationDate: Timestamp(b.CreatedAt), BucketRegion: b.Region})
			}
			if len(buckets) <= limit {
				return nil
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list buckets: %w", err)
	}
	return out, nil
}

// CreateBucketInput creates a bucket.
type CreateBucketInput struct {
	Bucket          string                     `uri:"Bucket" required:"true"`
	ACL             string                     `header:"x-amz-acl"`
	ObjectOwnership string                     `header:"x-amz-object-ownership"`
	GrantFull       string                     `header:"x-amz-grant-full-control"`
	GrantRead       string                     `header:"x-amz-grant-read"`
	GrantWrite      string                     `header:"x-amz-grant-write"`
	Configuration   *CreateBucketConfiguration `payload:"true"`
}

// CreateBucketConfiguration is the optional body of CreateBucket.
type CreateBucketConfiguration struct {
	LocationConstraint string
	Tags               []Tag `xml:"Tags>Tag"`
}

// CreateBucketOutput holds the bucket's location.
type CreateBucketOutput struct {
	Location  string `header:"Location"`
	BucketArn string `header:"x-amz-bucket-arn"`
}

func (s *Service) createBucket(ctx context.Context, in *CreateBucketInput) (*CreateBucketOutput, error) {
	if err := checkBucketName(in.Bucket); err != nil {
		return nil, err
	}
	region := ""
	var tags map[string]string
	if in.Configuration != nil {
		region = in.Configuration.LocationConstraint
		var err error
		if tags, err = bucketTags(in.Configuration.Tags); err != nil {
			return nil, err
		}
	}
	switch {
	case region == "" && s.region != "us-east-1":
		return nil, s3Error(http.StatusBadRequest, "IllegalLocationConstraintException",
			"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	case region == "us-east-1" && s.region == "us-east-1":
		return nil, s3Error(http.StatusBadRequest, "InvalidLocationConstraint", "The specified location-constraint is not valid").
			With("LocationConstraint", region)
	case region != "" && region != s.region:
		return nil, s3Error(http.StatusBadRequest, "IllegalLocationConstraintException",
			fmt.Sprintf("The %s location constraint is incompatible for the region specific endpoint this request was sent to.", region))
	}
	if in.ACL != "" && in.ACL != "private" || in.GrantFull != "" || in.GrantRead != "" || in.GrantWrite != "" {
		return nil, s3Error(http.StatusBadRequest, "InvalidBucketAclWithObjectOwnership",
			"Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	}
	if in.ObjectOwnership != "" && in.ObjectOwnership != "BucketOwnerEnforced" {
		return nil, errNotImplemented("Only the BucketOwnerEnforced object ownership (ACLs disabled) is supported.")
	}
	p := auth.PrincipalFrom(ctx)
	b := &store.Bucket{Name: in.Bucket, AccountID: p.Account, Region: s.region, CreatedAt: s.now(), Tags: tags}
	err := s.store.Update(ctx, func(tx txn) error {
		existing, err := tx.Bucket(in.Bucket)
		switch {
		case err == nil && existing.AccountID == p.Account && s.region == "us-east-1":
			// us-east-1 answers a repeated create by the owner with success (S3's legacy
			// behaviour there); the bucket is left as it is.
			return errAlreadyOwned
		case err == nil && existing.AccountID == p.Account:
			return s3Error(http.StatusConflict, "BucketAlreadyOwnedByYou",
				"Your previous request to create the named bucket succeeded and you already own it.").With("BucketName", in.Bucket)
		case err == nil:
			return s3Error(http.StatusConflict, "BucketAlreadyExists",
				"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.").
				With("BucketName", in.Bucket)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		return tx.CreateBucket(b)
	})
	if err != nil && !errors.Is(err, errAlreadyOwned) {
		return nil, err
	}
	return &CreateBucketOutput{Location: "/" + in.Bucket, BucketArn: bucketARN(in.Bucket)}, nil
}

// errAlreadyOwned ends CreateBucket's transaction without change when us-east-1 answers a
// repeated create with success.
var errAlreadyOwned = errors.New("bucket already owned")

// HeadBucketOutput tells where a bucket is.
type HeadBucketOutput struct {
	BucketRegion       string `header:"x-amz-bucket-region"`
	BucketArn          string `header:"x-amz-bucket-arn"`
	AccessPointAlias   string `header:"x-amz-access-point-alias"`
	BucketLocationType string `header:"x-amz-bucket-location-type"`
}

func (s *Service) headBucket(ctx context.Context, in *BucketInput) (*HeadBucketOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	return &HeadBucketOutput{BucketRegion: b.Region, BucketArn: bucketARN(b.Name), AccessPointAlias: "false"}, nil
}

func (s *Service) deleteBucket(ctx context.Context, in *BucketInput) (*NoOutput, error) {
	var orphans []string
	err := s.store.Update(ctx, func(tx txn) error {
		if _, err := tx.Bucket(in.Bucket); errors.Is(err, store.ErrNotFound) {
			return errNoSuchBucket(in.Bucket)
		} else if err != nil {
			return err
		}
		empty, err := tx.BucketIsEmpty(in.Bucket)
		if err != nil {
			return err
		}
		if !empty {
			return s3Error(http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty").With("BucketName", in.Bucket)
		}
		orphans, err = tx.DeleteBucket(in.Bucket)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.removeBlobs(orphans)
	return &NoOutput{}, nil
}

// GetBucketLocationOutput is the LocationConstraint document: empty for us-east-1.
type GetBucketLocationOutput struct {
	XMLName            xml.Name `xml:"LocationConstraint"`
	LocationConstraint string   `xml:",chardata"`
}

func (s *Service) getBucketLocation(ctx context.Context, in *BucketInput) (*GetBucketLocationOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	out := &GetBucketLocationOutput{}
	if b.Region != "us-east-1" {
		out.LocationConstraint = b.Region
	}
	return out, nil
}

// removeBlobs deletes blobs no record refers to any more; a failure leaves them to the
// next sweep, and packed blobs to the next compaction.
func (s *Service) removeBlobs(ids []string) {
	if len(ids) == 0 {
		return
	}
	if err := s.blobs.Remove(ids...); err != nil {
		s.log.Warn("s3: remove blobs", "err", err)
	}
	s.dropped(ids)
}
