package console_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// thousands makes alpha's pipelines p-0000 … and executions of p-0000 named run-00001 …,
// each newer than the one before. The rows are written to the store directly, as copies of
// a pipeline and an execution made through the API: starting 10,000 executions would take
// minutes.
func (c *cairn) thousands(pipelines, executions int) {
	t := c.t
	t.Helper()
	role := c.role("alpha", "exec")
	c.pipeline("alpha", "p-0000", role, branching)
	sm := c.sagemaker("alpha")
	out, err := sm.StartPipelineExecution(context.Background(), &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String("p-0000"),
		ClientRequestToken: aws.String(token())})
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, sm, aws.ToString(out.PipelineExecutionArn), "Succeeded")
	err = c.srv.Store().Update(context.Background(), func(tx store.Tx) error {
		p, err := tx.Pipeline("111111111111", "p-0000")
		if err != nil {
			return err
		}
		for i := 1; i < pipelines; i++ {
			cp := *p
			cp.Name = fmt.Sprintf("p-%04d", i)
			cp.ARN = strings.Replace(p.ARN, "/p-0000", "/"+cp.Name, 1)
			cp.ClientRequestToken = token()
			if err := tx.CreatePipeline(&cp); err != nil {
				return err
			}
		}
		ex, err := tx.PipelineExecution(aws.ToString(out.PipelineExecutionArn))
		if err != nil {
			return err
		}
		for i := 1; i < executions; i++ {
			cp := *ex
			cp.ID = fmt.Sprintf("x%011d", i)
			cp.ARN = p.ARN + "/execution/" + cp.ID
			cp.DisplayName = fmt.Sprintf("run-%05d", i)
			cp.ClientRequestToken = token()
			cp.CreatedAt = ex.CreatedAt.Add(time.Duration(i) * time.Second)
			cp.LastModifiedAt = cp.CreatedAt
			if err := tx.CreatePipelineExecution(&cp); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("write the rows: %v", err)
	}
}

// The lists page on the server: 1,000 pipelines walked 50 at a time and 10,000 executions of
// one pipeline 20 at a time, each page reached by a link whose address holds its token, so
// that every row is listed once, in order.
func TestListsOfThousands(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 11,000 rows")
	}
	c := start(t)
	const pipelines, executions = 1000, 10000
	c.thousands(pipelines, executions)
	b := c.signedIn(c.keys("alpha"))
	next := regexp.MustCompile(`rel="next" href="([^"]+)"`)
	// Every pipeline once, in name order, 50 a page.
	pipelineLink := regexp.MustCompile(`<a href="/_cairn/console/pipeline\?name=(p-\d{4})">`)
	var names []string
	var slowest time.Duration
	path := "/_cairn/console/pipelines"
	for pages := 0; path != ""; pages++ {
		if pages > pipelines/50 {
			t.Fatalf("more than %d pages of pipelines", pipelines/50)
		}
		began := time.Now()
		r := b.get(path)
		slowest = max(slowest, time.Since(began))
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		found := pipelineLink.FindAllStringSubmatch(r.body, -1)
		if len(found) != 50 {
			t.Errorf("%s lists %d pipelines", path, len(found))
		}
		for _, m := range found {
			names = append(names, m[1])
		}
		path = ""
		if m := next.FindStringSubmatch(r.body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	if len(names) != pipelines || !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != pipelines {
		t.Errorf("%d pipelines listed, sorted %v", len(names), slices.IsSorted(names))
	}
	t.Logf("slowest page of pipelines: %v", slowest)
	// The executions, newest first, 20 a page: the first pages, then back to the newest.
	runLink := regexp.MustCompile(`">(run-\d{5})</a>`)
	var runs []string
	path, slowest = "/_cairn/console/pipeline?name=p-0000", 0
	for pages := 0; pages < 10; pages++ {
		began := time.Now()
		r := b.get(path)
		slowest = max(slowest, time.Since(began))
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		found := runLink.FindAllStringSubmatch(r.body, -1)
		if len(found) != 20 {
			t.Fatalf("%s lists %d executions", path, len(found))
		}
		for _, m := range found {
			runs = append(runs, m[1])
		}
		if pages > 0 && !strings.Contains(r.body, `>Newest</a>`) {
			t.Errorf("page %d has no link back to the newest", pages+1)
		}
		m := next.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("page %d has no older page", pages+1)
		}
		path = html.UnescapeString(m[1])
	}
	for i, run := range runs {
		if want := fmt.Sprintf("run-%05d", executions-1-i); run != want {
			t.Fatalf("execution %d is %s, want %s", i, run, want)
		}
	}
	t.Logf("slowest page of executions: %v", slowest)
}
