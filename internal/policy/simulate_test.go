package policy_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// TestSimulationFiles runs testdata/simulate/*.json: each holds an
// "input" in the simulation format and the "want"ed result.
func TestSimulationFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/simulate/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no simulation files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var tc struct {
				Input json.RawMessage
				Want  policy.SimulationResult
			}
			if err := json.Unmarshal(data, &tc); err != nil {
				t.Fatal(err)
			}
			sim, err := policy.ParseSimulation(tc.Input)
			if err != nil {
				t.Fatal(err)
			}
			if got := sim.Run(); !reflect.DeepEqual(got, tc.Want) {
				g, _ := json.MarshalIndent(got, "", "  ")
				w, _ := json.MarshalIndent(tc.Want, "", "  ")
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
}

func TestParseSimulationErrors(t *testing.T) {
	const req = `"request":{"principal":"arn:aws:iam::111111111111:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}`
	tests := []struct {
		name, input, want string
		malformed         bool // the error wraps a *policy.Error
	}{
		{"not json", `{`, "simulation input: unexpected EOF", false},
		{"unknown field", `{` + req + `,"identityPolicy":[]}`, `simulation input: json: unknown field "identityPolicy"`, false},
		{"no action", `{"request":{"principal":"arn:aws:iam::111111111111:user/alice"}}`, "simulation input: request.action is required", false},
		{"bad principal", `{"request":{"principal":"alice","action":"s3:GetObject"}}`, `request.principal: policy: "alice" is not a principal ARN, account ID or service principal`, false},
		{"bad context", `{"request":{"principal":"*","action":"s3:GetObject","context":{"a:b":{"x":1}}}}`, `request.context["a:b"]: a value must be a string, number, boolean or a list of them`, false},
		{"bad identity policy", `{` + req + `,"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}},{"Version":"2012-10-17","Statement":{"Effect":"Alow","Action":"*","Resource":"*"}}]}`, "identityPolicies[1]: Invalid effect: Alow", true},
		{"principal in identity policy", `{` + req + `,"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}]}`, "identityPolicies[0]: Policy document should not specify a principal.", true},
		{"resource policy without principal", `{` + req + `,"resourcePolicy":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}}`, "resourcePolicy: Missing required field Principal", true},
		{"bad scp", `{` + req + `,"serviceControlPolicies":[[],[{"Statement":{"Effect":"Allow","Action":"s3","Resource":"*"}}]]}`, "serviceControlPolicies[1][0]: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", true},
		{"bad rcp", `{` + req + `,"resourceControlPolicies":[[{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"s3:*","Resource":"*"}}]]}`, `resourceControlPolicies[0][0]: Invalid principal in policy: a resource control policy must use "Principal": "*"`, true},
		{"bad boundary", `{` + req + `,"permissionsBoundaries":["{"]}`, "permissionsBoundaries[0]: Syntax errors in policy.", true},
		{"bad session policy", `{` + req + `,"sessionPolicy":{"Statement":{"Effect":"Allow","Action":"s3:*"}}}`, "sessionPolicy: Policy statement must contain resources.", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.ParseSimulation([]byte(tc.input))
			if err == nil {
				t.Fatal("ParseSimulation succeeded")
			}
			if err.Error() != tc.want {
				t.Errorf("error = %q, want %q", err, tc.want)
			}
			var perr *policy.Error
			if errors.As(err, &perr) != tc.malformed {
				t.Errorf("errors.As(*policy.Error) = %v, want %v", !tc.malformed, tc.malformed)
			}
		})
	}
}

func TestParseSimulationDefaults(t *testing.T) {
	sim, err := policy.ParseSimulation([]byte(`{"request":{"principal":"arn:aws:iam::111111111111:user/alice","action":"iam:GetRole",
		"resource":"arn:aws:iam::222222222222:role/r","context":{"svc:n":5,"svc:b":false,"svc:list":["a",1,true]}},
		"resourcePolicy":null,"sessionPolicy":null}`))
	if err != nil {
		t.Fatal(err)
	}
	r := sim.Request
	if r.ResourceAccount != acctB {
		t.Errorf("ResourceAccount = %q, want the account of the resource ARN", r.ResourceAccount)
	}
	if sim.Inputs.Resource != nil || sim.Inputs.Session != nil || sim.Inputs.SCPs != nil || sim.Inputs.RCPs != nil {
		t.Errorf("Inputs = %+v, want empty", sim.Inputs)
	}
	for key, want := range map[string]string{"svc:n": "5", "svc:b": "false", "aws:username": "alice", "aws:PrincipalArn": userA} {
		if v, ok := r.Context.Lookup(key); !ok || v.At(0) != want {
			t.Errorf("context %s = %v, want %q", key, v, want)
		}
	}
	if v, _ := r.Context.Lookup("svc:list"); !v.IsMulti() || strings.Join(v.Strings(), ",") != "a,1,true" {
		t.Errorf("svc:list = %v", v.Strings())
	}

	// A resource policy without Resource is read as a trust policy.
	sim, err = policy.ParseSimulation([]byte(`{"request":{"principal":"sagemaker.amazonaws.com","action":"sts:AssumeRole","resource":"arn:aws:iam::111111111111:role/r"},
		"resourcePolicy":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := sim.Run().Decision; got != "Allowed" {
		t.Errorf("decision = %s", got)
	}
}
