package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/cairnhq/cairn/internal/store"
	"github.com/cairnhq/cairn/internal/store/sqlite"
)

// The last principal to change an execution replaces the one before it; an execution no one
// changed has none.
func TestPipelineExecutionModifiedBy(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cairn.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	const exec = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/abc"
	err = db.View(ctx, func(tx store.Tx) error {
		_, err := tx.PipelineExecutionModifiedBy(exec)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("before any change: %v", err)
	}
	for _, who := range []string{"arn:aws:iam::222222222222:root", "arn:aws:sts::111111111111:assumed-role/ops/s"} {
		if err := db.Update(ctx, func(tx store.Tx) error { return tx.SetPipelineExecutionModifiedBy(exec, who) }); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := db.View(ctx, func(tx store.Tx) error {
			var err error
			got, err = tx.PipelineExecutionModifiedBy(exec)
			return err
		}); err != nil || got != who {
			t.Errorf("modified by %q (%v), want %q", got, err, who)
		}
	}
}
