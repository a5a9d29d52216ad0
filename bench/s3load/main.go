// Command s3load measures Cairn's S3 over loopback with aws-sdk-go-v2 clients and writes a
// Markdown report: PUT and GET of small objects (operations per second, many concurrent
// clients) and of large objects (MB/s), the server's peak resident memory (VmHWM) during
// the large-object runs, what dd writes to the same disk, and the same small-object
// workload against moto_server for comparison.
//
//	go run ./bench/s3load [-duration 10s] [-concurrency 32] [-small 4096] [-large 67108864]
//	                      [-large-ops 16] [-large-concurrency 4] [-client sigv4|sdk]
//	                      [-cairn-bin PATH] [-moto PATH] [-dir DIR] [-skip-moto]
//
// Cairn runs as a `cairn serve` subprocess (built with go build unless -cairn-bin names
// a binary) on a fresh data dir under -dir, so its memory can be read from /proc. The
// callers sign plain HTTP requests with the SDK's SigV4 signer by default (-client
// sigv4), so that on a small machine the CPU goes to the server; -client sdk sends
// them through the aws-sdk-go-v2 S3 client instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Bounds of the flags, so that a typo does not start an hour-long run.
const (
	maxDuration    = 5 * time.Minute
	maxConcurrency = 512
	maxLargeOps    = 256
	maxLargeSize   = 1 << 30
)

type options struct {
	duration         time.Duration
	concurrency      int
	small            int
	large            int
	largeOps         int
	largeConcurrency int
	cairnBin         string
	moto             string
	dir              string
	skipMoto         bool
	client           string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("s3load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each small-object run")
	fs.IntVar(&o.concurrency, "concurrency", 32, "concurrent clients of the small-object runs")
	fs.IntVar(&o.small, "small", 4096, "size of the small objects, in bytes")
	fs.IntVar(&o.large, "large", 64<<20, "size of the large objects, in bytes")
	fs.IntVar(&o.largeOps, "large-ops", 16, "large objects PUT, then GET, per run")
	fs.IntVar(&o.largeConcurrency, "large-concurrency", 4, "concurrent clients of the large-object runs")
	fs.StringVar(&o.cairnBin, "cairn-bin", "", "cairn binary to run (default: go build ./cmd/cairn)")
	fs.StringVar(&o.moto, "moto", "moto_server", "moto_server command")
	fs.StringVar(&o.dir, "dir", "", "directory for data dirs and the dd file (default: a temporary directory)")
	fs.BoolVar(&o.skipMoto, "skip-moto", false, "do not run the moto_server comparison")
	fs.StringVar(&o.client, "client", "sigv4", "sigv4: net/http requests signed with the SDK's SigV4 signer; sdk: the aws-sdk-go-v2 S3 client")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := o.check(); err != nil {
		fmt.Fprintf(stderr, "s3load: %v\n", err)
		return 2
	}
	if err := measure(context.Background(), o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "s3load: %v\n", err)
		return 1
	}
	return 0
}

func (o *options) check() error {
	switch {
	case o.duration <= 0 || o.duration > maxDuration:
		return fmt.Errorf("-duration must be in (0, %s]", maxDuration)
	case o.concurrency < 1 || o.concurrency > maxConcurrency:
		return fmt.Errorf("-concurrency must be in [1, %d]", maxConcurrency)
	case o.largeConcurrency < 1 || o.largeConcurrency > maxConcurrency:
		return fmt.Errorf("-large-concurrency must be in [1, %d]", maxConcurrency)
	case o.small < 1 || o.small > 16<<20:
		return errors.New("-small must be in [1, 16 MiB]")
	case o.large < 1 || o.large > maxLargeSize:
		return fmt.Errorf("-large must be in [1, %d]", maxLargeSize)
	case o.largeOps < 1 || o.largeOps > maxLargeOps:
		return fmt.Errorf("-large-ops must be in [1, %d]", maxLargeOps)
	case o.client != "sigv4" && o.client != "sdk":
		return errors.New("-client must be sigv4 or sdk")
	}
	return nil
}

// report is what one run of s3load found.
type report struct {
	cairnSmallPut, cairnSmallGet result
	cairnLargePut, cairnLargeGet result
	motoSmallPut, motoSmallGet   result
	moto                         bool
	peakKB, baseKB               int64
	ddSync, ddCache              float64 // MB/s
}

