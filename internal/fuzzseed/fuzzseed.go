// Package fuzzseed keeps every fuzz target's seed corpus beside it, under
// testdata/fuzz/<target>, so that a target fails rather than passes having run nothing
// when its inputs are missing.
package fuzzseed

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// WriteEnv, when set, makes Add write every seed it adds to the target's corpus under
// testdata/fuzz (go test -run '^Fuzz' with it set regenerates the corpora).
const WriteEnv = "CAIRN_WRITE_FUZZ_SEEDS"

// Add adds a seed input to f (and, with WriteEnv set, to its corpus on disk).
func Add(f *testing.F, args ...any) {
	f.Helper()
	f.Add(args...)
	if os.Getenv(WriteEnv) == "" {
		return
	}
	doc := "go test fuzz v1\n"
	for _, a := range args {
		switch v := a.(type) {
		case string:
			doc += "string(" + strconv.Quote(v) + ")\n"
		case []byte:
			doc += "[]byte(" + strconv.Quote(string(v)) + ")\n"
		default:
			doc += fmt.Sprintf("%T(%v)\n", v, v)
		}
	}
	sum := sha256.Sum256([]byte(doc))
	dir := filepath.Join("testdata", "fuzz", f.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "seed-"+hex.EncodeToString(sum[:8])), []byte(doc), 0o644); err != nil {
		f.Fatal(err)
	}
}

// Require fails a fuzz target whose seed corpus is missing: every target carries its
// corpus under testdata/fuzz/<target>.
func Require(f *testing.F) {
	f.Helper()
	if os.Getenv(WriteEnv) != "" {
		return
	}
	dir := filepath.Join("testdata", "fuzz", f.Name())
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		f.Fatalf("%s: no seed corpus in %s (%v); regenerate it with %s=1 go test -run '^%s$'", f.Name(), dir, err, WriteEnv, f.Name())
	}
}
