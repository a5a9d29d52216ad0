package e2e

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/operation"
	kmsservice "github.com/cairnhq/cairn/internal/service/kms"
	orgservice "github.com/cairnhq/cairn/internal/service/organizations"
	ramservice "github.com/cairnhq/cairn/internal/service/ram"
	smservice "github.com/cairnhq/cairn/internal/service/sagemaker"
)

// TestEveryJSONOperationRefusesMalformedInput is generated from the declarations of the
// JSON services (awsJson1.1, and RAM's restJson1 operations that take a JSON body): every operation is sent a truncated document, a document of the wrong
// type, an empty one, one with only its required members, and then, member by member, a
// value of the wrong type and an empty structure or list where one is expected. No answer
// may be a server error, and every refusal must be an AWS error document.
func TestEveryJSONOperationRefusesMalformedInput(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	creds := c.credentials("data-science")
	ram, err := ramservice.New(ramservice.Options{})
	if err != nil {
		t.Fatal(err)
	}
	services := []*awsproto.Service{
		smservice.New(smservice.Options{}).API(),
		kmsservice.New(kmsservice.Options{}).API(),
		orgservice.New(orgservice.Options{}).API(),
		ram.API(),
	}
	calls, accepted := 0, 0
	for _, svc := range services {
		for _, op := range svc.Operations().Operations() {
			call := rawCall{Service: svc.Name, Creds: &creds,
				Header: map[string]string{"Content-Type": wireJSON11Type, "X-Amz-Target": svc.TargetPrefix + "." + op.Name}}
			if svc.TargetPrefix == "" { // REST: the operations whose route takes the body alone
				if op.Route.Method != "POST" || strings.ContainsAny(op.Route.Path, "{?") {
					continue
				}
				call.Path, call.Header = op.Route.Path, map[string]string{"Content-Type": "application/json"}
			}
			gt := reflect.TypeOf(op.NewInput()).Elem()
			bodies := []string{`{`, `[]`, `{}`, `"x"`, `{"a":`}
			base := requiredFill(gt)
			doc, _ := json.Marshal(base)
			bodies = append(bodies, string(doc))
			for i := 0; i < gt.NumField(); i++ {
				sf := gt.Field(i)
				member := operation.WireName(sf)
				if member == "" || member == "-" || !sf.IsExported() {
					continue
				}
				for _, v := range odd(sf.Type) {
					body := map[string]any{}
					for k, x := range base {
						body[k] = x
					}
					body[member] = v
					doc, _ := json.Marshal(body)
					bodies = append(bodies, string(doc))
				}
			}
			for _, body := range bodies {
				calls++
				call.Body = []byte(body)
				a := sendRaw(t, call.build(t, c.endpoint()))
				if a.Status < 300 {
					accepted++
				}
				if a.Status >= 500 {
					t.Errorf("%s %s %s: %d %s", svc.Name, op.Name, body, a.Status, a.Body)
					continue
				}
				if a.Status >= 300 {
					var e struct {
						Type    string `json:"__type"`
						Message *string
					}
					if e.Type = a.Header.Get("X-Amzn-ErrorType"); json.Unmarshal(a.Body, &e) != nil || e.Type == "" {
						t.Errorf("%s %s %s: %d without an error document: %s", svc.Name, op.Name, body, a.Status, a.Body)
					}
				}
			}
		}
	}
	t.Logf("%d requests, %d of them accepted", calls, accepted)
	if accepted == 0 {
		t.Error("no request reached a handler")
	}
}

// odd returns values that do not fit a member of type t, and empty ones that do.
func odd(t reflect.Type) []any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeOf(time.Time{}) {
		return []any{"not a time", true, -1e300}
	}
	switch t.Kind() {
	case reflect.String:
		return []any{7, "", strings.Repeat("a", 4096), map[string]any{}}
	case reflect.Bool:
		return []any{"true", 1}
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float32, reflect.Float64:
		return []any{"1", 1e300, -1, 1.5}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 { // a blob: base64
			return []any{"not base64!", 7}
		}
		return []any{"x", []any{}, []any{nil}, []any{map[string]any{}}, []any{""}}
	case reflect.Map:
		return []any{"x", map[string]any{}, map[string]any{"": ""}, map[string]any{"k": nil}}
	case reflect.Struct:
		return []any{"x", map[string]any{}, map[string]any{"Unknown": 1}}
	}
	return []any{"x"}
}
