// Command lineage measures QueryLineage on a large synthetic graph.
//
// It builds, in Cairn's own store, a graph of -entities lineage entities (artifacts,
// actions, contexts and trial components in turn) where entity i (i ≥ 1) is the
// destination of -fanin associations from entities chosen at random among those before it,
// so that there are about entities × fanin associations; then it times -queries
// QueryLineage requests (Direction Both, MaxDepth 10, MaxResults 50, no filters) from
// random start entities, sent with aws-sdk-go-v2 over loopback, and reports p50/p99, the
// time the build took and the process's memory while answering.
//
// Usage:
//
//	go run ./bench/lineage [-entities 1000000] [-fanin 3] [-queries 500] [-batch 20000]
//
// Cairn runs in this process on a random loopback port with a temporary data dir (-keep
// keeps it and prints where).
package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/cairnhq/cairn/internal/server"
	"github.com/cairnhq/cairn/internal/store"
)

func main() {
	entities := flag.Int("entities", 1_000_000, "lineage entities in the graph")
	fanin := flag.Int("fanin", 3, "associations into each entity after the first")
	queries := flag.Int("queries", 500, "QueryLineage requests timed")
	batch := flag.Int("batch", 20_000, "entities written per transaction while building")
	keep := flag.Bool("keep", false, "keep the data dir")
	flag.Parse()
	if err := run(*entities, *fanin, *queries, *batch, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "lineage:", err)
		os.Exit(1)
	}
}

var kinds = []struct{ kind, resource, typ string }{
	{store.LineageArtifact, "artifact", "DataSet"},
	{store.LineageAction, "action", "ModelDeployment"},
	{store.LineageContext, "context", "Endpoint"},
	{store.LineageTrialComponent, "experiment-trial-component", "TrainingJob"},
}

func entityARN(account string, i int) string {
	k := kinds[i%len(kinds)]
	if k.kind == store.LineageArtifact {
		var b [16]byte
		copy(b[:], fmt.Sprintf("%016x", i))
		return "arn:aws:sagemaker:us-east-1:" + account + ":artifact/" + hex.EncodeToString(b[:])
	}
	return fmt.Sprintf("arn:aws:sagemaker:us-east-1:%s:%s/e-%d", account, k.resource, i)
}

func run(n, fanin, queries, batch int, keep bool) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "cairn-bench-lineage-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("data dir:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	srv, err := server.Open(ctx, server.Options{Listen: "127.0.0.1:0", DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	go srv.Serve()
	defer srv.Shutdown(ctx)
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigFiles([]string{filepath.Join(dir, "config")}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dir, "credentials")}), config.WithSharedConfigProfile("management"))
	if err != nil {
		return err
	}
	client := sagemaker.NewFromConfig(cfg)
	// The first entity through the API: it creates the account's lineage group.
	first, err := client.CreateContext(ctx, &sagemaker.CreateContextInput{ContextName: aws.String("root"), ContextType: aws.String("Endpoint"),
		Source: &smtypes.ContextSource{SourceUri: aws.String("bench")}})
	if err != nil {
		return err
	}
	account := strings.Split(aws.ToString(first.ContextArn), ":")[4]

	rng := rand.New(rand.NewPCG(1, 2))
	began := time.Now()
	now := time.Now().UTC()
	edges := 0
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		err := srv.Store().Update(ctx, func(tx store.Tx) error {
			for i := lo; i < hi; i++ {
				k := kinds[i%len(kinds)]
				a := entityARN(account, i)
				e := &store.LineageEntity{ARN: a, AccountID: account, Kind: k.kind, Name: a[strings.LastIndex(a, "/")+1:], Type: k.typ,
					SourceURI: fmt.Sprintf("s3://bench/%d", i), Body: `{"Source":{"SourceUri":"s3://bench"}}`,
					CreatedAt: now, LastModifiedAt: now}
				if k.kind == store.LineageArtifact {
					e.Name, e.SourceKey = "", e.SourceURI+"\x00"
				}
				if err := tx.CreateLineageEntity(e); err != nil {
					return err
				}
				seen := map[int]bool{}
				for j := 0; j < fanin && j < i; j++ {
					src := rng.IntN(i)
					if seen[src] {
						continue
					}
					seen[src] = true
					err := tx.CreateLineageAssociation(&store.LineageAssociation{SourceARN: entityARN(account, src), DestinationARN: a,
						Type: "ContributedTo", SourceAccount: account, DestinationAccount: account, CreatedAt: now})
					if err != nil {
						return err
					}
					edges++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if (hi/batch)%10 == 0 || hi == n {
			fmt.Printf("built %d entities, %d associations in %s\n", hi, edges, time.Since(began).Round(time.Second))
		}
	}
	build := time.Since(began)

	var lat []time.Duration
	var vertices int
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peakRSS := 0
	for q := 0; q < queries+10; q++ {
		start := entityARN(account, rng.IntN(n))
		t0 := time.Now()
		out, err := client.QueryLineage(ctx, &sagemaker.QueryLineageInput{StartArns: []string{start}, Direction: smtypes.DirectionBoth,
			MaxDepth: aws.Int32(10), MaxResults: aws.Int32(50), IncludeEdges: aws.Bool(false)})
		d := time.Since(t0)
		if err != nil {
			return err
		}
		if q >= 10 { // the first ten warm the caches
			lat = append(lat, d)
			vertices += len(out.Vertices)
		}
		peakRSS = max(peakRSS, rssKiB())
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	fmt.Printf("graph: %d entities, %d associations; build %s (%.0f entities/s)\n", n, edges, build.Round(time.Second), float64(n)/build.Seconds())
	fmt.Printf("QueryLineage Both depth 10, 50 results: %d queries, %.1f vertices each; p50 %s p99 %s max %s\n",
		len(lat), float64(vertices)/float64(len(lat)), pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
	fmt.Printf("memory while answering: process RSS peak %d MiB, Go heap in use %d MiB (before %d MiB); allocated per query %d KiB\n",
		peakRSS/1024, after.HeapInuse>>20, before.HeapInuse>>20, (after.TotalAlloc-before.TotalAlloc)/uint64(len(lat)+10)>>10)
	if info, err := os.Stat(filepath.Join(dir, "cairn.db")); err == nil {
		fmt.Printf("database: %d MiB\n", info.Size()>>20)
	}
	return nil
}

// rssKiB is the process's resident set size.
func rssKiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kib int
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kib)
			return kib
		}
	}
	return 0
}
