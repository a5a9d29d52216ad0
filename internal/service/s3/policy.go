package s3

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/policy"
)

// maxPolicyBytes is the largest bucket policy S3 accepts.
const maxPolicyBytes = 20 << 10

// PutBucketPolicyInput sets a bucket's policy.
type PutBucketPolicyInput struct {
	Bucket                        string `uri:"Bucket" required:"true"`
	ExpectedBucketOwner           string `header:"x-amz-expected-bucket-owner"`
	ConfirmRemoveSelfBucketAccess string `header:"x-amz-confirm-remove-self-bucket-access"`
	Policy                        []byte `payload:"true"`
}

// GetBucketPolicyOutput is the policy document, as the owner put it.
type GetBucketPolicyOutput struct {
	ContentType string `header:"Content-Type"`
	Policy      []byte `payload:"true"`
}

func errMalformedPolicy(message string) error {
	return s3Error(http.StatusBadRequest, "MalformedPolicy", message)
}

// checkBucketPolicy validates a bucket policy as S3 does: a resource-based policy whose
// actions are S3's and whose resources are the bucket or its objects.
func checkBucketPolicy(bucket string, doc []byte) error {
	if len(strings.TrimSpace(string(doc))) == 0 {
		return errMalformedPolicy("Policies must be valid JSON and the first byte must be '{'")
	}
	if len(doc) > maxPolicyBytes {
		return errMalformedPolicy("Policies must be no more than 20 KB")
	}
	p, err := policy.ParseWithOptions(doc, policy.Options{Type: policy.ResourceBased})
	if err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return errMalformedPolicy(pe.Message)
		}
		return err
	}
	for _, st := range p.Statements {
		for _, a := range st.Actions {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
				return errMalformedPolicy("Policy has invalid action")
			}
		}
		for _, r := range st.Resources {
			if !policyResourceInBucket(bucket, r) {
				return errMalformedPolicy("Policy has invalid resource")
			}
		}
	}
	return nil
}

// policyResourceInBucket reports whether a policy resource is the bucket or objects in it.
func policyResourceInBucket(bucket, r string) bool {
	a, err := arn.Parse(r)
	if err != nil || a.Partition != arn.Partition || a.Service != "s3" || a.Region != "" || a.Account != "" {
		return false
	}
	b, _, _ := strings.Cut(a.Resource, "/")
	return b == bucket || strings.ContainsAny(b, "*?") && wildcardMatch(b, bucket)
}

// wildcardMatch matches s against a pattern of * and ?.
func wildcardMatch(pattern, s string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if wildcardMatch(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			s, pattern = s[1:], pattern[1:]
		default:
			if s == "" || s[0] != pattern[0] {
				return false
			}
			s, pattern = s[1:], pattern[1:]
		}
	}
	return s == ""
}

func (s *Service) putBucketPolicy(ctx context.Context, in *PutBucketPolicyInput) (*NoOutput, error) {
	if err := checkBucketPolicy(in.Bucket, in.Policy); err != nil {
		return nil, err
	}
	doc := append([]byte(nil), in.Policy...)
	return &NoOutput{}, s.updateBucket(ctx, in.Bucket, func(tx txn) error { return tx.PutBucketPolicy(in.Bucket, doc) })
}

func (s *Service) getBucketPolicy(ctx context.Context, in *BucketInput) (*GetBucketPolicyOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if b.Policy == nil {
		return nil, s3Error(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist").With("BucketName", in.Bucket)
	}
	return &GetBucketPolicyOutput{ContentType: "application/json", Policy: b.Policy}, nil
}

func (s *Service) deleteBucketPolicy(ctx context.Context, in *BucketInput) (*NoOutput, error) {
	return &NoOutput{}, s.updateBucket(ctx, in.Bucket, func(tx txn) error { return tx.PutBucketPolicy(in.Bucket, nil) })
}
