package awsproto_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/cairnhq/cairn/internal/awsproto"
)

func TestTimestampUnmarshal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{`1700000000`, time.Unix(1700000000, 0)},
		{`1700000000.123`, time.Unix(1700000000, 123e6)},
		{`1700000000.5`, time.Unix(1700000000, 5e8)},
		{`1700000000.000001`, time.Unix(1700000000, 1000)},
		{`1700000000.123456789`, time.Unix(1700000000, 123456789)},
		{`1.7e9`, time.Unix(1700000000, 0)},
		{`0`, time.Unix(0, 0)},
		{`-1.5`, time.Unix(-2, 5e8)},
		{`"2024-01-02T03:04:05Z"`, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{`"2024-01-02T03:04:05.123+02:00"`, time.Date(2024, 1, 2, 1, 4, 5, 123e6, time.UTC)},
	} {
		var ts operation.Timestamp
		if err := json.Unmarshal([]byte(tc.in), &ts); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if !ts.Equal(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.in, ts.Time, tc.want.UTC())
		}
	}
	for _, bad := range []string{`"yesterday"`, `"1700000000"`, `true`, `{}`, `[]`, `1e400`, `"2024-13-01T00:00:00Z"`} {
		var ts operation.Timestamp
		if err := json.Unmarshal([]byte(bad), &ts); err == nil {
			t.Errorf("%s: accepted as %v", bad, ts.Time)
		}
	}
}

func TestTimestampMarshal(t *testing.T) {
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Unix(1700000000, 0), `1700000000`},
		{time.Unix(1700000000, 123e6), `1700000000.123`},
		{time.Unix(1700000000, 123999999), `1700000000.123`},
		{time.Unix(1700000000, 5e8), `1700000000.5`},
	} {
		got, err := json.Marshal(operation.Timestamp{Time: tc.in})
		if err != nil || string(got) != tc.want {
			t.Errorf("%v: got %s (%v), want %s", tc.in, got, err, tc.want)
		}
	}
	if ts := operation.NewTimestamp(time.Time{}); ts != nil {
		t.Errorf("NewTimestamp(zero) = %v, want nil", ts)
	}
}

// TestTimestampRoundTrip checks that every millisecond instant survives encode and decode.
func TestTimestampRoundTrip(t *testing.T) {
	base := time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)
	for ms := 0; ms < 1000; ms++ {
		in := base.Add(time.Duration(ms) * time.Millisecond)
		b, err := json.Marshal(operation.Timestamp{Time: in})
		if err != nil {
			t.Fatal(err)
		}
		var out operation.Timestamp
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		if !out.Equal(in) {
			t.Fatalf("%v → %s → %v", in, b, out.Time)
		}
	}
}

// answer is an SDK HTTP client that answers every request with a fixed JSON body.
type answer struct {
	body string
}

func (a answer) Do(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Request: r, ContentLength: int64(len(a.body)),
		Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"rt"}},
		Body:   io.NopCloser(bytes.NewReader([]byte(a.body)))}, nil
}

// TestTimestampToSDK encodes a timestamp as Cairn answers it and reads it with the SDK.
func TestTimestampToSDK(t *testing.T) {
	joined := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	body, err := json.Marshal(map[string]any{"Account": map[string]any{
		"Id": "111111111111", "JoinedTimestamp": operation.NewTimestamp(joined)}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := sdkConfig(nil)
	cfg.HTTPClient = answer{string(body)}
	out, err := organizations.NewFromConfig(cfg).DescribeAccount(context.Background(),
		&organizations.DescribeAccountInput{AccountId: aws.String("111111111111")})
	if err != nil {
		t.Fatalf("DescribeAccount of %s: %v", body, err)
	}
	if got := aws.ToTime(out.Account.JoinedTimestamp); !got.Equal(joined) {
		t.Errorf("SDK read %s as %v, want %v", body, got, joined)
	}
}

// TestTimestampFromSDK decodes timestamps as the SDK sends them in an awsJson1.1 body.
func TestTimestampFromSDK(t *testing.T) {
	after := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	before := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	var c capture
	_, err := sagemaker.NewFromConfig(sdkConfig(&c)).ListTrainingJobs(context.Background(), &sagemaker.ListTrainingJobsInput{
		CreationTimeAfter: aws.Time(after), CreationTimeBefore: aws.Time(before)})
	if !errors.Is(err, errCaptured) {
		t.Fatalf("ListTrainingJobs: %v", err)
	}
	type listInput struct {
		CreationTimeAfter  *operation.Timestamp
		CreationTimeBefore *operation.Timestamp
	}
	var got *listInput
	svc := awsproto.NewService(awsproto.Service{Name: "sagemaker", Protocol: awsproto.JSON11, TargetPrefix: "SageMaker"},
		operation.Declare(operation.Op[listInput, rtEmpty]{Name: "ListTrainingJobs", Handler: func(_ context.Context, in *listInput) (*rtEmpty, error) {
			got = in
			return &rtEmpty{}, nil
		}}))
	w := httptest.NewRecorder()
	svc.Serve(context.Background(), w, awsproto.Call{Request: c.req, Body: c.body, RequestID: "rt"})
	if w.Code != http.StatusOK || got == nil {
		t.Fatalf("status %d: %s (body sent %s)", w.Code, w.Body.Bytes(), c.body)
	}
	if got.CreationTimeAfter == nil || !got.CreationTimeAfter.Equal(after) ||
		got.CreationTimeBefore == nil || !got.CreationTimeBefore.Equal(before) {
		t.Errorf("decoded %s as %v / %v", c.body, got.CreationTimeAfter, got.CreationTimeBefore)
	}
}
