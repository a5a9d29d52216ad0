package main

import (
	"context"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	r := &result{}
	for i := 1; i <= 100; i++ {
		r.latencies = append(r.latencies, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0.50: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond, 0: time.Millisecond} {
		if got := r.percentile(p); got != want {
			t.Errorf("p%v = %v, want %v", p*100, got, want)
		}
	}
	if (&result{}).percentile(0.5) != 0 {
		t.Error("percentile of nothing is not 0")
	}
}

// TestLoadCeiling runs a short load against the no-op server.
func TestLoadCeiling(t *testing.T) {
	ep, err := startCeiling(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer ep.stop()
	c := newClient(ep)
	if err := probe(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	res, err := load(context.Background(), callerIdentity(c), loadOptions{concurrency: 4, duration: 200 * time.Millisecond, warmup: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.requests == 0 || res.errors != 0 || res.rate() <= 0 || res.percentile(0.99) < res.percentile(0.5) {
		t.Errorf("result %+v (first error %v)", res, res.firstErr)
	}
}
