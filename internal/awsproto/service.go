package awsproto

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sort"

	"github.com/cairnhq/cairn/internal/operation"
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

	model  *operation.Service
	routes []*route
	codec  codec
	quirks quirks
}

// NewService indexes the operations of svc and returns it ready to serve.
func NewService(svc Service, ops ...*operation.Operation) *Service {
	s := svc
	q, ok := protocolQuirks[s.Protocol]
	if !ok {
		panic("awsproto: unknown protocol " + string(s.Protocol))
	}
	s.quirks = q
	s.model = operation.NewService(operation.Service{Name: s.Name, ValidationCode: s.ValidationCode,
		AccessDeniedCode: s.AccessDeniedCode, AccessDeniedStatus: q.accessDeniedStatus}, ops...)
	s.ValidationCode, s.AccessDeniedCode = s.model.ValidationCode, s.model.AccessDeniedCode
	for _, op := range ops {
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

// Operations returns the service's operations as the protocol-free model, for callers that
// invoke them in process (Invoke) rather than over the wire.
func (s *Service) Operations() *operation.Service { return s.model }

// Operation returns the operation named name, or nil.
func (s *Service) Operation(name string) *Operation { return s.model.Operation(name) }

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

// CopiesBody reports whether decoding a request copies every member out of Call.Body, so
// that the buffer may be reused once Serve returns: true of the awsJson protocols.
func (s *Service) CopiesBody() bool { return s.Protocol == JSON10 || s.Protocol == JSON11 }

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
	if info := operation.RequestInfoFrom(ctx); info != nil {
		info.Operation = op.Name
	}
	in := op.NewInput()
	if err := s.codec.decode(s, params, &c, in); err != nil {
		return err
	}
	out, err := s.model.Run(ctx, c.Authorizer, op, in)
	if err != nil {
		return err
	}
	return s.codec.encode(s, op, w, c.RequestID, out)
}

// WriteError renders err in the service's protocol. An error that is not an *Error is
// logged and becomes InternalFailure: internals never reach the client.
func (s *Service) WriteError(w http.ResponseWriter, requestID string, err error, log *slog.Logger) {
	var e *Error
	if !errors.As(err, &e) {
		if log != nil {
			log.Error("request failed", "request_id", requestID, "service", s.Name, "err", err)
		}
		e = operation.ErrInternal
	}
	s.codec.encodeError(s, w, requestID, e)
}

// validationf returns the service's validation error.
func (s *Service) validationf(format string, args ...any) *Error {
	return s.model.Validation(format, args...)
}

// The operation model's types, as the codecs name them.
type (
	// Operation is a declared operation.
	Operation = operation.Operation
	// Error is an AWS error.
	Error = operation.Error
	// Authorizer authorizes an operation's access.
	Authorizer = operation.Authorizer
)
