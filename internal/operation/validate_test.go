package operation_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/fuzzseed"

	"github.com/cairnhq/cairn/internal/operation"
)

type tag struct {
	Key   string `min:"1" max:"128" pattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"`
	Value string `max:"256"`
}

type output struct {
	S3OutputPath string `required:"true" max:"1024" pattern:"^(https|s3)://([^/]+)/?(.*)$"`
	KmsKeyId     string `max:"2048"`
}

type input struct {
	Name        string            `required:"true" min:"1" max:"8" pattern:"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	Path        string            `pattern:"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"`
	Mode        *string           `enum:"File,Pipe"`
	MaxResults  *int              `min:"1" max:"100"`
	Count       int               `min:"1"`
	Ratio       *float64          `min:"0" max:"1"`
	Secret      string            `max:"3" sensitive:"true"`
	Entrypoint  []string          `min:"1" max:"2" memberMax:"4"`
	Environment map[string]string `max:"2" keyPattern:"[a-zA-Z_][a-zA-Z0-9_]*" valueMax:"5"`
	Tags        []tag             `max:"3"`
	Output      *output           `json:"OutputDataConfig" required:"true"`
	Lookbehind  string            `pattern:"[a-z](-*[a-z])*(?<!-)" re:"[a-z](-*[a-z])*"`
	Nested      struct {
		Inner string `required:"true"`
	}
}

func valid() *input {
	return &input{Name: "job-1", Output: &output{S3OutputPath: "s3://b/k"}}
}

func TestValidateMessages(t *testing.T) {
	svc := operation.NewService(operation.Service{Name: "test"})
	one := func(mutate func(*input)) string {
		in := valid()
		in.Nested.Inner = "x"
		mutate(in)
		err := svc.Check(in)
		if err == nil {
			return ""
		}
		var e *operation.Error
		if !errors.As(err, &e) || e.Code != "ValidationException" || e.Status != 400 {
			t.Fatalf("got %v, want a ValidationException", err)
		}
		return e.Message
	}
	str, n, f := func(s string) *string { return &s }, func(n int) *int { return &n }, func(f float64) *float64 { return &f }
	for _, tc := range []struct {
		name   string
		mutate func(*input)
		want   string
	}{
		{"valid", func(*input) {}, ""},
		{"null", func(in *input) { in.Name = "" },
			"1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"too long", func(in *input) { in.Name = "abcdefghi" },
			"1 validation error detected: Value 'abcdefghi' at 'name' failed to satisfy constraint: Member must have length less than or equal to 8"},
		{"length in characters", func(in *input) { in.Name = "ééééé" },
			"1 validation error detected: Value 'ééééé' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"},
		{"pattern anchored", func(in *input) { in.Name = "a_b" },
			"1 validation error detected: Value 'a_b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"},
		{"java escapes", func(in *input) { in.Path = "x" },
			`1 validation error detected: Value 'x' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"java escapes match", func(in *input) { in.Path = "/a/" }, ""},
		{"enum", func(in *input) { in.Mode = str("Fast") },
			"1 validation error detected: Value 'Fast' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [File, Pipe]"},
		{"number max", func(in *input) { in.MaxResults = n(101) },
			"1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"number min", func(in *input) { in.MaxResults = n(0) },
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"plain zero is absent", func(in *input) { in.Count = 0 }, ""},
		{"plain number", func(in *input) { in.Count = -2 },
			"1 validation error detected: Value '-2' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"float", func(in *input) { in.Ratio = f(1.5) },
			"1 validation error detected: Value '1.5' at 'ratio' failed to satisfy constraint: Member must have value less than or equal to 1"},
		{"sensitive", func(in *input) { in.Secret = "hunter2" },
			"1 validation error detected: Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"list length", func(in *input) { in.Entrypoint = []string{"a", "b", "c"} },
			"1 validation error detected: Value '[a, b, c]' at 'entrypoint' failed to satisfy constraint: Member must have length less than or equal to 2"},
		{"empty list is present", func(in *input) { in.Entrypoint = []string{} },
			"1 validation error detected: Value '[]' at 'entrypoint' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"list members", func(in *input) { in.Entrypoint = []string{"python3"} },
			"1 validation error detected: Value '[python3]' at 'entrypoint' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 4]"},
		{"map keys", func(in *input) { in.Environment = map[string]string{"1BAD": "v"} },
			"1 validation error detected: Value at 'environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*]"},
		{"map values are never echoed", func(in *input) { in.Environment = map[string]string{"TOKEN": "secret-value"} },
			"1 validation error detected: Value at 'environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 5]"},
		{"map size", func(in *input) { in.Environment = map[string]string{"A": "", "B": "", "C": ""} },
			"1 validation error detected: Value at 'environment' failed to satisfy constraint: Member must have length less than or equal to 2"},
		{"list member structures", func(in *input) { in.Tags = []tag{{Key: "ok"}, {Key: "", Value: "v"}} },
			"1 validation error detected: Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"list of structures", func(in *input) { in.Tags = make([]tag, 4) },
			"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"nested null", func(in *input) { in.Output = nil },
			"1 validation error detected: Value null at 'outputDataConfig' failed to satisfy constraint: Member must not be null"},
		{"nested member", func(in *input) { in.Output.S3OutputPath = "file:///x" },
			"1 validation error detected: Value 'file:///x' at 'outputDataConfig.s3OutputPath' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$"},
		{"nested value struct", func(in *input) { in.Nested.Inner = "" },
			"1 validation error detected: Value null at 'nested.inner' failed to satisfy constraint: Member must not be null"},
		{"re form of a pattern", func(in *input) { in.Lookbehind = "ab-" },
			"1 validation error detected: Value 'ab-' at 'lookbehind' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z](-*[a-z])*(?<!-)"},
		{"several", func(in *input) { in.Name, in.Mode, in.Output = "", str("x"), nil },
			"3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
				"Value 'x' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [File, Pipe]; " +
				"Value null at 'outputDataConfig' failed to satisfy constraint: Member must not be null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := one(tc.mutate); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestValidateBeforeAuthorization checks that a declared operation's input is validated
// before it is authorized or handled, in the service's spelling.
func TestValidateBeforeAuthorization(t *testing.T) {
	ran := false
	svc := operation.NewService(operation.Service{Name: "iam", ValidationCode: "ValidationError"},
		operation.Declare(operation.Op[input, struct{}]{Name: "Do", Handler: func(context.Context, *input) (*struct{}, error) {
			ran = true
			return &struct{}{}, nil
		}}))
	_, err := svc.Invoke(context.Background(), denyAll{}, "Do", &input{})
	var e *operation.Error
	if !errors.As(err, &e) || e.Code != "ValidationError" || !strings.HasPrefix(e.Message, "3 validation errors detected: ") || ran {
		t.Fatalf("got %v (ran %v)", err, ran)
	}
}

type denyAll struct{}

func (denyAll) Authorize(context.Context, *operation.Service, *operation.Access) error {
	return errors.New("authorizer called")
}

// TestMalformedTagsPanic checks that a declaration with a tag the validator cannot read
// fails when it is declared, not when a request arrives.
func TestMalformedTagsPanic(t *testing.T) {
	type badPattern struct {
		Name string `pattern:"(?<!x)"`
	}
	type badBound struct {
		Name string `max:"many"`
	}
	type patternOnNumber struct {
		N int `pattern:"[0-9]"`
	}
	for name, declare := range map[string]func(){
		"pattern": func() { operation.Declare(operation.Op[badPattern, struct{}]{Name: "X", Handler: nop[badPattern]}) },
		"bound":   func() { operation.Declare(operation.Op[badBound, struct{}]{Name: "X", Handler: nop[badBound]}) },
		"pattern on number": func() {
			operation.Declare(operation.Op[patternOnNumber, struct{}]{Name: "X", Handler: nop[patternOnNumber]})
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("declared without panic")
				}
			}()
			declare()
		})
	}
}

