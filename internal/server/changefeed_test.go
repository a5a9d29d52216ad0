package server

import (
	"context"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

// The feed tells a poll whether its key changed after the sequence number it saw, says
// "changed" when it cannot know, and wakes a waiting poll at the change.
func TestChangeFeed(t *testing.T) {
	f := newChangeFeed()
	const exec = "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p/execution/x"
	seq, changed, _ := f.check(exec, 0)
	if !changed || seq == 0 {
		t.Fatalf("since 0: %d %v, want the current sequence and changed", seq, changed)
	}
	f.publish([]store.Change{{Kind: store.ChangeJob, Key: "arn:aws:sagemaker:us-east-1:111111111111:processing-job/j"}})
	if _, changed, _ := f.check(exec, seq); changed {
		t.Error("another record's change reported")
	}
	f.publish([]store.Change{{Kind: store.ChangeExecutionStep, Key: "ARN:aws:sagemaker:us-east-1:111111111111:pipeline/P/execution/X"}})
	if _, changed, _ := f.check(exec, seq); !changed {
		t.Error("a step's change, its key in another case, not reported")
	}
	now, _, _ := f.check(exec, seq)
	if _, changed, _ := f.check(exec, now); changed {
		t.Error("no change after the newest sequence number, yet changed")
	}
	if _, changed, _ := f.check(exec, now+5); !changed {
		t.Error("a sequence number from a server that restarted is not reported changed")
	}
	for i := 0; i < feedSize; i++ {
		f.publish([]store.Change{{Kind: store.ChangeJob, Key: "other"}})
	}
	if _, changed, _ := f.check(exec, now); !changed {
		t.Error("a sequence number older than the feed remembers is not reported changed")
	}

	// A waiting poll wakes at the change, not at its timeout.
	since := f.current()
	go func() {
		time.Sleep(20 * time.Millisecond)
		f.publish([]store.Change{{Kind: store.ChangeRole, Key: "ignored"}})
		f.publish([]store.Change{{Kind: store.ChangePipelineExecution, Key: exec}})
	}()
	start := time.Now()
	if _, changed := f.wait(context.Background(), nil, exec, since, 10*time.Second, 0); !changed || time.Since(start) > 5*time.Second {
		t.Errorf("wait: changed %v after %s", changed, time.Since(start))
	}
	closing := make(chan struct{})
	close(closing)
	if _, changed := f.wait(context.Background(), closing, exec, f.current(), 10*time.Second, 0); changed {
		t.Error("a closing server's poll reports a change")
	}
}
