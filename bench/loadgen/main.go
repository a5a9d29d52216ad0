// Command loadgen measures sts:GetCallerIdentity over loopback with aws-sdk-go-v2 clients
// against three targets, one after the other: Cairn, a no-op server that answers a fixed
// GetCallerIdentity document (the ceiling of the client and the loopback), and moto_server.
//
//	go run ./bench/loadgen [-target all|cairn,ceiling,moto] [-concurrency 32] [-duration 10s]
//	                       [-warmup 2s] [-rounds 1] [-cairn-bin PATH] [-moto PATH] [-cpuprofile PREFIX]
//
// With -kms it instead serves one Cairn and compares KMS Encrypt and Decrypt of 4 KiB with
// GetCallerIdentity, the three interleaved round by round:
//
//	go run ./bench/loadgen -kms [-rounds 5] [-duration 3s] [-warmup 1s] [-cairn-bin PATH]
//
// By default Cairn runs in this process on a random loopback port with a temporary data
// dir; -cairn-bin runs `cairn serve` as a subprocess instead. -cpuprofile writes a CPU
// profile of this process (the callers, and the server when it runs in process) during
// each measurement.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Bounds of the flags, so that a typo does not start an hour-long run.
const (
	maxDuration    = 5 * time.Minute
	maxConcurrency = 1024
	maxRounds      = 50
)

// target is one server under load.
type target struct {
	name string
	// start runs the server and returns its endpoint, the credentials to sign with, and
	// a function that stops it.
	start func(ctx context.Context) (*endpoint, error)
}

