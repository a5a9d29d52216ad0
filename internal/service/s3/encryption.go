package s3

import (
	"context"
	"encoding/xml"
	"net/http"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// ServerSideEncryptionConfiguration is a bucket's default encryption: one rule.
type ServerSideEncryptionConfiguration struct {
	XMLName xml.Name                   `xml:"ServerSideEncryptionConfiguration"`
	Rules   []ServerSideEncryptionRule `xml:"Rule"`
}

type ServerSideEncryptionRule struct {
	ApplyServerSideEncryptionByDefault *EncryptionByDefault `xml:"ApplyServerSideEncryptionByDefault"`
	BucketKeyEnabled                   *bool                `xml:"BucketKeyEnabled,omitempty"`
}

type EncryptionByDefault struct {
	SSEAlgorithm   string
	KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty"`
}

type PutBucketEncryptionInput struct {
	Bucket              string                             `uri:"Bucket" required:"true"`
	ExpectedBucketOwner string                             `header:"x-amz-expected-bucket-owner"`
	Configuration       *ServerSideEncryptionConfiguration `payload:"true" required:"true"`
}

func (s *Service) encryptionOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[PutBucketEncryptionInput, NoOutput]{
			Name: "PutBucketEncryption", Action: "s3:PutEncryptionConfiguration",
			Route: operation.Route{Method: "PUT", Path: "/{Bucket}?encryption", Status: http.StatusOK},
			Access: func(ctx context.Context, in *PutBucketEncryptionInput) (*operation.Access, error) {
				return s.bucketAccess(ctx, in.Bucket, in.ExpectedBucketOwner)
			},
			Handler: s.putBucketEncryption,
		}),
		operation.Declare(operation.Op[BucketInput, ServerSideEncryptionConfiguration]{
			Name: "GetBucketEncryption", Action: "s3:GetEncryptionConfiguration",
			Route:  operation.Route{Method: "GET", Path: "/{Bucket}?encryption"},
			Access: s.bucketInputAccess, Handler: s.getBucketEncryption,
		}),
		operation.Declare(operation.Op[BucketInput, NoOutput]{
			Name: "DeleteBucketEncryption", Action: "s3:PutEncryptionConfiguration",
			Route:  operation.Route{Method: "DELETE", Path: "/{Bucket}?encryption", Status: http.StatusNoContent},
			Access: s.bucketInputAccess, Handler: s.deleteBucketEncryption,
		}),
	}
}

func (s *Service) putBucketEncryption(ctx context.Context, in *PutBucketEncryptionInput) (*NoOutput, error) {
	c := in.Configuration
	if c == nil || len(c.Rules) != 1 || c.Rules[0].ApplyServerSideEncryptionByDefault == nil {
		return nil, errMalformedXML()
	}
	r := c.Rules[0]
	d := r.ApplyServerSideEncryptionByDefault
	enc := &store.BucketEncryption{Algorithm: d.SSEAlgorithm, KMSKeyID: d.KMSMasterKeyID, BucketKeyEnabled: r.BucketKeyEnabled != nil && *r.BucketKeyEnabled}
	switch d.SSEAlgorithm {
	case sseS3:
		if d.KMSMasterKeyID != "" {
			return nil, errInvalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse", "ApplyServerSideEncryptionByDefault", "")
		}
	case sseKMS, sseDSSE:
	default:
		return nil, errMalformedXML()
	}
	return &NoOutput{}, s.updateBucket(ctx, in.Bucket, func(tx txn) error { return tx.PutBucketEncryption(in.Bucket, enc) })
}

func (s *Service) getBucketEncryption(ctx context.Context, in *BucketInput) (*ServerSideEncryptionConfiguration, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	enc := b.Encryption
	if enc == nil {
		// Every bucket encrypts with SSE-S3 unless told otherwise.
		enc = &store.BucketEncryption{Algorithm: sseS3}
	}
	on := enc.BucketKeyEnabled
	return &ServerSideEncryptionConfiguration{Rules: []ServerSideEncryptionRule{{
		ApplyServerSideEncryptionByDefault: &EncryptionByDefault{SSEAlgorithm: enc.Algorithm, KMSMasterKeyID: enc.KMSKeyID},
		BucketKeyEnabled:                   &on}}}, nil
}

func (s *Service) deleteBucketEncryption(ctx context.Context, in *BucketInput) (*NoOutput, error) {
	return &NoOutput{}, s.updateBucket(ctx, in.Bucket, func(tx txn) error { return tx.PutBucketEncryption(in.Bucket, nil) })
}
