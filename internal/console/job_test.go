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
	if !ended || !strings.Contains(log, `"working"`) || !strings.Contains(log, `"done"`) {
		t.Errorf("log stream (ended %v):\n%s", ended, log)
	}
	beta := c.signedIn(c.keys("beta"))
	for _, path := range []string{"/_cairn/console/job?arn=", "/_cairn/console/job/log?arn="} {
		if r := beta.get(path + url.QueryEscape(jobARN)); r.status == http.StatusOK || strings.Contains(r.body, "working") {
			t.Errorf("%s for another account: %d", path, r.status)
		}
	}
}
