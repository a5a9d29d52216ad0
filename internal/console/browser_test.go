package console_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds a headless-capable Chromium: Debian's chromium, which .ci/run
// installs.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// slowPipeline is a processing step that runs for a moment and writes one output to
// s3://console-out/ (the bucket outputBucket creates), then a Condition step that waits for
// it: long enough to watch a step run and turn green, with an output whose lineage can be
// opened.
func slowPipeline(role string) string {
	return `{"Version":"2020-12-01","Metadata":{},"Parameters":[{"Name":"Seconds","Type":"String","DefaultValue":"1"}],"Steps":[
	 {"Name":"Work","Type":"Processing","Arguments":{
	   "ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":30}},
	   "AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
	     "ContainerEntrypoint":["sh","-c","echo working; sleep $SECONDS_TO_SLEEP; echo result > /opt/ml/processing/result/result.txt; echo done"]},
	   "ProcessingOutputConfig":{"Outputs":[{"OutputName":"result","AppManaged":false,"S3Output":{"S3Uri":"s3://console-out/result",
	     "LocalPath":"/opt/ml/processing/result","S3UploadMode":"EndOfJob"}}]},
	   "Environment":{"SECONDS_TO_SLEEP":{"Get":"Parameters.Seconds"}},
	   "RoleArn":"` + role + `","StoppingCondition":{"MaxRuntimeInSeconds":120}}},
	 {"Name":"Check","Type":"Condition","DependsOn":["Work"],"Arguments":{"Conditions":[{"Type":"Equals","LeftValue":1,"RightValue":1}],"IfSteps":[],"ElseSteps":[]}}
	]}`
}

// outputBucket creates the bucket slowPipeline writes its output to.
func (c *cairn) outputBucket(profile string) {
	c.t.Helper()
	if _, err := s3.NewFromConfig(c.config(profile), func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(context.Background(),
		&s3.CreateBucketInput{Bucket: aws.String("console-out")}); err != nil {
		c.t.Fatalf("CreateBucket: %v", err)
	}
}

// A real browser signs in through the one-time URL, opens a pipeline, starts an execution
// with the form, watches its steps turn green as the server pushes them, and opens the
// lineage of the step's job.
func TestBrowserWatchesAnExecution(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("no chromium on PATH: install Debian's chromium (.ci/run does) to run the browser test")
	}
	c := start(t)
	role := c.role("alpha", "exec")
	c.outputBucket("alpha")
	c.pipeline("alpha", "slow", role, slowPipeline(role))
	signin := federation(t, c.srv.Endpoint(), c.keys("alpha"))

	shots := t.TempDir()
	if dir := os.Getenv("CAIRN_CONSOLE_SCREENSHOTS"); dir != "" {
		shots = dir // keep them after the test
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.WindowSize(1366, 900), chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			buf, err := chromedp.FullScreenshot(100)(ctx, t)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644)
		})
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	// tabTo presses Tab until the focus is on sel: what a person without a mouse does.
	tabTo := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			for i := 0; i < 80; i++ {
				if _, err := chromedp.KeyEvent("\t")(ctx, t); err != nil {
					return err
				}
				on, err := chromedp.Evaluate[bool](`!!document.activeElement && document.activeElement.matches(`+strconv.Quote(sel)+`)`)(ctx, t)
				if err != nil || on {
					return err
				}
			}
			return fmt.Errorf("80 presses of Tab do not reach %s", sel)
		})
	}
	// offsite records what the page fetched from anywhere but the server: the console
	// works offline, so nothing.
	var offsite []string
	checkOffsite := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		urls, err := chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => e.name).filter(u => !u.startsWith(location.origin + "/"))`)(ctx, t)
		offsite = append(offsite, urls...)
		return err
	})
	if err := chromedp.Do(ctx,
		chromedp.Navigate(signin),
		chromedp.WaitVisible(css(`a[href="/_cairn/console/pipeline?name=slow"]`)),
		shot("1-pipelines"),
	); err != nil {
		t.Fatalf("sign in through the one-time URL: %v", err)
	}
	who, err := chromedp.Run(ctx, chromedp.Text(css(`.who span`)))
	if err != nil || who != "arn:aws:iam::111111111111:root" {
		t.Errorf("signed in as %q (%v)", who, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(css(`a[href="/_cairn/console/pipeline?name=slow"]`)),
		chromedp.WaitVisible(css(`svg.dag g[data-step="Work"]`)),
		shot("2-pipeline"), checkOffsite,
		chromedp.SetValue(css(`#param-Seconds`), "2"),
		tabTo(`#start`),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`#live`)),
	); err != nil {
		t.Fatalf("open the pipeline and start an execution: %v", err)
	}
	// The Work step, chosen in the graph at once, shows its job's log as it is written, as
	// `cairn logs -f EXECUTION-ARN Work` follows it. The page was rendered before or while the
	// step ran; what follows arrives over the event streams.
	if err := chromedp.Do(ctx,
		chromedp.Click(css(`svg.dag g[data-step="Work"] a`)),
		chromedp.WaitVisible(css(`#step-detail`)),
		chromedp.WaitVisible(css(`svg.dag g.s-Executing[data-step="Work"]`)),
		shot("3-running"),
		chromedp.WaitVisible(css(`svg.dag g.s-Succeeded[data-step="Work"]`)),
		chromedp.WaitVisible(css(`svg.dag g.s-Succeeded[data-step="Check"]`)),
		chromedp.WaitVisible(css(`body[data-exec-status="Succeeded"]`)),
		shot("4-succeeded"), checkOffsite,
	); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Text(css(`#exec-status`)))
		t.Fatalf("watch the steps turn green (execution %q): %v", status, err)
	}
	logDeadline := time.Now().Add(20 * time.Second)
	for {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("log").textContent`))
		if err == nil && strings.Contains(text, "working\n") && strings.Contains(text, "done\n") {
			break
		}
		if time.Now().After(logDeadline) {
			t.Fatalf("the step's log on the execution page: %q (%v)", text, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`#job-status.s-Completed`))); err != nil {
		t.Errorf("the job's status at the log's end: %v", err)
	}
	duration, err := chromedp.Run(ctx, chromedp.Text(css(`#step-Work .c-duration`)))
	if err != nil || duration == "" {
		t.Errorf("no duration for Work: %q %v", duration, err)
	}
	// From the step to its job, and from the job to the lineage of its output: the
	// artifact of what it wrote, produced by the trial component SageMaker recorded for the
	// job; that component in the graph, reached with Tab and opened with Enter, expands its
	// own inputs in place.
	if err := chromedp.Do(ctx,
		chromedp.Click(css(`#step-Work .c-detail a[href^="/_cairn/console/job?"]`)),
		chromedp.WaitVisible(css(`tr.output a`)),
		shot("5-job"), checkOffsite,
		chromedp.Click(css(`tr.output a`)),
		chromedp.WaitVisible(css(`svg.dag g.s-Start.t-artifact`)),
		chromedp.WaitVisible(css(`svg.dag g.t-trialcomponent`)),
		shot("6-lineage-of-output"),
		tabTo(`svg.dag g.t-trialcomponent a`),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`svg.dag g.s-Expanded.t-trialcomponent`)),
		shot("7-lineage-expanded"), checkOffsite,
	); err != nil {
		t.Fatalf("open the lineage of the step's output: %v", err)
	}
	start, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("svg.dag g.s-Start .step-name").textContent`))
	if err != nil || !strings.Contains(start, "console-out/result") {
		t.Errorf("the lineage starts from %q (%v), want the job's output", start, err)
	}
	// The image the job ran is among the expanded component's inputs, and the page's address
	// keeps the expansion, so the back button returns to the graph before it.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`svg.dag g.t-artifact:not(.s-Start)`))); err != nil {
		t.Errorf("the expanded component's inputs: %v", err)
	}
	// The back button: history.back() as a person's click would, then the page read with
	// script (the history navigation is not one chromedp started, so its DOM queries may
	// still hold the page before).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`history.back()`)); err != nil {
		t.Errorf("back: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.dag g.s-Expanded").length`))
		if err == nil && n == 0 && !strings.Contains(href, "expand=") && strings.Contains(href, "/lineage?") {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("after back: at %s with %d expanded entities (%v)", href, n, err)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(offsite) > 0 {
		t.Errorf("pages fetched from other origins: %v", offsite)
	}
	t.Logf("screenshots in %s", shots)
}

