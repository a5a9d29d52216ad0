package s3

import (
	"context"
	"encoding/xml"
)

// Buckets have ACLs disabled (object ownership BucketOwnerEnforced): the bucket owner owns
// every object and has full control; reading an ACL shows exactly that, and setting one is
// refused unless it grants nothing more.

// AccessControlPolicy is the ACL document.
type AccessControlPolicy struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Owner   *Owner
	Grants  []Grant `xml:"AccessControlList>Grant"`
}

// Grant is one ACL entry.
type Grant struct {
	Grantee    Grantee
	Permission string
}

// Grantee is the subject of a grant.
type Grantee struct {
	XMLNSXSI string `xml:"xmlns:xsi,attr"`
	Type     string `xml:"xsi:type,attr"`
	ID       string `xml:",omitempty"`
	URI      string `xml:",omitempty"`
}

const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// ownerACL is the only ACL a bucket with ACLs disabled has.
func ownerACL(account string) *AccessControlPolicy {
	id := canonicalID(account)
	return &AccessControlPolicy{Owner: &Owner{ID: id}, Grants: []Grant{{
		Grantee:    Grantee{XMLNSXSI: xsiNamespace, Type: "CanonicalUser", ID: id},
		Permission: "FULL_CONTROL",
	}}}
}

// ACLInput is an ACL a request wants to set: canned, granted by headers or as a document.
type ACLInput struct {
	ACL              string                   `header:"x-amz-acl"`
	GrantFullControl string                   `header:"x-amz-grant-full-control"`
	GrantRead        string                   `header:"x-amz-grant-read"`
	GrantReadACP     string                   `header:"x-amz-grant-read-acp"`
	GrantWrite       string                   `header:"x-amz-grant-write"`
	GrantWriteACP    string                   `header:"x-amz-grant-write-acp"`
	Policy           *AccessControlPolicyBody `payload:"true"`
}

// AccessControlPolicyBody is an ACL document in a request.
type AccessControlPolicyBody struct {
	Owner  *Owner
	Grants []struct {
		Grantee struct {
			Type string `xml:"type,attr"`
			ID   string
			URI  string
		}
		Permission string
	} `xml:"AccessControlList>Grant"`
}

// onlyOwner reports whether an ACL request grants nothing beyond the bucket owner's full
// control, which a bucket with ACLs disabled accepts.
func (in *ACLInput) onlyOwner(account string) bool {
	if in.GrantRead != "" || in.GrantReadACP != "" || in.GrantWrite != "" || in.GrantWriteACP != "" {
		return false
	}
	if in.GrantFullControl != "" && in.GrantFullControl != `id="`+canonicalID(account)+`"` {
		return false
	}
	switch in.ACL {
	case "", "private", "bucket-owner-full-control":
	default:
		return false
	}
	if in.Policy != nil {
		for _, g := range in.Policy.Grants {
			if g.Grantee.ID != canonicalID(account) || g.Permission != "FULL_CONTROL" {
				return false
			}
		}
	}
	return true
}

// checkCannedACL refuses an x-amz-acl on an object write that grants more than the
// bucket owner's full control.
func checkCannedACL(acl string) error {
	switch acl {
	case "", "private", "bucket-owner-full-control":
		return nil
	}
	return errACLNotSupported()
}

func (s *Service) getBucketACL(ctx context.Context, in *BucketInput) (*AccessControlPolicy, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	return ownerACL(b.AccountID), nil
}

// PutBucketACLInput sets a bucket's ACL.
type PutBucketACLInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
	ACLInput
}

func (s *Service) putBucketACL(ctx context.Context, in *PutBucketACLInput) (*NoOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if !in.onlyOwner(b.AccountID) {
		return nil, errACLNotSupported()
	}
	return &NoOutput{}, nil
}

func (s *Service) getObjectACL(ctx context.Context, in *ObjectInput) (*AccessControlPolicy, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if _, err := s.object(ctx, in.Bucket, in.Key); err != nil {
		return nil, err
	}
	return ownerACL(b.AccountID), nil
}

// PutObjectACLInput sets an object's ACL.
type PutObjectACLInput struct {
	Bucket              string `uri:"Bucket" required:"true"`
	Key                 string `uri:"Key" required:"true"`
	ExpectedBucketOwner string `header:"x-amz-expected-bucket-owner"`
	ACLInput
}

func (s *Service) putObjectACL(ctx context.Context, in *PutObjectACLInput) (*NoOutput, error) {
	b, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner)
	if err != nil {
		return nil, err
	}
	if _, err := s.object(ctx, in.Bucket, in.Key); err != nil {
		return nil, err
	}
	if !in.onlyOwner(b.AccountID) {
		return nil, errACLNotSupported()
	}
	return &NoOutput{}, nil
}

// OwnershipControls is the bucket's object ownership setting.
type OwnershipControls struct {
	XMLName xml.Name `xml:"OwnershipControls"`
	Rules   []struct {
		ObjectOwnership string
	} `xml:"Rule"`
}

func (s *Service) getBucketOwnershipControls(ctx context.Context, in *BucketInput) (*OwnershipControls, error) {
	if _, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner); err != nil {
		return nil, err
	}
	out := &OwnershipControls{}
	out.Rules = append(out.Rules, struct{ ObjectOwnership string }{"BucketOwnerEnforced"})
	return out, nil
}

// VersioningConfiguration is a bucket's versioning state: never enabled.
type VersioningConfiguration struct {
	XMLName xml.Name `xml:"VersioningConfiguration"`
	Status  string   `xml:",omitempty"`
}

func (s *Service) getBucketVersioning(ctx context.Context, in *BucketInput) (*VersioningConfiguration, error) {
	if _, err := s.ownedBucket(ctx, in.Bucket, in.ExpectedBucketOwner); err != nil {
		return nil, err
	}
	return &VersioningConfiguration{}, nil
}
