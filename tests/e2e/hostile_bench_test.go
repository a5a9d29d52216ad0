package e2e

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// BenchmarkListPipelinesHostile measures a real ListPipelines (one client, one call at a
// time, ten pipelines in the account) on an idle server and while another process holds
// 10,000 hostile connections (see TestHostileConnections): 5,000 whose headers never end,
// dialled again as soon as the server drops them at its header timeout, and 5,000
// fake-signed requests that never send their body, dialled again 10 s after their refusal.
// It reports the median and 99th percentile latency besides ns/op.
//
//	go test ./tests/e2e/ -run '^$' -bench ListPipelinesHostile -benchtime 2000x
func BenchmarkListPipelinesHostile(b *testing.B) {
	for _, bc := range []struct {
		name  string
		conns int
	}{{"idle", 0}, {"hostile-10000", hostileConns}} {
		b.Run(bc.name, func(b *testing.B) {
			c := start(b, startOptions{})
			ctx := context.Background()
			client := sagemaker.NewFromConfig(c.config("default"), func(o *sagemaker.Options) { o.Retryer = aws.NopRetryer{} })
			role := pipelineRole(b, c, "default", "bench-list", fullPipelinePolicy)
			for i := 0; i < 10; i++ {
				if _, err := client.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String("p" + string(rune('a'+i))),
					RoleArn: aws.String(role), PipelineDefinition: aws.String(`{"Version":"2020-12-01","Steps":[{"Name":"F","Type":"Fail","Arguments":{}}]}`),
					ClientRequestToken: aws.String(token(b, "create-"+string(rune('a'+i))))}); err != nil {
					b.Fatal(err)
				}
			}
			if bc.conns > 0 {
				a := spawnAttack(b, c.srv.Addr(), bc.conns, 10*time.Second)
				a.waitHeld(b, int64(bc.conns))
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				begin := time.Now()
				out, err := client.ListPipelines(ctx, &sagemaker.ListPipelinesInput{SortBy: types.SortPipelinesByName})
				if err != nil {
					b.Fatal(err)
				}
				if len(out.PipelineSummaries) != 10 {
					b.Fatalf("%d pipelines listed", len(out.PipelineSummaries))
				}
				lat = append(lat, time.Since(begin))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
