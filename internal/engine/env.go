package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/engine/definition"
)

// maxJSONFile bounds a property file read by Std:JsonGet.
const maxJSONFile = 16 << 20

// env is what expressions of one execution resolve against.
type env struct {
	e       *Engine
	ctx     context.Context
	r       *run
	params  map[string]any
	jobName string // the job being created, for Execution.ProcessingJobName and friends
}

var _ definition.Env = (*env)(nil)

func (e *Engine) newEnv(ctx context.Context, r *run) *env {
	overrides := make([]definition.Override, len(r.exec.Parameters))
	for i, p := range r.exec.Parameters {
		overrides[i] = definition.Override{Name: p.Name, Value: p.Value}
	}
	params, _ := r.def.ResolveParameters(overrides)
	return &env{e: e, ctx: ctx, r: r, params: params}
}

func (v *env) Parameter(name string) (any, bool) {
	p, ok := v.params[name]
	return p, ok
}

func (v *env) StepProperties(step string) (any, bool) {
	st := v.r.steps[step]
	if st == nil || st.Properties == "" {
		return nil, false
	}
	// Numbers keep their text, so an integer property (a model package's version) joins
	// as "1", not "1.0".
	dec := json.NewDecoder(strings.NewReader(st.Properties))
	dec.UseNumber()
	var props any
	if err := dec.Decode(&props); err != nil {
		return nil, false
	}
	return props, true
}

// timeFormat is how execution times render.
const timeFormat = "2006-01-02T15:04:05.000Z"

func (v *env) Execution(name string) (string, bool) {
	x := v.r.exec
	switch name {
	case "PipelineName":
		return x.PipelineName, true
	case "PipelineArn":
		return x.PipelineARN, true
	case "PipelineExecutionId":
		return x.ID, true
	case "PipelineExecutionArn":
		return x.ARN, true
	case "StartDateTime":
		return x.CreatedAt.UTC().Format(timeFormat), true
	case "CurrentDateTime":
		return v.e.opts.Now().UTC().Format(timeFormat), true
	case "TrainingJobName", "ProcessingJobName":
		return v.jobName, v.jobName != ""
	}
	return "", false
}

func (v *env) ExperimentConfig(name string) (string, bool) {
	switch name {
	case "ExperimentName":
		return v.r.exec.ExperimentName, v.r.exec.ExperimentName != ""
	case "TrialName":
		return v.r.exec.TrialName, v.r.exec.TrialName != ""
	}
	return "", false
}

// ReadJSON reads an object as the pipeline's execution role.
func (v *env) ReadJSON(uri string) ([]byte, error) {
	bucket, key, ok := strings.Cut(strings.TrimPrefix(uri, "s3://"), "/")
	if !strings.HasPrefix(uri, "s3://") || !ok || bucket == "" || key == "" {
		return nil, fmt.Errorf("%q is not an s3:// URI of an object", uri)
	}
	principal, err := v.e.executionRole(v.ctx, v.r.exec)
	if err != nil {
		return nil, err
	}
	body, err := v.e.opts.Objects.GetObject(auth.WithPrincipal(v.ctx, principal), bucket, key, "")
	if err != nil {
		return nil, err
	}
	defer body.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(body, maxJSONFile+1)); err != nil {
		return nil, err
	}
	if buf.Len() > maxJSONFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", uri, maxJSONFile)
	}
	return buf.Bytes(), nil
}
