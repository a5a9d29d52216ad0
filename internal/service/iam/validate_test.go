package iam_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/service/iam"
)

// TestModelConstraints checks constraints of botocore's IAM model that the declarations
// carry, through the validator every request passes.
func TestModelConstraints(t *testing.T) {
	check := iam.New(iam.Options{}).API().Operations().Check
	str := func(s string) *string { return &s }
	tags := make([]iam.Tag, 51)
	for i := range tags {
		tags[i] = iam.Tag{Key: "k" + strings.Repeat("x", i)}
	}
	for _, c := range []struct {
		name string
		in   any
		want string
	}{
		{"marker characters", &iam.ListUsersInput{Marker: "☃"},
			`1 validation error detected: Value '☃' at 'marker' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0020-\u00FF]+`},
		{"policy document characters", &iam.PutUserPolicyInput{UserName: "u", PolicyName: "p", PolicyDocument: `{"a":"☃"}`},
			`1 validation error detected: Value '{"a":"☃"}' at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`},
		{"role description characters", &iam.UpdateRoleInput{RoleName: "r", Description: str("a\x01b")},
			"1 validation error detected: Value 'a\x01b' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*"},
		{"access key status", &iam.UpdateAccessKeyInput{AccessKeyId: "AKIAAAAAAAAAAAAAAAAA", Status: "Disabled"},
			"1 validation error detected: Value 'Disabled' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"},
		{"tag keys as a list", &iam.UntagUserInput{UserName: "u", TagKeys: []string{"ok", ""}},
			`1 validation error detected: Value '[ok, ]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+]`},
		{"too many tags", &iam.TagRoleInput{RoleName: "r", Tags: tags},
			"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"tags required", &iam.TagPolicyInput{PolicyArn: "arn:aws:iam::111111111111:policy/p"},
			"1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"},
		{"resource handling option", &iam.SimulateCustomPolicyInput{PolicyInputList: []string{"{}"}, ActionNames: []string{"s3:GetObject"},
			ResourceHandlingOption: strings.Repeat("a", 65)},
			"1 validation error detected: Value '" + strings.Repeat("a", 65) + "' at 'resourceHandlingOption' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"context entry type", &iam.SimulateCustomPolicyInput{PolicyInputList: []string{"{}"}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []iam.ContextEntry{{ContextKeyName: str("aws:username"), ContextKeyType: str("text")}}},
			"1 validation error detected: Value 'text' at 'contextEntries.1.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]"},
		{"context entry members left out", &iam.SimulateCustomPolicyInput{PolicyInputList: []string{"{}"}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []iam.ContextEntry{{ContextKeyValues: []string{"v"}}}}, ""},
		{"several", &iam.CreateGroupInput{Path: "a", GroupName: strings.Repeat("g", 129)},
			"2 validation errors detected: Value 'a' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); " +
				"Value '" + strings.Repeat("g", 129) + "' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := check(c.in)
			if c.want == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			var e *operation.Error
			if !errors.As(err, &e) || e.Code != "ValidationError" || e.Status != 400 || e.Message != c.want {
				t.Errorf("got  %v\nwant ValidationError: %s", err, c.want)
			}
		})
	}
}
