package definition

import "fmt"

// Error reports a pipeline definition, or a set of parameter values, that
// is not valid. Its Message reads like the message of the
// ValidationException AWS returns for the same input and names the step or
// parameter and the problem, so a service can return it to a client
// unchanged.
type Error struct {
	// Step names the offending step, or is "" when the problem is not in
	// one step.
	Step string
	// Parameter names the offending parameter, or is "" when the problem
	// is not about one parameter.
	Parameter string
	// Message is the AWS-style message, such as
	// `Step "Train" depends on unknown step "Prep".`
	Message string
}

// Error returns e.Message.
func (e *Error) Error() string { return e.Message }

func docErrorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

func stepErrorf(step, format string, args ...any) *Error {
	return &Error{Step: step, Message: fmt.Sprintf(format, args...)}
}

func paramErrorf(param, format string, args ...any) *Error {
	return &Error{Parameter: param, Message: fmt.Sprintf(format, args...)}
}

// EvalError reports an expression that could not be evaluated during an
// execution: a reference to a step property that does not exist, a
// parameter without a value, a JSON file that cannot be read, operands a
// condition cannot compare. Its Error text says which expression failed and
// why, e.g. "Steps.Train.ModelArtifacts.S3ModelArtifacts: step Train has no
// property ModelArtifacts", and is meant for a step's FailureReason.
type EvalError struct {
	// Expr is the expression that failed, as written in the definition:
	// the Get path, "Std:Join", "Std:JsonGet(<file>, <path>)" or a
	// condition type.
	Expr string
	// Reason says why.
	Reason string
	// Err is the underlying error, such as the one returned by
	// [Env.ReadJSON], or nil.
	Err error
}

// Error returns "<Expr>: <Reason>".
func (e *EvalError) Error() string { return e.Expr + ": " + e.Reason }

// Unwrap returns the underlying error, if any.
func (e *EvalError) Unwrap() error { return e.Err }

func evalErrorf(expr, format string, args ...any) *EvalError {
	return &EvalError{Expr: expr, Reason: fmt.Sprintf(format, args...)}
}
