package server

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/sigv4"
)

// healthPath answers without authentication.
const healthPath = "/_cairn/health"

// ServeHTTP runs one request: request id, recovery, access log, then the AWS path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == healthPath && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`+"\n")
		return
	}
	if s.isConsole(r) {
		s.serveConsole(w, r)
		return
	}
	start := time.Now()
	id := s.ids.next()
	rec := &statusRecorder{ResponseWriter: w}
	info := &operation.RequestInfo{ID: id, Received: s.opts.Now(), Region: s.opts.Region,
		SourceIP: sourceIP(r), Secure: r.TLS != nil, UserAgent: r.UserAgent()}
	ctx := operation.WithRequestInfo(r.Context(), info)
	// The body is wrapped on a copy of the request: net/http decides from the type of its
	// own request's body whether to drain what the handler left unread.
	req := r.WithContext(ctx)
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = newMinRateBody(req.Body, http.NewResponseController(rec), s.opts.MinBodyRate, s.opts.BodyGrace)
	}
	var principal *auth.Principal
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("handler panic", "request_id", id, "service", info.Service, "operation", info.Operation,
				"panic", v, "stack", string(debug.Stack()))
			if !rec.wrote {
				s.writeError(rec, r, info.Service, id, operation.ErrInternal)
			}
		}
		if s.log.Enabled(ctx, slog.LevelDebug) {
			attrs := []slog.Attr{slog.String("request_id", id), slog.String("method", r.Method),
				slog.String("service", info.Service), slog.String("operation", info.Operation),
				slog.Int("status", rec.status), slog.Duration("duration", time.Since(start))}
			if principal != nil {
				attrs = append(attrs, slog.String("principal", principal.ARN))
			}
			s.log.LogAttrs(ctx, slog.LevelDebug, "request", attrs...)
		}
	}()
	if strings.HasPrefix(r.URL.Path, cairnPrefix) {
		principal = s.serveCairn(ctx, rec, req, info)
		return
	}
	principal = s.serveAWS(ctx, rec, req, info)
}

// serveAWS authenticates r, finds its service and hands it over; it returns the principal
// for the access log.
func (s *Server) serveAWS(ctx context.Context, w http.ResponseWriter, r *http.Request, info *operation.RequestInfo) *auth.Principal {
	sig, sigErr := sigv4.Parse(r)
	svc := s.serviceFor(r, sig)
	if svc == nil {
		name := "unknown"
		if sig != nil {
			name = sig.Scope.Service
		}
		closeAfter(w)
		s.writeError(w, r, "", info.ID, operation.Errorf(http.StatusBadRequest, "UnknownServiceException",
			"Cairn does not serve the service %q at this endpoint.", name))
		return nil
	}
	info.Service = svc.Name
	if sigErr == nil {
		info.SignatureVersion, info.AuthType = sigv4.Algorithm, "REST-HEADER"
		if sig.V2 {
			info.SignatureVersion = "AWS"
		}
		if sig.Presigned {
			info.AuthType = "REST-QUERY-STRING"
		}
	}
	// A body is read only once its request's headers are authenticated, and every refusal
	// closes the connection rather than wait for a body that may never come.
	principal, verified, body, err := s.authenticate(ctx, r, svc, sig, sigErr)
	if body != nil && svc.CopiesBody() {
		// The codec copies every member out of a JSON document, so once the answer is
		// written the buffer serves the next request.
		defer putBodyBuffer(body)
	}
	if err != nil {
		closeAfter(w)
		svc.WriteError(w, info.ID, err, s.log)
		return nil
	}
	ctx = auth.WithPrincipal(ctx, principal)
	call := awsproto.Call{Request: r, Body: body, RequestID: info.ID, Authorizer: s.authorizer, Logger: s.log}
	if svc.Streaming {
		call.Stream = &streamBody{ReadCloser: verified.Body, svc: svc}
		call.Trailer = verified.Trailer
	}
	svc.Serve(ctx, w, call)
	return principal
}

// authenticate finds who signed r: the headers first, then (for the protocols whose body is
// buffered) the body, bounded by MaxBodyBytes, the minimum rate and the cap on bodies read
// unauthenticated, and the signature over it.
func (s *Server) authenticate(ctx context.Context, r *http.Request, svc *awsproto.Service, sig *sigv4.Signature, sigErr error) (*auth.Principal, *sigv4.Result, []byte, error) {
	if sigErr != nil {
		return nil, nil, nil, authError(svc, sigErr)
	}
	if sig.V2 && svc.VirtualHost != nil {
		// S3's SigV2 signs the bucket of a virtual-hosted-style request.
		sig.VirtualBucket = svc.VirtualHost(r)
	}
	if !svc.Global && !sig.V2 && sig.Scope.Region != s.opts.Region {
		return nil, nil, nil, authError(svc, &sigv4.Error{Code: sigv4.SignatureDoesNotMatch,
			Message: "Credential should be scoped to a valid region, not '" + sig.Scope.Region + "'. This endpoint serves '" + s.opts.Region + "'."})
	}
	if svc.Streaming {
		// The body is streamed to the handler: its signature (or the declared hash of a
		// streamed body, checked at its end) is verified on the headers alone.
		principal, verified, err := s.authn.Authenticate(ctx, r, sig, nil)
		if err != nil {
			return nil, nil, nil, authError(svc, err)
		}
		return principal, verified, nil, nil
	}
	if err := s.authn.AuthenticateHeaders(ctx, r, sig); err != nil {
		return nil, nil, nil, authError(svc, err)
	}
	// Until the signature over it is checked, a body is read in one of a bounded
	// number of slots: clients that know an access key ID but not its secret cannot
	// hold more bodies open than that.
	if !s.unauth.acquire() {
		return nil, nil, nil, errBusy()
	}
	body, err := s.readBody(r)
	if err != nil {
		s.unauth.release()
		return nil, nil, nil, err
	}
	principal, verified, err := s.authn.Authenticate(ctx, r, sig, body)
	s.unauth.release()
	if err != nil {
		return nil, nil, body, authError(svc, err)
	}
	return principal, verified, body, nil
}

