package definition

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

// resolveDef declares the steps the expression tests refer to.
const resolveDef = `{"Version": "2020-12-01", "Parameters": [
  {"Name": "InstanceCount", "Type": "Integer", "DefaultValue": 2},
  {"Name": "Threshold", "Type": "Float", "DefaultValue": 0.75},
  {"Name": "Deploy", "Type": "Boolean", "DefaultValue": true},
  {"Name": "Mode", "Type": "String", "DefaultValue": "full"}],
 "Steps": [
  {"Name": "Prep", "Type": "Processing", "Arguments": {"ProcessingOutputConfig": {"Outputs": [
     {"OutputName": "train", "S3Output": {"S3Uri": "s3://b/train"}},
     {"OutputName": "evaluation", "S3Output": {"S3Uri": "s3://b/eval/"}}]}},
   "PropertyFiles": [{"PropertyFileName": "Report", "OutputName": "evaluation", "FilePath": "evaluation.json"},
                     {"PropertyFileName": "Lost", "OutputName": "evaluation", "FilePath": "lost.json"}]},
  {"Name": "Train", "Type": "Training", "Arguments": {}},
  {"Name": "Tune", "Type": "Tuning", "Arguments": {}},
  {"Name": "Lam", "Type": "Lambda", "Arguments": {}},
  {"Name": "Cb", "Type": "Callback", "Arguments": {}},
  {"Name": "Cond", "Type": "Condition", "Arguments": {"Conditions": []}},
  {"Name": "Empty", "Type": "Training", "Arguments": {}},
  {"Name": "Ghost", "Type": "Training", "Arguments": {}},
  {"Name": "NoOut", "Type": "Processing", "Arguments": {},
   "PropertyFiles": [{"PropertyFileName": "Orphan", "OutputName": "gone", "FilePath": "o.json"}]}]}`

func resolveEnv() *fakeEnv {
	return &fakeEnv{
		params: map[string]any{"InstanceCount": int64(2), "Threshold": 0.75, "Deploy": true, "Mode": "full"},
		props: map[string]any{
			"Prep": `{"ProcessingJobName": "pipelines-abcdef123456-Prep-xyz",
			  "ProcessingInputs": [{"InputName": "code", "S3Input": {"S3Uri": "s3://b/code/p.py"}}],
			  "ProcessingOutputConfig": {"Outputs": [
			    {"OutputName": "train", "S3Output": {"S3Uri": "s3://b/train"}},
			    {"OutputName": "evaluation", "S3Output": {"S3Uri": "s3://b/eval/"}}]}}`,
			"Train": `{"ModelArtifacts": {"S3ModelArtifacts": "s3://b/model.tar.gz"},
			  "FinalMetricDataList": [{"MetricName": "train:loss", "Value": 0.2}, {"MetricName": "val:acc", "Value": 0.93}],
			  "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3Uri": "s3://b/train"}}}],
			  "HyperParameters": {"eta": "0.2"}}`,
			"Tune": `{"TrainingJobSummaries": [{"TrainingJobName": "t-001"}, {"TrainingJobName": "t-002"}],
			  "BestTrainingJob": {"TrainingJobName": "t-002", "FinalHyperParameterTuningJobObjectiveMetric": {"Value": 0.1}}}`,
			"Lam":   `{"OutputParameters": [{"Name": "n", "Value": "5"}, {"Name": "ok", "Value": true}]}`,
			"Cb":    `{"OutputParameters": {"approver": "alice"}}`,
			"Cond":  `{"Outcome": "True"}`,
			"Empty": `{}`,
			"NoOut": `{"ProcessingOutputConfig": {"Outputs": []}}`,
		},
		execution: map[string]string{
			"PipelineExecutionId": "abcdef123456", "PipelineName": "p",
			"StartDateTime": "2026-01-01T00:00:00Z",
		},
		experiment: map[string]string{"ExperimentName": "exp", "TrialName": "trial"},
		files: map[string]string{
			"s3://b/eval/evaluation.json": `{"regression_metrics": {"mse": {"value": 4.5}}, "list": [{"k": 1}], "a b": {"c": true}, "n": 12}`,
			"s3://b/eval/lost.json":       `{"broken"`,
			"s3://b/train/results.json":   `{"Result": ["r"]}`,
		},
	}
}

