package awsproto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
)

// Protocol names an AWS wire protocol.
type Protocol string

// The protocols Cairn serves.
const (
	JSON10   Protocol = "awsJson1_0"
	JSON11   Protocol = "awsJson1_1"
	Query    Protocol = "awsQuery"
	RestJSON Protocol = "restJson1"
	RestXML  Protocol = "restXml"
)

// Service is one AWS service as the protocol layer sees it: how requests name it and its
// operations, and how its errors are spelled.
type Service struct {
	// Name is the SigV4 signing name and the IAM action prefix ("sts", "organizations").
	Name     string
	Protocol Protocol
	// TargetPrefix is the X-Amz-Target prefix of awsJson services.
	TargetPrefix string
	// Version is the API version of awsQuery services ("2011-06-15").
	Version string
	// XMLNamespace is the xmlns of awsQuery and restXml documents.
	XMLNamespace string
	// Global services (IAM, Organizations) are signed for us-east-1 whatever the region.
	Global bool
	// Streaming services (S3) receive the request body as a verified stream (Call.Stream)
	// instead of a buffered Call.Body.
	Streaming bool
	// VirtualHost, for REST services, returns a leading path segment the request's Host
	// carries (S3's virtual-hosted-style bucket), or "".
	VirtualHost func(r *http.Request) string
	// Subresources lists the query keys that select a REST operation (S3's ?acl,
	// ?tagging): a request carrying one matches only a route that names it.
	Subresources []string
	// CheckBody, for streaming services, checks a request document read from the stream
	// against the integrity headers or trailers that came with it (Content-MD5,
	// x-amz-checksum-*) before it is decoded.
	CheckBody func(r *http.Request, body []byte, trailer http.Header) error
	// ValidationCode is the code of malformed-input errors ("ValidationError",
	// "ValidationException", "InvalidInputException").
	ValidationCode string
	// AccessDeniedCode is the code of authorization failures ("AccessDenied",
	// "AccessDeniedException").
	AccessDeniedCode string

	ops    map[string]*Operation
	routes []*route
	codec  codec
}

// NewService indexes the operations of svc and returns it ready to serve.
func NewService(svc Service, ops ...*Operation) *Service {
	s := svc
	if s.ValidationCode == "" {
		s.ValidationCode = "ValidationException"
	}
	if s.AccessDeniedCode == "" {
		s.AccessDeniedCode = "AccessDeniedException"
	}
	s.ops = make(map[string]*Operation, len(ops))
	for _, op := range ops {
		if op.Action == "" {
			op.Action = s.Name + ":" + op.Name
		}
		if _, dup := s.ops[op.Name]; dup {
			panic(fmt.Sprintf("awsproto: %s declares %s twice", s.Name, op.Name))
		}
		s.ops[op.Name] = op
		if op.Route.Method != "" {
			s.routes = append(s.routes, compileRoute(op))
		}
	}
	sort.SliceStable(s.routes, func(i, j int) bool { return s.routes[i].more(s.routes[j]) })
	switch s.Protocol {
	case JSON10, JSON11:
		s.codec = jsonCodec{}
	case Query:
		s.codec = queryCodec{}
	case RestJSON:
		s.codec = restCodec{json: true}
	case RestXML:
		s.codec = restCodec{}
	default:
		panic("awsproto: unknown protocol " + string(s.Protocol))
	}
	return &s
}

// Operation returns the operation named name, or nil.
func (s *Service) Operation(name string) *Operation { return s.ops[name] }

// codec is one protocol's request parser and response serializer.
type codec interface {
	// operation finds the operation a request calls.
	// REST protocols also return the URI parameters of its route.
	operation(s *Service, c *Call) (*Operation, map[string]string, error)
	// decode fills in from the request.
	decode(s *Service, params map[string]string, c *Call, in any) error
	// encode writes a successful response.
	encode(s *Service, op *Operation, w http.ResponseWriter, requestID string, out any) error
	// encodeError writes an error response.
	encodeError(s *Service, w http.ResponseWriter, requestID string, e *Error)
}

