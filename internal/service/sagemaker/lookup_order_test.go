package sagemaker_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/service/sagemaker"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// TestEveryLengthCheckedBeforeLookup sends every operation, for each of its string members
// with a maximum length, a value far past it (64 KiB more, and outside every pattern): the
// answer is a ValidationException naming that member, never a lookup's answer, and it does
// not echo the value back whole.
func TestEveryLengthCheckedBeforeLookup(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	api := sagemaker.New(sagemaker.Options{Store: db, Now: time.Now, Random: rand.Reader, Region: "us-east-1"}).API().Operations()
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: "111111111111",
		ARN: "arn:aws:iam::111111111111:root"})
	checked := 0
	for _, op := range api.Operations() {
		gt := reflect.TypeOf(op.NewInput()).Elem()
		for i := 0; i < gt.NumField(); i++ {
			sf := gt.Field(i)
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			maxTag, ok := sf.Tag.Lookup("max")
			if !sf.IsExported() || ft.Kind() != reflect.String || !ok {
				continue
			}
			limit, err := strconv.Atoi(maxTag)
			if err != nil {
				t.Fatalf("%s %s: max %q", op.Name, sf.Name, maxTag)
			}
			wire := operation.WireName(sf)
			value := strings.Repeat("~", limit+64<<10)
			input, _ := json.Marshal(map[string]string{wire: value})
			_, err = api.InvokeJSON(ctx, nil, op.Name, input)
			var e *operation.Error
			path := strings.ToLower(wire[:1]) + wire[1:]
			switch {
			case !errors.As(err, &e) || e.Code != "ValidationException":
				t.Errorf("%s with a %d-character %s: %v, want a ValidationException", op.Name, len(value), wire, err)
			case !strings.Contains(e.Message, "at '"+path+"'"):
				t.Errorf("%s with a %d-character %s: %.300s…, want the member named", op.Name, len(value), wire, e.Message)
			case len(e.Message) > 16<<10:
				t.Errorf("%s with a %d-character %s: a %d-byte message", op.Name, len(value), wire, len(e.Message))
			}
			checked++
		}
	}
	if checked < 50 {
		t.Fatalf("only %d members checked", checked)
	}
	t.Logf("%d members of %d operations", checked, len(api.Operations()))
}
