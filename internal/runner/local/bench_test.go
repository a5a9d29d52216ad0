package local_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/runner/local"
)

// BenchmarkJobLatency measures, over b.N jobs run one after another: from Start to the
// job's process running (the job prints the time it started: `date +%s%N`), from the job's
// exit to Done closing, and from Start to Done for `true`. Run it as
//
//	go test ./internal/runner/local/ -run '^$' -bench JobLatency -benchtime 50x
//
// The supervisor is this test binary; to time the cairn binary's own start-up instead, point
// CAIRN_BENCH_SUPERVISOR at a binary that runs the supervisor when its first argument is
// SuperviseCommand (the cairn binary, or `go test -c ./cmd/cairn`).
//
// "cold" starts a supervisor for each job; "warm" keeps one started ahead (Options.Warm).
func BenchmarkJobLatency(b *testing.B) {
	requireSandbox(b)
	sup := mustExecutable()
	if s := os.Getenv("CAIRN_BENCH_SUPERVISOR"); s != "" {
		sup = s
	}
	for _, warm := range []int{0, 1} {
		name := map[int]string{0: "cold", 1: "warm"}[warm]
		b.Run(name, func(b *testing.B) {
			r, err := local.New(local.Options{StateDir: b.TempDir(), Supervisor: []string{sup, local.SuperviseCommand}, Warm: warm})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			benchJobs(b, r, warm > 0)
		})
	}
}

func benchJobs(b *testing.B, r *local.Runner, warm bool) {
	dir := b.TempDir()
	logs := b.TempDir()
	var toRunning, toDone, trueTotal, startCall []time.Duration
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if warm {
			// Let the supervisor used by the previous job be replaced, as between the
			// steps of a pipeline.
			b.StopTimer()
			time.Sleep(50 * time.Millisecond)
			b.StartTimer()
		}
		logPath := filepath.Join(logs, fmt.Sprintf("date-%d.log", i))
		t0 := time.Now()
		j, err := r.Start(ctx, runner.Spec{ID: fmt.Sprintf("bench/date/%d", i), Dir: dir, Command: []string{"date", "+%s%N"}, Env: env, LogPath: logPath})
		if err != nil {
			b.Fatal(err)
		}
		startCall = append(startCall, time.Since(t0))
		<-j.Done()
		done := time.Now()
		if res := j.Result(); !res.Succeeded() {
			b.Fatalf("%+v", res)
		}
		data, err := os.ReadFile(logPath)
		if err != nil {
			b.Fatal(err)
		}
		ns, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err != nil {
			b.Fatalf("job printed %q", data)
		}
		stamp := time.Unix(0, ns)
		toRunning = append(toRunning, stamp.Sub(t0))
		toDone = append(toDone, done.Sub(stamp))

		if warm {
			b.StopTimer()
			time.Sleep(50 * time.Millisecond)
			b.StartTimer()
		}
		t0 = time.Now()
		j, err = r.Start(ctx, runner.Spec{ID: fmt.Sprintf("bench/true/%d", i), Dir: dir, Command: []string{"true"}, Env: env, LogPath: filepath.Join(logs, "true.log")})
		if err != nil {
			b.Fatal(err)
		}
		<-j.Done()
		trueTotal = append(trueTotal, time.Since(t0))
	}
	report := func(name string, d []time.Duration) {
		slices.Sort(d)
		b.ReportMetric(ms(d[len(d)/2]), name+"-p50-ms")
		b.ReportMetric(ms(d[(len(d)*99)/100]), name+"-p99-ms")
	}
	report("start-returns", startCall)
	report("start-to-running", toRunning)
	report("exit-to-done", toDone)
	report("true-start-to-done", trueTotal)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
