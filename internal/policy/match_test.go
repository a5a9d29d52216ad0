package policy_test

import (
	"fmt"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// allowedBy reports whether a user is allowed the action on the resource
// by the single identity policy d.
func allowedBy(t *testing.T, d, action, resource string, ctx *policy.Context) bool {
	t.Helper()
	pol := mustParse(t, policy.IdentityBased, d)
	if ctx == nil {
		ctx = policy.NewContext(map[string]string{"aws:username": "alice", "aws:PrincipalTag/dept": "a*b"})
	}
	req := &policy.Request{Principal: mustPrincipal(t, userA), Action: action, Resource: resource, Context: ctx}
	return policy.Evaluate(req, &policy.Inputs{Identity: []policy.NamedPolicy{{ID: "p", Policy: pol}}}).Allowed
}

func TestActionMatching(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"*", "s3:GetObject", true},
		{"*", "anything", true},
		{"s3:*", "s3:GetObject", true},
		{"s3:*", "S3:getobject", true},
		{"s3:*", "s3x:GetObject", false},
		{"s3:*", "ec2:RunInstances", false},
		{"s3:GetObject", "s3:GetObject", true},
		{"s3:GetObject", "s3:getobject", true},
		{"S3:GETOBJECT", "s3:GetObject", true},
		{"s3:GetObject", "s3:GetObjectAcl", false},
		{"s3:GetObject", "s3:GetObjec", false},
		{"s3:Get*", "s3:GetObject", true},
		{"s3:Get*", "s3:Get", true},
		{"s3:Get*", "s3:PutObject", false},
		{"s3:*Object", "s3:GetObject", true},
		{"s3:*Object", "s3:GetObjectAcl", false},
		{"s3:*Object*", "s3:GetObjectAcl", true},
		{"s3:Get?bject", "s3:GetObject", true},
		{"s3:Get?bject", "s3:Getobject", true},
		{"s3:Get?bject", "s3:GetOObject", false},
		{"iam:*AccessKey*", "iam:CreateAccessKey", true},
		{"iam:*AccessKey*", "iam:ListAccessKeys", true},
		{"iam:*AccessKey*", "iam:CreateUser", false},
		{"s3*:*", "s3:GetObject", true},
		{"s3*:*", "s3express:CreateSession", true},
		{"*:Get*", "s3:GetObject", true},
		{"*:Get*", "s3:PutObject", false},
		{"sagemaker:CreateTrainingJob", "sagemaker:CreateTrainingJob", true},
		{"sagemaker:Create*Job", "sagemaker:CreateProcessingJob", true},
		{"sagemaker:Create*Job", "sagemaker:CreatePipeline", false},
		{"s3:GetObject|s3:PutObject", "s3:PutObject", true},
		{"s3:GetObject|s3:PutObject", "s3:DeleteObject", false},
		{"ec2:*|s3:List*", "s3:ListBucket", true},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"~"+tc.action, func(t *testing.T) {
			if got := allowedBy(t, allowDoc(tc.pattern, "*"), tc.action, "*", nil); got != tc.want {
				t.Errorf("Action %q, request %q: allowed = %v, want %v", tc.pattern, tc.action, got, tc.want)
			}
		})
	}
}

func TestNotAction(t *testing.T) {
	tests := []struct {
		notAction, action string
		want              bool
	}{
		{"iam:*", "s3:GetObject", true},
		{"iam:*", "iam:CreateUser", false},
		{"iam:*", "IAM:CreateUser", false},
		{"iam:*|s3:*", "s3:GetObject", false},
		{"iam:*|s3:*", "ec2:RunInstances", true},
		{"s3:Get*", "s3:PutObject", true},
		{"*", "s3:GetObject", false},
	}
	for _, tc := range tests {
		t.Run(tc.notAction+"~"+tc.action, func(t *testing.T) {
			d := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":%s,"Resource":"*"}}`, jsonList(tc.notAction))
			if got := allowedBy(t, d, tc.action, "*", nil); got != tc.want {
				t.Errorf("NotAction %q, request %q: allowed = %v, want %v", tc.notAction, tc.action, got, tc.want)
			}
		})
	}
}

