package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The SageMaker Python SDK's lineage and experiments classes, replayed: every request of
// ../shared/conformance/sdk-lineage (one scenario per file, recorded with made-up replies)
// is sent in order to a server holding what the scenario's replies say exists, and must be
// answered without a validation error and consistently with those replies.

var sdkLineageDirs = []string{"../../../shared/conformance/sdk-lineage", "../../../../shared/conformance/sdk-lineage"}

type sdkScenario struct {
	Scenario string
	Requests []struct {
		Operation      string
		Body           map[string]any
		CannedResponse map[string]any `json:"canned_response"`
		CannedStatus   int            `json:"canned_status"`
	}
}

func sdkLineageScenarios(t *testing.T) []sdkScenario {
	var paths []string
	for _, dir := range sdkLineageDirs {
		if paths, _ = filepath.Glob(filepath.Join(dir, "*.json")); len(paths) > 0 {
			break
		}
	}
	if len(paths) == 0 {
		t.Skipf("no SDK lineage recordings in %v", sdkLineageDirs)
	}
	sort.Strings(paths)
	var out []sdkScenario
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var s sdkScenario
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, s)
	}
	return out
}

// replayer sends a scenario's requests, knowing which recorded artifact ARN is which of the
// server's (an artifact's ARN is its server's choice).
type replayer struct {
	t       *testing.T
	c       *cairn
	creds   aws.Credentials
	artifct map[string]string // recorded artifact ARN → the server's
	exists  map[string]bool   // recorded ARNs the server holds
	tokens  map[string]string // recorded NextToken → the server's
	// untyped are recorded trial components with a type (TrainingJob…) that only SageMaker
	// gives, from the job it tracks: seeded through the API, they have none.
	untyped map[string]bool
}

func (r *replayer) call(op string, body any) (int, string, string, map[string]any) {
	r.t.Helper()
	doc, err := json.Marshal(body)
	if err != nil {
		r.t.Fatal(err)
	}
	text := string(doc)
	for recorded, real := range r.artifct {
		text = strings.ReplaceAll(text, recorded, real)
	}
	answer := sendRaw(r.t, rawCall{Service: "sagemaker", Body: []byte(text), Creds: &r.creds,
		Header: map[string]string{"Content-Type": wireJSON11Type, "X-Amz-Target": "SageMaker." + op}}.build(r.t, r.c.endpoint()))
	if answer.Status != 200 {
		code, msg := parseJSONError(r.t, answer)
		return answer.Status, code, msg, nil
	}
	var out map[string]any
	_ = json.Unmarshal(answer.Body, &out)
	return 200, "", "", out
}

