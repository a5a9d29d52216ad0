package local_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/runner/local"
)

// TestWarmSupervisors runs jobs through supervisors started ahead of time, one after another
// and several at once, and checks Close lets the waiting ones go.
func TestWarmSupervisors(t *testing.T) {
	requireSandbox(t)
	r, err := local.New(local.Options{StateDir: t.TempDir(), Supervisor: []string{mustExecutable(), local.SuperviseCommand}, Warm: 2, KillGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "2 warm supervisors", func() bool { return len(idleSupervisors(t)) == 2 })
	for i := range 3 {
		s := spec(t, fmt.Sprintf("warm-seq-%d", i), `cat /opt/ml/input/x > /opt/ml/output/y`, map[string]string{"input/x": strconv.Itoa(i)})
		wantClean(t, run(t, r, s))
		if got := readFile(t, filepath.Join(s.Dir, "output/y")); got != strconv.Itoa(i) {
			t.Errorf("job %d wrote %q", i, got)
		}
	}
	var wg sync.WaitGroup
	results := make([]runner.Result, 5)
	specs := make([]runner.Spec, 5)
	for i := range specs {
		specs[i] = spec(t, fmt.Sprintf("warm-par-%d", i), `echo $0 > /opt/ml/output/y`, nil)
		specs[i].Command = append(specs[i].Command, strconv.Itoa(i))
	}
	for i := range specs {
		wg.Go(func() {
			j, err := r.Start(context.Background(), specs[i])
			if err != nil {
				t.Error(err)
				return
			}
			select {
			case <-j.Done():
				results[i] = j.Result()
			case <-time.After(30 * time.Second):
				t.Errorf("job %d did not end", i)
			}
		})
	}
	wg.Wait()
	for i, res := range results {
		wantClean(t, res)
		if got := readFile(t, filepath.Join(specs[i].Dir, "output/y")); got != strconv.Itoa(i)+"\n" {
			t.Errorf("parallel job %d wrote %q", i, got)
		}
	}
	waitFor(t, "the warm supervisors refilled", func() bool { return len(idleSupervisors(t)) == 2 })
	r.Close()
	waitFor(t, "the warm supervisors gone", func() bool { return len(idleSupervisors(t)) == 0 })
	// A closed runner still starts jobs, without warm supervisors.
	wantClean(t, run(t, r, spec(t, "after-close", "true", nil)))
	if n := len(idleSupervisors(t)); n != 0 {
		t.Errorf("%d warm supervisors after Close", n)
	}
}

// idleSupervisors lists the pids of this process's children that are supervisors without a
// job (whose output still goes to /dev/null).
func idleSupervisors(t testing.TB) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) < 2 || f[0] == "Z" || f[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		out, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/2", pid))
		if strings.Contains(string(cmdline), local.SuperviseCommand) && out == os.DevNull {
			pids = append(pids, pid)
		}
	}
	return pids
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}
