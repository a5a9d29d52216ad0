package definition

import (
	"fmt"
	"strings"
)

// refKind says what a {"Get": "..."} expression refers to.
type refKind int

const (
	refParameter refKind = iota + 1
	refExecution
	refExperiment
	refStep
)

// A ref is a parsed {"Get": "..."} path.
type ref struct {
	kind refKind
	// name is the parameter, the execution variable, the experiment
	// config field or the step.
	name string
	// path is the property path below a step; propertyFile is set instead
	// for "Steps.S.PropertyFiles.N".
	path         []segment
	pathText     string
	propertyFile string
}

// executionVariableList names the variables {"Get": "Execution.X"} may use.
const executionVariableList = "StartDateTime, CurrentDateTime, PipelineName, PipelineArn, " +
	"PipelineExecutionId, PipelineExecutionArn, TrainingJobName, ProcessingJobName"

func isExecutionVariable(name string) bool {
	switch name {
	case "StartDateTime", "CurrentDateTime", "PipelineName", "PipelineArn",
		"PipelineExecutionId", "PipelineExecutionArn", "TrainingJobName", "ProcessingJobName":
		return true
	}
	return false
}

// parseGet parses the value of a Get: "Parameters.X", "Execution.X",
// "PipelineExperimentConfig.ExperimentName|TrialName" or
// "Steps.S.<property path>" (with "Steps.S.PropertyFiles.N" naming a
// property file). It checks the form only, not that the names exist.
func parseGet(s string) (ref, error) {
	root, rest, ok := strings.Cut(s, ".")
	if !ok || rest == "" {
		return ref{}, fmt.Errorf("%q is not a reference; use Parameters.<name>, Steps.<step>.<property>, Execution.<variable> or PipelineExperimentConfig.<field>", s)
	}
	switch root {
	case "Parameters":
		if !validName(rest, 64) {
			return ref{}, fmt.Errorf("%q does not name a parameter", s)
		}
		return ref{kind: refParameter, name: rest}, nil
	case "Execution":
		if !isExecutionVariable(rest) {
			return ref{}, fmt.Errorf("%q is not an execution variable; valid variables: %s", rest, executionVariableList)
		}
		return ref{kind: refExecution, name: rest}, nil
	case "PipelineExperimentConfig":
		if rest != "ExperimentName" && rest != "TrialName" {
			return ref{}, fmt.Errorf("%q is not a PipelineExperimentConfig property; use ExperimentName or TrialName", rest)
		}
		return ref{kind: refExperiment, name: rest}, nil
	case "Steps":
		step, path, ok := strings.Cut(rest, ".")
		if !ok || path == "" {
			return ref{}, fmt.Errorf("%q names no property of step %q", s, step)
		}
		if !validName(step, 64) {
			return ref{}, fmt.Errorf("%q does not name a step", s)
		}
		if pf, ok := strings.CutPrefix(path, "PropertyFiles."); ok {
			if pf == "" || strings.ContainsAny(pf, ".[]") {
				return ref{}, fmt.Errorf("%q does not name a property file", s)
			}
			return ref{kind: refStep, name: step, propertyFile: pf}, nil
		}
		segs, err := parsePath(path, false)
		if err != nil {
			return ref{}, fmt.Errorf("property path %q of step %s: %v", path, step, err)
		}
		if segs[0].isIndex || segs[0].quoted {
			return ref{}, fmt.Errorf("property path %q of step %s must start with a property name", path, step)
		}
		return ref{kind: refStep, name: step, path: segs, pathText: path}, nil
	}
	return ref{}, fmt.Errorf("%q is not a reference; use Parameters.<name>, Steps.<step>.<property>, Execution.<variable> or PipelineExperimentConfig.<field>", s)
}

// validName reports whether s matches ^[A-Za-z0-9\-_]{1,max}$, the pattern
// of step and parameter names (max 64) and Metadata keys (max 128).
func validName(s string, max int) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
