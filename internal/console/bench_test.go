package console_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
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
