package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/cairnhq/cairn/internal/operation"
	smservice "github.com/cairnhq/cairn/internal/service/sagemaker"
)

// oracleExempt are the ARN members that name no resource to look up, with the reason.
var oracleExempt = map[string]string{
	"ListTrainingJobs TrainingPlanArnEquals": "a filter on the caller's own jobs",
}

// oracleNotRefused are the ARN members whose operation answers another account's resource
// with something other than AccessDenied — the same answer, whether it exists or not.
var oracleNotRefused = map[string]string{
	"ListAssociations SourceArn":      "lists the caller's own associations: another account's entity lists none",
	"ListAssociations DestinationArn": "lists the caller's own associations: another account's entity lists none",
}

// oracleForms are the ARNs an answer may name for the resource arn: itself and, for a
// model package group, its versions (model-package/<group>/*), which adding to and listing
// another account's group are authorized on.
func oracleForms(arn string) []string {
	if strings.Contains(arn, ":model-package-group/") {
		return []string{strings.Replace(arn, ":model-package-group/", ":model-package/", 1) + "/*", arn}
	}
	return []string{arn}
}

// oracleSame reports whether two answers are the same but for the resource each names.
func oracleSame(a, aARN, b, bARN string) bool {
	for _, form := range oracleForms(aARN) {
		a = strings.ReplaceAll(a, form, "<arn>")
	}
	for _, form := range oracleForms(bARN) {
		b = strings.ReplaceAll(b, form, "<arn>")
	}
	return a == b
}

// requestIDs are stripped from answers before they are compared.
var requestIDs = regexp.MustCompile(`<RequestId>[^<]*</RequestId>`)

