package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"testing"

	"github.com/cairnhq/cairn/internal/store"
)

// The console's recent denials are kept in the store: the newest 200 of an account outlive
// a restart, another account's apart.
func TestRecentDenialsOutliveARestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	open := func() (*Server, func()) {
		s, err := Open(ctx, Options{Listen: "127.0.0.1:0", DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		served := make(chan error, 1)
		go func() { served <- s.Serve() }()
		return s, func() {
			if err := s.Shutdown(ctx); err != nil {
				t.Error(err)
			}
			if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
				t.Error(err)
			}
		}
	}
	s, stop := open()
	const account = "111111111111"
	for i := range denialsPerAccount + 5 {
		s.denials.add(&store.Denial{Account: account, Principal: "arn:aws:iam::" + account + ":user/u",
			Action: "sagemaker:ListPipelines", Resource: "*", Decision: "ImplicitlyDenied", Message: strconv.Itoa(i)})
	}
	s.denials.add(&store.Denial{Account: "222222222222", Principal: "arn:aws:iam::222222222222:user/v", Message: "other"})
	stop()

	s, stop = open()
	defer stop()
	got := s.denials.Recent(account)
	if len(got) != denialsPerAccount || got[0].Message != strconv.Itoa(denialsPerAccount+4) || got[len(got)-1].Message != "5" {
		t.Fatalf("after a restart: %d denials, newest %q, oldest %q", len(got), first(got).Message, last(got).Message)
	}
	if other := s.denials.Recent("222222222222"); len(other) != 1 || other[0].Message != "other" {
		t.Errorf("another account's denials: %+v", other)
	}
	if none := s.denials.Recent("333333333333"); len(none) != 0 {
		t.Errorf("an account without denials: %+v", none)
	}
}

func first[T any](s []T) (z T) {
	if len(s) > 0 {
		return s[0]
	}
	return z
}

func last[T any](s []T) (z T) {
	if len(s) > 0 {
		return s[len(s)-1]
	}
	return z
}