// Call is one request on its way through a service.
type Call struct {
	Request *http.Request
	Body    []byte // the buffered body; nil for streaming services
	// Stream is the verified body of a streaming service's request (see sigv4.Result.Body).
	Stream io.ReadCloser
	// Trailer returns the trailing headers of an aws-chunked Stream once it has been
	// read to io.EOF (see sigv4.Result.Trailer); nil when there are none.
	Trailer    func() http.Header
	RequestID  string
	Authorizer Authorizer
	Logger     *slog.Logger
}

// Serve runs one request through the service: find the operation, decode its input,
// authorize it, run the handler and write the response or the error.
func (s *Service) Serve(ctx context.Context, w http.ResponseWriter, c Call) {
	if err := s.serve(ctx, w, c); err != nil {
		s.WriteError(w, c.RequestID, err, c.Logger)
	}
}

func (s *Service) serve(ctx context.Context, w http.ResponseWriter, c Call) error {
	op, params, err := s.codec.operation(s, &c)
	if err != nil {
		return err
	}
	if info := RequestInfoFrom(ctx); info != nil {
		info.Operation = op.Name
	}
	in := op.newInput()
	if err := s.codec.decode(s, params, &c, in); err != nil {
		return err
	}
	out, err := s.run(ctx, c.Authorizer, op, in)
	if err != nil {
		return err
	}
	return s.codec.encode(s, op, w, c.RequestID, out)
}

// Invoke runs operation name with a typed input on behalf of the principal in ctx, through
// the same validation and authorization a request on the wire gets. Services use it to act
// for a principal (a pipeline step creating its job as the execution role).
func (s *Service) Invoke(ctx context.Context, authz Authorizer, name string, in any) (any, error) {
	op := s.ops[name]
	if op == nil {
		return nil, fmt.Errorf("awsproto: %s has no operation %s", s.Name, name)
	}
	return s.run(ctx, authz, op, in)
}

// InvokeJSON is Invoke with the input and output as JSON documents, as an awsJson client
// sends and receives them. Callers that build requests from data (a pipeline step's
// Arguments) use it instead of typed inputs.
func (s *Service) InvokeJSON(ctx context.Context, authz Authorizer, name string, input []byte) ([]byte, error) {
	op := s.ops[name]
	if op == nil {
		return nil, fmt.Errorf("awsproto: %s has no operation %s", s.Name, name)
	}
	in := op.newInput()
	if err := decodeJSON(input, in); err != nil {
		return nil, err
	}
	out, err := s.run(ctx, authz, op, in)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// run validates a decoded input, authorizes it and calls the handler.
func (s *Service) run(ctx context.Context, authz Authorizer, op *Operation, in any) (any, error) {
	if err := checkRequired(s, in); err != nil {
		return nil, err
	}
	if v, ok := in.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return nil, err
		}
	}
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

// WriteError renders err in the service's protocol. An error that is not an *Error is
// logged and becomes InternalFailure: internals never reach the client.
func (s *Service) WriteError(w http.ResponseWriter, requestID string, err error, log *slog.Logger) {
	var e *Error
	if !errors.As(err, &e) {
		if log != nil {
			log.Error("request failed", "request_id", requestID, "service", s.Name, "err", err)
		}
		e = ErrInternal
	}
	s.codec.encodeError(s, w, requestID, e)
}

// validationf returns the service's validation error.
func (s *Service) validationf(format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, s.ValidationCode, format, args...)
}

// AccessDenied returns the service's authorization failure with message.
func (s *Service) AccessDenied(message string) *Error {
	status := http.StatusForbidden
	if s.Protocol == JSON10 || s.Protocol == JSON11 {
		status = http.StatusBadRequest
	}
	return &Error{Code: s.AccessDeniedCode, Status: status, Message: message}
}

// lowerFirst turns a member name into the form AWS uses in validation messages.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