// serviceFor picks the service a request is for: the SigV4 scope's service, else (for an
// unsigned request, to answer in the right shape) the X-Amz-Target prefix or the query
// Action.
func (s *Server) serviceFor(r *http.Request, sig *sigv4.Signature) *awsproto.Service {
	if sig != nil {
		return s.bySigning[sig.Scope.Service]
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		prefix, _, _ := strings.Cut(target, ".")
		return s.byTarget[prefix]
	}
	if r.URL.Query().Get("Action") != "" || strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return s.bySigning["sts"]
	}
	// Anything else unsigned is taken for an anonymous S3 request (a browser, curl).
	return s.bySigning["s3"]
}

// streamBody is the verified body of a streaming request: an authentication failure found
// while reading it (a bad chunk signature, a payload hash mismatch) reaches the service as
// its protocol's error.
type streamBody struct {
	io.ReadCloser
	svc *awsproto.Service
}

func (b *streamBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = authError(b.svc, err)
	}
	return n, err
}

// preallocatedBody is the largest declared body length read into a buffer allocated before
// the body arrives.
const preallocatedBody = 64 << 10

// bodyBuffers keep the buffers of request bodies up to preallocatedBody for the next
// request, when the service's codec copies what it needs out of them.
var bodyBuffers sync.Pool

// getBodyBuffer returns a buffer of n bytes, from the pool when the one there is large
// enough.
func getBodyBuffer(n int) []byte {
	if p, ok := bodyBuffers.Get().(*[]byte); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]byte, n)
}

// putBodyBuffer gives b back to the pool; nothing may read it afterwards.
func putBodyBuffer(b []byte) {
	if cap(b) > 0 && cap(b) <= preallocatedBody {
		bodyBuffers.Put(&b)
	}
}

// readBody buffers the body of a non-streaming request, bounded by MaxBodyBytes.
func (s *Server) readBody(r *http.Request) ([]byte, error) {
	limit := s.opts.MaxBodyBytes
	tooLarge := func() error {
		return operation.Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"The request body exceeds the maximum of %d bytes.", limit)
	}
	if r.ContentLength > limit {
		return nil, tooLarge()
	}
	var body []byte
	var err error
	if r.ContentLength > 0 && r.ContentLength <= preallocatedBody {
		// The length is known (net/http ends the body there): one buffer of that size,
		// not io.ReadAll's doubling copies of a 4 KiB KMS blob. Only a small body is
		// allocated before it arrives, so that a declared length costs nothing unsent.
		body = getBodyBuffer(int(r.ContentLength))
		_, err = io.ReadFull(r.Body, body)
	} else {
		body, err = io.ReadAll(io.LimitReader(r.Body, limit+1))
	}
	if err != nil {
		var e *operation.Error
		if errors.As(err, &e) {
			return nil, e
		}
		s.log.Info("request body not read", "request_id", operation.RequestInfoFrom(r.Context()).ID, "err", err)
		return nil, operation.Errorf(http.StatusBadRequest, "IncompleteBody", "The request body could not be read.")
	}
	if int64(len(body)) > limit {
		// A little more is read, so that a client whose body ends just past the limit
		// reads the answer rather than a connection reset under it (net/http drains its
		// own refusals the same way); a body that goes on is cut off after that.
		io.CopyN(io.Discard, r.Body, overLimitDrain)
		return nil, tooLarge()
	}
	return body, nil
}

// overLimitDrain is how much of a body past the limit is read before it is refused.
const overLimitDrain = 64 << 10

// writeError answers with an error in the shape of the named service, or awsJson's when the
// service is unknown.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, service, id string, e *operation.Error) {
	if svc := s.bySigning[service]; svc != nil {
		svc.WriteError(w, id, e, s.log)
		return
	}
	awsproto.WriteJSONError(w, id, e)
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// statusRecorder remembers the status written, for the access log and panic recovery.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// requestIDs issues request IDs shaped like AWS's (a UUID): a random prefix per process
// and a counter, so they are unique without a syscall per request.
type requestIDs struct {
	prefix [8]byte
	n      atomic.Uint64
}

func newRequestIDs(random io.Reader) *requestIDs {
	ids := &requestIDs{}
	io.ReadFull(random, ids.prefix[:])
	return ids
}

func (g *requestIDs) next() string {
	var raw [16]byte
	copy(raw[:8], g.prefix[:])
	n := g.n.Add(1)
	for i := 0; i < 8; i++ {
		raw[15-i] = byte(n >> (8 * i))
	}
	var out [36]byte
	hex.Encode(out[0:8], raw[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], raw[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], raw[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], raw[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], raw[10:16])
	return string(out[:])
}
