package console_test

import (
	"bufio"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// A step's job has a page with its description and its log, streamed as server-sent
// events to the end; another account's session gets the API's denial.
func TestJobPageAndLog(t *testing.T) {
	c := start(t)
	role := c.role("alpha", "exec")
	c.outputBucket("alpha")
	c.pipeline("alpha", "slow", role, slowPipeline(role))
	sm := c.sagemaker("alpha")
	out, err := sm.StartPipelineExecution(context.Background(), &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("slow"),
		ClientRequestToken: aws.String(token()), PipelineParameters: []smtypes.Parameter{{Name: aws.String("Seconds"), Value: aws.String("0")}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.PipelineExecutionArn)
	waitStatus(t, sm, arn, "Succeeded")
	steps, err := sm.ListPipelineExecutionSteps(context.Background(), &sagemaker.ListPipelineExecutionStepsInput{PipelineExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	var jobARN string
	for _, st := range steps.PipelineExecutionSteps {
		if st.Metadata != nil && st.Metadata.ProcessingJob != nil {
			jobARN = aws.ToString(st.Metadata.ProcessingJob.Arn)
		}
	}
	if jobARN == "" {
		t.Fatal("no processing job")
	}
	b := c.signedIn(c.keys("alpha"))
	exec := b.get("/_cairn/console/execution?arn=" + url.QueryEscape(arn))
	if !strings.Contains(strings.ToLower(exec.body), strings.ToLower(`href="/_cairn/console/job?arn=`+url.QueryEscape(jobARN))) {
		t.Errorf("the execution page does not link the step's job %s:\n%s", jobARN, exec.body)
	}
	// The step chosen on the execution page shows its job and follows its log; a step that
	// ran no job says so, and a step the definition lacks is named as such.
	chosen := b.get("/_cairn/console/execution?arn=" + url.QueryEscape(arn) + "&step=Work")
	for _, want := range []string{`<section id="step-detail"`, `id="job-status" class="status s-Completed"`,
		`data-events="/_cairn/console/job/log?arn=` + url.QueryEscape(jobARN) + `"`, `<tr id="step-Work" data-step="Work" class="chosen">`} {
		if !strings.Contains(chosen.body, want) {
			t.Errorf("the execution page with its Work step chosen lacks %s", want)
		}
	}
	if r := b.get("/_cairn/console/execution?arn=" + url.QueryEscape(arn) + "&step=Check"); !strings.Contains(r.body, "This step ran no job.") {
		t.Errorf("the Condition step chosen:\n%s", r.body)
	}
	if r := b.get("/_cairn/console/execution?arn=" + url.QueryEscape(arn) + "&step=Nope"); !strings.Contains(r.body, `no step named &#34;Nope&#34;`) ||
		strings.Contains(r.body, `id="log"`) {
		t.Errorf("a step the definition lacks:\n%s", r.body)
	}
	page := b.get("/_cairn/console/job?arn=" + url.QueryEscape(jobARN))
	if page.status != http.StatusOK || !strings.Contains(page.body, "Completed") || !strings.Contains(page.body, "ProcessingJobStatus") {
		t.Fatalf("job page: %d", page.status)
	}
	// The job's lineage: its trial component, with the job's image and output artifacts.
	link := regexp.MustCompile(`<a id="lineage" href="([^"]+)"`).FindStringSubmatch(page.body)
	if link == nil {
		t.Fatalf("the job page has no lineage link:\n%s", page.body)
	}
	lineage := b.get(html.UnescapeString(link[1]))
	if lineage.status != http.StatusOK || !strings.Contains(lineage.body, "-aws-processing-job") || !strings.Contains(lineage.body, "t-artifact") {
		t.Errorf("the job's lineage: %d\n%s", lineage.status, lineage.body)
	}
	// The job page lists what the job read and produced, each with its lineage: the
	// output's shows the job's trial component that produced it.
	for _, want := range []string{`<tr class="input"><td>input</td><td><code>683313688378.dkr.ecr`, `<tr class="output"><td>output</td><td><code>s3://console-out/result</code>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the job page lacks %s", want)
		}
	}
	output := regexp.MustCompile(`<tr class="output">.*?<a href="([^"]+)">lineage</a>`).FindStringSubmatch(page.body)
	if output == nil {
		t.Fatal("no lineage link for the job's output")
	}
	if r := b.get(html.UnescapeString(output[1])); r.status != http.StatusOK || !strings.Contains(r.body, "s3://console-out/result") ||
		!strings.Contains(r.body, ">Produced</text>") || !strings.Contains(r.body, "-aws-processing-job") {
		t.Errorf("the output's lineage: %d\n%s", r.status, r.body)
	}
	// The lineage of the job itself starts from its trial component; the execution page links it.
	if r := b.get("/_cairn/console/lineage?arn=" + url.QueryEscape(jobARN)); r.status != http.StatusOK ||
		!strings.Contains(r.body, "the trial component SageMaker records for the processing job") || !strings.Contains(r.body, "s3://console-out/result") {
		t.Errorf("the job's lineage by its ARN: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(strings.ToLower(exec.body), strings.ToLower(`class="lineage" href="/_cairn/console/lineage?arn=`+url.QueryEscape(jobARN))) {
		t.Errorf("the execution page does not link the step's lineage")
	}
	res, err := b.http.Get(b.base + "/_cairn/console/job/log?arn=" + url.QueryEscape(jobARN))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var lines []string
	ended := false
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			lines = append(lines, data)
		}
		if sc.Text() == "event: end" {
			ended = true
		}
	}
	log := strings.Join(lines, "\n")
	if !ended || !strings.Contains(log, `"working"`) || !strings.Contains(log, `"done"`) || !strings.Contains(log, `{"failure":"","status":"Completed"}`) {
		t.Errorf("log stream (ended %v):\n%s", ended, log)
	}
	beta := c.signedIn(c.keys("beta"))
	for _, path := range []string{"/_cairn/console/job?arn=", "/_cairn/console/job/log?arn=", "/_cairn/console/lineage?arn="} {
		if r := beta.get(path + url.QueryEscape(jobARN)); r.status == http.StatusOK || strings.Contains(r.body, "working") {
			t.Errorf("%s for another account: %d", path, r.status)
		}
	}
}
