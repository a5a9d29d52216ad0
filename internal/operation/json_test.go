package operation_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/cairnhq/cairn/internal/fuzzseed"
	"github.com/cairnhq/cairn/internal/operation"
)

type decodeShape struct {
	KeyId     string            `json:"KeyId"`
	Plaintext []byte            `json:"Plaintext"`
	Context   map[string]string `json:"EncryptionContext,omitempty"`
	Count     *int32            `json:"Count,omitempty"`
	Nested    *struct {
		Names []string `json:"Names"`
	} `json:"Nested,omitempty"`
	Any  any                  `json:"Any,omitempty"`
	When *operation.Timestamp `json:"When,omitempty"`
}

// DecodeJSON decodes every body as encoding/json does: what it accepts it fills alike,
// what it refuses it refuses.
func TestDecodeJSONAsEncodingJSON(t *testing.T) {
	for _, body := range []string{
		`{"KeyId":"k","Plaintext":"aGVsbG8="}`,
		`{"keyid":"lower","PLAINTEXT":"aGk="}`,
		`{"KeyId":"first","KeyId":"second"}`,
		`{"KeyId":"a","keyId":"b"}`,
		`{"KeyId":"\u00e9\ud83d\ude00 \"q\""}`,
		"{\"KeyId\":\"bad \xff utf8\"}",
		`{"EncryptionContext":{"a":"1","b":"2"},"Count":7,"Nested":{"Names":["x","y"]}}`,
		`{"Any":{"n":1.5,"l":[1,"s",null,true]},"Unknown":{"deep":[1,2,3]}}`,
		`{"When":1700000000.5}`,
		`{"When":"2024-01-02T03:04:05Z"}`,
		`null`,
		`{"Plaintext":null,"Count":null}`,
	} {
		var want, got decodeShape
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatalf("%s: encoding/json: %v", body, err)
		}
		if err := operation.DecodeJSON([]byte(body), &got); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, encoding/json %+v", body, got, want)
		}
	}
	for _, body := range []string{
		`{"KeyId":1}`,
		`{"Plaintext":"not base64!"}`,
		`{"Count":"7"}`,
		`{"Count":1e40}`,
		`{"KeyId":"k"} trailing`,
		`{"KeyId":"k"}{}`,
		`[1,2]`,
		`{"KeyId":`,
		`{"When":1e400}`,
	} {
		var got decodeShape
		err := operation.DecodeJSON([]byte(body), &got)
		var e *operation.Error
		if !errors.As(err, &e) || e.Code != "SerializationException" {
			t.Errorf("%s: %v, want SerializationException", body, err)
		}
	}
}

// FuzzDecodeJSONAsEncodingJSON holds DecodeJSON to encoding/json on any document: what
// encoding/json accepts DecodeJSON fills alike, and what it refuses DecodeJSON refuses.
func FuzzDecodeJSONAsEncodingJSON(f *testing.F) {
	fuzzseed.Require(f)
	for _, seed := range []string{
		`{"KeyId":"k","Plaintext":"aGVsbG8="}`, `{"keyid":"lower","PLAINTEXT":"aGk="}`,
		`{"KeyId":"first","KeyId":"second"}`, `{"KeyId":"\u00e9\ud83d\ude00 \"q\""}`,
		"{\"KeyId\":\"bad \xff utf8\"}", `{"EncryptionContext":{"a":"1"},"Count":7,"Nested":{"Names":["x"]}}`,
		`{"Any":{"n":1.5,"l":[1,"s",null,true]},"Unknown":{"deep":[1,2,3]}}`, `{"When":1700000000.5}`,
		`null`, `{"KeyId":1}`, `{"Plaintext":"not base64!"}`, `{"KeyId":"k"} trailing`, `{"KeyId":`,
		`{"KeyId":"k","Count":1e40,"Plaintext":"aGk="}`, `{"Nested":{"Names":[1]},"KeyId":"k"}`,
	} {
		fuzzseed.Add(f, seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var want, got decodeShape
		wantErr := json.Unmarshal([]byte(body), &want)
		err := operation.DecodeJSON([]byte(body), &got)
		if len(bytes.Trim([]byte(body), " \t\r\n")) == 0 {
			return // an empty body is the empty structure, which encoding/json refuses
		}
		if wantErr != nil {
			if err == nil {
				t.Fatalf("%q: accepted (%+v); encoding/json: %v", body, got, wantErr)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: %v; encoding/json accepts it", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %+v, encoding/json %+v", body, got, want)
		}
	})
}

// DecodeJSON copies every member out of the body: the server reads awsJson bodies into
// buffers it reuses for the next request once the answer is written, so a decoded input
// must not alias the bytes it came from.
func TestDecodeJSONCopiesOutOfTheBody(t *testing.T) {
	type shape struct {
		Name  string
		Blob  []byte
		Raw   json.RawMessage
		Any   any
		Names []string
		Map   map[string]string
	}
	body := []byte(`{"Name":"pipeline-a","Blob":"aGVsbG8=","Raw":{"Steps":["x"]},"Any":{"k":["v",1]},"Names":["n1"],"Map":{"key":"value"}}`)
	var got shape
	if err := operation.DecodeJSON(body, &got); err != nil {
		t.Fatal(err)
	}
	want := shape{Name: "pipeline-a", Blob: []byte("hello"), Raw: json.RawMessage(`{"Steps":["x"]}`),
		Any: map[string]any{"k": []any{"v", 1.0}}, Names: []string{"n1"}, Map: map[string]string{"key": "value"}}
	for i := range body {
		body[i] = 'X' // the buffer taken by the next request
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after the body's buffer was reused: %+v, want %+v", got, want)
	}
}
