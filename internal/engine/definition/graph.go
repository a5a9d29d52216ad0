package definition

import (
	"container/heap"
	"strconv"
	"strings"
)

// buildOrder checks that the dependency graph has no cycle and computes a
// topological order. Among steps that are ready at the same time, the one
// earlier in the document comes first.
func (d *Definition) buildOrder() error {
	n := len(d.steps)
	// Cycle detection by depth-first search, iteratively.
	const (
		white = iota
		grey
		black
	)
	color := make([]int, n)
	for _, root := range d.steps {
		if color[root.index] != white {
			continue
		}
		type frame struct {
			s    *Step
			next int
		}
		stack := []frame{{s: root}}
		color[root.index] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == len(top.s.deps) {
				color[top.s.index] = black
				stack = stack[:len(stack)-1]
				continue
			}
			dep := d.byName[top.s.deps[top.next]]
			top.next++
			switch color[dep.index] {
			case white:
				color[dep.index] = grey
				stack = append(stack, frame{s: dep})
			case grey:
				// The cycle is dep -> ... -> top (each depends on the next
				// one down the stack) -> dep.
				first := len(stack) - 1
				for stack[first].s != dep {
					first--
				}
				cycle := make([]string, 0, len(stack)-first)
				for _, f := range stack[first:] {
					cycle = append(cycle, f.s.Name)
				}
				return cycleError(cycle)
			}
		}
	}
	// Kahn's algorithm, ready steps by document order.
	indegree := make([]int, n)
	dependents := make([][]int, n)
	for _, s := range d.steps {
		indegree[s.index] = len(s.deps)
		for _, dep := range s.deps {
			i := d.byName[dep].index
			dependents[i] = append(dependents[i], s.index)
		}
	}
	ready := &indexHeap{}
	for i := range n {
		if indegree[i] == 0 {
			heap.Push(ready, i)
		}
	}
	d.order = make([]string, 0, n)
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int)
		d.order = append(d.order, d.steps[i].Name)
		for _, j := range dependents[i] {
			if indegree[j]--; indegree[j] == 0 {
				heap.Push(ready, j)
			}
		}
	}
	return nil
}

// cycleError reports a cycle, given as steps each of which depends on the
// next, the last depending on the first.
func cycleError(cycle []string) *Error {
	if len(cycle) == 1 {
		return stepErrorf(cycle[0], "Step %q depends on itself.", cycle[0])
	}
	quoted := make([]string, len(cycle))
	for i, s := range cycle {
		quoted[i] = `"` + s + `"`
	}
	return stepErrorf(cycle[0], "Steps %s form a dependency cycle: %s -> %s.",
		strings.Join(quoted, ", "), strings.Join(cycle, " -> "), cycle[0])
}

type indexHeap []int

func (h indexHeap) Len() int           { return len(h) }
func (h indexHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h indexHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *indexHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *indexHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Dependencies returns the steps a step waits for, in document order: its
// DependsOn, every step its expressions reference (Steps.X in Arguments,
// in a Condition step's Conditions, in its other members, and the owner of
// every property file it reads), and, for a step in a Condition step's
// IfSteps or ElseSteps, that Condition step. It returns nil for an
// unknown step.
func (d *Definition) Dependencies(step string) []string {
	s := d.byName[step]
	if s == nil {
		return nil
	}
	return append([]string(nil), s.deps...)
}

// Dependents returns the steps that list step among their
// [Definition.Dependencies], in document order.
func (d *Definition) Dependents(step string) []string {
	var out []string
	for _, s := range d.steps {
		for _, dep := range s.deps {
			if dep == step {
				out = append(out, s.Name)
				break
			}
		}
	}
	return out
}

// Branch returns, for a step nested in a Condition step, the innermost
// Condition step that holds it and whether it is in that step's IfSteps
// (true) or ElseSteps (false). ok is false for a top-level or unknown
// step.
func (d *Definition) Branch(step string) (conditionStep string, ifBranch bool, ok bool) {
	s := d.byName[step]
	if s == nil || s.parent == nil {
		return "", false, false
	}
	return s.parent.Name, s.inIf, true
}

// TopologicalOrder returns every step such that each comes after all its
// dependencies; among steps whose dependencies are all earlier, document
// order decides.
func (d *Definition) TopologicalOrder() []string {
	return append([]string(nil), d.order...)
}

// StepState is what a scheduler knows about a step when it decides about
// the steps that depend on it.
type StepState int

// Step states.
const (
	// StatePending: the step has not finished (not started, running,
	// retrying).
	StatePending StepState = iota
	// StateSucceeded: the step succeeded. A Condition step succeeds
	// whatever its outcome.
	StateSucceeded
	// StateFailed: the step failed or was stopped.
	StateFailed
	// StateSkipped: the step did not run and will not: it is on a branch
	// not taken, or depends on a skipped step.
	StateSkipped
)

// String returns the state's name.
func (s StepState) String() string {
	switch s {
	case StatePending:
		return "Pending"
	case StateSucceeded:
		return "Succeeded"
	case StateFailed:
		return "Failed"
	case StateSkipped:
		return "Skipped"
	}
	return "StepState(" + strconv.Itoa(int(s)) + ")"
}

// Decision is what to do with a step now.
type Decision int

// Decisions.
const (
	// Wait: a dependency has not finished.
	Wait Decision = iota
	// Run: start the step.
	Run
	// Skip: the step does not run (mark it StateSkipped).
	Skip
	// Blocked: a dependency failed, so the step will never run.
	Blocked
)

// String returns the decision's name.
func (d Decision) String() string {
	switch d {
	case Wait:
		return "Wait"
	case Run:
		return "Run"
	case Skip:
		return "Skip"
	case Blocked:
		return "Blocked"
	}
	return "Decision(" + strconv.Itoa(int(d)) + ")"
}

// Decide applies the scheduling rule to a step, given the state of each
// other step and the outcome of each Condition step that succeeded:
//
//   - A step whose dependency failed is Blocked (the execution is
//     failing; this wins over the rules below).
//   - A step with a skipped dependency is skipped: a branch not taken
//     does not run, and neither does anything downstream of it — a step
//     runs only when every one of its dependencies succeeded, so a step
//     that depends on steps of both branches of a condition never runs.
//   - A step with an unfinished dependency waits.
//   - When every dependency succeeded, a step in a Condition step's
//     IfSteps runs when the outcome was true and is skipped otherwise;
//     one in ElseSteps the other way round; any other step runs.
//
// Steps that depend on a Condition step without being in its branches
// (through DependsOn or Steps.C.Outcome) run whatever the outcome.
func (d *Definition) Decide(step string, state func(step string) StepState, outcome func(conditionStep string) bool) Decision {
	s := d.byName[step]
	if s == nil {
		return Blocked
	}
	skipped, pending := false, false
	for _, dep := range s.deps {
		switch state(dep) {
		case StateFailed:
			return Blocked
		case StateSkipped:
			skipped = true
		case StatePending:
			pending = true
		}
	}
	switch {
	case skipped:
		return Skip
	case pending:
		return Wait
	case s.parent != nil && outcome(s.parent.Name) != s.inIf:
		return Skip
	}
	return Run
}