// A step chosen before it has started shows that it waits, then follows the log of the
// job it starts, as `cairn logs -f EXECUTION-ARN STEP` does.
func TestBrowserFollowsAStepNotStarted(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("no chromium on PATH: install Debian's chromium (.ci/run does) to run the browser test")
	}
	c := start(t)
	role := c.role("alpha", "exec")
	c.outputBucket("alpha")
	// Later waits for Work (slowPipeline's first step) by DependsOn and runs a job of its own.
	def := strings.Replace(slowPipeline(role), `
	]}`, `,
	 {"Name":"Later","Type":"Processing","DependsOn":["Work"],"Arguments":{
	   "ProcessingResources":{"ClusterConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":30}},
	   "AppSpecification":{"ImageUri":"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
	     "ContainerEntrypoint":["sh","-c","echo later-started; echo later-done"]},
	   "RoleArn":"`+role+`","StoppingCondition":{"MaxRuntimeInSeconds":120}}}
	]}`, 1)
	c.pipeline("alpha", "two", role, def)
	out, err := c.sagemaker("alpha").StartPipelineExecution(context.Background(), &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("two"),
		ClientRequestToken: aws.String(token()), PipelineParameters: []smtypes.Parameter{{Name: aws.String("Seconds"), Value: aws.String("8")}}})
	if err != nil {
		t.Fatal(err)
	}
	signin := federation(t, c.srv.Endpoint(), c.keys("alpha"))
	ctx, cancel := headless(t, chromium)
	defer cancel()
	page := c.srv.Endpoint() + "/_cairn/console/execution?arn=" + url.QueryEscape(aws.ToString(out.PipelineExecutionArn)) + "&step=Later"
	if err := chromedp.Do(ctx, chromedp.Navigate(signin), chromedp.WaitVisible(chromedp.CSS(`h1`)), chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`#step-detail`))); err != nil {
		t.Fatal(err)
	}
	// The page was rendered waiting (the log element names the step, not a job's stream);
	// its note is cleared once the log follows, which may already have happened.
	waiting, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("log-wait") ? document.getElementById("log").dataset.step : ""`))
	if err != nil || waiting != "Later" {
		t.Fatalf("the page of a step not started: %q (%v)", waiting, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("log").textContent`))
		if err == nil && strings.Contains(text, "later-started\n") && strings.Contains(text, "later-done\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log of the step's job: %q (%v)", text, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