func TestResourceMatching(t *testing.T) {
	tests := []struct {
		version, pattern, resource string
		want                       bool
	}{
		{"", "*", objA, true},
		{"", "*", "*", true},
		{"", objA, objA, true},
		{"", objA, "arn:aws:s3:::bucket-a/Key", false},
		{"", "arn:aws:s3:::BUCKET-A/key", objA, false},
		{"", objA, "*", false},
		{"", "arn:aws:s3:::bucket-a/*", objA, true},
		{"", "arn:aws:s3:::bucket-a/*", "arn:aws:s3:::bucket-a/a/b/c", true},
		{"", "arn:aws:s3:::bucket-a/*", bucketA, false},
		{"", "arn:aws:s3:::bucket-a*", bucketA, true},
		{"", "arn:aws:s3:::bucket-a*", objA, true},
		{"", "arn:aws:s3:::*", objA, true},
		{"", "arn:aws:s3:::*/key", objA, true},
		{"", "arn:aws:s3:::bucket-?/key", objA, true},
		{"", "arn:aws:s3:::bucket-?/key", "arn:aws:s3:::bucket-ab/key", false},
		{"", "arn:aws:*", objA, true},
		{"", "arn:*", objA, true},
		{"", "arn:aws:iam::*:role/*", "arn:aws:iam::111111111111:role/path/app", true},
		{"", "arn:aws:iam::111111111111:*", "arn:aws:iam::111111111111:role/app", true},
		{"", "arn:aws:iam::*:user/alice", "arn:aws:iam::111111111111:user/alice", true},
		{"", "arn:aws:iam::111111111111:role/*", "arn:aws:iam::222222222222:role/app", false},
		{"", "arn:aws:*:us-east-1:*:*", "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p", true},
		{"", "arn:aws:*:us-east-1:*:*", "arn:aws:sagemaker:eu-west-1:111111111111:pipeline/p", false},
		{"", "arn:aws:sagemaker:*:111111111111:training-job/*", "arn:aws:sagemaker:us-east-1:111111111111:training-job/job-1", true},
		{"", "arn:aws:s3:::a*b*c", "arn:aws:s3:::axxbyyc", true},
		{"", "arn:aws:s3:::a*b*c", "arn:aws:s3:::axxcyyb", false},
		{"", "arn:aws:s3:::bucket-a/*|arn:aws:s3:::other/*", "arn:aws:s3:::other/x", true},
		{"", "arn:aws:s3:::x/${aws:username}/*", "arn:aws:s3:::x/${aws:username}/k", true},
		{"2012-10-17", "arn:aws:s3:::x/${aws:username}/*", "arn:aws:s3:::x/alice/k", true},
		{"2012-10-17", "arn:aws:s3:::x/${aws:username}/*", "arn:aws:s3:::x/bob/k", false},
		{"2012-10-17", "arn:aws:s3:::x/${aws:username}/*", "arn:aws:s3:::x/${aws:username}/k", false},
		{"2012-10-17", "arn:aws:s3:::x/${AWS:UserName}", "arn:aws:s3:::x/alice", true},
		{"2012-10-17", "arn:aws:s3:::x/${aws:PrincipalTag/dept}", "arn:aws:s3:::x/a*b", true},
		{"2012-10-17", "arn:aws:s3:::x/${aws:PrincipalTag/dept}", "arn:aws:s3:::x/axxb", false},
		{"2012-10-17", "arn:aws:s3:::x/${svc:none}/*", "arn:aws:s3:::x/a/k", false},
		{"2012-10-17", "arn:aws:s3:::x/${svc:none}/*|arn:aws:s3:::y/*", "arn:aws:s3:::y/k", true},
		{"2012-10-17", "arn:aws:s3:::x/${svc:none, 'public'}/*", "arn:aws:s3:::x/public/k", true},
		{"2012-10-17", "arn:aws:s3:::x/${*}", "arn:aws:s3:::x/*", true},
		{"2012-10-17", "arn:aws:s3:::x/${*}", "arn:aws:s3:::x/abc", false},
		{"2012-10-17", "arn:aws:s3:::x/${?}", "arn:aws:s3:::x/?", true},
		{"2012-10-17", "arn:aws:s3:::x/${?}", "arn:aws:s3:::x/a", false},
		{"2012-10-17", "arn:aws:s3:::x/${$}{aws:username}", "arn:aws:s3:::x/${aws:username}", true},
		{"2012-10-17", "arn:aws:s3:::x/*${aws:username}", "arn:aws:s3:::x/home/alice", true},
		{"2012-10-17", "arn:aws:s3:::x/*${aws:username}*", "arn:aws:s3:::x/home/alice/k", true},
		{"2008-10-17", "arn:aws:s3:::x/${aws:username}/*", "arn:aws:s3:::x/alice/k", false},
		{"2008-10-17", "arn:aws:s3:::x/${aws:username}/*", "arn:aws:s3:::x/${aws:username}/k", true},
	}
	for _, tc := range tests {
		t.Run(tc.version+"/"+tc.pattern+"~"+tc.resource, func(t *testing.T) {
			d := fmt.Sprintf(`{"Version":%q,"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":%s}}`, tc.version, jsonList(tc.pattern))
			if tc.version == "" {
				d = fmt.Sprintf(`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":%s}}`, jsonList(tc.pattern))
			}
			if got := allowedBy(t, d, "s3:GetObject", tc.resource, nil); got != tc.want {
				t.Errorf("Resource %q, request %q: allowed = %v, want %v", tc.pattern, tc.resource, got, tc.want)
			}
		})
	}
}

