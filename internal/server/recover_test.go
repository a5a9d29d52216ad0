package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/cairnhq/cairn/internal/awsproto"
)

type (
	panicInput  struct{ Kind string }
	panicOutput struct{ Status string }
)

// panicking declares Panic, whose handler panics as told, and Fine, which answers.
func panicking(svc awsproto.Service) *awsproto.Service {
	return awsproto.NewService(svc,
		operation.Declare(operation.Op[panicInput, panicOutput]{Name: "Panic", Unauthorized: true,
			Handler: func(_ context.Context, in *panicInput) (*panicOutput, error) {
				switch in.Kind {
				case "nil":
					var missing *panicOutput
					return &panicOutput{Status: missing.Status}, nil // a nil pointer dereference
				case "abort":
					panic(http.ErrAbortHandler)
				}
				panic("boom: " + in.Kind)
			}}),
		operation.Declare(operation.Op[panicInput, panicOutput]{Name: "Fine", Unauthorized: true,
			Handler: func(context.Context, *panicInput) (*panicOutput, error) {
				return &panicOutput{Status: "fine"}, nil
			}}),
	)
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recoverServer opens a server on a temporary data dir with two extra services whose
// handlers panic, one per protocol family, and returns it with the management keys.
func recoverServer(t *testing.T) (*Server, aws.Credentials, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	dir := t.TempDir()
	s, err := Open(context.Background(), Options{Listen: "127.0.0.1:0", DataDir: dir,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	services := []*awsproto.Service{
		panicking(awsproto.Service{Name: "panicquery", Protocol: awsproto.Query, Version: "2024-01-01",
			XMLNamespace: "https://panic.example.com/doc/2024-01-01/", ValidationCode: "ValidationError"}),
		panicking(awsproto.Service{Name: "panicjson", Protocol: awsproto.JSON11, TargetPrefix: "PanicJSON_20240101"}),
	}
	for _, svc := range s.bySigning {
		services = append(services, svc)
	}
	s.register(services...)
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return s, managementKeys(t, filepath.Join(dir, "credentials")), logs
}

// managementKeys reads the [management] profile of a credentials file.
func managementKeys(t testing.TB, path string) aws.Credentials {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var creds aws.Credentials
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section != "management" {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			creds.AccessKeyID = strings.TrimSpace(v)
		case "aws_secret_access_key":
			creds.SecretAccessKey = strings.TrimSpace(v)
		}
	}
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		t.Fatalf("no management keys in %s", path)
	}
	return creds
}

// protoCall calls op of one of the panicking services with kind.
type protoCall func(t *testing.T, endpoint, op, kind string) *http.Request

func queryCall(creds aws.Credentials) protoCall {
	return func(t *testing.T, endpoint, op, kind string) *http.Request {
		body := "Action=" + op + "&Version=2024-01-01&Kind=" + kind
		return signedRequest(t, creds, endpoint, "panicquery", body, map[string]string{
			"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
	}
}

func jsonCall(creds aws.Credentials) protoCall {
	return func(t *testing.T, endpoint, op, kind string) *http.Request {
		return signedRequest(t, creds, endpoint, "panicjson", `{"Kind":"`+kind+`"}`, map[string]string{
			"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "PanicJSON_20240101." + op})
	}
}

func signedRequest(t testing.TB, creds aws.Credentials, endpoint, service, body string, header map[string]string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

// internalFailure checks that an answer is InternalFailure 500 in the protocol's shape and
// returns its request id.
func internalFailure(t *testing.T, query bool, status int, header http.Header, body []byte) string {
	t.Helper()
	if status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500; body %s", status, body)
	}
	id := header.Get("X-Amzn-Requestid")
	if query {
		var e struct {
			XMLName xml.Name `xml:"ErrorResponse"`
			Error   struct{ Type, Code, Message string }
			ID      string `xml:"RequestId"`
		}
		if err := xml.Unmarshal(body, &e); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		if e.Error.Type != "Receiver" || e.Error.Code != "InternalFailure" || e.Error.Message == "" || e.ID != id {
			t.Errorf("awsQuery error %+v (header id %s)", e, id)
		}
	} else {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		if e.Type != "InternalFailure" || e.Message == "" || header.Get("X-Amzn-Errortype") != "InternalFailure" {
			t.Errorf("awsJson error %+v, X-Amzn-ErrorType %q", e, header.Get("X-Amzn-Errortype"))
		}
	}
	if id == "" {
		t.Error("no request id")
	}
	return id
}

func TestPanicBecomesInternalFailure(t *testing.T) {
	s, creds, logs := recoverServer(t)
	for name, tc := range map[string]struct {
		query bool
		call  protoCall
	}{
		"awsQuery": {true, queryCall(creds)},
		"awsJson":  {false, jsonCall(creds)},
	} {
		t.Run(name, func(t *testing.T) {
			for _, kind := range []string{"value", "nil", "abort"} {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, tc.call(t, s.Endpoint(), "Panic", kind))
				id := internalFailure(t, tc.query, w.Code, w.Header(), w.Body.Bytes())
				if log := logs.String(); !strings.Contains(log, "handler panic") || !strings.Contains(log, id) {
					t.Errorf("%s: the log does not record the panic of request %s:\n%s", kind, id, log)
				}
				if strings.Contains(w.Body.String(), "boom") || strings.Contains(w.Body.String(), "goroutine") {
					t.Errorf("%s: the answer leaks the panic: %s", kind, w.Body.Bytes())
				}

				w = httptest.NewRecorder()
				s.ServeHTTP(w, tc.call(t, s.Endpoint(), "Fine", kind))
				if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "fine") {
					t.Errorf("after a %s panic: status %d; body %s", kind, w.Code, w.Body.Bytes())
				}
			}
		})
	}
}

// TestPanicOverTheWire checks the same through the listener: the connection answers the
// panicking request and then the next one.
func TestPanicOverTheWire(t *testing.T) {
	s, creds, _ := recoverServer(t)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	send := func(req *http.Request) (int, http.Header, []byte) {
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%v", err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header, body
	}
	for _, query := range []bool{true, false} {
		call := jsonCall(creds)
		if query {
			call = queryCall(creds)
		}
		status, header, body := send(call(t, s.Endpoint(), "Panic", "value"))
		internalFailure(t, query, status, header, body)
		if status, _, body := send(call(t, s.Endpoint(), "Fine", "")); status != http.StatusOK {
			t.Errorf("after the panic: status %d; body %s", status, body)
		}
	}
	// The platform's own services still answer too.
	req := signedRequest(t, creds, s.Endpoint(), "sts", "Action=GetCallerIdentity&Version=2011-06-15",
		map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
	if status, _, body := send(req); status != http.StatusOK || !strings.Contains(string(body), "000000000000") {
		t.Errorf("GetCallerIdentity after panics: status %d; body %s", status, body)
	}
}