func TestResolve(t *testing.T) {
	d := mustParse(t, resolveDef)
	tests := []struct {
		name, expr, want string
	}{
		{"integer parameter", `{"Get": "Parameters.InstanceCount"}`, `2`},
		{"float parameter", `{"Get": "Parameters.Threshold"}`, `0.75`},
		{"boolean parameter", `{"Get": "Parameters.Deploy"}`, `true`},
		{"execution variable", `{"Get": "Execution.PipelineExecutionId"}`, `"abcdef123456"`},
		{"experiment config", `{"Get": "PipelineExperimentConfig.TrialName"}`, `"trial"`},
		{"output by name", `{"Get": "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"}`, `"s3://b/train"`},
		{"output by name, double quotes", `{"Get": "Steps.Prep.ProcessingOutputConfig.Outputs[\"evaluation\"].S3Output.S3Uri"}`, `"s3://b/eval/"`},
		{"input by name", `{"Get": "Steps.Prep.ProcessingInputs['code'].S3Input.S3Uri"}`, `"s3://b/code/p.py"`},
		{"job name", `{"Get": "Steps.Prep.ProcessingJobName"}`, `"pipelines-abcdef123456-Prep-xyz"`},
		{"model artifacts", `{"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}`, `"s3://b/model.tar.gz"`},
		{"metric by name", `{"Get": "Steps.Train.FinalMetricDataList['val:acc'].Value"}`, `0.93`},
		{"channel by name", `{"Get": "Steps.Train.InputDataConfig['train'].DataSource.S3DataSource.S3Uri"}`, `"s3://b/train"`},
		{"map member", `{"Get": "Steps.Train.HyperParameters['eta']"}`, `"0.2"`},
		{"whole object", `{"Get": "Steps.Train.ModelArtifacts"}`, `{"S3ModelArtifacts":"s3://b/model.tar.gz"}`},
		{"list index", `{"Get": "Steps.Tune.TrainingJobSummaries[1].TrainingJobName"}`, `"t-002"`},
		{"best training job", `{"Get": "Steps.Tune.BestTrainingJob.FinalHyperParameterTuningJobObjectiveMetric.Value"}`, `0.1`},
		{"lambda output list", `{"Get": "Steps.Lam.OutputParameters['n']"}`, `"5"`},
		{"lambda output boolean", `{"Get": "Steps.Lam.OutputParameters['ok']"}`, `true`},
		{"callback output map", `{"Get": "Steps.Cb.OutputParameters['approver']"}`, `"alice"`},
		{"condition outcome", `{"Get": "Steps.Cond.Outcome"}`, `"True"`},
		{"join mixed", `{"Std:Join": {"On": "-", "Values": ["a", {"Get": "Parameters.InstanceCount"}, 3, 1.5, true, false, {"Get": "Parameters.Threshold"}, 6.0, null, {"Get": "Parameters.Deploy"}]}}`,
			`"a-2-3-1.5-true-false-0.75-6.0-null-true"`},
		{"join single parameter", `{"Std:Join": {"On": "", "Values": [{"Get": "Parameters.InstanceCount"}]}}`, `"2"`},
		{"join empty", `{"Std:Join": {"On": ",", "Values": []}}`, `""`},
		{"join without on", `{"Std:Join": {"Values": ["a", "b"]}}`, `"ab"`},
		{"join of join", `{"Std:Join": {"On": "/", "Values": ["s3:/", {"Std:Join": {"On": "-", "Values": ["x", 1]}}]}}`, `"s3://x-1"`},
		{"jsonget property file", `{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Prep.PropertyFiles.Report"}, "Path": "regression_metrics.mse.value"}}`, `4.5`},
		{"jsonget property file name", `{"Std:JsonGet": {"PropertyFile": "Report", "Path": "n"}}`, `12`},
		{"jsonget s3 uri join", `{"Std:JsonGet": {"S3Uri": {"Std:Join": {"On": "/", "Values": [{"Get": "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"}, "results.json"]}}, "Path": "Result[0]"}}`, `"r"`},
		{"jsonget s3 uri string", `{"Std:JsonGet": {"S3Uri": "s3://b/eval/evaluation.json", "Path": "$.list[0]['k']"}}`, `1`},
		{"jsonget quoted key", `{"Std:JsonGet": {"S3Uri": "s3://b/eval/evaluation.json", "Path": "['a b'].c"}}`, `true`},
		{"jsonget object", `{"Std:JsonGet": {"S3Uri": "s3://b/eval/evaluation.json", "Path": "regression_metrics.mse"}}`, `{"value":4.5}`},
		{"join of jsonget", `{"Std:Join": {"On": "", "Values": ["mse=", {"Std:JsonGet": {"PropertyFile": "Report", "Path": "regression_metrics.mse.value"}}]}}`, `"mse=4.5"`},
		{"tree", `{"A": [1, {"Get": "Parameters.Mode"}, "x"], "B": {"C": {"Get": "Execution.PipelineName"}}, "D": null}`, `{"A":[1,"full","x"],"B":{"C":"p"},"D":null}`},
		{"literal with Get and more", `{"Get": "Parameters.Mode", "Other": 1}`, `{"Get":"Parameters.Mode","Other":1}`},
		{"literal numbers keep their text", `[1.50, 86400, 1e3]`, `[1.50,86400,1e3]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := resolveEnv()
			got, err := d.Resolve(json.RawMessage(tt.expr), env)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if s := toJSON(t, got); s != tt.want {
				t.Errorf("Resolve(%s) = %s, want %s", tt.expr, s, tt.want)
			}
			// The same expression as a decoded tree gives the same value.
			got2, err := d.Resolve(tree(t, tt.expr), env)
			if err != nil || toJSON(t, got2) != tt.want {
				t.Errorf("Resolve of the tree = %s, %v", toJSON(t, got2), err)
			}
		})
	}
	env := resolveEnv()
	if _, err := d.Resolve(tree(t, `{"Std:JsonGet": {"PropertyFile": "Report", "Path": "n"}}`), env); err != nil || env.reads[0] != "s3://b/eval/evaluation.json" {
		t.Errorf("property file read from %v (%v)", env.reads, err)
	}
	if v, err := d.Resolve(json.RawMessage(nil), env); v != nil || err != nil {
		t.Errorf("Resolve(nil) = %v, %v", v, err)
	}
}

func TestResolveErrors(t *testing.T) {
	d := mustParse(t, resolveDef)
	tests := []struct {
		name, expr, want string
	}{
		{"missing property", `{"Get": "Steps.Empty.ModelArtifacts.S3ModelArtifacts"}`,
			`Steps.Empty.ModelArtifacts.S3ModelArtifacts: step Empty has no property ModelArtifacts`},
		{"missing nested property", `{"Get": "Steps.Train.ModelArtifacts.Nope"}`,
			`Steps.Train.ModelArtifacts.Nope: step Train has no property ModelArtifacts.Nope`},
		{"no output of that name", `{"Get": "Steps.Prep.ProcessingOutputConfig.Outputs['nope'].S3Output.S3Uri"}`,
			`Steps.Prep.ProcessingOutputConfig.Outputs['nope'].S3Output.S3Uri: step Prep has no property ProcessingOutputConfig.Outputs['nope']: ProcessingOutputConfig.Outputs has no item whose OutputName is "nope"`},
		{"no metric of that name", `{"Get": "Steps.Train.FinalMetricDataList['f1'].Value"}`,
			`step Train has no property FinalMetricDataList['f1']: FinalMetricDataList has no item whose MetricName is "f1"`},
		{"index out of range", `{"Get": "Steps.Tune.TrainingJobSummaries[5].TrainingJobName"}`,
			`Steps.Tune.TrainingJobSummaries[5].TrainingJobName: step Tune has no property TrainingJobSummaries[5]: TrainingJobSummaries has 2 items`},
		{"index on an object", `{"Get": "Steps.Train.ModelArtifacts[0]"}`,
			`step Train has no property ModelArtifacts[0]: ModelArtifacts is an object, not a list`},
		{"member of a string", `{"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts.X"}`,
			`ModelArtifacts.S3ModelArtifacts is a string, not an object`},
		{"step without properties", `{"Get": "Steps.Ghost.ModelArtifacts.S3ModelArtifacts"}`,
			`Steps.Ghost.ModelArtifacts.S3ModelArtifacts: step Ghost has no properties (it has not succeeded)`},
		{"parameter without value", `{"Get": "Parameters.Missing"}`, `Parameters.Missing: parameter Missing has no value`},
		{"execution variable not available", `{"Get": "Execution.ProcessingJobName"}`, `Execution.ProcessingJobName: execution variable ProcessingJobName is not available`},
		{"bad reference", `{"Get": "Foo.Bar"}`, `Foo.Bar: "Foo.Bar" is not a reference`},
		{"get not a string", `{"Get": ["x"]}`, `Get: the reference must be a string, not a list`},
		{"property file outside jsonget", `{"Get": "Steps.Prep.PropertyFiles.Report"}`, `a property file can only be read with Std:JsonGet`},
		{"join of a list", `{"Std:Join": {"On": "", "Values": [{"Get": "Steps.Tune.TrainingJobSummaries"}]}}`,
			`Std:Join: Values[0] is a list; only strings, numbers, booleans and null can be joined`},
		{"join without values", `{"Std:Join": {"On": ""}}`, `Std:Join: Values must be a list`},
		{"join on not string", `{"Std:Join": {"On": 1, "Values": []}}`, `Std:Join: On must be a string`},
		{"join error inside", `{"Std:Join": {"On": "", "Values": [{"Get": "Parameters.Missing"}]}}`, `Parameters.Missing: parameter Missing has no value`},
		{"jsonget path missing", `{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Prep.PropertyFiles.Report"}, "Path": "regression_metrics.rmse.value"}}`,
			`Std:JsonGet(Steps.Prep.PropertyFiles.Report, regression_metrics.rmse.value): path "regression_metrics.rmse.value" not found in s3://b/eval/evaluation.json: "regression_metrics" has no member "rmse"`},
		{"jsonget root member missing", `{"Std:JsonGet": {"S3Uri": "s3://b/eval/evaluation.json", "Path": "nope"}}`,
			`Std:JsonGet(s3://b/eval/evaluation.json, nope): path "nope" not found in s3://b/eval/evaluation.json: the document has no member "nope"`},
		{"jsonget index out of range", `{"Std:JsonGet": {"S3Uri": "s3://b/eval/evaluation.json", "Path": "list[3]"}}`, `"list" has 1 items`},
		{"jsonget name on a list", `{"Std:JsonGet": {"S3Uri": "s3://b/eval/evaluation.json", "Path": "list.k"}}`, `"list" is a list, not an object`},
		{"jsonget read error", `{"Std:JsonGet": {"S3Uri": "s3://b/none.json", "Path": "a"}}`,
			`Std:JsonGet(s3://b/none.json, a): reading s3://b/none.json: get s3://b/none.json: NoSuchKey`},
		{"jsonget not json", `{"Std:JsonGet": {"PropertyFile": "Lost", "Path": "a"}}`, `s3://b/eval/lost.json is not a JSON document`},
		{"jsonget output missing", `{"Std:JsonGet": {"PropertyFile": "Orphan", "Path": "a"}}`,
			`Std:JsonGet(Steps.NoOut.PropertyFiles.Orphan, a): property file Orphan names output "gone", but step NoOut has no ProcessingOutputConfig.Outputs['gone'].S3Output.S3Uri`},
		{"jsonget step without properties", `{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Prep.PropertyFiles.Report"}, "Path": "a"}}`, ``},
		{"jsonget unknown property file", `{"Std:JsonGet": {"PropertyFile": "Nope", "Path": "a"}}`, `Std:JsonGet: no step declares a property file named "Nope"`},
		{"jsonget without file", `{"Std:JsonGet": {"Path": "a"}}`, `Std:JsonGet: it needs a PropertyFile or an S3Uri`},
		{"jsonget s3uri not string", `{"Std:JsonGet": {"S3Uri": {"Get": "Parameters.InstanceCount"}, "Path": "a"}}`, `Std:JsonGet: S3Uri is 2, not an S3 URI`},
		{"jsonget bad path", `{"Std:JsonGet": {"S3Uri": "s3://b/eval/evaluation.json", "Path": "a["}}`, `bad Path`},
		{"invalid JSON", `{"a": `, `JSON: `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := resolveEnv()
			if tt.name == "jsonget step without properties" {
				delete(env.props, "Prep")
				tt.want = `Std:JsonGet(Steps.Prep.PropertyFiles.Report, a): step Prep has no properties (it has not succeeded)`
			}
			_, err := d.Resolve(json.RawMessage(tt.expr), env)
			var eerr *EvalError
			if !errors.As(err, &eerr) {
				t.Fatalf("Resolve error = %v (%T), want an *EvalError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\ndoes not contain %q", err.Error(), tt.want)
			}
			if tt.name == "jsonget read error" && !errors.Is(err, errNoSuchKey) {
				t.Errorf("the read error does not pass through: %v", err)
			}
		})
	}
}

