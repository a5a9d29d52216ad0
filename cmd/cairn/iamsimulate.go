package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cairnhq/cairn/internal/policy"
)

// runIAMSimulate implements `cairn iam simulate --input FILE`: it reads a
// request and its policies (the document of policy.ParseSimulation) from
// FILE, or from standard input when FILE is "-", evaluates the request and
// prints the decision as JSON:
//
//	{"decision": "ImplicitlyDenied", "reason": "User: … because no identity-based policy allows the s3:GetObject action",
//	 "matchedStatements": [{"policy": "identityPolicies[0]", "statement": 0, "sid": "…", "effect": "Allow"}]}
//
// It exits 0 whatever the decision, 1 when the input or a policy in it is
// malformed (the message on stderr names which) and 2 on bad usage.
func runIAMSimulate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("iam simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	input := fs.String("input", "", `JSON file holding the request and its policies ("-" for standard input)`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cairn iam simulate --input FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *input == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	var data []byte
	var err error
	if *input == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(*input)
	}
	if err != nil {
		fmt.Fprintf(stderr, "cairn iam simulate: %v\n", err)
		return 1
	}
	sim, err := policy.ParseSimulation(data)
	if err != nil {
		fmt.Fprintf(stderr, "cairn iam simulate: %v\n", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sim.Run()); err != nil {
		fmt.Fprintf(stderr, "cairn iam simulate: %v\n", err)
		return 1
	}
	return 0
}
