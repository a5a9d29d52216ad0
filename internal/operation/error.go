package operation

import (
	"fmt"
	"net/http"
)

// Error is an AWS error as a client sees it: a code, a message a person can act on and
// the HTTP status. Every protocol renders it in its own shape.
type Error struct {
	Code    string
	Message string
	Status  int
	// Server marks faults of the service rather than the caller (awsQuery's
	// <Type>Receiver</Type>).
	Server bool
	// Fields carries extra members some error shapes have (S3's <Key>, <BucketName>).
	Fields map[string]string
	// Header carries extra response headers (S3's x-amz-delete-marker on 404s).
	Header map[string]string
	// Denial explains an authorization failure to the server's log; clients see only
	// the message.
	Denial *Denial
}

// Denial is who was refused what, and which kind of policy decided.
type Denial struct {
	Principal string
	Action    string
	Resource  string
	// Decision is ImplicitlyDenied (nothing allowed it) or ExplicitlyDenied.
	Decision string
	// PolicyType is the kind of policy that decided: "identity-based policy",
	// "service control policy", "resource-based policy"…
	PolicyType string
	// PolicyID and Statement name the statement that denied an explicitly denied request:
	// the policy as the engine knows it (an inline policy's name, a managed policy's ARN,
	// an SCP's ID) and the statement's Sid, or its position ("#2", counted from 1) when it
	// has none. Both are "" for an implicit deny, which no statement decided.
	PolicyID, Statement string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns a client error (4xx) with a formatted message.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

// With returns a copy of e with an extra error field, as S3's <Key> or <BucketName>.
func (e *Error) With(name, value string) *Error {
	c := *e
	c.Fields = make(map[string]string, len(e.Fields)+1)
	for k, v := range e.Fields {
		c.Fields[k] = v
	}
	c.Fields[name] = value
	return &c
}

// Common errors shared by every protocol. Services declare their own beside their
// operations.
var (
	// ErrInternal is what a client sees when a handler panics or fails unexpectedly.
	ErrInternal = &Error{Code: "InternalFailure", Status: http.StatusInternalServerError, Server: true,
		Message: "The request processing has failed because of an unknown error, exception or failure."}
)
