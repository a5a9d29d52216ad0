package definition

import (
	"strings"
	"testing"
)

func TestDependenciesFixtures(t *testing.T) {
	fx := fixtures(t)
	tests := []struct {
		file string
		deps map[string]string // step -> space-separated dependencies
	}{
		{"abalone-canonical.json", map[string]string{
			"AbaloneProcess":                     "",
			"AbaloneTrain":                       "AbaloneProcess",
			"AbaloneEval":                        "AbaloneProcess AbaloneTrain",
			"AbaloneMSECond":                     "AbaloneEval",
			"AbaloneRegisterModel-RegisterModel": "AbaloneTrain AbaloneEval AbaloneMSECond",
			"AbaloneCreateModel-CreateModel":     "AbaloneTrain AbaloneMSECond",
			"AbaloneTransform":                   "AbaloneMSECond AbaloneCreateModel-CreateModel",
			"AbaloneMSEFail":                     "AbaloneMSECond",
		}},
		{"function-step.json", map[string]string{
			"ScoreCheck": "train",
			"report":     "ScoreCheck train",
			"LowScore":   "ScoreCheck",
			"train":      "load",
			"load":       "",
		}},
		{"conditions-all.json", map[string]string{
			"TopCheck":      "Evaluate",
			"MiddleCheck":   "Evaluate TopCheck",
			"InnerCheck":    "Evaluate MiddleCheck",
			"InnerIfFail":   "InnerCheck",
			"InnerElseFail": "Evaluate InnerCheck",
			"DeepestCheck":  "MiddleCheck",
			"DeepestFail":   "DeepestCheck",
			"TopElseFail":   "TopCheck",
		}},
		{"model-repack-register.json", map[string]string{
			"RegisterRepacked-RepackModel-0":      "Train",
			"RegisterRepacked-RegisterModel":      "RegisterRepacked-RepackModel-0",
			"RegisterPipelineModel-RegisterModel": "Train RegisterRepacked-RepackModel-0 RegisterRepacked-RegisterModel",
			"AfterRegister":                       "RegisterRepacked-RepackModel-0 RegisterRepacked-RegisterModel RegisterPipelineModel-RegisterModel",
		}},
		{"lambda-callback.json", map[string]string{
			"ManualApproval":  "LambdaPrepare",
			"CheckLambda":     "LambdaPrepare ManualApproval",
			"ProcessApproved": "LambdaPrepare ManualApproval CheckLambda",
			"LambdaInvalid":   "LambdaPrepare CheckLambda",
		}},
		{"quality-clarify-checks.json", map[string]string{
			"ModelQualityCheck": "DataQualityCheck",
			"ModelBiasCheck":    "DataBiasCheck",
		}},
		{"tuning.json", map[string]string{
			"BestModel-CreateModel": "HPTuning",
			"ReportBest":            "HPTuning MultiAlgoTuning",
		}},
		{"execution-variables-join.json", map[string]string{
			"CheckRows": "Featurize",
			"Consume":   "Featurize CheckRows",
			"NoRows":    "CheckRows",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d, err := Parse(fx[tt.file], ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for step, want := range tt.deps {
				if got := strings.Join(d.Dependencies(step), " "); got != want {
					t.Errorf("Dependencies(%s) = %q, want %q", step, got, want)
				}
			}
		})
	}
}

func TestBranch(t *testing.T) {
	d, err := Parse(fixtures(t)["conditions-all.json"], ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		step   string
		cond   string
		ifSide bool
		ok     bool
	}{
		{"Evaluate", "", false, false},
		{"TopCheck", "", false, false},
		{"MiddleCheck", "TopCheck", true, true},
		{"InnerCheck", "MiddleCheck", true, true},
		{"InnerIfFail", "InnerCheck", true, true},
		{"InnerElseFail", "InnerCheck", false, true},
		{"DeepestCheck", "MiddleCheck", false, true},
		{"DeepestFail", "DeepestCheck", true, true},
		{"TopElseFail", "TopCheck", false, true},
		{"Unknown", "", false, false},
	}
	for _, tt := range tests {
		cond, ifSide, ok := d.Branch(tt.step)
		if cond != tt.cond || ifSide != tt.ifSide || ok != tt.ok {
			t.Errorf("Branch(%s) = %q, %v, %v; want %q, %v, %v", tt.step, cond, ifSide, ok, tt.cond, tt.ifSide, tt.ok)
		}
	}
	if got := strings.Join(d.Dependents("MiddleCheck"), " "); got != "InnerCheck DeepestCheck" {
		t.Errorf("Dependents(MiddleCheck) = %q", got)
	}
	if d.Dependencies("Unknown") != nil {
		t.Error("Dependencies of an unknown step")
	}
}

func TestTopologicalOrder(t *testing.T) {
	fx := fixtures(t)
	tests := []struct {
		file, want string
	}{
		{"function-step.json", "load train ScoreCheck report LowScore"},
		{"abalone-canonical.json", "AbaloneProcess AbaloneTrain AbaloneEval AbaloneMSECond AbaloneRegisterModel-RegisterModel AbaloneCreateModel-CreateModel AbaloneTransform AbaloneMSEFail"},
		{"retry-cache-dependson.json", "StepA StepB StepC StepD"},
	}
	for _, tt := range tests {
		d, err := Parse(fx[tt.file], ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(d.TopologicalOrder(), " "); got != tt.want {
			t.Errorf("%s: order %q, want %q", tt.file, got, tt.want)
		}
	}
	// Document order breaks ties; dependencies come first.
	d := mustParse(t, doc("", failStep("Z", `"DependsOn": ["B"]`), failStep("A", ""), failStep("B", `"DependsOn": ["A"]`), failStep("C", "")))
	if got := strings.Join(d.TopologicalOrder(), " "); got != "A B Z C" {
		t.Errorf("order %q, want A B Z C", got)
	}
}

func TestDecide(t *testing.T) {
	// C decides between I (if) and E (else); N is nested in I's branch
	// condition; After depends on I; Both depends on I and E; Outside
	// depends on C through DependsOn only.
	d := mustParse(t, doc("",
		failStep("Start", ""),
		condStep("C", "", condStep("I", "", failStep("N", ""), ""), failStep("E", `"DependsOn": ["Start"]`)),
		failStep("After", `"DependsOn": ["I"]`),
		failStep("Both", `"DependsOn": ["I", "E"]`),
		failStep("Outside", `"DependsOn": ["C"]`),
	))
	type states map[string]StepState
	tests := []struct {
		name    string
		step    string
		states  states
		outcome map[string]bool
		want    Decision
	}{
		{"top-level with no dependencies", "Start", states{}, nil, Run},
		{"waits for its condition", "I", states{"C": StatePending}, nil, Wait},
		{"if branch taken", "I", states{"C": StateSucceeded}, map[string]bool{"C": true}, Run},
		{"if branch not taken", "I", states{"C": StateSucceeded}, map[string]bool{"C": false}, Skip},
		{"else branch taken", "E", states{"C": StateSucceeded, "Start": StateSucceeded}, map[string]bool{"C": false}, Run},
		{"else branch waits for DependsOn", "E", states{"C": StateSucceeded, "Start": StatePending}, map[string]bool{"C": false}, Wait},
		{"else branch not taken", "E", states{"C": StateSucceeded, "Start": StateSucceeded}, map[string]bool{"C": true}, Skip},
		{"nested in a skipped condition", "N", states{"I": StateSkipped}, nil, Skip},
		{"nested, inner if taken", "N", states{"I": StateSucceeded}, map[string]bool{"I": true}, Run},
		{"downstream of a skipped step", "After", states{"I": StateSkipped}, nil, Skip},
		{"downstream of a taken step", "After", states{"I": StateSucceeded}, nil, Run},
		{"downstream of both branches", "Both", states{"I": StateSucceeded, "E": StateSkipped}, nil, Skip},
		{"downstream of both branches, one pending", "Both", states{"I": StatePending, "E": StateSkipped}, nil, Skip},
		{"failed dependency", "Both", states{"I": StateFailed, "E": StateSkipped}, nil, Blocked},
		{"depends on condition, false outcome", "Outside", states{"C": StateSucceeded}, map[string]bool{"C": false}, Run},
		{"depends on failed condition", "Outside", states{"C": StateFailed}, nil, Blocked},
		{"unknown step", "Nope", states{}, nil, Blocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state := func(s string) StepState {
				st, ok := tt.states[s]
				if !ok {
					return StateSucceeded
				}
				return st
			}
			outcome := func(c string) bool {
				o, ok := tt.outcome[c]
				if !ok {
					t.Fatalf("outcome of %s asked", c)
				}
				return o
			}
			if got := d.Decide(tt.step, state, outcome); got != tt.want {
				t.Errorf("Decide(%s) = %v, want %v", tt.step, got, tt.want)
			}
		})
	}
}

func TestStateNames(t *testing.T) {
	got := []string{StatePending.String(), StateSucceeded.String(), StateFailed.String(), StateSkipped.String(), StepState(9).String(),
		Wait.String(), Run.String(), Skip.String(), Blocked.String(), Decision(9).String()}
	want := "Pending Succeeded Failed Skipped StepState(9) Wait Run Skip Blocked Decision(9)"
	if strings.Join(got, " ") != want {
		t.Errorf("names %v", got)
	}
}