func TestResolveArguments(t *testing.T) {
	fx := fixtures(t)
	d, err := Parse(fx["execution-variables-join.json"], ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env := &fakeEnv{
		params: map[string]any{"OutputPrefix": "runs", "Shards": int64(4)},
		execution: map[string]string{
			"PipelineExecutionId": "kytlemm1lvpq", "PipelineName": "execution-variables-join",
			"PipelineArn":          "arn:aws:sagemaker:us-east-1:111111111111:pipeline/execution-variables-join",
			"PipelineExecutionArn": "arn:aws:sagemaker:us-east-1:111111111111:pipeline/execution-variables-join/execution/kytlemm1lvpq",
			"StartDateTime":        "2026-11-24T06:00:00Z", "CurrentDateTime": "2026-11-24T06:05:00Z",
		},
	}
	args, err := d.ResolveArguments("Featurize", env)
	if err != nil {
		t.Fatal(err)
	}
	envVars := args["Environment"].(map[string]any)
	want := map[string]string{
		"TAG":       "execution-variables-join-4-3-1.5-true",
		"SHARDS":    "4",
		"EXEC_ID":   "kytlemm1lvpq",
		"STARTED":   "2026-11-24T06:00:00Z",
		"NOW":       "2026-11-24T06:05:00Z",
		"PIPE_NAME": "execution-variables-join",
	}
	for k, v := range want {
		if envVars[k] != v {
			t.Errorf("Environment[%s] = %#v, want %q", k, envVars[k], v)
		}
	}
	uri := args["ProcessingOutputConfig"].(map[string]any)["Outputs"].([]any)[0].(map[string]any)["S3Output"].(map[string]any)["S3Uri"]
	if uri != "s3://sagemaker-us-east-1-111111111111/runs/execution-variables-join/kytlemm1lvpq/features" {
		t.Errorf("features S3Uri = %v", uri)
	}
	if got := toJSON(t, args["AppSpecification"].(map[string]any)["ContainerArguments"]); got !=
		`["--execution","kytlemm1lvpq","--out","s3://sagemaker-us-east-1-111111111111/runs/execution-variables-join/kytlemm1lvpq/features"]` {
		t.Errorf("ContainerArguments = %s", got)
	}
	// The result is the caller's: changing it changes nothing else.
	args["RoleArn"] = "changed"
	envVars["TAG"] = "changed"
	again, err := d.ResolveArguments("Featurize", env)
	if err != nil || again["RoleArn"] != "arn:aws:iam::111111111111:role/pipeline-exec" || again["Environment"].(map[string]any)["TAG"] != want["TAG"] {
		t.Errorf("a second resolve sees the first's changes: %v", err)
	}
	if _, err := d.ResolveArguments("Nope", env); err == nil {
		t.Error("ResolveArguments of an unknown step succeeds")
	}
	// A property tree from the env is copied too.
	d2 := mustParse(t, resolveDef)
	env2 := resolveEnv()
	props, _ := env2.StepProperties("Train")
	env2.props["Train"] = props
	v, err := d2.Resolve(tree(t, `{"Get": "Steps.Train.ModelArtifacts"}`), env2)
	if err != nil {
		t.Fatal(err)
	}
	v.(map[string]any)["S3ModelArtifacts"] = "changed"
	if props.(map[string]any)["ModelArtifacts"].(map[string]any)["S3ModelArtifacts"] != "s3://b/model.tar.gz" {
		t.Error("the resolved value aliases the step's properties")
	}
	if args, err := d2.ResolveArguments("Cond", env2); err != nil || toJSON(t, args) != `{"Conditions":[]}` {
		t.Errorf("condition arguments = %v, %v", args, err)
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"s", "s"}, {true, "true"}, {false, "false"}, {nil, "null"},
		{int64(-3), "-3"}, {7, "7"}, {int32(8), "8"}, {float32(0.5), "0.5"},
		{0.3, "0.3"}, {6.0, "6.0"}, {-2.5, "-2.5"}, {1e-05, "1e-05"}, {0.0001, "0.0001"},
		{1.5e-07, "1.5e-07"}, {1e16, "1e+16"}, {1.5e16, "1.5e+16"}, {1234567890123456.0, "1234567890123456.0"},
		{1e100, "1e+100"}, {123.456, "123.456"}, {0.30000000000000004, "0.30000000000000004"}, {math.Copysign(0, -1), "-0.0"},
		{0.0, "0.0"}, {100.0, "100.0"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
		{json.Number("1.50"), "1.5"}, {json.Number("10"), "10"}, {json.Number("1E3"), "1000.0"}, {json.Number("-0"), "-0"},
	}
	for _, tt := range tests {
		got, err := render(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("render(%#v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []any{map[string]any{}, []any{}, struct{}{}} {
		if _, err := render(bad); err == nil {
			t.Errorf("render(%#v) succeeds", bad)
		}
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		path, want string // want: segments as name, #index, 'key'; or "error"
	}{
		{"a", "a"},
		{"a.b.c", "a b c"},
		{"Outputs['train'].S3Output", "Outputs 'train' S3Output"},
		{`Outputs["a.b[0]"]`, "Outputs 'a.b[0]'"},
		{"a[0][12].b", "a #0 #12 b"},
		{"['k']", "'k'"},
		{"[0]", "#0"},
		{"FinalMetricDataList['val:acc'].Value", "FinalMetricDataList 'val:acc' Value"},
		{"a..b", "error"}, {".a", "error"}, {"a.", "error"}, {"a[", "error"}, {"a[x]", "error"}, {"a['x]", "error"},
		{"a]", "error"}, {"a.[0]", "error"}, {"a[0]b", "error"}, {"", "error"}, {"a[-1]", "error"},
		{"a[99999999999999999999]", "error"},
	}
	for _, tt := range tests {
		segs, err := parsePath(tt.path, false)
		got := "error"
		if err == nil {
			var parts []string
			for _, s := range segs {
				switch {
				case s.isIndex:
					parts = append(parts, "#"+strconv.Itoa(s.index))
				case s.quoted:
					parts = append(parts, "'"+s.name+"'")
				default:
					parts = append(parts, s.name)
				}
			}
			got = strings.Join(parts, " ")
		}
		if got != tt.want {
			t.Errorf("parsePath(%q) = %q (%v), want %q", tt.path, got, err, tt.want)
		}
	}
	for _, p := range []string{"$", "$.a", "$a", "$['a']"} {
		if _, err := parsePath(p, true); err != nil {
			t.Errorf("parsePath(%q, dollar) = %v", p, err)
		}
	}
}

// TestNamedListItems checks the key member of every list of the table in
// the package documentation.
func TestNamedListItems(t *testing.T) {
	for list, key := range map[string]string{
		"Outputs": "OutputName", "ProcessingInputs": "InputName", "InputDataConfig": "ChannelName",
		"AdditionalModelDataSources": "ChannelName", "FinalMetricDataList": "MetricName", "CandidateMetrics": "MetricName",
		"MetricDefinitions": "Name", "IntegerParameterRanges": "Name", "CollectionConfigurations": "CollectionName",
		"DebugRuleConfigurations": "RuleConfigurationName", "DebugRuleEvaluationStatuses": "RuleConfigurationName",
		"ProfilerRuleConfigurations": "RuleConfigurationName", "ProfilerRuleEvaluationStatuses": "RuleConfigurationName",
		"InstanceGroups": "InstanceGroupName", "TrainingJobDefinitions": "DefinitionName", "TrainingJobSummaries": "TrainingJobName",
		"CandidateSteps": "CandidateStepName", "ValidationProfiles": "ProfileName", "SourceAlgorithms": "AlgorithmName",
		"ParentHyperParameterTuningJobs": "HyperParameterTuningJobName", "OutputParameters": "OutputName",
	} {
		props := map[string]any{list: []any{
			"not an object",
			map[string]any{key: "other", "V": 1},
			map[string]any{key: "x", "V": 2},
		}}
		segs, err := parsePath(list+"['x'].V", false)
		if err != nil {
			t.Fatal(err)
		}
		v, perr := navigate(props, segs, true)
		if perr != nil || v != 2 {
			t.Errorf("%s['x'] by %s: %v, %+v", list, key, v, perr)
		}
	}
}