// TestNoExistenceOracle is generated from SageMaker's declarations: every operation member
// that accepts another account's ARN (its declared pattern admits an ARN with an account
// ID; roles passed to a service aside) is called by another account's root — allowed all of
// its own account, granted nothing by the owner — with the ARN of a resource that exists
// and with one that does not. The two answers must be the same AccessDenied, byte for byte
// but the ARN. STS's AssumeRole is held to the same for roles.
func TestNoExistenceOracle(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner := smFor(c, "owner")

	// The owner's resources, each beside the ARN of one that does not exist.
	pipeline := ramPipeline(t, c, "owner", "oracle")
	started, err := owner.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("oracle"), ClientRequestToken: aws.String(token(t, "run"))})
	if err != nil {
		t.Fatal(err)
	}
	execution := aws.ToString(started.PipelineExecutionArn)
	waitExecution(t, owner, execution, 30*time.Second)
	group := createGroup(t, owner, "oracle-models")
	pkg := registerVersion(t, owner, "oracle-models")
	artifact := createArtifact(t, owner, "s3://oracle/data.csv", "DataSet", nil)
	action := createAction(t, owner, "oracle-approval", "ModelApproval")
	lineageContext := createContext(t, owner, "oracle-endpoint", "Endpoint", "arn:aws:sagemaker:us-east-1:"+ramOwner+":endpoint/oracle")
	tc, err := owner.CreateTrialComponent(ctx, &sagemaker.CreateTrialComponentInput{TrialComponentName: aws.String("oracle-component")})
	if err != nil {
		t.Fatal(err)
	}
	trialComponent := aws.ToString(tc.TrialComponentArn)
	lineageGroup := "arn:aws:sagemaker:us-east-1:" + ramOwner + ":lineage-group/sagemaker-default-lineage-group"
	missingTail := func(arn, tail string) string { return arn[:strings.LastIndex(arn, "/")+1] + tail }
	fixtures := []struct {
		kind string
		arns [2]string
	}{
		{"pipeline", [2]string{pipeline, strings.Replace(pipeline, "/oracle", "/no-such-pipeline", 1)}},
		{"execution", [2]string{execution, execution[:strings.LastIndex(execution, "/")+1] + "zzzzzzzzzzzz"}},
		{"model-package-group", [2]string{group, strings.Replace(group, "/oracle-models", "/no-such-group", 1)}},
		{"model-package", [2]string{pkg, strings.Replace(pkg, "/oracle-models/1", "/oracle-models/2", 1)}},
		{"artifact", [2]string{artifact, missingTail(artifact, strings.Repeat("0", 32))}},
		{"action", [2]string{action, missingTail(action, "no-such-action")}},
		{"context", [2]string{lineageContext, missingTail(lineageContext, "no-such-context")}},
		{"experiment-trial-component", [2]string{trialComponent, missingTail(trialComponent, "no-such-component")}},
		{"lineage-group", [2]string{lineageGroup, missingTail(lineageGroup, "no-such-group")}},
	}

	creds := c.credentials("consumer")
	call := func(op string, body map[string]any) rawAnswer {
		doc, _ := json.Marshal(body)
		return sendRaw(t, rawCall{Service: "sagemaker", Body: doc, Creds: &creds,
			Header: map[string]string{"Content-Type": wireJSON11Type, "X-Amz-Target": "SageMaker." + op}}.build(t, c.endpoint()))
	}
	covered := 0
	for _, op := range smservice.New(smservice.Options{}).API().Operations().Operations() {
		gt := reflect.TypeOf(op.NewInput()).Elem()
		for i := 0; i < gt.NumField(); i++ {
			sf := gt.Field(i)
			member := operation.WireName(sf)
			pattern := sf.Tag.Get("re")
			if pattern == "" {
				pattern = sf.Tag.Get("pattern")
			}
			if !strings.Contains(pattern, "arn:aws") || !strings.Contains(pattern, "[0-9]{12}") || strings.HasSuffix(member, "RoleArn") {
				continue
			}
			if _, ok := oracleExempt[op.Name+" "+member]; ok {
				continue
			}
			re := regexp.MustCompile(`^(?:` + pattern + `)$`)
			tested := false
			kind := arnKind(member, pattern)
			for _, fx := range fixtures {
				f := fx.arns
				if kind != "" && kind != fx.kind || !re.MatchString(f[0]) || !re.MatchString(f[1]) {
					continue
				}
				tested = true
				answers := [2]rawAnswer{}
				for k, target := range f {
					body := requiredFill(gt)
					// Another required ARN member (an association's other end) names
					// the same resource, so that only the one under test differs.
					for j := 0; j < gt.NumField(); j++ {
						other := gt.Field(j)
						if p := other.Tag.Get("pattern") + other.Tag.Get("re"); other.Tag.Get("required") == "true" && strings.Contains(p, "arn:aws") && strings.Contains(p, "[0-9]{12}") {
							body[operation.WireName(other)] = target
						}
					}
					body[member] = target
					answers[k] = call(op.Name, body)
				}
				if _, ok := oracleNotRefused[op.Name+" "+member]; ok {
				} else if code, _ := parseJSONError(t, answers[0]); answers[0].Status != 400 || code != "AccessDeniedException" {
					t.Errorf("%s %s=%s (exists): %d %s", op.Name, member, f[0], answers[0].Status, answers[0].Body)
				}
				if !oracleSame(string(answers[0].Body), f[0], string(answers[1].Body), f[1]) || answers[0].Status != answers[1].Status {
					t.Errorf("%s %s: an existing resource answers\n\t%d %s\nand a missing one\n\t%d %s",
						op.Name, member, answers[0].Status, answers[0].Body, answers[1].Status, answers[1].Body)
				}
			}
			if !tested {
				t.Errorf("%s %s (pattern %s): no resource of the owner's fits; add one to the fixtures or exempt it", op.Name, member, pattern)
			}
			covered++
		}
	}
	t.Logf("%d members compared", covered)

	// A model's container naming another account's model package.
	createModel := func(pkgARN string) rawAnswer {
		return call("CreateModel", map[string]any{"ModelName": "borrowed", "PrimaryContainer": map[string]any{"ModelPackageName": pkgARN}})
	}
	missing := strings.Replace(pkg, "/oracle-models/1", "/oracle-models/2", 1)
	if a, b := createModel(pkg), createModel(missing); a.Status != 400 || !strings.Contains(string(a.Body), "AccessDeniedException") ||
		a.Status != b.Status || !sameShape(string(a.Body), pkg, string(b.Body), missing) {
		t.Errorf("CreateModel with another account's package: %d %s; with a missing one: %d %s", a.Status, a.Body, b.Status, b.Body)
	}

	// AssumeRole on another account's role: an existing role whose trust policy does not
	// name the caller, and a role that does not exist.
	if _, err := iam.NewFromConfig(c.config("owner")).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("OracleRole"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + ramOwner + `:root"},"Action":"sts:AssumeRole"}]}`)}); err != nil {
		t.Fatal(err)
	}
	assume := func(role string) rawAnswer {
		form := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {role}, "RoleSessionName": {"probe"}}
		return sendRaw(t, rawCall{Service: "sts", Body: []byte(form.Encode()), Creds: &creds,
			Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}.build(t, c.endpoint()))
	}
	for _, pair := range [][2]string{
		{"arn:aws:iam::" + ramOwner + ":role/OracleRole", "arn:aws:iam::" + ramOwner + ":role/NoSuchRole"},
		{"arn:aws:iam::" + ramOwner + ":role/OrganizationAccountAccessRole", "arn:aws:iam::" + ramOwner + ":role/NoSuchRole"},
	} {
		a, b := assume(pair[0]), assume(pair[1])
		bodyA, bodyB := requestIDs.ReplaceAllString(string(a.Body), ""), requestIDs.ReplaceAllString(string(b.Body), "")
		if a.Status != 403 || a.Status != b.Status || !sameShape(bodyA, pair[0], bodyB, pair[1]) {
			t.Errorf("AssumeRole: %s answers\n\t%d %s\nand %s\n\t%d %s", pair[0], a.Status, a.Body, pair[1], b.Status, b.Body)
		}
	}
}

// arnKind is the kind of resource a member names, by its pattern or else its name ("" when
// it takes any).
func arnKind(member, pattern string) string {
	for _, kind := range []string{"execution", "model-package-group", "model-package", "pipeline"} {
		if strings.Contains(pattern, kind) {
			return kind
		}
	}
	switch {
	case strings.HasPrefix(member, "Artifact"):
		return "artifact"
	case strings.HasPrefix(member, "Action"):
		return "action"
	case strings.HasPrefix(member, "Context"):
		return "context"
	case strings.HasPrefix(member, "TrialComponent"):
		return "experiment-trial-component"
	case strings.HasPrefix(member, "LineageGroup"):
		return "lineage-group"
	case strings.HasPrefix(member, "ModelPackageGroup"):
		return "model-package-group"
	case strings.HasPrefix(member, "ModelPackage"):
		return "model-package"
	}
	return ""
}

// requiredFill returns an input with the members gt requires set to values that satisfy
// their constraints, for the members whose values do not matter to a refusal.
func requiredFill(gt reflect.Type) map[string]any {
	body := map[string]any{}
	for i := 0; i < gt.NumField(); i++ {
		sf := gt.Field(i)
		if sf.Tag.Get("required") != "true" {
			continue
		}
		switch member := operation.WireName(sf); member {
		case "ClientRequestToken":
			body[member] = strings.Repeat("t", 40)
		case "Tags":
			body[member] = []map[string]string{{"Key": "k", "Value": "v"}}
		case "TagKeys":
			body[member] = []string{"k"}
		default:
			body[member] = "x"
		}
	}
	return body
}