func TestNotResource(t *testing.T) {
	tests := []struct {
		notResource, resource string
		want                  bool
	}{
		{"arn:aws:s3:::secret/*", objA, true},
		{"arn:aws:s3:::secret/*", "arn:aws:s3:::secret/k", false},
		{"arn:aws:s3:::secret/*|arn:aws:s3:::bucket-a/*", objA, false},
		{"*", objA, false},
		{"arn:aws:s3:::x/${aws:username}/*", "arn:aws:s3:::x/alice/k", false},
		{"arn:aws:s3:::x/${aws:username}/*", "arn:aws:s3:::x/bob/k", true},
		// An unresolved variable never makes NotResource match.
		{"arn:aws:s3:::x/${svc:none}/*", "arn:aws:s3:::x/bob/k", false},
		{"arn:aws:s3:::x/${svc:none}/*", "arn:aws:s3:::y/k", false},
		{"arn:aws:s3:::x/${svc:none, 'd'}/*", "arn:aws:s3:::y/k", true},
	}
	for _, tc := range tests {
		t.Run(tc.notResource+"~"+tc.resource, func(t *testing.T) {
			d := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":%s}}`, jsonList(tc.notResource))
			if got := allowedBy(t, d, "s3:GetObject", tc.resource, nil); got != tc.want {
				t.Errorf("NotResource %q, request %q: allowed = %v, want %v", tc.notResource, tc.resource, got, tc.want)
			}
		})
	}
}

func TestEmptyResourceMeansStar(t *testing.T) {
	if !allowedBy(t, allowDoc("iam:ListUsers", "*"), "iam:ListUsers", "", nil) {
		t.Error(`Resource "" is not treated as "*"`)
	}
	if allowedBy(t, allowDoc("iam:ListUsers", "arn:aws:iam::111111111111:user/*"), "iam:ListUsers", "", nil) {
		t.Error(`an ARN pattern matched Resource ""`)
	}
}