func nop[In any](context.Context, *In) (*struct{}, error) { return &struct{}{}, nil }

// TestRecursiveShape checks that a shape that refers to itself is planned and checked.
func TestRecursiveShape(t *testing.T) {
	type node struct {
		Name     string  `max:"2"`
		Children []*node `max:"2"`
	}
	svc := operation.NewService(operation.Service{Name: "t"})
	in := &node{Name: "a", Children: []*node{{Name: "b", Children: []*node{{Name: "long"}}}}}
	err := svc.Check(in)
	if err == nil || !strings.Contains(err.Error(), "at 'children.1.member.children.1.member.name'") {
		t.Fatalf("got %v", err)
	}
}

func TestValidationMessage(t *testing.T) {
	if got := operation.ValidationMessage(); got != "" {
		t.Errorf("no violations: %q", got)
	}
	got := operation.ValidationMessage(operation.Violation{Path: "pipelineExecutionArn", Value: "x",
		Constraint: operation.MatchPattern("^arn:aws[a-z\\-]*:sagemaker:.*$")})
	want := "1 validation error detected: Value 'x' at 'pipelineExecutionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:sagemaker:.*$"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzValidate(f *testing.F) {
	fuzzseed.Require(f)
	fuzzseed.Add(f, "job-1", "/a/", "File", 5, "k", "v")
	fuzzseed.Add(f, "", "x", "Fast", 0, "", "")
	svc := operation.NewService(operation.Service{Name: "t"})
	f.Fuzz(func(t *testing.T, name, path, mode string, count int, key, value string) {
		in := &input{Name: name, Path: path, Mode: &mode, Count: count, Environment: map[string]string{key: value},
			Tags: []tag{{Key: key}}, Entrypoint: []string{name, path}, Output: &output{S3OutputPath: path}}
		err := svc.Check(in)
		if err == nil {
			return
		}
		var e *operation.Error
		if !errors.As(err, &e) || !strings.Contains(e.Message, "validation error") {
			t.Fatalf("unexpected error %v", err)
		}
		if strings.Contains(e.Message, value) && len(value) > 8 && !strings.Contains(name+path+key+mode, value) {
			t.Fatalf("message echoes a map value: %q", e.Message)
		}
	})
}

// TestDecodeTimestampRange checks that a timestamp no client means (past year 9999, before
// year 1) is the service's validation error naming the member, not an instant wrapped
// around int64; decoded apart from a service, it is a SerializationException.
func TestDecodeTimestampRange(t *testing.T) {
	type filter struct {
		CreatedAfter *operation.Timestamp
	}
	type list struct {
		Filter filter
		After  *operation.Timestamp `json:"CreationTimeAfter"`
	}
	svc := operation.NewService(operation.Service{Name: "t"})
	for body, want := range map[string]string{
		`{"CreationTimeAfter": 1e300}`:                 "Value '1e300' at 'creationTimeAfter'",
		`{"CreationTimeAfter": -1e300}`:                "Value '-1e300' at 'creationTimeAfter'",
		`{"CreationTimeAfter": 1e400}`:                 "Value '1e400' at 'creationTimeAfter'",
		`{"CreationTimeAfter": 9223372036854775807}`:   "Value '9223372036854775807' at 'creationTimeAfter'",
		`{"Filter": {"CreatedAfter": 253402300800}}`:   "Value '253402300800' at 'filter.createdAfter'",
		`{"Filter": {"CreatedAfter": -62135596801.5}}`: "Value '-62135596801.5' at 'filter.createdAfter'",
	} {
		err := svc.DecodeJSON([]byte(body), &list{})
		var e *operation.Error
		if !errors.As(err, &e) || e.Code != "ValidationException" ||
			e.Message != "1 validation error detected: "+want+" failed to satisfy constraint: "+operation.TimestampRange {
			t.Errorf("%s: %v", body, err)
		}
		if err := operation.DecodeJSON([]byte(body), &list{}); !errors.As(err, &e) || e.Code != "SerializationException" {
			t.Errorf("%s decoded apart from a service: %v", body, err)
		}
	}
	var in list
	if err := svc.DecodeJSON([]byte(`{"CreationTimeAfter": 253402300799.999, "Filter": {"CreatedAfter": -62135596800}}`), &in); err != nil ||
		in.After.Year() != 9999 || in.Filter.CreatedAfter.Year() != 1 {
		t.Errorf("the ends of the range: %v %+v", err, in)
	}
}

// TestLongValuesAreCut checks that a violation repeats at most 1,024 characters of a value.
func TestLongValuesAreCut(t *testing.T) {
	v := operation.Violation{Path: "name", Value: strings.Repeat("é", 5000), Constraint: operation.MaxLength(8)}
	msg := v.String()
	if want := "Value '" + strings.Repeat("é", 1024) + "…' at 'name'"; !strings.HasPrefix(msg, want) {
		t.Errorf("message starts %q", msg[:40])
	}
}