func measure(ctx context.Context, o options, stdout, stderr io.Writer) error {
	dir := o.dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "s3load-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	bin := o.cairnBin
	if bin == "" {
		bin = filepath.Join(dir, "cairn")
		fmt.Fprintln(stderr, "building cmd/cairn")
		cmd := exec.Command("go", "build", "-o", bin, "github.com/cairnhq/cairn/cmd/cairn")
		cmd.Stdout, cmd.Stderr = stderr, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build cmd/cairn: %w", err)
		}
	}
	var r report
	var err error
	fmt.Fprintln(stderr, "dd: writing 1 GiB to the data disk, 3 times synced and 3 times not")
	if r.ddSync, r.ddCache, err = ddSpeed(dir); err != nil {
		return err
	}

	// Large objects first, on a fresh server, so that its peak memory is theirs.
	srv, err := startCairn(ctx, bin, filepath.Join(dir, "cairn-large"), stderr)
	if err != nil {
		return err
	}
	r.baseKB = srv.statusKB("VmRSS")
	fmt.Fprintf(stderr, "cairn: %d PUTs and GETs of %d-byte objects, %d clients\n", o.largeOps, o.large, o.largeConcurrency)
	r.cairnLargePut, r.cairnLargeGet, err = largeObjects(ctx, srv.target, o)
	r.peakKB = srv.statusKB("VmHWM")
	srv.stop()
	if err != nil {
		return err
	}

	srv, err = startCairn(ctx, bin, filepath.Join(dir, "cairn-small"), stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "cairn: %d-byte objects, %d clients, %s per run\n", o.small, o.concurrency, o.duration)
	r.cairnSmallPut, r.cairnSmallGet, err = smallObjects(ctx, srv.target, o)
	srv.stop()
	if err != nil {
		return err
	}

	if !o.skipMoto {
		m, err := startMoto(ctx, o.moto, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "moto_server: %d-byte objects, %d clients, %s per run\n", o.small, o.concurrency, o.duration)
		r.motoSmallPut, r.motoSmallGet, err = smallObjects(ctx, m.target, o)
		m.stop()
		if err != nil {
			return err
		}
		r.moto = true
	}
	writeReport(stdout, o, &r)
	return nil
}

func writeReport(w io.Writer, o options, r *report) {
	fmt.Fprintf(w, "callers: %s; small runs %s each; %s\n\n", map[string]string{
		"sigv4": "net/http signed with the aws-sdk-go-v2 SigV4 signer (UNSIGNED-PAYLOAD, a CRC32 checksum on PUT)",
		"sdk":   "the aws-sdk-go-v2 S3 client (UNSIGNED-PAYLOAD, its default CRC32 checksums)",
	}[o.client], o.duration, runtimeNote())
	fmt.Fprintf(w, "| workload | Cairn | goal |")
	if r.moto {
		fmt.Fprintf(w, " moto_server | Cairn / moto |")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| --- | --- | --- |")
	if r.moto {
		fmt.Fprintf(w, " --- | --- |")
	}
	fmt.Fprintln(w)
	small := func(name string, c, m result, goal string) {
		fmt.Fprintf(w, "| %s %s, %d clients | %.0f ops/s (p50 %s, p99 %s, %d errors) | %s |", name, size(o.small), o.concurrency,
			c.opsPerSec(), c.p50(), c.p99(), c.errors, goal)
		if r.moto {
			fmt.Fprintf(w, " %.0f ops/s (%d errors) | %.1f× |", m.opsPerSec(), m.errors, c.opsPerSec()/m.opsPerSec())
		}
		fmt.Fprintln(w)
	}
	small("PUT", r.cairnSmallPut, r.motoSmallPut, "≥ 3,000 ops/s")
	small("GET", r.cairnSmallGet, r.motoSmallGet, "")
	large := func(name string, c result, goal string) {
		fmt.Fprintf(w, "| %s %s, %d clients | %.0f MB/s (%d errors) | %s |", name, size(o.large), o.largeConcurrency, c.mbPerSec(), c.errors, goal)
		if r.moto {
			fmt.Fprint(w, " | |")
		}
		fmt.Fprintln(w)
	}
	large("PUT", r.cairnLargePut, fmt.Sprintf("≥ %.0f MB/s (half of dd with fdatasync)", r.ddSync/2))
	large("GET", r.cairnLargeGet, "")
	fmt.Fprintf(w, "| server peak RSS (VmHWM) during the %s runs | %.1f MiB (%.1f MiB at start) | < 150 MiB |", size(o.large),
		float64(r.peakKB)/1024, float64(r.baseKB)/1024)
	if r.moto {
		fmt.Fprint(w, " | |")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| dd 1 GiB to the same disk (median of 3) | %.0f MB/s with conv=fdatasync, %.0f MB/s to the page cache | |", r.ddSync, r.ddCache)
	if r.moto {
		fmt.Fprint(w, " | |")
	}
	fmt.Fprintln(w)
}

func size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// runtimeNote describes the machine the figures come from.
func runtimeNote() string {
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			load = ", load average " + strings.Join(f[:3], " ") + " at the end"
		}
	}
	return fmt.Sprintf("%d CPUs%s", runtime.NumCPU(), load)
}
