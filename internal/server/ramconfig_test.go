package server_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/server"
)

// The config file's ram section sets how long associations take.
func TestRAMAssociationDelayConfig(t *testing.T) {
	cases := []struct {
		yaml  string
		delay *time.Duration
		ok    bool
	}{
		{"accounts: []\n", nil, true},
		{"ram: {association_delay: 250ms}\n", durationp(250 * time.Millisecond), true},
		{"ram:\n  association_delay: 0s\n", durationp(0), true},
		{"ram: {association_delay: -1s}\n", nil, false},
		{"ram: {association_delay: soon}\n", nil, false},
		{"ram: {delay: 1s}\n", nil, false},
	}
	for _, tc := range cases {
		path := filepath.Join(t.TempDir(), "cairn.yaml")
		if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		fc, err := server.LoadConfigFile(path)
		if (err == nil) != tc.ok {
			t.Errorf("%q: %v, want ok %v", tc.yaml, err, tc.ok)
			continue
		}
		if err != nil {
			continue
		}
		got := fc.RAM.AssociationDelay
		if (got == nil) != (tc.delay == nil) || got != nil && *got != *tc.delay {
			t.Errorf("%q: delay %v, want %v", tc.yaml, got, tc.delay)
		}
	}
}

func durationp(d time.Duration) *time.Duration { return &d }
