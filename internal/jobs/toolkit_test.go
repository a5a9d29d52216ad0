package jobs

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	sm "github.com/cairnhq/cairn/internal/sagemaker"
)

func TestDecodeHyperParameter(t *testing.T) {
	for _, tc := range []struct {
		raw       string
		str, json string // Python's str() and the toolkit's json.dumps
	}{
		{`"train.py"`, "train.py", `"train.py"`},
		{`plain text`, "plain text", `"plain text"`},
		{`1`, "1", "1"},
		{`-0`, "0", "0"},
		{`0.5`, "0.5", "0.5"},
		{`1.0`, "1.0", "1.0"},
		{`1e3`, "1000.0", "1000.0"},
		{`1E-5`, "1e-05", "1e-05"},
		{`12345678901234567.0`, "1.2345678901234568e+16", "1.2345678901234568e+16"},
		{`1e999`, "inf", "Infinity"},
		{`true`, "True", "true"},
		{`null`, "", "null"},
		{`[1, "a", false, null]`, "[1, 'a', False, None]", `[1,"a",false,null]`},
		{`["it's"]`, `["it's"]`, `["it's"]`},
		{`{"b": 2, "a": "x"}`, "a=x,b=2", `{"a":"x","b":2}`},
		{`"héllo"`, "héllo", `"h\u00e9llo"`},
		{`"😀"`, "😀", `"\ud83d\ude00"`},
		{`1 2`, "1 2", `"1 2"`},
		{`{"a": 1} x`, `{"a": 1} x`, `"{\"a\": 1} x"`},
	} {
		v := decodeHyperParameter(tc.raw)
		args := commandArgs(map[string]any{"key": v})
		if args[1] != tc.str {
			t.Errorf("%s: argument %q, want %q", tc.raw, args[1], tc.str)
		}
		if got := pyJSON(v); got != tc.json {
			t.Errorf("%s: JSON %s, want %s", tc.raw, got, tc.json)
		}
	}
}

func TestCommandArgs(t *testing.T) {
	user, toolkit := splitHyperParameters(map[string]string{
		"epochs": "10", "lr": "0.1", "x": `"y"`, "sagemaker_program": `"train.py"`, "sagemaker_region": `"us-east-1"`,
	})
	if got, want := commandArgs(user), []string{"--epochs", "10", "--lr", "0.1", "-x", "y"}; !reflect.DeepEqual(got, want) {
		t.Errorf("arguments %q, want %q", got, want)
	}
	if len(toolkit) != 2 || toolkit["sagemaker_program"] != "train.py" {
		t.Errorf("toolkit hyperparameters %v", toolkit)
	}
	if got := envValue(user["x"]); got != "y" {
		t.Errorf("SM_HP_X=%q", got)
	}
}

func TestMergeEnv(t *testing.T) {
	got := mergeEnv([]string{"PATH=/bin", "A=1"}, []string{"B=2", "PATH=/usr/bin"}, []string{"A=3"})
	if want := []string{"PATH=/usr/bin", "A=3", "B=2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"train.sh": "train.sh", "a b": "'a b'", "it's": `'it'"'"'s'`, "": "''", "--x=1,2": "--x=1,2"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestFinalMetrics(t *testing.T) {
	log := filepath.Join(t.TempDir(), "output.log")
	os.WriteFile(log, []byte("epoch 1 loss=0.9 acc=0.5\nepoch 2 loss=0.4 acc=nan\nloss=0.3 loss=0.2\nbad loss=x\nval-rmse: 1e-3\n"), 0o644)
	at := time.Unix(1700000000, 0)
	got, err := finalMetrics(log, []sm.MetricDefinition{
		{Name: "loss", Regex: `loss=([0-9.]+)`}, {Name: "acc", Regex: `acc=(\S+)`}, {Name: "rmse", Regex: `val-rmse: (\S+)`}, {Name: "whole", Regex: `[0-9]+e-[0-9]+`}, {Name: "none", Regex: `f1=(\S+)`},
	}, at)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"loss": 0.2, "acc": 0.5, "rmse": 0.001, "whole": 0.001}
	if len(got) != len(want) {
		t.Fatalf("metrics %v", got)
	}
	for _, m := range got {
		if name := m.MetricName; m.Value != want[name] {
			t.Errorf("%s = %v, want %v", name, m.Value, want[name])
		}
	}
}

func TestFailureFile(t *testing.T) {
	dir := t.TempDir()
	if failureFile(filepath.Join(dir, "none")) != "" {
		t.Error("a missing failure file gave a reason")
	}
	long := make([]byte, 3000)
	for i := range long {
		long[i] = 'é' & 0x7f
	}
	os.WriteFile(filepath.Join(dir, "failure"), append([]byte("  \n"), long...), 0o644)
	if got := failureFile(filepath.Join(dir, "failure")); len([]rune(got)) != 1024 {
		t.Errorf("failure text of %d characters", len([]rune(got)))
	}
}
