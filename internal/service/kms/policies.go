package kms

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// defaultKeyPolicy is the policy KMS gives a key created without one: the account (its
// root) may do everything, which lets the account's IAM policies grant use of the key.
func defaultKeyPolicy(account string) string {
	return fmt.Sprintf(`{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::%s:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`, account)
}

// managedKeyPolicy is the policy of an AWS managed key: every principal of the account may
// use it through the service alone, and the account may read its metadata.
func managedKeyPolicy(account, svc, region string) string {
	name := svc
	if svc == "s3" {
		name = "S3"
	}
	return fmt.Sprintf(`{
  "Version" : "2012-10-17",
  "Id" : "auto-%[2]s-2",
  "Statement" : [ {
    "Sid" : "Allow access through %[4]s for all principals in the account that are authorized to use %[4]s",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "%[1]s",
        "kms:ViaService" : "%[2]s.%[3]s.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::%[1]s:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`, account, svc, region, name)
}

func malformedPolicy(format string, args ...any) *operation.Error {
	return kmsError("MalformedPolicyDocumentException", format, args...)
}

// checkPolicy validates a key policy and, unless the caller bypasses it, the lockout
// safety check: the policy must let the caller change it again.
func (s *Service) checkPolicy(ctx context.Context, keyARN, account, doc string, bypass bool) error {
	if _, err := policy.ParseWithOptions([]byte(doc), policy.Options{Type: policy.ResourceBased}); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return malformedPolicy("%s", pe.Error())
		}
		return malformedPolicy("The key policy is not a valid policy document: %v", err)
	}
	if bypass {
		return nil
	}
	ok, err := operation.Allowed(ctx, &operation.Access{Action: "kms:PutKeyPolicy", Resources: []operation.Resource{{
		ARN: keyARN, Account: account, Policy: []byte(doc), PolicyType: operation.KeyPolicy}},
		Context: map[string][]string{"kms:CallerAccount": {caller(ctx).Account}}})
	if err != nil {
		return err
	}
	if !ok {
		return malformedPolicy("The new key policy will not allow you to update the key policy in the future.")
	}
	return nil
}

type PolicyNameInput struct {
	KeyId      string `json:"KeyId" required:"true" min:"1" max:"2048"`
	PolicyName string `json:"PolicyName,omitempty" min:"1" max:"128" pattern:"[\\w]+"`
}

type GetKeyPolicyOutput struct {
	Policy     string `json:"Policy"`
	PolicyName string `json:"PolicyName"`
}

type PutKeyPolicyInput struct {
	KeyId                          string `json:"KeyId" required:"true" min:"1" max:"2048"`
	PolicyName                     string `json:"PolicyName,omitempty" min:"1" max:"128" pattern:"[\\w]+"`
	Policy                         string `json:"Policy" required:"true" min:"1" max:"131072"`
	BypassPolicyLockoutSafetyCheck bool   `json:"BypassPolicyLockoutSafetyCheck,omitempty"`
}

type ListKeyPoliciesInput struct {
	KeyId  string `json:"KeyId" required:"true" min:"1" max:"2048"`
	Limit  *int32 `json:"Limit,omitempty" min:"1" max:"1000"`
	Marker string `json:"Marker,omitempty" min:"1" max:"1024"`
}

type ListKeyPoliciesOutput struct {
	PolicyNames []string `json:"PolicyNames"`
	Truncated   bool     `json:"Truncated"`
}

func checkPolicyName(name string) error {
	if name != "" && name != "default" {
		return notFound("No such policy exists: %s. The only key policy of a KMS key is named default.", name)
	}
	return nil
}

func (s *Service) policyOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[PolicyNameInput, GetKeyPolicyOutput]{Name: "GetKeyPolicy",
			Access: func(ctx context.Context, in *PolicyNameInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:GetKeyPolicy", access{})
			},
			Handler: handle(s, func(ctx context.Context, in *PolicyNameInput) (*GetKeyPolicyOutput, error) {
				if err := checkPolicyName(in.PolicyName); err != nil {
					return nil, err
				}
				k, err := s.key(ctx, in.KeyId)
				if err != nil {
					return nil, err
				}
				return &GetKeyPolicyOutput{Policy: k.key.Policy, PolicyName: "default"}, nil
			})}),
		operation.Declare(operation.Op[PutKeyPolicyInput, Empty]{Name: "PutKeyPolicy",
			Access: func(ctx context.Context, in *PutKeyPolicyInput) (*operation.Access, error) {
				a, err := s.keyAccess(ctx, in.KeyId, "kms:PutKeyPolicy", access{})
				if err == nil && in.BypassPolicyLockoutSafetyCheck {
					a.Context["kms:BypassPolicyLockoutSafetyCheck"] = []string{"true"}
				}
				return a, err
			},
			Handler: handle(s, s.putKeyPolicy)}),
		operation.Declare(operation.Op[ListKeyPoliciesInput, ListKeyPoliciesOutput]{Name: "ListKeyPolicies",
			Access: func(ctx context.Context, in *ListKeyPoliciesInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:ListKeyPolicies", access{})
			},
			Handler: handle(s, func(ctx context.Context, in *ListKeyPoliciesInput) (*ListKeyPoliciesOutput, error) {
				if _, err := s.key(ctx, in.KeyId); err != nil {
					return nil, err
				}
				return &ListKeyPoliciesOutput{PolicyNames: []string{"default"}}, nil
			})}),
	}
}

func (s *Service) putKeyPolicy(ctx context.Context, in *PutKeyPolicyInput) (*Empty, error) {
	if err := checkPolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	lk, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if lk.key.KeyManager == "AWS" {
		return nil, unsupported("%s is an AWS managed key; its key policy cannot be changed.", lk.key.ARN())
	}
	if err := s.checkPolicy(ctx, lk.key.ARN(), lk.key.Account, in.Policy, in.BypassPolicyLockoutSafetyCheck); err != nil {
		return nil, err
	}
	_, err = s.change(ctx, in.KeyId, func(k *store.KMSKey) error {
		if k.State == store.KMSKeyPendingDeletion {
			return invalidState("%s is pending deletion.", k.ARN())
		}
		k.Policy = in.Policy
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}
