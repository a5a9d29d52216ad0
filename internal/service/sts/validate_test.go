package sts_test

import (
	"errors"
	"testing"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/service/sts"
)

// TestAssumeRoleConstraints checks AssumeRole's declared constraints (botocore's STS
// model) and the checks its Validate keeps, through the validator every request passes.
func TestAssumeRoleConstraints(t *testing.T) {
	api := sts.New(sts.Options{}).API()
	check := func(in *sts.AssumeRoleInput) error {
		if err := api.Operations().Check(in); err != nil {
			return err
		}
		return in.Validate()
	}
	str := func(s string) *string { return &s }
	n := func(v int) *int { return &v }
	type v = operation.Violation
	msg := operation.ValidationMessage
	valid := func() *sts.AssumeRoleInput {
		return &sts.AssumeRoleInput{RoleArn: "arn:aws:iam::111111111111:role/r", RoleSessionName: "s1"}
	}
	for _, c := range []struct {
		name   string
		mutate func(*sts.AssumeRoleInput)
		code   string
		want   string
	}{
		{"valid", func(*sts.AssumeRoleInput) {}, "", ""},
		{"session name pattern", func(in *sts.AssumeRoleInput) { in.RoleSessionName = "my session" }, "ValidationError",
			msg(v{Path: "roleSessionName", Value: "my session", Constraint: operation.MatchPattern(`[\w+=,.@-]*`)})},
		{"session name length", func(in *sts.AssumeRoleInput) { in.RoleSessionName = "s" }, "ValidationError",
			msg(v{Path: "roleSessionName", Value: "s", Constraint: operation.MinLength(2)})},
		{"duration", func(in *sts.AssumeRoleInput) { in.DurationSeconds = n(899) }, "ValidationError",
			msg(v{Path: "durationSeconds", Value: "899", Constraint: operation.MinValue(900)})},
		{"token code", func(in *sts.AssumeRoleInput) { in.TokenCode = str("12345x") }, "ValidationError",
			msg(v{Path: "tokenCode", Value: "12345x", Constraint: operation.MatchPattern(`[\d]*`)})},
		{"session tag key", func(in *sts.AssumeRoleInput) {
			in.Tags = []sts.Tag{{Key: "team", Value: "ml"}, {Key: "a,b", Value: "v"}}
		}, "ValidationError",
			msg(v{Path: "tags.2.member.key", Value: "a,b", Constraint: operation.MatchPattern(`[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)})},
		{"policy ARNs quota", func(in *sts.AssumeRoleInput) { in.PolicyArns = make([]sts.PolicyDescriptor, 11) }, "ValidationError",
			msg(v{Path: "policyArns", Hidden: true, Constraint: operation.MaxLength(10)})},
		{"several", func(in *sts.AssumeRoleInput) { in.RoleSessionName, in.ExternalId = "", str("x") }, "ValidationError",
			msg(v{Path: "roleSessionName", Null: true, Constraint: operation.NotNull},
				v{Path: "externalId", Value: "x", Constraint: operation.MinLength(2)})},
		{"role ARN of another kind", func(in *sts.AssumeRoleInput) { in.RoleArn = "arn:aws:iam::111111111111:user/u" }, "ValidationError",
			"arn:aws:iam::111111111111:user/u is invalid"},
		{"duplicate tag keys", func(in *sts.AssumeRoleInput) { in.Tags = []sts.Tag{{Key: "Team"}, {Key: "team"}} }, "InvalidParameterValue",
			"Duplicate tag keys found. Please note that Tag keys are case insensitive."},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := valid()
			c.mutate(in)
			err := check(in)
			if c.code == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			var e *operation.Error
			if !errors.As(err, &e) || e.Code != c.code || e.Status != 400 || e.Message != c.want {
				t.Errorf("got  %v\nwant %s: %s", err, c.code, c.want)
			}
		})
	}
}