// must seeds with one request that has to succeed.
func (r *replayer) must(op string, body map[string]any) map[string]any {
	r.t.Helper()
	status, code, msg, out := r.call(op, body)
	if status != 200 {
		r.t.Fatalf("seeding %s %v: %d %s %s", op, body, status, code, msg)
	}
	return out
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// pick copies the members of m that a Create… request takes.
func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

// seedDescribed creates an entity as a Describe… reply shows it.
func (r *replayer) seedDescribed(op string, d map[string]any) {
	switch op {
	case "DescribeArtifact":
		if r.exists[str(d, "ArtifactArn")] {
			return
		}
		body := pick(d, "ArtifactName", "Source", "ArtifactType", "Properties", "MetadataProperties")
		out := r.must("CreateArtifact", body)
		r.artifct[str(d, "ArtifactArn")] = str(out, "ArtifactArn")
		r.exists[str(d, "ArtifactArn")] = true
	case "DescribeContext":
		r.seedOnce(str(d, "ContextArn"), "CreateContext", pick(d, "ContextName", "Source", "ContextType", "Description", "Properties"))
	case "DescribeAction":
		r.seedOnce(str(d, "ActionArn"), "CreateAction", pick(d, "ActionName", "Source", "ActionType", "Description", "Status", "Properties"))
	case "DescribeTrialComponent":
		r.seedOnce(str(d, "TrialComponentArn"), "CreateTrialComponent", pick(d, "TrialComponentName", "DisplayName", "Status", "StartTime",
			"EndTime", "Parameters", "InputArtifacts", "OutputArtifacts"))
		if d["Source"] != nil {
			r.untyped[strings.ToLower(str(d, "TrialComponentArn"))] = true
		}
	case "DescribeExperiment":
		r.seedOnce(str(d, "ExperimentArn"), "CreateExperiment", pick(d, "ExperimentName", "DisplayName", "Description"))
	case "DescribeTrial":
		r.seedOnce(str(d, "TrialArn"), "CreateTrial", pick(d, "TrialName", "DisplayName", "ExperimentName"))
	}
}

func (r *replayer) seedOnce(arn, op string, body map[string]any) {
	if arn == "" || r.exists[strings.ToLower(arn)] {
		return
	}
	r.must(op, body)
	r.exists[strings.ToLower(arn)] = true
}

// seedVertex creates an entity the scenario only names by ARN, of the type a reply shows.
func (r *replayer) seedVertex(arn, typ string, props map[string]any) {
	if r.exists[strings.ToLower(arn)] || r.exists[arn] {
		return
	}
	kind, name, _ := strings.Cut(arn[strings.LastIndex(arn, ":")+1:], "/")
	if typ == "" {
		typ = "Placeholder"
	}
	switch kind {
	case "artifact":
		out := r.must("CreateArtifact", map[string]any{"Source": map[string]any{"SourceUri": arn}, "ArtifactType": typ, "Properties": props})
		r.artifct[arn] = str(out, "ArtifactArn")
		r.exists[arn] = true
		return
	case "context":
		r.must("CreateContext", map[string]any{"ContextName": name, "ContextType": typ, "Source": map[string]any{"SourceUri": arn}, "Properties": props})
	case "action":
		r.must("CreateAction", map[string]any{"ActionName": name, "ActionType": typ, "Source": map[string]any{"SourceUri": arn}, "Properties": props})
	case "experiment-trial-component":
		r.must("CreateTrialComponent", map[string]any{"TrialComponentName": name})
		if typ != "Placeholder" {
			r.untyped[strings.ToLower(arn)] = true
		}
	case "experiment":
		r.must("CreateExperiment", map[string]any{"ExperimentName": name})
	default:
		r.t.Fatalf("no way to seed %s", arn)
	}
	r.exists[strings.ToLower(arn)] = true
}

func (r *replayer) associate(src, dst, typ string) {
	status, code, msg, _ := r.call("AddAssociation", map[string]any{"SourceArn": src, "DestinationArn": dst, "AssociationType": typ})
	if status != 200 && !strings.Contains(msg, "already exists") {
		r.t.Fatalf("seeding an association %s → %s: %s %s", src, dst, code, msg)
	}
}

// seed makes the server hold what the scenario's replies say exists: described entities
// first, then what is only named (query vertices, association ends), with the associations
// the replies show.
func (r *replayer) seed(s sdkScenario) {
	for _, q := range s.Requests {
		if q.CannedStatus == 0 {
			r.seedDescribed(q.Operation, q.CannedResponse)
		}
	}
	for _, q := range s.Requests {
		switch q.Operation {
		case "QueryLineage":
			var props map[string]any
			if f, ok := q.Body["Filters"].(map[string]any); ok {
				props, _ = f["Properties"].(map[string]any)
			}
			starts, _ := q.Body["StartArns"].([]any)
			for _, a := range starts {
				r.seedVertex(a.(string), "", nil)
			}
			vertices, _ := q.CannedResponse["Vertices"].([]any)
			for _, v := range vertices {
				v := v.(map[string]any)
				r.seedVertex(str(v, "Arn"), str(v, "Type"), props)
				// Within one association of the first start, in the query's direction.
				start := starts[0].(string)
				if q.Body["Direction"] == "Ascendants" {
					r.associate(str(v, "Arn"), start, "ContributedTo")
				} else {
					r.associate(start, str(v, "Arn"), "ContributedTo")
				}
			}
		case "ListAssociations":
			summaries, _ := q.CannedResponse["AssociationSummaries"].([]any)
			for _, a := range summaries {
				a := a.(map[string]any)
				r.seedVertex(str(a, "SourceArn"), str(a, "SourceType"), nil)
				r.seedVertex(str(a, "DestinationArn"), str(a, "DestinationType"), nil)
				r.associate(str(a, "SourceArn"), str(a, "DestinationArn"), str(a, "AssociationType"))
			}
		case "ListArtifacts":
			summaries, _ := q.CannedResponse["ArtifactSummaries"].([]any)
			for _, a := range summaries {
				a := a.(map[string]any)
				if !r.exists[str(a, "ArtifactArn")] {
					out := r.must("CreateArtifact", pick(a, "ArtifactName", "Source", "ArtifactType"))
					r.artifct[str(a, "ArtifactArn")], r.exists[str(a, "ArtifactArn")] = str(out, "ArtifactArn"), true
				}
			}
		case "ListContexts":
			summaries, _ := q.CannedResponse["ContextSummaries"].([]any)
			for _, a := range summaries {
				a := a.(map[string]any)
				r.seedOnce(str(a, "ContextArn"), "CreateContext", pick(a, "ContextName", "Source", "ContextType"))
			}
		case "ListTrialComponents":
			summaries, _ := q.CannedResponse["TrialComponentSummaries"].([]any)
			for _, a := range summaries {
				a := a.(map[string]any)
				r.seedOnce(str(a, "TrialComponentArn"), "CreateTrialComponent", pick(a, "TrialComponentName", "Status"))
			}
		case "AddAssociation", "DeleteAssociation":
			for _, k := range []string{"SourceArn", "DestinationArn"} {
				r.seedVertex(str(q.Body, k), "", nil)
			}
		case "AddTags":
			if arn := str(q.Body, "ResourceArn"); strings.Contains(arn, ":artifact/") {
				r.seedVertex(arn, "", nil)
			}
		case "Search":
			results, _ := q.CannedResponse["Results"].([]any)
			for _, res := range results {
				tc, _ := res.(map[string]any)["TrialComponent"].(map[string]any)
				parents, _ := tc["Parents"].([]any)
				for _, p := range parents {
					p := p.(map[string]any)
					r.must("AssociateTrialComponent", map[string]any{"TrialComponentName": str(tc, "TrialComponentName"), "TrialName": str(p, "TrialName")})
				}
			}
		}
	}
}

// outsideLineage are requests about resources the recordings do not describe (a training job,
// a model package): answered with a not-found, which is what the server holds.
var outsideLineage = map[string]string{
	"ListTags":             "ResourceNotFound",
	"DescribeModelPackage": "ValidationException",
}

func TestLineageSDKReplay(t *testing.T) {
	scenarios := sdkLineageScenarios(t)
	requests := 0
	for _, s := range scenarios {
		t.Run(s.Scenario, func(t *testing.T) {
			// Each scenario against a server of its own: the recordings name the same
			// entities in one account.
			c := start(t, startOptions{Config: accountsYAML})
			creds, err := c.config("data-science").Credentials.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			r := &replayer{t: t, c: c, creds: creds, artifct: map[string]string{}, exists: map[string]bool{}, tokens: map[string]string{}, untyped: map[string]bool{}}
			r.seed(s)
			for i, q := range s.Requests {
				if token, ok := q.Body["NextToken"].(string); ok {
					ours, ok := r.tokens[token]
					if !ok {
						// The server's page held what the recording split over two.
						t.Logf("%d %s: the server answered the whole list in one page; the recorded next page is not asked", i, q.Operation)
						continue
					}
					q.Body["NextToken"] = ours
				}
				requests++
				status, code, msg, out := r.call(q.Operation, q.Body)
				if token, ok := q.CannedResponse["NextToken"].(string); ok && out != nil && str(out, "NextToken") != "" {
					r.tokens[token] = str(out, "NextToken")
				}
				want := "ok"
				if q.CannedStatus != 0 {
					want = str(q.CannedResponse, "__type")
				}
				switch {
				case q.CannedStatus != 0:
					if status != q.CannedStatus || code != want || !strings.Contains(msg, "already exists") {
						t.Errorf("%d %s: %d %s %q, want %d %s \"… already exists\"", i, q.Operation, status, code, msg, q.CannedStatus, want)
					}
				case status != 200 && outsideLineage[q.Operation] == code:
				case status != 200:
					t.Errorf("%d %s %v: %d %s %s", i, q.Operation, q.Body, status, code, msg)
				default:
					r.consistent(i, q.Operation, q.Body, q.CannedResponse, out)
				}
			}
		})
	}
	t.Logf("%d scenarios, %d requests replayed", len(scenarios), requests)
}

// consistent checks a reply against the recorded one where the server must agree: the
// names and types of what it describes, and the query vertices the recording found.
func (r *replayer) consistent(i int, op string, body, canned, got map[string]any) {
	r.t.Helper()
	for _, k := range []string{"ContextName", "ActionName", "TrialComponentName", "ExperimentName", "TrialName", "ArtifactType",
		"ContextType", "ActionType", "ContextArn", "ActionArn", "TrialComponentArn", "ExperimentArn"} {
		if want, ok := canned[k].(string); ok && strings.HasPrefix(op, "Describe") && !strings.EqualFold(str(got, k), want) {
			r.t.Errorf("%d %s: %s %q, recorded %q", i, op, k, str(got, k), want)
		}
	}
	if op != "QueryLineage" {
		return
	}
	if f, _ := body["Filters"].(map[string]any); f["CreatedBefore"] != nil || f["ModifiedBefore"] != nil || f["CreatedAfter"] != nil || f["ModifiedAfter"] != nil {
		return // recorded times the server's entities cannot have
	}
	found := map[string]bool{}
	vertices, _ := got["Vertices"].([]any)
	for _, v := range vertices {
		found[str(v.(map[string]any), "Arn")] = true
	}
	recorded, _ := canned["Vertices"].([]any)
	for _, v := range recorded {
		arn := str(v.(map[string]any), "Arn")
		if real, ok := r.artifct[arn]; ok {
			arn = real
		}
		if !found[arn] && !found[strings.ToLower(arn)] && !r.untyped[strings.ToLower(arn)] {
			r.t.Errorf("%d QueryLineage: recorded vertex %s not found in %v", i, arn, vertices)
		}
	}
}
