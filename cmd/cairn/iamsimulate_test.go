package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const simulateInput = `{
  "request": {"principal": "arn:aws:iam::111111111111:user/alice", "action": "s3:GetObject",
              "resource": "arn:aws:s3:::bucket/key", "context": {"aws:SourceIp": "10.1.2.3"}},
  "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*",
                        "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}}],
  "serviceControlPolicies": [[{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}],
                             [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}}]]
}`

type simulateOutput struct {
	Decision          string
	Reason            string
	MatchedStatements []struct {
		Policy    string
		Statement int
		Sid       string
		Effect    string
	}
}

func writeInput(t *testing.T, s string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "input.json")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// simulate runs cairn iam simulate with args.
func simulate(stdin io.Reader, args []string, stdout, stderr io.Writer) int {
	return run(context.Background(), append([]string{"iam", "simulate"}, args...), streams{in: stdin, out: stdout, err: stderr})
}

func TestIAMSimulateFile(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := simulate(nil, []string{"--input", writeInput(t, simulateInput)}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	var out simulateOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("output %s: %v", stdout.String(), err)
	}
	if out.Decision != "ImplicitlyDenied" {
		t.Errorf("decision = %s", out.Decision)
	}
	want := "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket/key because no service control policy allows the s3:GetObject action"
	if out.Reason != want {
		t.Errorf("reason = %q, want %q", out.Reason, want)
	}
	if len(out.MatchedStatements) != 2 || out.MatchedStatements[1].Policy != "identityPolicies[0]" || out.MatchedStatements[1].Sid != "Read" {
		t.Errorf("matched = %+v", out.MatchedStatements)
	}
}

func TestIAMSimulateStdin(t *testing.T) {
	in := strings.Replace(simulateInput, `"ec2:*"`, `"s3:*"`, 1)
	var stdout, stderr bytes.Buffer
	if code := simulate(strings.NewReader(in), []string{"--input", "-"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	var out simulateOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Decision != "Allowed" || out.Reason != "allowed by an identity-based policy" {
		t.Errorf("output = %+v", out)
	}
}

func TestIAMSimulateErrors(t *testing.T) {
	badPolicy := strings.Replace(simulateInput, `"Sid": "Read",`, `"Sid": "Read", "Principal": "*",`, 1)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no input flag", nil, 2, "usage: cairn iam simulate --input FILE"},
		{"unknown flag", []string{"--bogus"}, 2, "flag provided but not defined: -bogus"},
		{"extra argument", []string{"--input", "x", "y"}, 2, "usage: cairn iam simulate --input FILE"},
		{"missing file", []string{"--input", filepath.Join(t.TempDir(), "nope.json")}, 1, "no such file or directory"},
		{"malformed policy", []string{"--input", writeInput(t, badPolicy)}, 1, "cairn iam simulate: identityPolicies[0]: Policy document should not specify a principal."},
		{"malformed input", []string{"--input", writeInput(t, `{"request":`)}, 1, "cairn iam simulate: simulation input:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := simulate(nil, tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit = %d, want %d", code, tc.code)
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tc.stderr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

// The rules AWS applies whatever the policies say decide in `cairn iam simulate`
// as in the server.
func TestIAMSimulateAWSRules(t *testing.T) {
	const (
		user     = `"principal": "arn:aws:iam::111111111111:user/alice"`
		allowAll = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`
		role     = `"arn:aws:iam::111111111111:role/app"`
	)
	trust := func(principal string) string {
		return `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "` + principal + `"}, "Action": "sts:AssumeRole"}}`
	}
	tests := []struct {
		name, input, decision, reason string
	}{
		{"GetCallerIdentity explicitly denied", `{"request": {` + user + `, "action": "sts:GetCallerIdentity"},
			"identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "sts:*", "Resource": "*"}}]}`,
			"Allowed", "allowed because sts:GetCallerIdentity needs no permission"},
		{"AWS managed policy changed", `{"request": {` + user + `, "action": "iam:CreatePolicyVersion", "resource": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
			"identityPolicies": [` + allowAll + `]}`,
			"ImplicitlyDenied", "because AWS managed policies cannot be changed"},
		{"service-linked role passed", `{"request": {` + user + `, "action": "iam:PassRole", "resource": "arn:aws:iam::111111111111:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker"},
			"identityPolicies": [` + allowAll + `]}`,
			"ImplicitlyDenied", "cannot be passed"},
		{"service-linked role given a boundary", `{"request": {` + user + `, "action": "iam:PutRolePermissionsBoundary", "resource": "arn:aws:iam::111111111111:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker"},
			"identityPolicies": [` + allowAll + `]}`,
			"ImplicitlyDenied", "only by its service"},
		{"NotPrincipal with Allow", `{"request": {` + user + `, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
			"resourcePolicy": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:user/bob"}, "Action": "s3:GetObject", "Resource": "*"}}}`,
			"Allowed", "allowed by a resource-based policy"},
		{"NotPrincipal with Deny sparing the role it names", `{"request": {"principal": ` + role + `, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
			"identityPolicies": [` + allowAll + `],
			"resourcePolicy": {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": ` + role + `}, "Action": "s3:*", "Resource": "*"}}}`,
			"Allowed", "allowed by an identity-based policy"},
		{"same-account AssumeRole without a trust policy", `{"request": {` + user + `, "action": "sts:AssumeRole", "resource": ` + role + `},
			"identityPolicies": [` + allowAll + `]}`,
			"ImplicitlyDenied", "because no resource-based policy allows the sts:AssumeRole action"},
		{"same-account AssumeRole, trust names another user", `{"request": {` + user + `, "action": "sts:AssumeRole", "resource": ` + role + `},
			"identityPolicies": [` + allowAll + `], "resourcePolicy": ` + trust("arn:aws:iam::111111111111:user/bob") + `}`,
			"ImplicitlyDenied", "because no resource-based policy allows the sts:AssumeRole action"},
		{"same-account AssumeRole, trust names the user", `{"request": {` + user + `, "action": "sts:AssumeRole", "resource": ` + role + `},
			"resourcePolicy": ` + trust("arn:aws:iam::111111111111:user/alice") + `}`,
			"Allowed", "allowed by a resource-based policy"},
		{"same-account AssumeRole, trust names the account only", `{"request": {` + user + `, "action": "sts:AssumeRole", "resource": ` + role + `},
			"resourcePolicy": ` + trust("arn:aws:iam::111111111111:root") + `}`,
			"ImplicitlyDenied", "because no identity-based policy allows the sts:AssumeRole action"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := simulate(nil, []string{"--input", writeInput(t, tc.input)}, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d, stderr %s", code, stderr.String())
			}
			var out simulateOutput
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatalf("output %s: %v", stdout.String(), err)
			}
			if out.Decision != tc.decision || !strings.Contains(out.Reason, tc.reason) {
				t.Errorf("got %s: %s\nwant %s: …%s", out.Decision, out.Reason, tc.decision, tc.reason)
			}
		})
	}
}
