package definition

import (
	"errors"
	"strings"
	"testing"
)

func TestEvalCondition(t *testing.T) {
	d := mustParse(t, resolveDef)
	jsonGet := func(path string) string {
		return `{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Prep.PropertyFiles.Report"}, "Path": "` + path + `"}}`
	}
	cmp := func(typ, l, r string) string {
		return `{"Type": "` + typ + `", "LeftValue": ` + l + `, "RightValue": ` + r + `}`
	}
	const failing = `{"Type": "Equals", "LeftValue": {"Get": "Parameters.Missing"}, "RightValue": 1}`
	tests := []struct {
		name, cond string
		want       bool
		err        string
	}{
		{"equals string", cmp("Equals", `{"Get": "Parameters.Mode"}`, `"full"`), true, ""},
		{"equals string differs", cmp("Equals", `{"Get": "Parameters.Mode"}`, `"lite"`), false, ""},
		{"equals is case-sensitive", cmp("Equals", `"abc"`, `"ABC"`), false, ""},
		{"equals boolean", cmp("Equals", `{"Get": "Parameters.Deploy"}`, `true`), true, ""},
		{"equals boolean false", cmp("Equals", `{"Get": "Parameters.Deploy"}`, `false`), false, ""},
		{"equals boolean and string", cmp("Equals", `{"Get": "Parameters.Deploy"}`, `"True"`), true, ""},
		{"equals string and boolean", cmp("Equals", `"false"`, `{"Get": "Parameters.Deploy"}`), false, ""},
		{"equals boolean and other string", cmp("Equals", `{"Get": "Parameters.Deploy"}`, `"yes"`), false, ""},
		{"equals boolean and number", cmp("Equals", `true`, `1`), false, ""},
		{"equals lambda boolean output", cmp("Equals", `{"Get": "Steps.Lam.OutputParameters['ok']"}`, `true`), true, ""},
		{"equals integer", cmp("Equals", `{"Get": "Parameters.InstanceCount"}`, `2`), true, ""},
		{"equals integer and float", cmp("Equals", `{"Get": "Parameters.InstanceCount"}`, `2.0`), true, ""},
		{"equals integer and numeric string", cmp("Equals", `{"Get": "Parameters.InstanceCount"}`, `"2"`), true, ""},
		{"equals numeric strings", cmp("Equals", `"2.0"`, `"2"`), true, ""},
		{"equals numeric and other string", cmp("Equals", `"2"`, `"two"`), false, ""},
		{"equals step property", cmp("Equals", `{"Get": "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"}`, `"s3://b/train"`), true, ""},
		{"equals condition outcome", cmp("Equals", `{"Get": "Steps.Cond.Outcome"}`, `"True"`), true, ""},
		{"equals json value", cmp("Equals", jsonGet("regression_metrics.mse.value"), `4.5`), true, ""},
		{"equals null", cmp("Equals", `null`, `null`), true, ""},
		{"equals null and string", cmp("Equals", `null`, `"null"`), false, ""},
		{"equals objects", cmp("Equals", `{"Get": "Steps.Train.ModelArtifacts"}`, `"x"`), false, `Equals: cannot compare an object with "x"`},
		{"greater than", cmp("GreaterThan", jsonGet("regression_metrics.mse.value"), `{"Get": "Parameters.Threshold"}`), true, ""},
		{"greater than equal", cmp("GreaterThan", `2`, `2`), false, ""},
		{"greater than or equal", cmp("GreaterThanOrEqualTo", `{"Get": "Parameters.InstanceCount"}`, `2`), true, ""},
		{"greater than or equal, less", cmp("GreaterThanOrEqualTo", `1`, `1.5`), false, ""},
		{"less than", cmp("LessThan", `{"Get": "Steps.Lam.OutputParameters['n']"}`, `10`), true, ""},
		{"less than, greater", cmp("LessThan", `10`, `9.99`), false, ""},
		{"less than or equal", cmp("LessThanOrEqualTo", jsonGet("regression_metrics.mse.value"), `4.5`), true, ""},
		{"less than or equal, greater", cmp("LessThanOrEqualTo", `{"Get": "Parameters.InstanceCount"}`, `1.5`), false, ""},
		{"large integers compare exactly", cmp("GreaterThan", `9007199254740993`, `9007199254740992`), true, ""},
		{"exponents", cmp("LessThan", `1e-3`, `"0.01"`), true, ""},
		{"strings order", cmp("GreaterThan", `{"Get": "Execution.StartDateTime"}`, `"2025-12-31T23:59:59Z"`), true, ""},
		{"strings order, less", cmp("LessThan", `"b"`, `"a"`), false, ""},
		{"number and string order", cmp("LessThan", `1`, `"abc"`), false, `LessThan: cannot compare 1 with "abc"`},
		{"boolean order", cmp("GreaterThan", `true`, `1`), false, `GreaterThan: cannot compare true with 1`},
		{"null order", cmp("LessThanOrEqualTo", `null`, `1`), false, `cannot compare null with 1`},
		{"operand error", cmp("GreaterThan", `{"Get": "Steps.Ghost.X"}`, `1`), false, `Steps.Ghost.X: step Ghost has no properties`},
		{"right operand error", cmp("Equals", `1`, jsonGet("nope")), false, `path "nope" not found`},
		{"in", `{"Type": "In", "QueryValue": {"Get": "Parameters.Mode"}, "Values": ["lite", "full"]}`, true, ""},
		{"in, absent", `{"Type": "In", "QueryValue": {"Get": "Parameters.Mode"}, "Values": ["lite", "skip"]}`, false, ""},
		{"in, empty", `{"Type": "In", "QueryValue": 1, "Values": []}`, false, ""},
		{"in, parameter value", `{"Type": "In", "QueryValue": "full", "Values": ["x", {"Get": "Parameters.Mode"}]}`, true, ""},
		{"in, numbers", `{"Type": "In", "QueryValue": {"Get": "Parameters.InstanceCount"}, "Values": ["1", 2.0]}`, true, ""},
		{"in, value error", `{"Type": "In", "QueryValue": 1, "Values": [{"Get": "Parameters.Missing"}]}`, false, "parameter Missing has no value"},
		{"in, query error", `{"Type": "In", "QueryValue": {"Get": "Parameters.Missing"}, "Values": [1]}`, false, "parameter Missing has no value"},
		{"not", `{"Type": "Not", "Condition": ` + cmp("Equals", `{"Get": "Parameters.Mode"}`, `"skip"`) + `}`, true, ""},
		{"not, true", `{"Type": "Not", "Condition": ` + cmp("Equals", `1`, `1`) + `}`, false, ""},
		{"not in", `{"Type": "Not", "Condition": {"Type": "In", "QueryValue": {"Get": "Execution.PipelineName"}, "Values": ["a", "b"]}}`, true, ""},
		{"not, error", `{"Type": "Not", "Condition": ` + failing + `}`, false, "parameter Missing has no value"},
		{"or", `{"Type": "Or", "Conditions": [` + cmp("Equals", `1`, `2`) + `, ` + cmp("Equals", `2`, `2`) + `]}`, true, ""},
		{"or, none", `{"Type": "Or", "Conditions": [` + cmp("Equals", `1`, `2`) + `, ` + cmp("LessThan", `3`, `2`) + `]}`, false, ""},
		{"or, empty", `{"Type": "Or", "Conditions": []}`, false, ""},
		{"or stops at the first true", `{"Type": "Or", "Conditions": [` + cmp("Equals", `1`, `1`) + `, ` + failing + `]}`, true, ""},
		{"or, error", `{"Type": "Or", "Conditions": [` + cmp("Equals", `1`, `2`) + `, ` + failing + `]}`, false, "parameter Missing has no value"},
		{"nested or in not", `{"Type": "Not", "Condition": {"Type": "Or", "Conditions": [{"Type": "Not", "Condition": ` + cmp("Equals", `1`, `1`) + `}]}}`, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseCondition(tree(t, tt.cond), "test")
			if err != nil {
				t.Fatalf("parseCondition: %v", err)
			}
			got, err := d.EvalCondition(c, resolveEnv())
			if tt.err != "" {
				var eerr *EvalError
				if !errors.As(err, &eerr) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("EvalCondition = %v, %v; want an *EvalError containing %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("EvalCondition = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	if _, err := d.EvalCondition(&Condition{Type: "Matches"}, resolveEnv()); err == nil {
		t.Error("an unknown condition type evaluates")
	}
	if _, err := d.EvalCondition(&Condition{Type: "Not"}, resolveEnv()); err == nil {
		t.Error("Not without a condition evaluates")
	}
}

func TestEvalConditions(t *testing.T) {
	d := mustParse(t, resolveDef)
	cond := func(s string) *Condition {
		c, err := parseCondition(tree(t, s), "test")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	yes := cond(`{"Type": "Equals", "LeftValue": 1, "RightValue": 1}`)
	no := cond(`{"Type": "Equals", "LeftValue": 1, "RightValue": 2}`)
	bad := cond(`{"Type": "Equals", "LeftValue": {"Get": "Parameters.Missing"}, "RightValue": 1}`)
	tests := []struct {
		name  string
		conds []*Condition
		want  bool
		err   bool
	}{
		{"empty holds", nil, true, false},
		{"all hold", []*Condition{yes, yes}, true, false},
		{"one fails", []*Condition{yes, no}, false, false},
		{"stops at the first false", []*Condition{no, bad}, false, false},
		{"error", []*Condition{yes, bad}, false, true},
	}
	for _, tt := range tests {
		got, err := d.EvalConditions(tt.conds, resolveEnv())
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("%s: EvalConditions = %v, %v", tt.name, got, err)
		}
	}
}

func TestEvalConditionsFixtures(t *testing.T) {
	fx := fixtures(t)
	d, err := Parse(fx["conditions-all.json"], ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env := &fakeEnv{
		params: map[string]any{"Mode": "full", "Epochs": int64(10), "Threshold": 0.75, "Deploy": true},
		props: map[string]any{
			"Evaluate": `{"ProcessingJobStatus": "Completed", "ProcessingOutputConfig": {"Outputs": [{"OutputName": "metrics", "S3Output": {"S3Uri": "s3://b/conditions-all/x/Evaluate/output/metrics"}}]}}`,
		},
		execution: map[string]string{"PipelineName": "conditions-all"},
		files:     map[string]string{"s3://b/conditions-all/x/Evaluate/output/metrics/metrics.json": `{"metrics": {"accuracy": {"value": 0.9}}}`},
	}
	for step, want := range map[string]bool{"TopCheck": true, "MiddleCheck": true, "InnerCheck": true, "DeepestCheck": true} {
		got, err := d.EvalConditions(d.Step(step).Conditions, env)
		if err != nil || got != want {
			t.Errorf("%s: %v, %v; want %v", step, got, err, want)
		}
	}
	env.params["Epochs"] = int64(200)
	if got, err := d.EvalConditions(d.Step("InnerCheck").Conditions, env); err != nil || got {
		t.Errorf("InnerCheck with 200 epochs: %v, %v", got, err)
	}
	env.params["Mode"] = "skip"
	if got, err := d.EvalConditions(d.Step("TopCheck").Conditions, env); err != nil || got {
		t.Errorf("TopCheck in skip mode: %v, %v", got, err)
	}
	msg, err := d.ResolveArguments("InnerElseFail", env)
	if err != nil || msg["ErrorMessage"] != "accuracy=0.9 threshold=0.75" {
		t.Errorf("InnerElseFail message = %v, %v", msg, err)
	}

	d, err = Parse(fx["abalone-canonical.json"], ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env = &fakeEnv{
		params: map[string]any{"MseThreshold": 6.0},
		props: map[string]any{"AbaloneEval": `{"ProcessingOutputConfig": {"Outputs": [{"OutputName": "evaluation",
			"S3Output": {"S3Uri": "s3://sagemaker-us-east-1-111111111111/abalone-canonical/e1/AbaloneEval/output/evaluation"}}]}}`},
		files: map[string]string{"s3://sagemaker-us-east-1-111111111111/abalone-canonical/e1/AbaloneEval/output/evaluation/evaluation.json": `{"regression_metrics": {"mse": {"value": 4.2, "standard_deviation": 1.1}}}`},
	}
	conds := d.Step("AbaloneMSECond").Conditions
	if got, err := d.EvalConditions(conds, env); err != nil || !got {
		t.Errorf("AbaloneMSECond with mse 4.2: %v, %v", got, err)
	}
	env.files["s3://sagemaker-us-east-1-111111111111/abalone-canonical/e1/AbaloneEval/output/evaluation/evaluation.json"] = `{"regression_metrics": {"mse": {"value": 6.5}}}`
	if got, err := d.EvalConditions(conds, env); err != nil || got {
		t.Errorf("AbaloneMSECond with mse 6.5: %v, %v", got, err)
	}
	fail, err := d.ResolveArguments("AbaloneMSEFail", env)
	if err != nil || fail["ErrorMessage"] != "Execution failed due to MSE > 6.0" {
		t.Errorf("AbaloneMSEFail = %v, %v", fail, err)
	}
}
