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
