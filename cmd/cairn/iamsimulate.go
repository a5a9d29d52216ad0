package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/cairnhq/cairn/internal/policy"
)

func iamSimulateCommand() *command {
	return &command{
		name:    "iam simulate",
		summary: "evaluate one request against a set of IAM policies, offline",
		usage:   "iam simulate --input FILE",
		details: `FILE (or "-" for standard input) is a JSON document holding the request — principal,
action, resource, condition keys — and every policy that applies to it: identity
policies, a resource policy, a permissions boundary, session policies, SCPs and RCPs by
level (docs/iam-simulate.md describes every member). The decision comes out as JSON:

  {"decision": "ImplicitlyDenied", "reason": "User: … because no identity-based policy allows the s3:GetObject action",
   "matchedStatements": [{"policy": "identityPolicies[0]", "statement": 0, "sid": "…", "effect": "Allow"}]}

It exits 0 whatever the decision, 1 when the input or a policy in it is malformed (the
message names which) and 2 on bad usage.`,
		example: `cairn iam simulate --input request.json
echo '{"request":{"principal":"arn:aws:iam::111111111111:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}' | cairn iam simulate --input -`,
		run: runIAMSimulate,
	}
}

// runIAMSimulate implements `cairn iam simulate --input FILE`: it reads a request and its
// policies (the document of policy.ParseSimulation), evaluates the request and prints the
// decision as JSON.
func runIAMSimulate(_ context.Context, c *command, args []string, s streams) int {
	fs := c.flags()
	input := fs.String("input", "", "the JSON `file` holding the request and its policies (\"-\" for standard input)")
	pos, code, done := c.parse(fs, args, s)
	if done {
		return code
	}
	if *input == "" {
		return c.usageError(s, "--input is required")
	}
	if len(pos) > 0 {
		return c.usageError(s, "unexpected argument %q", pos[0])
	}
	var data []byte
	var err error
	if *input == "-" {
		data, err = io.ReadAll(s.in)
	} else {
		data, err = os.ReadFile(*input)
	}
	if err != nil {
		fmt.Fprintf(s.err, "cairn iam simulate: %v\n", err)
		return 1
	}
	sim, err := policy.ParseSimulation(data)
	if err != nil {
		fmt.Fprintf(s.err, "cairn iam simulate: %v\n", err)
		return 1
	}
	enc := json.NewEncoder(s.out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sim.Run()); err != nil {
		fmt.Fprintf(s.err, "cairn iam simulate: %v\n", err)
		return 1
	}
	return 0
}
