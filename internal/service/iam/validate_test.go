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
	type v = operation.Violation
	const tagKey = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	for _, c := range []struct {
		name string
		in   any
		want []v
	}{
		{"marker characters", &iam.ListUsersInput{Marker: "☃"},
			[]v{{Path: "marker", Value: "☃", Constraint: operation.MatchPattern(`[\u0020-\u00FF]+`)}}},
		{"policy document characters", &iam.PutUserPolicyInput{UserName: "u", PolicyName: "p", PolicyDocument: `{"a":"☃"}`},
			[]v{{Path: "policyDocument", Value: `{"a":"☃"}`, Constraint: operation.MatchPattern(`[\u0009\u000A\u000D\u0020-\u00FF]+`)}}},
		{"role description characters", &iam.UpdateRoleInput{RoleName: "r", Description: str("a\x01b")},
			[]v{{Path: "description", Value: "a\x01b", Constraint: operation.MatchPattern(`[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`)}}},
		{"access key status", &iam.UpdateAccessKeyInput{AccessKeyId: "AKIAAAAAAAAAAAAAAAAA", Status: "Disabled"},
			[]v{{Path: "status", Value: "Disabled", Constraint: operation.OneOf("Active", "Inactive", "Expired")}}},
		{"tag keys as a list", &iam.UntagUserInput{UserName: "u", TagKeys: []string{"ok", ""}},
			[]v{{Path: "tagKeys", Value: "[ok, ]", Constraint: "Member must satisfy constraint: [" + operation.MaxLength(128) + ", " +
				operation.MinLength(1) + ", " + operation.MatchPattern(tagKey) + "]"}}},
		{"too many tags", &iam.TagRoleInput{RoleName: "r", Tags: tags},
			[]v{{Path: "tags", Hidden: true, Constraint: operation.MaxLength(50)}}},
		{"tags required", &iam.TagPolicyInput{PolicyArn: "arn:aws:iam::111111111111:policy/p"},
			[]v{{Path: "tags", Null: true, Constraint: operation.NotNull}}},
		{"resource handling option", &iam.SimulateCustomPolicyInput{PolicyInputList: []string{"{}"}, ActionNames: []string{"s3:GetObject"},
			ResourceHandlingOption: strings.Repeat("a", 65)},
			[]v{{Path: "resourceHandlingOption", Value: strings.Repeat("a", 65), Constraint: operation.MaxLength(64)}}},
		{"context entry type", &iam.SimulateCustomPolicyInput{PolicyInputList: []string{"{}"}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []iam.ContextEntry{{ContextKeyName: str("aws:username"), ContextKeyType: str("text")}}},
			[]v{{Path: "contextEntries.1.member.contextKeyType", Value: "text", Constraint: operation.OneOf("string", "stringList",
				"numeric", "numericList", "boolean", "booleanList", "ip", "ipList", "binary", "binaryList", "date", "dateList")}}},
		{"context entry members left out", &iam.SimulateCustomPolicyInput{PolicyInputList: []string{"{}"}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []iam.ContextEntry{{ContextKeyValues: []string{"v"}}}}, nil},
		{"several", &iam.CreateGroupInput{Path: "a", GroupName: strings.Repeat("g", 129)},
			[]v{{Path: "path", Value: "a", Constraint: operation.MatchPattern(`(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)},
				{Path: "groupName", Value: strings.Repeat("g", 129), Constraint: operation.MaxLength(128)}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := check(c.in)
			if c.want == nil {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			want := operation.ValidationMessage(c.want...)
			var e *operation.Error
			if !errors.As(err, &e) || e.Code != "ValidationError" || e.Status != 400 || e.Message != want {
				t.Errorf("got  %v\nwant ValidationError: %s", err, want)
			}
		})
	}
}
