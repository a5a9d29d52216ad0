//go:build ignore

// Trim writes model.json, the constraints of botocore's SageMaker model that the
// declarations are checked against (TestDeclaredConstraints): for every operation Cairn
// serves, the shapes its input reaches, each with only its type, members, required
// members, bounds, pattern, enumeration and sensitivity.
//
//	go run ./internal/service/sagemaker/testdata/trim.go \
//	    $(python3 -c "import botocore,os;print(os.path.dirname(botocore.__file__))")/data/sagemaker/2017-07-24/service-2.json.gz \
//	    > internal/service/sagemaker/testdata/model.json
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/cairnhq/cairn/internal/service/sagemaker"
)

type ref struct {
	Shape string `json:"shape"`
}

type shape struct {
	Type      string         `json:"type"`
	Members   map[string]ref `json:"members,omitempty"`
	Member    *ref           `json:"member,omitempty"`
	Key       *ref           `json:"key,omitempty"`
	Value     *ref           `json:"value,omitempty"`
	Required  []string       `json:"required,omitempty"`
	Min       json.Number    `json:"min,omitempty"`
	Max       json.Number    `json:"max,omitempty"`
	Pattern   string         `json:"pattern,omitempty"`
	Enum      []string       `json:"enum,omitempty"`
	Sensitive bool           `json:"sensitive,omitempty"`
}

type model struct {
	Operations map[string]struct {
		Input *ref `json:"input"`
	} `json:"operations"`
	Shapes map[string]*shape `json:"shapes"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "trim:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: trim <service-2.json.gz>")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if zr, err := gzip.NewReader(f); err == nil {
		r = zr
	} else if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	var m model
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return err
	}
	kept := map[string]*shape{}
	var keep func(name string)
	keep = func(name string) {
		s, ok := m.Shapes[name]
		if !ok || kept[name] != nil {
			return
		}
		kept[name] = s
		for _, mem := range s.Members {
			keep(mem.Shape)
		}
		for _, r := range []*ref{s.Member, s.Key, s.Value} {
			if r != nil {
				keep(r.Shape)
			}
		}
	}
	ops := map[string]string{}
	for _, op := range sagemaker.New(sagemaker.Options{}).API().Operations().Operations() {
		o, ok := m.Operations[op.Name]
		if !ok || o.Input == nil {
			return fmt.Errorf("the model has no operation %s", op.Name)
		}
		ops[op.Name] = o.Input.Shape
		keep(o.Input.Shape)
	}
	var b bytes.Buffer
	b.WriteString("{\"operations\": ")
	enc, _ := json.Marshal(ops)
	b.Write(enc)
	b.WriteString(",\n\"shapes\": {\n")
	names := make([]string, 0, len(kept))
	for n := range kept {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		enc, err := json.Marshal(kept[n])
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%q: %s", n, enc)
		if i < len(names)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}}\n")
	_, err = os.Stdout.Write(b.Bytes())
	return err
}
