package console_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
	"github.com/chromedp/chromedp"
)

// wide200 is 200 Condition steps: step i depends on step i/2 and, when odd, on step i-1.
func wide200() string {
	var steps []string
	for i := 0; i < 200; i++ {
		deps := ""
		if i > 0 {
			list := []string{fmt.Sprintf(`"S%03d"`, i/2)}
			if i%2 == 1 && i-1 != i/2 {
				list = append(list, fmt.Sprintf(`"S%03d"`, i-1))
			}
			deps = `,"DependsOn":[` + strings.Join(list, ",") + `]`
		}
		steps = append(steps, fmt.Sprintf(`{"Name":"S%03d","Type":"Condition"%s,"Arguments":{"Conditions":[{"Type":"Equals","LeftValue":1,"RightValue":1}],"IfSteps":[],"ElseSteps":[]}}`, i, deps))
	}
	return `{"Version":"2020-12-01","Metadata":{},"Parameters":[],"Steps":[` + strings.Join(steps, ",") + `]}`
}

// BenchmarkPipelinePage200Steps is a signed-in GET of the page of a 200-step pipeline over
// loopback: session, DescribePipeline and ListPipelineExecutions through the operations,
// parsing, layout and rendering.
func BenchmarkPipelinePage200Steps(b *testing.B) {
	c := start(b)
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "wide", role, wide200())
	br := c.signedIn(c.keys("alpha"))
	b.ReportAllocs()
	for b.Loop() {
		r := br.get("/_cairn/console/pipeline?name=wide")
		if r.status != http.StatusOK || strings.Count(r.body, `class="step t-condition"`) != 200 {
			b.Fatalf("page: %d", r.status)
		}
	}
}

// BenchmarkStepStatusToBrowser measures how long a step's change takes from the start of
// its store commit to the event that carries it arriving at an open event stream over
// loopback: the change feed, the re-read through the operations as the signed-in
// principal, and the write. It reports the median and the 99th percentile.
func BenchmarkStepStatusToBrowser(b *testing.B) {
	c := start(b)
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "branching", role, branching)
	sm := c.sagemaker("alpha")
	out, err := sm.StartPipelineExecution(context.Background(), &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("branching"),
		ClientRequestToken: aws.String(token())})
	if err != nil {
		b.Fatal(err)
	}
	arn := aws.ToString(out.PipelineExecutionArn)
	waitStatus(b, sm, arn, "Succeeded")
	br := c.signedIn(c.keys("alpha"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, br.base+"/_cairn/console/execution/events?arn="+url.QueryEscape(arn), nil)
	res, err := br.http.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("events: %v", err)
	}
	defer res.Body.Close()
	events := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- data
			}
		}
		close(events)
	}()
	<-events // the state at connect
	st := c.srv.Store()
	var lat []time.Duration
	attempts := 100
	b.ResetTimer()
	for b.Loop() {
		attempts++
		want := fmt.Sprintf(`"name":"After","status":"Succeeded","attempts":%d`, attempts)
		begin := time.Now()
		err := st.Update(context.Background(), func(tx store.Tx) error {
			steps, err := tx.ExecutionSteps(arn)
			if err != nil {
				return err
			}
			for _, s := range steps {
				if s.Name == "After" {
					s.AttemptCount = attempts
					return tx.PutExecutionStep(s)
				}
			}
			return fmt.Errorf("no step After")
		})
		if err != nil {
			b.Fatal(err)
		}
		for ev := range events {
			if strings.Contains(ev, want) {
				break
			}
		}
		lat = append(lat, time.Since(begin))
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkListsOfThousands is a signed-in GET of the first page of the pipelines list among
// 1,000 pipelines, and of the page of a pipeline with 10,000 executions (its graph and the
// newest 20), over loopback.
func BenchmarkListsOfThousands(b *testing.B) {
	c := start(b)
	c.thousands(1000, 10000)
	br := c.signedIn(c.keys("alpha"))
	for _, page := range []struct{ name, path, want string }{
		{"Pipelines1000", "/_cairn/console/pipelines", "p-0049"},
		{"Executions10000", "/_cairn/console/pipeline?name=p-0000", "run-09980"},
	} {
		b.Run(page.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := br.get(page.path)
				if r.status != http.StatusOK || !strings.Contains(r.body, page.want) {
					b.Fatalf("%s: %d", page.path, r.status)
				}
			}
		})
	}
}

// BenchmarkStepStatusToChromium is BenchmarkStepStatusToBrowser with a real browser at the
// end: headless Chromium shows the execution page, and a step's change counts as arrived
// when live.js has written it into the page (a MutationObserver stamps the moment with
// performance.timeOrigin + performance.now(), on the same clock as the commit's start). It
// reports the median and the 99th percentile.
func BenchmarkStepStatusToChromium(b *testing.B) {
	chromium := chromiumPath()
	if chromium == "" {
		b.Skip("no chromium on PATH")
	}
	c := start(b)
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "branching", role, branching)
	sm := c.sagemaker("alpha")
	out, err := sm.StartPipelineExecution(context.Background(), &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("branching"),
		ClientRequestToken: aws.String(token())})
	if err != nil {
		b.Fatal(err)
	}
	arn := aws.ToString(out.PipelineExecutionArn)
	waitStatus(b, sm, arn, "Succeeded")
	signin := federation(b, c.srv.Endpoint(), c.keys("alpha"))
	ctx, cancel := headless(b, chromium)
	defer cancel()
	page := c.srv.Endpoint() + "/_cairn/console/execution?arn=" + url.QueryEscape(arn)
	if err := chromedp.Do(ctx, chromedp.Navigate(signin), chromedp.WaitVisible(chromedp.CSS(`h1`)), chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`#step-After .c-attempts`))); err != nil {
		b.Fatal(err)
	}
	// Stamp each attempt count the page shows, the moment it shows it.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`(() => {
		window.seen = {};
		const cell = document.querySelector("#step-After .c-attempts");
		new MutationObserver(() => { window.seen[cell.textContent] = performance.timeOrigin + performance.now(); })
			.observe(cell, {childList: true, characterData: true, subtree: true});
	})()`)); err != nil {
		b.Fatal(err)
	}
	st := c.srv.Store()
	var lat []time.Duration
	attempts := 100
	for b.Loop() {
		attempts++
		begin := time.Now()
		err := st.Update(context.Background(), func(tx store.Tx) error {
			steps, err := tx.ExecutionSteps(arn)
			if err != nil {
				return err
			}
			for _, s := range steps {
				if s.Name == "After" {
					s.AttemptCount = attempts
					return tx.PutExecutionStep(s)
				}
			}
			return fmt.Errorf("no step After")
		})
		if err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			at, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(`window.seen["%d"] || 0`, attempts)))
			if err != nil {
				b.Fatal(err)
			}
			if at > 0 {
				lat = append(lat, time.UnixMicro(int64(at*1000)).Sub(begin))
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("attempt %d never reached the page", attempts)
			}
			time.Sleep(time.Millisecond)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// headless starts headless Chromium for a benchmark or test.
func headless(tb testing.TB, chromium string) (context.Context, context.CancelFunc) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.WindowSize(1366, 900), chromedp.UserDataDir(tb.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	return ctx, func() { cancelTimeout(); cancel(); cancelAlloc() }
}
