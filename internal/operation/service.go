package operation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// Service is one AWS service as its operations see it, whatever protocol carries them: its
// name, how its validation and authorization failures are spelled, and its operations.
type Service struct {
	// Name is the SigV4 signing name and the IAM action prefix ("sts", "organizations").
	Name string
	// ValidationCode is the code of malformed-input errors ("ValidationError",
	// "ValidationException", "InvalidInputException").
	ValidationCode string
	// AccessDeniedCode is the code of authorization failures ("AccessDenied",
	// "AccessDeniedException").
	AccessDeniedCode string
	// AccessDeniedStatus is the HTTP status of authorization failures, which the protocol
	// decides (awsJson answers 400, the others 403).
	AccessDeniedStatus int

	ops   map[string]*Operation
	order []*Operation
	// shapes caches the constraints of the shapes Check validates: reflect.Type → *plan.
	shapes *sync.Map
}

// NewService returns spec with its operations indexed by name. Operations without an
// explicit IAM action get "<service>:<Name>".
func NewService(spec Service, ops ...*Operation) *Service {
	s := spec
	if s.ValidationCode == "" {
		s.ValidationCode = "ValidationException"
	}
	if s.AccessDeniedCode == "" {
		s.AccessDeniedCode = "AccessDeniedException"
	}
	if s.AccessDeniedStatus == 0 {
		s.AccessDeniedStatus = http.StatusForbidden
	}
	s.shapes = &sync.Map{}
	s.ops = make(map[string]*Operation, len(ops))
	for _, op := range ops {
		if op.Action == "" {
			op.Action = s.Name + ":" + op.Name
		}
		if _, dup := s.ops[op.Name]; dup {
			panic(fmt.Sprintf("operation: %s declares %s twice", s.Name, op.Name))
		}
		s.ops[op.Name] = op
		s.order = append(s.order, op)
	}
	return &s
}

// Operation returns the operation named name, or nil.
func (s *Service) Operation(name string) *Operation { return s.ops[name] }

// Operations returns every operation, in declaration order.
func (s *Service) Operations() []*Operation { return s.order }

// Invoke runs operation name with a typed input on behalf of the principal in ctx, through
// the same validation and authorization a request on the wire gets. Services use it to act
// for a principal (a pipeline step creating its job as the execution role).
func (s *Service) Invoke(ctx context.Context, authz Authorizer, name string, in any) (any, error) {
	op := s.ops[name]
	if op == nil {
		return nil, fmt.Errorf("operation: %s has no operation %s", s.Name, name)
	}
	return s.Run(ctx, authz, op, in)
}

// InvokeJSON is Invoke with the input and output as JSON documents in the shapes' JSON
// form. Callers that build requests from data (a pipeline step's Arguments) use it instead
// of typed inputs.
func (s *Service) InvokeJSON(ctx context.Context, authz Authorizer, name string, input []byte) ([]byte, error) {
	op := s.ops[name]
	if op == nil {
		return nil, fmt.Errorf("operation: %s has no operation %s", s.Name, name)
	}
	in := op.NewInput()
	if err := s.DecodeJSON(input, in); err != nil {
		return nil, err
	}
	out, err := s.Run(ctx, authz, op, in)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// Run validates a decoded input, authorizes it and calls the handler. A nil authz runs the
// operation without authorization (the caller has already decided).
func (s *Service) Run(ctx context.Context, authz Authorizer, op *Operation, in any) (any, error) {
	if vs := op.shape.violations(in); len(vs) > 0 {
		return nil, s.Validation("%s", ValidationMessage(vs...))
	}
	if v, ok := in.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return nil, err
		}
	}
	ctx = withAuthorizing(ctx, authz, s)
	if !op.Unauthorized && authz != nil {
		access, err := op.Access(ctx, in)
		if err != nil {
			return nil, err
		}
		if access.EachResource {
			denied, err := authorizeEach(ctx, authz, s, access)
			if err != nil {
				return nil, err
			}
			ctx = context.WithValue(ctx, deniedKey{}, denied)
		} else if err := authz.Authorize(ctx, s, access); err != nil {
			return nil, err
		}
	}
	return op.handle(ctx, in)
}

// authorizeEach authorizes every resource of a batch operation on its own and returns the
// denials by resource ARN; an error other than a denial ends the request.
func authorizeEach(ctx context.Context, authz Authorizer, s *Service, access *Access) (map[string]*Error, error) {
	denied := map[string]*Error{}
	for _, r := range access.Resources {
		one := *access
		one.Resources = []Resource{r}
		err := authz.Authorize(ctx, s, &one)
		var e *Error
		switch {
		case err == nil:
		case errors.As(err, &e) && e.Code == s.AccessDeniedCode:
			denied[r.ARN] = e
		default:
			return nil, err
		}
	}
	return denied, nil
}

type deniedKey struct{}

// Denied returns the denial of one resource of a batch operation (an Access with
// EachResource), or nil when the resource was allowed.
func Denied(ctx context.Context, resourceARN string) *Error {
	denied, _ := ctx.Value(deniedKey{}).(map[string]*Error)
	return denied[resourceARN]
}

// Validation returns the service's validation error with a formatted message.
func (s *Service) Validation(format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, s.ValidationCode, format, args...)
}

// AccessDenied returns the service's authorization failure with message.
func (s *Service) AccessDenied(message string) *Error {
	return &Error{Code: s.AccessDeniedCode, Status: s.AccessDeniedStatus, Message: message}
}

// For returns the service as another service's name would be authorized within a request
// to s: the action prefix is name, the errors are s's (iam:PassRole checked for SageMaker's
// CreateTrainingJob is denied in SageMaker's spelling).
func (s *Service) For(name string) *Service {
	return &Service{Name: name, ValidationCode: s.ValidationCode, AccessDeniedCode: s.AccessDeniedCode,
		AccessDeniedStatus: s.AccessDeniedStatus, shapes: s.shapes}
}
