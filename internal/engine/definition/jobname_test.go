package definition

import (
	"errors"
	"strings"
	"testing"
)

func TestJobNamePrefix(t *testing.T) {
	d, err := Parse(fixtures(t)["job-prefix.json"], ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for step, want := range map[string]string{"PrefixedProcess": "my-custom-proc", "PrefixedTrain": "my-custom-train", "DefaultNamedProcess": "proc"} {
		if got, ok := d.Step(step).JobNamePrefix(); !ok || got != want {
			t.Errorf("%s prefix = %q, %v; want %q", step, got, ok, want)
		}
	}
	d, err = Parse(fixtures(t)["abalone-canonical.json"], ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Steps() {
		if p, ok := s.JobNamePrefix(); ok {
			t.Errorf("%s has prefix %q", s.Name, p)
		}
	}
}

func TestPrefixLimits(t *testing.T) {
	want := map[string]int{
		"Processing": 36, "QualityCheck": 36, "ClarifyCheck": 36, "Training": 36, "Transform": 36,
		"Model": 36, "RegisterModel": 36, "Tuning": 5, "AutoML": 5,
	}
	got := PrefixLimits()
	if len(got) != len(want) {
		t.Errorf("PrefixLimits() = %v", got)
	}
	for typ, n := range want {
		if got[typ] != n {
			t.Errorf("limit for %s = %d, want %d", typ, got[typ], n)
		}
	}
	if JobNameSuffixLength != 27 {
		t.Errorf("suffix length %d", JobNameSuffixLength)
	}
	if _, _, ok := JobNameField("Condition"); ok {
		t.Error("Condition steps have a job-name field")
	}
	// A name built with the longest prefix, the longest attempt, fits.
	for typ, limit := range got {
		_, max, _ := JobNameField(typ)
		name := CustomJobName(strings.Repeat("p", limit), "kytlemm1lvpq", "cIpzShs3Qp", MaxJobAttempts)
		if len(name) != max || !validJobName(name) {
			t.Errorf("%s: %q is %d characters, want %d", typ, name, len(name), max)
		}
	}
}

func TestValidatePrefixes(t *testing.T) {
	train := func(prefix string) string {
		return `{"Name": "Train", "Type": "Training", "Arguments": {"TrainingJobName": ` + prefix + `}}`
	}
	tests := []struct {
		name string
		step string
		err  string
	}{
		{"at the limit", train(`"` + strings.Repeat("a", 36) + `"`), ""},
		{"no prefix", `{"Name": "Train", "Type": "Training", "Arguments": {}}`, ""},
		{"computed prefix", train(`{"Get": "Execution.PipelineName"}`), ""},
		{"type without a limit", `{"Name": "L", "Type": "Lambda", "Arguments": {"TrainingJobName": "` + strings.Repeat("a", 80) + `"}}`, ""},
		{"too long", train(`"` + strings.Repeat("a", 37) + `"`),
			`Step "Train" has job name prefix "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" (TrainingJobName) of 37 characters; the maximum for Training steps is 36 (TrainingJobName is at most 63 characters, and the name adds -<execution id>-<token>-<attempt>, 27 characters).`},
		{"tuning", `{"Name": "Tune", "Type": "Tuning", "Arguments": {"HyperParameterTuningJobName": "tuner"}}`, ""},
		{"tuning too long", `{"Name": "Tune", "Type": "Tuning", "Arguments": {"HyperParameterTuningJobName": "tuner1"}}`, "the maximum for Tuning steps is 5"},
		{"bad characters", train(`"my_prefix"`), `Step "Train" has job name prefix "my_prefix" (TrainingJobName), which is not valid`},
		{"trailing hyphen", train(`"prefix-"`), "which is not valid"},
		{"empty", train(`""`), "which is not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, doc("", tt.step))
			err := d.ValidatePrefixes(PrefixLimits())
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var perr *Error
			if !errors.As(err, &perr) || !strings.Contains(perr.Message, tt.err) || perr.Step == "" {
				t.Fatalf("ValidatePrefixes = %v, want an *Error containing %q", err, tt.err)
			}
		})
	}
}

func TestJobNames(t *testing.T) {
	if got := DefaultJobName("kytlemm1lvpq", "PreprocessingStep", "cIpzShs3Qp"); got != "pipelines-kytlemm1lvpq-PreprocessingStep-cIpzShs3Qp" {
		t.Errorf("DefaultJobName = %q", got)
	}
	got := DefaultJobName("kytlemm1lvpq", "A_very_long_step_name_indeed", "cIpzShs3Qp")
	if got != "pipelines-kytlemm1lvpq-A-very-long-step-nam-cIpzShs3Qp" || !validJobName(got) || len(got) > 63 {
		t.Errorf("DefaultJobName = %q", got)
	}
	if got := CustomJobName("my-custom-proc", "kytlemm1lvpq", "cIpzShs3Qp", 1); got != "my-custom-proc-kytlemm1lvpq-cIpzShs3Qp-1" {
		t.Errorf("CustomJobName = %q", got)
	}
}