// endpoint is a started target.
type endpoint struct {
	url    string
	keyID  string
	secret string
	stop   func() error
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	targetsFlag := fs.String("target", "all", "targets to load, comma-separated: cairn, ceiling, moto (all: every one)")
	concurrency := fs.Int("concurrency", 32, "concurrent callers")
	duration := fs.Duration("duration", 10*time.Second, "measured duration per target (at most 5m)")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured load before each measurement")
	cairnBin := fs.String("cairn-bin", "", "run this cairn binary as a subprocess instead of serving in process")
	motoBin := fs.String("moto", "moto_server", "the moto_server command")
	rounds := fs.Int("rounds", 1, "measure every target this many times, interleaved, and report each target's median round (at most 50)")
	kmsMode := fs.Bool("kms", false, "compare KMS Encrypt and Decrypt of 4 KiB with GetCallerIdentity on one Cairn, round by round, instead of loading targets")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process during each measurement to PREFIX.<target>.pprof")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *duration <= 0 || *duration > maxDuration || *warmup < 0 || *warmup > maxDuration {
		fmt.Fprintf(stderr, "loadgen: -duration must be in (0, %v] and -warmup in [0, %v]\n", maxDuration, maxDuration)
		return 2
	}
	if *rounds < 1 || *rounds > maxRounds {
		fmt.Fprintf(stderr, "loadgen: -rounds must be between 1 and %d\n", maxRounds)
		return 2
	}
	if *concurrency < 1 || *concurrency > maxConcurrency {
		fmt.Fprintf(stderr, "loadgen: -concurrency must be between 1 and %d\n", maxConcurrency)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if *kmsMode {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		fmt.Fprintf(stdout, "KMS 4 KiB against sts:GetCallerIdentity, %d callers, %v per operation after %v of warm-up, %d round(s), GOMAXPROCS=%d, %s/%s, %s\n",
			*concurrency, *duration, *warmup, *rounds, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
		return runKMS(ctx, stdout, stderr, *cairnBin, *rounds, loadOptions{concurrency: *concurrency, duration: *duration, warmup: *warmup}, logger)
	}
	targets := map[string]target{
		"cairn":   {name: "cairn", start: func(ctx context.Context) (*endpoint, error) { return startCairn(ctx, *cairnBin, logger) }},
		"ceiling": {name: "ceiling", start: startCeiling},
		"moto":    {name: "moto", start: func(ctx context.Context) (*endpoint, error) { return startMoto(ctx, *motoBin) }},
	}
	var chosen []target
	names := strings.Split(*targetsFlag, ",")
	if *targetsFlag == "all" {
		names = []string{"cairn", "ceiling", "moto"}
	}
	for _, name := range names {
		tg, ok := targets[strings.TrimSpace(name)]
		if !ok {
			fmt.Fprintf(stderr, "loadgen: unknown target %q (cairn, ceiling, moto, all)\n", name)
			return 2
		}
		chosen = append(chosen, tg)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(stdout, "sts:GetCallerIdentity, %d callers, %v per target after %v of warm-up, %d round(s), GOMAXPROCS=%d, %s/%s, %s\n",
		*concurrency, *duration, *warmup, *rounds, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	all := map[string][]*result{}
	for round := 1; round <= *rounds; round++ {
		for _, tg := range chosen {
			fmt.Fprintf(stderr, "loadgen: round %d: %s: starting\n", round, tg.name)
			profile := ""
			if round == 1 {
				profile = profileFor(tg.name, *cpuProfile)
			}
			res, err := measure(ctx, tg, loadOptions{concurrency: *concurrency, duration: *duration, warmup: *warmup}, profile)
			if err != nil {
				fmt.Fprintf(stderr, "loadgen: %s: %v\n", tg.name, err)
				return 1
			}
			all[tg.name] = append(all[tg.name], res)
			fmt.Fprintf(stderr, "loadgen: round %d: %s: %.0f req/s\n", round, tg.name, res.rate())
			if ctx.Err() != nil {
				return 1
			}
		}
	}
	for _, tg := range chosen {
		if rs := all[tg.name]; len(rs) > 1 {
			rates := make([]string, len(rs))
			for i, r := range rs {
				rates[i] = fmt.Sprintf("%.0f", r.rate())
			}
			fmt.Fprintf(stdout, "%s rounds (req/s): %s\n", tg.name, strings.Join(rates, ", "))
		}
	}
	medians, bests := map[string]*result{}, map[string]*result{}
	for name, rs := range all {
		medians[name], bests[name] = median(rs), best(rs)
	}
	if *rounds == 1 {
		report(stdout, "", chosen, medians)
		return 0
	}
	report(stdout, "median round", chosen, medians)
	report(stdout, "best round (least disturbed by other load)", chosen, bests)
	return 0
}

// median returns the round with the median rate.
func median(rs []*result) *result {
	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b *result) int { return cmp.Compare(a.rate(), b.rate()) })
	return sorted[len(sorted)/2]
}

// best returns the round with the highest rate.
func best(rs []*result) *result {
	return slices.MaxFunc(rs, func(a, b *result) int { return cmp.Compare(a.rate(), b.rate()) })
}

// profileFor returns the file to profile a target's measurement into, or "".
func profileFor(target, prefix string) string {
	if prefix == "" {
		return ""
	}
	return prefix + "." + target + ".pprof"
}

// measure starts tg, loads it and stops it.
func measure(ctx context.Context, tg target, o loadOptions, profile string) (*result, error) {
	ep, err := tg.start(ctx)
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	client := newClient(ep)
	if err := probe(ctx, client); err != nil {
		ep.stop()
		return nil, fmt.Errorf("first call: %w", err)
	}
	if profile != "" {
		o.onMeasure = func() (func(), error) {
			f, err := os.Create(profile)
			if err != nil {
				return nil, err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return nil, err
			}
			return func() { pprof.StopCPUProfile(); f.Close() }, nil
		}
	}
	res, err := load(ctx, callerIdentity(client), o)
	if stopErr := ep.stop(); err == nil && stopErr != nil {
		err = fmt.Errorf("stop: %w", stopErr)
	}
	return res, err
}

// report prints one row per target and the goals, under title when there is one.
func report(w io.Writer, title string, targets []target, results map[string]*result) {
	if title != "" {
		fmt.Fprintf(w, "\n%s:\n", title)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\trequests\terrors\treq/s\tp50\tp99\tof ceiling\t")
	ceiling := results["ceiling"]
	for _, tg := range targets {
		r := results[tg.name]
		share := "-"
		if ceiling != nil && ceiling.rate() > 0 {
			share = fmt.Sprintf("%.0f%%", 100*r.rate()/ceiling.rate())
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t\n", tg.name, r.requests, r.errors, r.rate(),
			fmtLatency(r.percentile(0.50)), fmtLatency(r.percentile(0.99)), share)
	}
	tw.Flush()
	for _, r := range results {
		if r.firstErr != nil {
			fmt.Fprintf(w, "first error: %v\n", r.firstErr)
		}
	}
	cairn, moto := results["cairn"], results["moto"]
	if cairn != nil && ceiling != nil {
		share := cairn.rate() / ceiling.rate()
		fmt.Fprintf(w, "cairn / ceiling = %.0f%% (goal ≥ 70%%): %s\n", 100*share, verdict(share >= 0.70))
	}
	if cairn != nil && moto != nil && moto.rate() > 0 {
		times := cairn.rate() / moto.rate()
		fmt.Fprintf(w, "cairn / moto = %.1f× (goal > 20×): %s\n", times, verdict(times > 20))
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func fmtLatency(d time.Duration) string {
	switch {
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}
