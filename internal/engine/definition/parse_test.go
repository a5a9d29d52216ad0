package definition

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	long := strings.Repeat("a", MaxDefinitionLength)
	evalOut := `"ProcessingOutputConfig": {"Outputs": [{"OutputName": "evaluation", "S3Output": {"S3Uri": "s3://b/e", "LocalPath": "/opt/ml/processing/e", "S3UploadMode": "EndOfJob"}}]}`
	evalStep := procStep("Eval", evalOut, `"PropertyFiles": [{"PropertyFileName": "Report", "OutputName": "evaluation", "FilePath": "evaluation.json"}]`)
	equals := func(l, r string) string { return `{"Type": "Equals", "LeftValue": ` + l + `, "RightValue": ` + r + `}` }
	retry := func(policy string) string { return doc("", failStep("F", `"RetryPolicies": [`+policy+`]`)) }
	tests := []struct {
		name  string
		doc   string
		types []string
		step  string
		param string
		want  []string // substrings of the message
	}{
		// The document.
		{name: "malformed JSON", doc: `{"Version": "2020-12-01", "Steps": [}`, want: []string{"Pipeline definition is not valid JSON", "offset"}},
		{name: "trailing garbage", doc: doc("") + "x", want: []string{"not valid JSON"}},
		{name: "not an object", doc: `[1, 2]`, want: []string{"Pipeline definition must be a JSON object."}},
		{name: "null document", doc: `null`, want: []string{"must be a JSON object"}},
		{name: "too long", doc: `{"Version": "2020-12-01", "Metadata": {"k": "` + long + `"}, "Steps": []}`, want: []string{"Pipeline definition is 1048637 characters long; the maximum is 1048576."}},
		{name: "no version", doc: `{"Steps": []}`, want: []string{`needs a Version, "2020-12-01"`}},
		{name: "bad version", doc: `{"Version": "2021-01-01", "Steps": []}`, want: []string{`Version "2021-01-01" is not supported`}},
		{name: "version not string", doc: `{"Version": 2020, "Steps": []}`, want: []string{"needs a Version"}},
		{name: "metadata not object", doc: `{"Version": "2020-12-01", "Metadata": [], "Steps": []}`, want: []string{"Metadata must be an object"}},
		{name: "metadata key", doc: `{"Version": "2020-12-01", "Metadata": {"bad key": 1}, "Steps": []}`, want: []string{`Metadata key "bad key" is not valid`}},
		{name: "metadata key too long", doc: `{"Version": "2020-12-01", "Metadata": {"` + strings.Repeat("k", 129) + `": 1}, "Steps": []}`, want: []string{"Metadata key", "{1,128}"}},
		{name: "no steps", doc: `{"Version": "2020-12-01"}`, want: []string{"needs Steps"}},
		{name: "steps not list", doc: `{"Version": "2020-12-01", "Steps": {}}`, want: []string{"Steps must be a list"}},

		// Parameters.
		{name: "parameters not list", doc: doc(`{}`), want: []string{"Parameters must be a list"}},
		{name: "parameter without name", doc: doc(`[{"Type": "String"}]`), want: []string{"Parameters[0] needs a Name"}},
		{name: "parameter name", doc: doc(`[{"Name": "a.b", "Type": "String"}]`), param: "a.b", want: []string{`Parameter name "a.b" is not valid: it must match ^[A-Za-z0-9\-_]{1,64}$.`}},
		{name: "parameter name too long", doc: doc(`[{"Name": "` + strings.Repeat("p", 65) + `", "Type": "String"}]`), param: strings.Repeat("p", 65), want: []string{"is not valid"}},
		{name: "duplicate parameter", doc: doc(`[{"Name": "P", "Type": "String"}, {"Name": "P", "Type": "Integer"}]`), param: "P", want: []string{`Parameter name "P" is used by more than one parameter.`}},
		{name: "parameter type", doc: doc(`[{"Name": "P", "Type": "Double"}]`), param: "P", want: []string{`Parameter "P" has type "Double"; valid types: String, Integer, Boolean, Float.`}},
		{name: "parameter without type", doc: doc(`[{"Name": "P"}]`), param: "P", want: []string{`Parameter "P" needs a Type`}},
		{name: "integer default string", doc: doc(`[{"Name": "N", "Type": "Integer", "DefaultValue": "5"}]`), param: "N", want: []string{`DefaultValue "5" of parameter "N" is not a valid Integer.`}},
		{name: "integer default fraction", doc: doc(`[{"Name": "N", "Type": "Integer", "DefaultValue": 1.5}]`), param: "N", want: []string{`DefaultValue 1.5 of parameter "N" is not a valid Integer.`}},
		{name: "float default string", doc: doc(`[{"Name": "F", "Type": "Float", "DefaultValue": "0.5"}]`), param: "F", want: []string{"is not a valid Float"}},
		{name: "boolean default string", doc: doc(`[{"Name": "B", "Type": "Boolean", "DefaultValue": "true"}]`), param: "B", want: []string{"is not a valid Boolean"}},
		{name: "string default number", doc: doc(`[{"Name": "S", "Type": "String", "DefaultValue": 5}]`), param: "S", want: []string{"is not a valid String"}},
		{name: "enum on integer", doc: doc(`[{"Name": "N", "Type": "Integer", "DefaultValue": 1, "EnumValues": ["1"]}]`), param: "N", want: []string{`Parameter "N" has type Integer and EnumValues; only String parameters may have EnumValues.`}},
		{name: "enum not strings", doc: doc(`[{"Name": "S", "Type": "String", "EnumValues": [1]}]`), param: "S", want: []string{"must be a list of strings"}},
		{name: "default outside enum", doc: doc(`[{"Name": "S", "Type": "String", "DefaultValue": "c", "EnumValues": ["a", "b"]}]`), param: "S", want: []string{`DefaultValue "c" of parameter "S" is not one of its EnumValues: a, b.`}},

		// Steps.
		{name: "step not object", doc: doc("", `"x"`), want: []string{"The step at Steps[0] must be an object."}},
		{name: "step without name", doc: doc("", `{"Type": "Fail"}`), want: []string{"The step at Steps[0] needs a Name"}},
		{name: "nested step without name", doc: doc("", condStep("C", "", `{"Type": "Fail"}`, "")), want: []string{"The step at Steps[0].Arguments.IfSteps[0] needs a Name"}},
		{name: "step name", doc: doc("", failStep("bad name", "")), step: "bad name", want: []string{`Step name "bad name" is not valid: it must match ^[A-Za-z0-9\-_]{1,64}$.`}},
		{name: "step name too long", doc: doc("", failStep(strings.Repeat("s", 65), "")), step: strings.Repeat("s", 65), want: []string{"is not valid"}},
		{name: "duplicate step", doc: doc("", failStep("A", ""), failStep("A", "")), step: "A", want: []string{`Step name "A" is used by more than one step; step names must be unique in the pipeline.`}},
		{name: "duplicate nested step", doc: doc("", condStep("C", "", failStep("A", ""), ""), condStep("D", "", "", failStep("A", ""))), step: "A", want: []string{`Step name "A" is used by more than one step`}},
		{name: "nested duplicates its condition", doc: doc("", condStep("C", "", failStep("C", ""), "")), step: "C", want: []string{"used by more than one step"}},
		{name: "step without type", doc: doc("", `{"Name": "A"}`), step: "A", want: []string{`Step "A" needs a Type`}},
		{name: "unsupported type", doc: doc("", `{"Name": "TuneModel", "Type": "Tuning", "Arguments": {}}`), types: []string{"Processing", "Condition", "Fail"}, step: "TuneModel",
			want: []string{`Step "TuneModel" has type Tuning, which Cairn does not run yet; supported types: Condition, Fail, Processing.`}},
		{name: "unsupported nested type", doc: doc("", condStep("C", "", `{"Name": "T", "Type": "Training", "Arguments": {}}`, "")), types: []string{"Condition"}, step: "T",
			want: []string{`Step "T" has type Training, which Cairn does not run yet; supported types: Condition.`}},
		{name: "no types supported", doc: doc("", failStep("F", "")), types: []string{}, step: "F", want: []string{"supported types: none."}},
		{name: "arguments not object", doc: doc("", `{"Name": "A", "Type": "Fail", "Arguments": []}`), step: "A", want: []string{`Arguments of step "A" must be an object.`}},
		{name: "display name not string", doc: doc("", failStep("A", `"DisplayName": 1`)), step: "A", want: []string{"DisplayName of step"}},
		{name: "description not string", doc: doc("", failStep("A", `"Description": {}`)), step: "A", want: []string{"Description of step"}},

		// References.
		{name: "depends on unknown", doc: doc("", failStep("A", `"DependsOn": ["Prep"]`)), step: "A", want: []string{`Step "A" depends on unknown step "Prep".`}},
		{name: "depends on not list", doc: doc("", failStep("A", `"DependsOn": "B"`)), step: "A", want: []string{`DependsOn of step "A" must be a list of step names.`}},
		{name: "get unknown step", doc: doc("", procStep("Train", `"X": {"Get": "Steps.Prep.ProcessingJobName"}`, "")), step: "Train",
			want: []string{`Step "Train" references unknown step "Prep" in {"Get": "Steps.Prep.ProcessingJobName"} (at Arguments.X).`}},
		{name: "get unknown parameter", doc: doc("", procStep("A", `"Env": {"K": {"Get": "Parameters.Missing"}}`, "")), step: "A",
			want: []string{`Step "A" references unknown parameter "Missing" in {"Get": "Parameters.Missing"} (at Arguments.Env.K).`}},
		{name: "get in extra member", doc: doc("", `{"Name": "Q", "Type": "QualityCheck", "Arguments": {}, "SkipCheck": {"Get": "Parameters.Nope"}}`), step: "Q",
			want: []string{`references unknown parameter "Nope"`, "(at SkipCheck)."}},
		{name: "get in condition", doc: doc("", condStep("C", equals(`{"Get": "Steps.Nope.Outcome"}`, `"True"`), "", "")), step: "C",
			want: []string{`references unknown step "Nope"`, "(at Arguments.Conditions[0].LeftValue)."}},
		{name: "unknown property file", doc: doc("", evalStep, condStep("C", equals(`{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Eval.PropertyFiles.Metrics"}, "Path": "a"}}`, "1"), "", "")), step: "C",
			want: []string{`Step "C" references unknown property file "Metrics" of step "Eval"`}},
		{name: "unknown property file name", doc: doc("", evalStep, condStep("C", equals(`{"Std:JsonGet": {"PropertyFile": "Metrics", "Path": "a"}}`, "1"), "", "")), step: "C",
			want: []string{`references unknown property file "Metrics"`}},
		{name: "ambiguous property file name", doc: doc("", evalStep, procStep("Eval2", evalOut, `"PropertyFiles": [{"PropertyFileName": "Report", "OutputName": "evaluation", "FilePath": "r.json"}]`),
			condStep("C", equals(`{"Std:JsonGet": {"PropertyFile": "Report", "Path": "a"}}`, "1"), "", "")), step: "C",
			want: []string{`property file "Report", which more than one step declares`}},
		{name: "property file outside JsonGet", doc: doc("", evalStep, failStep("F", `"Arguments": {"ErrorMessage": {"Get": "Steps.Eval.PropertyFiles.Report"}}`)), step: "F",
			want: []string{"outside a Std:JsonGet PropertyFile"}},
		{name: "fail step property", doc: doc("", failStep("F", ""), procStep("A", `"X": {"Get": "Steps.F.ErrorMessage"}`, "")), step: "A",
			want: []string{`references a property of Fail step "F", which has none`}},
		{name: "condition step property", doc: doc("", condStep("C", "", "", ""), procStep("A", `"X": {"Get": "Steps.C.Conditions"}`, "")), step: "A",
			want: []string{`references a property of Condition step "C" other than Outcome`}},
		{name: "get not string", doc: doc("", procStep("A", `"X": {"Get": 5}`, "")), step: "A",
			want: []string{`Step "A" has a malformed expression: the value of Get must be a string, not 5 (at Arguments.X).`}},
		{name: "get unknown root", doc: doc("", procStep("A", `"X": {"Get": "Foo.Bar"}`, "")), step: "A", want: []string{`"Foo.Bar" is not a reference`}},
		{name: "get no dot", doc: doc("", procStep("A", `"X": {"Get": "Parameters"}`, "")), step: "A", want: []string{"is not a reference"}},
		{name: "get unknown execution variable", doc: doc("", procStep("A", `"X": {"Get": "Execution.Now"}`, "")), step: "A", want: []string{`"Now" is not an execution variable`}},
		{name: "get bad experiment field", doc: doc("", procStep("A", `"X": {"Get": "PipelineExperimentConfig.Name"}`, "")), step: "A", want: []string{"is not a PipelineExperimentConfig property"}},
		{name: "get step without path", doc: doc("", failStep("B", ""), procStep("A", `"X": {"Get": "Steps.B"}`, "")), step: "A", want: []string{"names no property of step"}},
		{name: "get bad path", doc: doc("", procStep("B", "", ""), procStep("A", `"X": {"Get": "Steps.B.Outputs['x"}`, "")), step: "A", want: []string{"unclosed"}},
		{name: "get path starts with index", doc: doc("", procStep("B", "", ""), procStep("A", `"X": {"Get": "Steps.B.[0]"}`, "")), step: "A", want: []string{`property path "[0]" of step B must start with a property name (at Arguments.X).`}},
		{name: "get empty path segment", doc: doc("", procStep("B", "", ""), procStep("A", `"X": {"Get": "Steps.B.A..B"}`, "")), step: "A", want: []string{"a name is missing"}},

		// Std:Join and Std:JsonGet.
		{name: "join without values", doc: doc("", procStep("A", `"X": {"Std:Join": {"On": ","}}`, "")), step: "A",
			want: []string{`Step "A" has a malformed expression: Std:Join needs a Values list (at Arguments.X).`}},
		{name: "join values not list", doc: doc("", procStep("A", `"X": {"Std:Join": {"On": ",", "Values": "a"}}`, "")), step: "A", want: []string{"Std:Join needs a Values list"}},
		{name: "join not object", doc: doc("", procStep("A", `"X": {"Std:Join": ["a"]}`, "")), step: "A", want: []string{"Std:Join must be an object"}},
		{name: "join on not string", doc: doc("", procStep("A", `"X": {"Std:Join": {"On": 1, "Values": []}}`, "")), step: "A", want: []string{"the On of Std:Join must be a string"}},
		{name: "join object value", doc: doc("", procStep("A", `"X": {"Std:Join": {"On": "", "Values": [{"a": 1}]}}`, "")), step: "A", want: []string{"not objects"}},
		{name: "join list value", doc: doc("", procStep("A", `"X": {"Std:Join": {"On": "", "Values": [[1]]}}`, "")), step: "A", want: []string{"not lists"}},
		{name: "join bad nested get", doc: doc("", procStep("A", `"X": {"Std:Join": {"On": "", "Values": [{"Get": "Parameters.Q"}]}}`, "")), step: "A",
			want: []string{`references unknown parameter "Q"`, "(at Arguments.X.Std:Join.Values[0])."}},
		{name: "jsonget without path", doc: doc("", evalStep, condStep("C", equals(`{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Eval.PropertyFiles.Report"}}}`, "1"), "", "")), step: "C",
			want: []string{`Step "C" has a malformed expression: Std:JsonGet needs a Path, a string (at Arguments.Conditions[0].LeftValue).`}},
		{name: "jsonget without file", doc: doc("", condStep("C", equals(`{"Std:JsonGet": {"Path": "a"}}`, "1"), "", "")), step: "C",
			want: []string{"Std:JsonGet needs a PropertyFile or an S3Uri"}},
		{name: "jsonget with both", doc: doc("", evalStep, condStep("C", equals(`{"Std:JsonGet": {"PropertyFile": "Report", "S3Uri": "s3://b/k", "Path": "a"}}`, "1"), "", "")), step: "C",
			want: []string{"not both"}},
		{name: "jsonget bad path", doc: doc("", condStep("C", equals(`{"Std:JsonGet": {"S3Uri": "s3://b/k", "Path": "a[x]"}}`, "1"), "", "")), step: "C",
			want: []string{`the Std:JsonGet Path "a[x]" is not valid`}},
		{name: "jsonget file not a property file", doc: doc("", evalStep, condStep("C", equals(`{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Eval.ProcessingJobName"}, "Path": "a"}}`, "1"), "", "")), step: "C",
			want: []string{"the PropertyFile of Std:JsonGet must be"}},
		{name: "jsonget file a parameter", doc: doc(`[{"Name": "P", "Type": "String"}]`, condStep("C", equals(`{"Std:JsonGet": {"PropertyFile": {"Get": "Parameters.P"}, "Path": "a"}}`, "1"), "", "")), step: "C",
			want: []string{"the PropertyFile of Std:JsonGet must be"}},
		{name: "jsonget s3uri object", doc: doc("", condStep("C", equals(`{"Std:JsonGet": {"S3Uri": {"a": 1}, "Path": "a"}}`, "1"), "", "")), step: "C",
			want: []string{"S3Uri of Std:JsonGet must be a string or an expression"}},

		// Cycles.
		{name: "self dependency", doc: doc("", failStep("A", `"DependsOn": ["A"]`)), step: "A", want: []string{`Step "A" depends on itself.`}},
		{name: "self reference", doc: doc("", procStep("A", `"X": {"Get": "Steps.A.ProcessingJobName"}`, "")), step: "A", want: []string{`Step "A" depends on itself.`}},
		{name: "two-step cycle", doc: doc("", failStep("A", `"DependsOn": ["B"]`), failStep("B", `"DependsOn": ["A"]`)), step: "A",
			want: []string{`Steps "A", "B" form a dependency cycle: A -> B -> A.`}},
		{name: "three-step cycle by references", doc: doc("",
			procStep("A", `"X": {"Get": "Steps.C.ProcessingJobName"}`, ""),
			procStep("B", `"X": {"Get": "Steps.A.ProcessingJobName"}`, ""),
			procStep("C", `"X": {"Std:Join": {"On": "", "Values": [{"Get": "Steps.B.ProcessingJobName"}]}}`, "")), step: "A",
			want: []string{`Steps "A", "C", "B" form a dependency cycle: A -> C -> B -> A.`}},
		{name: "condition on its own branch", doc: doc("", condStep("C", equals(`{"Get": "Steps.Inner.ProcessingJobName"}`, `"x"`), procStep("Inner", "", ""), "")), step: "C",
			want: []string{`Steps "C", "Inner" form a dependency cycle: C -> Inner -> C.`}},

		// Conditions.
		{name: "condition type", doc: doc("", condStep("Check", `{"Type": "Matches", "LeftValue": 1, "RightValue": 2}`, "", "")), step: "Check",
			want: []string{`Step "Check": the condition at Arguments.Conditions[0] has unknown type "Matches"; valid types: Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or`}},
		{name: "nested condition type", doc: doc("", condStep("Check", `{"Type": "Or", "Conditions": [{"Type": "Not", "Condition": {"Type": "Bogus"}}]}`, "", "")), step: "Check",
			want: []string{`the condition at Arguments.Conditions[0].Conditions[0].Condition has unknown type "Bogus"`}},
		{name: "condition without type", doc: doc("", condStep("Check", `{"LeftValue": 1, "RightValue": 2}`, "", "")), step: "Check", want: []string{"needs a Type"}},
		{name: "condition not object", doc: doc("", condStep("Check", `"x"`, "", "")), step: "Check", want: []string{"must be an object with a Type"}},
		{name: "comparison without right", doc: doc("", condStep("Check", `{"Type": "LessThan", "LeftValue": 1}`, "", "")), step: "Check", want: []string{"the LessThan condition at Arguments.Conditions[0] needs a LeftValue and a RightValue"}},
		{name: "in without values", doc: doc("", condStep("Check", `{"Type": "In", "QueryValue": 1}`, "", "")), step: "Check", want: []string{"needs a QueryValue and a Values list"}},
		{name: "not without condition", doc: doc("", condStep("Check", `{"Type": "Not"}`, "", "")), step: "Check", want: []string{"Arguments.Conditions[0].Condition must be an object"}},
		{name: "or without conditions", doc: doc("", condStep("Check", `{"Type": "Or"}`, "", "")), step: "Check", want: []string{"needs a Conditions list"}},
		{name: "conditions not list", doc: doc("", `{"Name": "Check", "Type": "Condition", "Arguments": {"Conditions": {}}}`), step: "Check", want: []string{"must be a list of conditions"}},
		{name: "if steps not list", doc: doc("", `{"Name": "Check", "Type": "Condition", "Arguments": {"IfSteps": {}}}`), step: "Check", want: []string{"IfSteps of condition step \"Check\" must be a list of steps."}},

		// Retry policies and caching.
		{name: "retry exception type", doc: retry(`{"ExceptionType": ["Step.TIMEOUT"], "MaxAttempts": 1}`), step: "F", want: []string{`RetryPolicies[0] of step "F": ExceptionType "Step.TIMEOUT" is not valid`}},
		{name: "retry no exception type", doc: retry(`{"MaxAttempts": 1}`), step: "F", want: []string{"ExceptionType must be a non-empty list"}},
		{name: "retry interval", doc: retry(`{"ExceptionType": ["Step.THROTTLING"], "IntervalSeconds": 43201, "MaxAttempts": 1}`), step: "F", want: []string{"IntervalSeconds must be an integer from 0 to 43200."}},
		{name: "retry backoff", doc: retry(`{"ExceptionType": ["Step.THROTTLING"], "BackoffRate": -1, "MaxAttempts": 1}`), step: "F", want: []string{"BackoffRate must be a number of at least 0."}},
		{name: "retry max attempts", doc: retry(`{"ExceptionType": ["Step.THROTTLING"], "MaxAttempts": 21}`), step: "F", want: []string{"MaxAttempts must be an integer from 1 to 20."}},
		{name: "retry expire", doc: retry(`{"ExceptionType": ["Step.THROTTLING"], "ExpireAfterMin": 14401}`), step: "F", want: []string{"ExpireAfterMin must be an integer from 1 to 14400."}},
		{name: "retry both", doc: retry(`{"ExceptionType": ["Step.THROTTLING"], "MaxAttempts": 2, "ExpireAfterMin": 5}`), step: "F", want: []string{"give MaxAttempts or ExpireAfterMin, not both."}},
		{name: "retry neither", doc: retry(`{"ExceptionType": ["Step.THROTTLING"]}`), step: "F", want: []string{"give one of MaxAttempts and ExpireAfterMin."}},
		{name: "retry not list", doc: doc("", failStep("F", `"RetryPolicies": {}`)), step: "F", want: []string{"RetryPolicies of step \"F\" must be a list."}},
		{name: "cache duration", doc: doc("", failStep("F", `"CacheConfig": {"Enabled": true, "ExpireAfter": "30 days"}`)), step: "F",
			want: []string{`CacheConfig.ExpireAfter "30 days" of step "F" is not an ISO-8601 duration`}},
		{name: "cache enabled", doc: doc("", failStep("F", `"CacheConfig": {"Enabled": "yes"}`)), step: "F", want: []string{"CacheConfig.Enabled of step \"F\" must be true or false."}},

		// Property files.
		{name: "property file fields", doc: doc("", procStep("P", evalOut, `"PropertyFiles": [{"PropertyFileName": "R", "OutputName": "evaluation"}]`)), step: "P",
			want: []string{"needs PropertyFileName, OutputName and FilePath"}},
		{name: "property file duplicate", doc: doc("", procStep("P", evalOut, `"PropertyFiles": [{"PropertyFileName": "R", "OutputName": "evaluation", "FilePath": "a"}, {"PropertyFileName": "R", "OutputName": "evaluation", "FilePath": "b"}]`)), step: "P",
			want: []string{`Step "P" has more than one property file named "R".`}},
		{name: "property file output", doc: doc("", procStep("P", evalOut, `"PropertyFiles": [{"PropertyFileName": "R", "OutputName": "metrics", "FilePath": "a"}]`)), step: "P",
			want: []string{`Property file "R" of step "P" names output "metrics", which the step's ProcessingOutputConfig does not have.`}},

		// Experiment config.
		{name: "experiment config step", doc: `{"Version": "2020-12-01", "PipelineExperimentConfig": {"ExperimentName": {"Get": "Steps.A.ProcessingJobName"}}, "Steps": [` + procStep("A", "", "") + `]}`,
			want: []string{`PipelineExperimentConfig cannot reference a step ({"Get": "Steps.A.ProcessingJobName"}) (at ExperimentName).`}},
		{name: "experiment config parameter", doc: `{"Version": "2020-12-01", "PipelineExperimentConfig": {"ExperimentName": "e", "TrialName": {"Get": "Parameters.T"}}, "Steps": []}`,
			want: []string{`PipelineExperimentConfig references unknown parameter "T"`, "(at TrialName)."}},
		{name: "experiment config itself", doc: `{"Version": "2020-12-01", "PipelineExperimentConfig": {"TrialName": {"Get": "PipelineExperimentConfig.ExperimentName"}}, "Steps": []}`,
			want: []string{"cannot reference itself"}},
		{name: "experiment config property file", doc: `{"Version": "2020-12-01", "PipelineExperimentConfig": {"TrialName": {"Std:JsonGet": {"PropertyFile": "R", "Path": "a"}}}, "Steps": []}`,
			want: []string{`PipelineExperimentConfig cannot read a property file ("R") (at TrialName.Std:JsonGet.PropertyFile).`}},
		{name: "experiment config not object", doc: `{"Version": "2020-12-01", "PipelineExperimentConfig": "x", "Steps": []}`, want: []string{"PipelineExperimentConfig must be an object or null."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), ParseOptions{SupportedTypes: tt.types})
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse error = %v (%T), want an *Error", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(perr.Message, w) {
					t.Errorf("message %q\ndoes not contain %q", perr.Message, w)
				}
			}
			if perr.Step != tt.step || perr.Parameter != tt.param {
				t.Errorf("Step, Parameter = %q, %q; want %q, %q (message %q)", perr.Step, perr.Parameter, tt.step, tt.param, perr.Message)
			}
			if perr.Error() != perr.Message {
				t.Errorf("Error() = %q, want the message", perr.Error())
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"empty steps", doc("")},
		{"no metadata, parameters or experiment config", `{"Version": "2020-12-01", "Steps": []}`},
		{"unknown members everywhere", `{"Version": "2020-12-01", "Extra": 1, "Steps": [{"Name": "A", "Type": "Lambda", "Arguments": {}, "FunctionArn": "arn", "Future": {"x": [1]}}]}`},
		{"step without arguments", doc("", `{"Name": "F", "Type": "Fail"}`)},
		{"null members", doc("", `{"Name": "F", "Type": "Fail", "Arguments": null, "DependsOn": null, "RetryPolicies": null, "CacheConfig": null, "PropertyFiles": null, "DisplayName": null}`)},
		{"parameter default null", doc(`[{"Name": "P", "Type": "String", "DefaultValue": null}]`)},
		{"float default integer", doc(`[{"Name": "F", "Type": "Float", "DefaultValue": 6}]`)},
		{"integer default exponent-free", doc(`[{"Name": "N", "Type": "Integer", "DefaultValue": -3}]`)},
		{"multibyte characters under the limit", `{"Version": "2020-12-01", "Metadata": {"k": "` + strings.Repeat("é", MaxDefinitionLength/2+100) + `"}, "Steps": []}`},
		{"literal object with Get and more", doc("", procStep("A", `"X": {"Get": 5, "Other": 1}`, ""))},
		{"condition without conditions", doc("", `{"Name": "C", "Type": "Condition", "Arguments": {"IfSteps": [], "ElseSteps": []}}`)},
		{"empty or", doc("", condStep("C", `{"Type": "Or", "Conditions": []}`, "", ""))},
		{"json path with dollar", doc("", condStep("C", `{"Type": "Equals", "LeftValue": {"Std:JsonGet": {"S3Uri": "s3://b/k", "Path": "$.a[0]['b c']"}}, "RightValue": 1}`, "", ""))},
		{"depends on a branch step", doc("", condStep("C", "", failStep("InIf", ""), ""), failStep("After", `"DependsOn": ["InIf"]`))},
		{"retry with defaults", doc("", failStep("F", `"RetryPolicies": [{"ExceptionType": ["Step.SERVICE_FAULT"], "ExpireAfterMin": 14400}]`))},
		{"cache enabled without expiry", doc("", failStep("F", `"CacheConfig": {"Enabled": true}`))},
		{"experiment config with join", `{"Version": "2020-12-01", "PipelineExperimentConfig": {"ExperimentName": "e", "TrialName": {"Std:Join": {"On": "-", "Values": ["t", {"Get": "Execution.PipelineExecutionId"}]}}}, "Steps": []}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.doc), ParseOptions{}); err != nil {
				t.Fatalf("Parse: %v", err)
			}
		})
	}
}

func TestParseFixtureContents(t *testing.T) {
	fx := fixtures(t)
	parse := func(name string) *Definition {
		d, err := Parse(fx[name], ParseOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return d
	}

	d := parse("processing-script.json")
	wantParams := map[string]any{
		"ProcessingInstanceType": "ml.m5.xlarge", "ProcessingInstanceCount": int64(1),
		"TrainTestSplitRatio": 0.3, "UseSpotLikeFlag": false, "RequiredTag": nil,
	}
	for name, want := range wantParams {
		p := d.Parameter(name)
		if p == nil || p.DefaultValue != want {
			t.Errorf("parameter %s = %+v, want default %#v", name, p, want)
		}
	}
	if p := d.Parameter("ProcessingInstanceType"); p.Type != ParameterString || len(p.EnumValues) != 3 {
		t.Errorf("ProcessingInstanceType = %+v", p)
	}
	if pf := d.Step("Preprocess").PropertyFile("StatsReport"); pf == nil || *pf != (PropertyFile{"StatsReport", "stats", "stats.json"}) {
		t.Errorf("property file = %+v", pf)
	}
	if d.PipelineExperimentConfig == nil || toJSON(t, d.PipelineExperimentConfig.ExperimentName) != `{"Get":"Execution.PipelineName"}` {
		t.Errorf("experiment config = %+v", d.PipelineExperimentConfig)
	}

	d = parse("retry-cache-dependson.json")
	a := d.Step("StepA")
	if a.DisplayName != "Step A (display)" || a.Description != "First step with retries and caching" {
		t.Errorf("StepA display %q description %q", a.DisplayName, a.Description)
	}
	wantRetry := []RetryPolicy{
		{ExceptionType: []string{"Step.SERVICE_FAULT", "Step.THROTTLING"}, IntervalSeconds: 2, BackoffRate: 1.5, MaxAttempts: 5},
		{ExceptionType: []string{"SageMaker.JOB_INTERNAL_ERROR", "SageMaker.CAPACITY_ERROR"}, IntervalSeconds: 30, BackoffRate: 2, ExpireAfterMin: 120},
		{ExceptionType: []string{"SageMaker.RESOURCE_LIMIT"}, IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3},
	}
	if toJSON(t, a.RetryPolicies) != toJSON(t, wantRetry) {
		t.Errorf("retry policies = %+v", a.RetryPolicies)
	}
	if c := a.CacheConfig; c == nil || !c.Enabled || c.ExpireAfter != "PT1H" || c.Expiry != (Duration{Hours: 1}) {
		t.Errorf("StepA cache = %+v", c)
	}
	if c := d.Step("StepB").CacheConfig; c == nil || c.Enabled || c.ExpireAfter != "" {
		t.Errorf("StepB cache = %+v", c)
	}
	if c := d.Step("StepC").CacheConfig; c.Expiry != (Duration{Days: 30}) {
		t.Errorf("StepC cache = %+v", c)
	}
	if got := d.Step("StepC").DependsOn; toJSON(t, got) != `["StepA","StepB"]` {
		t.Errorf("StepC DependsOn = %v", got)
	}

	d = parse("lambda-callback.json")
	l := d.Step("LambdaPrepare")
	if string(l.Extra["FunctionArn"]) != `"arn:aws:lambda:us-east-1:111111111111:function:pipeline-helper"` || l.Extra["OutputParameters"] == nil {
		t.Errorf("Lambda extra = %v", l.Extra)
	}
	if _, ok := d.Step("ManualApproval").Extra["SqsQueueUrl"]; !ok {
		t.Errorf("Callback extra = %v", d.Step("ManualApproval").Extra)
	}

	d = parse("experiment-config-none.json")
	if d.PipelineExperimentConfig != nil {
		t.Errorf("experiment config = %+v, want nil", d.PipelineExperimentConfig)
	}

	d = parse("abalone-canonical.json")
	var args map[string]any
	if err := json.Unmarshal(d.Step("AbaloneTrain").Arguments(), &args); err != nil || args["RoleArn"] != "arn:aws:iam::111111111111:role/pipeline-exec" {
		t.Errorf("AbaloneTrain Arguments = %s (%v)", d.Step("AbaloneTrain").Arguments(), err)
	}
	cond := d.Step("AbaloneMSECond")
	if len(cond.Conditions) != 1 || cond.Conditions[0].Type != "LessThanOrEqualTo" || len(cond.IfSteps) != 3 || len(cond.ElseSteps) != 1 {
		t.Errorf("condition step = %+v", cond)
	}
	if len(d.TopLevelSteps()) != 4 || len(d.Steps()) != 8 {
		t.Errorf("%d top-level steps, %d steps", len(d.TopLevelSteps()), len(d.Steps()))
	}
	var names []string
	for _, s := range d.Steps() {
		names = append(names, s.Name)
	}
	want := "AbaloneProcess AbaloneTrain AbaloneEval AbaloneMSECond AbaloneRegisterModel-RegisterModel AbaloneCreateModel-CreateModel AbaloneTransform AbaloneMSEFail"
	if strings.Join(names, " ") != want {
		t.Errorf("Steps() = %v, want %s", names, want)
	}
	if got := string(d.Step("AbaloneMSEFail").Arguments()); got != `{"ErrorMessage":{"Std:Join":{"On":" ","Values":["Execution failed due to MSE >",{"Get":"Parameters.MseThreshold"}]}}}` {
		t.Errorf("AbaloneMSEFail Arguments = %s", got)
	}
	if args := mustParse(t, doc("", `{"Name": "F", "Type": "Fail"}`)).Step("F").Arguments(); args != nil {
		t.Errorf("Arguments of a step without = %s", args)
	}
	if d.Step("Nope") != nil || d.Parameter("Nope") != nil {
		t.Error("lookups of unknown names succeed")
	}
}

// TestParseDeepNesting parses condition steps nested as deep as JSON
// allows within the size limit: the work must stay linear in the size.
func TestParseDeepNesting(t *testing.T) {
	const depth = 2400
	var b strings.Builder
	b.WriteString(`{"Version": "2020-12-01", "Steps": [`)
	for i := range depth {
		b.WriteString(`{"Name": "C` + strconv.Itoa(i) + `", "Type": "Condition", "Arguments": {"IfSteps": [`)
	}
	b.WriteString(failStep("Leaf", ""))
	for range depth {
		b.WriteString(`]}}`)
	}
	b.WriteString(`]}`)
	start := time.Now()
	d, err := Parse([]byte(b.String()), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Parse took %v", elapsed)
	}
	if cond, _, _ := d.Branch("Leaf"); cond != "C"+strconv.Itoa(depth-1) || len(d.TopologicalOrder()) != depth+1 {
		t.Errorf("Branch(Leaf) = %s", cond)
	}
	// A step without a name deep down is located.
	bad := strings.Replace(b.String(), `"Name": "Leaf", `, "", 1)
	_, err = Parse([]byte(bad), ParseOptions{})
	if err == nil || !strings.Contains(err.Error(), "The step at Steps[0].Arguments.IfSteps[0].Arguments.IfSteps[0]") {
		t.Errorf("error %.200v", err)
	}
}
