package sagemaker

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

func str(s string) *string { return &s }

func filter(name, op, value string) SearchFilter {
	f := SearchFilter{Name: name, Operator: str(op)}
	if value != "" {
		f.Value = str(value)
	}
	return f
}

// execDoc is an execution as Search sees it.
func execDoc() *searchDoc {
	d := newSearchDoc()
	d.setText("PipelineExecutionDisplayName", "Nightly-Run")
	d.setText("PipelineExecutionStatus", "Failed")
	d.setTime("CreationTime", time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC))
	d.setNumber("ParallelismConfiguration.MaxParallelExecutionSteps", 4)
	d.setText("PipelineParameters.Region", "eu")
	d.Lists["PipelineParameters"] = []map[string]string{
		{"PipelineParameters.Name": "Region", "PipelineParameters.Value": "eu"},
		{"PipelineParameters.Name": "Size", "PipelineParameters.Value": "large"},
	}
	d.Values["Tags.team"] = searchValue{s: "ml"}
	d.Lists["Tags"] = []map[string]string{{"Tags.Key": "team", "Tags.Value": "ml"}}
	return d
}

func TestSearchExpressionMatches(t *testing.T) {
	tests := []struct {
		name string
		expr SearchExpression
		want bool
	}{
		{"equals", SearchExpression{Filters: []SearchFilter{filter("PipelineExecutionStatus", "Equals", "Failed")}}, true},
		{"operator defaults to Equals", SearchExpression{Filters: []SearchFilter{{Name: "PipelineExecutionStatus", Value: str("Failed")}}}, true},
		{"equals is exact", SearchExpression{Filters: []SearchFilter{filter("PipelineExecutionStatus", "Equals", "failed")}}, false},
		{"not equals an absent property", SearchExpression{Filters: []SearchFilter{filter("FailureReason", "NotEquals", "x")}}, true},
		{"contains ignores case", SearchExpression{Filters: []SearchFilter{filter("PipelineExecutionDisplayName", "Contains", "nightly")}}, true},
		{"in", SearchExpression{Filters: []SearchFilter{filter("PipelineExecutionStatus", "In", "Succeeded, Failed")}}, true},
		{"exists", SearchExpression{Filters: []SearchFilter{filter("Tags.team", "Exists", "")}}, true},
		{"not exists", SearchExpression{Filters: []SearchFilter{filter("Tags.owner", "NotExists", "")}}, true},
		{"time after", SearchExpression{Filters: []SearchFilter{filter("CreationTime", "GreaterThan", "2024-02-29T00:00:00Z")}}, true},
		{"time as epoch seconds", SearchExpression{Filters: []SearchFilter{filter("CreationTime", "LessThan", "1709294400")}}, false},
		{"time as a date", SearchExpression{Filters: []SearchFilter{filter("CreationTime", "GreaterThanOrEqualTo", "2024-03-01")}}, true},
		{"number", SearchExpression{Filters: []SearchFilter{filter("ParallelismConfiguration.MaxParallelExecutionSteps", "LessThanOrEqualTo", "4")}}, true},
		{"an absent number is not compared", SearchExpression{Filters: []SearchFilter{filter("LastModifiedTime", "LessThan", "2100-01-01")}}, false},
		{"parameter by name", SearchExpression{Filters: []SearchFilter{filter("PipelineParameters.Region", "Equals", "eu")}}, true},
		{"and", SearchExpression{Filters: []SearchFilter{filter("PipelineExecutionStatus", "Equals", "Failed"), filter("Tags.team", "Equals", "data")}}, false},
		{"or", SearchExpression{Operator: str("Or"), Filters: []SearchFilter{filter("PipelineExecutionStatus", "Equals", "Succeeded"), filter("Tags.team", "Equals", "ml")}}, true},
		{"nested: one element satisfies all", SearchExpression{NestedFilters: []NestedFilters{{NestedPropertyName: "PipelineParameters",
			Filters: []SearchFilter{filter("PipelineParameters.Name", "Equals", "Size"), filter("PipelineParameters.Value", "Equals", "large")}}}}, true},
		{"nested: no element satisfies all", SearchExpression{NestedFilters: []NestedFilters{{NestedPropertyName: "PipelineParameters",
			Filters: []SearchFilter{filter("PipelineParameters.Name", "Equals", "Region"), filter("PipelineParameters.Value", "Equals", "large")}}}}, false},
		{"sub-expressions", SearchExpression{Operator: str("Or"), SubExpressions: []SearchExpression{
			{Filters: []SearchFilter{filter("PipelineExecutionStatus", "Equals", "Succeeded")}},
			{Filters: []SearchFilter{filter("Tags.team", "Equals", "ml"), filter("CreationTime", "LessThan", "2025-01-01")}},
		}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cond, err := compileExpression(executionSchema(), &tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got := cond.match(execDoc()); got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSearchExpressionRefused(t *testing.T) {
	many := SearchExpression{}
	for i := 0; i < 3; i++ {
		sub := SearchExpression{}
		for j := 0; j < 20; j++ {
			sub.Filters = append(sub.Filters, filter("PipelineName", "Equals", "x"))
		}
		many.SubExpressions = append(many.SubExpressions, sub)
	}
	tests := []struct {
		name    string
		schema  *searchSchema
		expr    SearchExpression
		message string
	}{
		{"empty", pipelineSchema(), SearchExpression{}, "at least one of Filters"},
		{"empty sub-expression", pipelineSchema(), SearchExpression{SubExpressions: []SearchExpression{{}}}, "at least one of Filters"},
		{"unknown property", pipelineSchema(), SearchExpression{Filters: []SearchFilter{filter("TrainingJobName", "Equals", "x")}},
			"TrainingJobName is not a searchable property of Pipeline"},
		{"an execution's property on pipelines", pipelineSchema(), SearchExpression{Filters: []SearchFilter{filter("PipelineParameters.x", "Equals", "x")}},
			"not a searchable property"},
		{"a tag without a key", pipelineSchema(), SearchExpression{Filters: []SearchFilter{filter("Tags.", "Exists", "")}}, "not a searchable property"},
		{"comparison of text", pipelineSchema(), SearchExpression{Filters: []SearchFilter{filter("PipelineName", "GreaterThan", "a")}},
			"The GreaterThan operator is not supported for PipelineName, a text property."},
		{"contains on a time", pipelineSchema(), SearchExpression{Filters: []SearchFilter{filter("CreationTime", "Contains", "2024")}}, "not supported for CreationTime"},
		{"no value", pipelineSchema(), SearchExpression{Filters: []SearchFilter{{Name: "PipelineName"}}}, "needs a Value"},
		{"bad time", pipelineSchema(), SearchExpression{Filters: []SearchFilter{filter("CreationTime", "LessThan", "yesterday")}}, "is not a timestamp"},
		{"bad number", pipelineSchema(), SearchExpression{Filters: []SearchFilter{filter("ParallelismConfiguration.MaxParallelExecutionSteps", "LessThan", "NaN")}}, "is not a number"},
		{"two contains", pipelineSchema(), SearchExpression{Filters: []SearchFilter{filter("PipelineName", "Contains", "a"), filter("RoleArn", "Contains", "b")}},
			"'CONTAINS' operator usage limit of 1 exceeded."},
		{"unknown nested property", pipelineSchema(), SearchExpression{NestedFilters: []NestedFilters{{NestedPropertyName: "PipelineParameters",
			Filters: []SearchFilter{filter("PipelineParameters.Name", "Equals", "x")}}}}, "not a nested property of Pipeline"},
		{"nested filter outside its list", executionSchema(), SearchExpression{NestedFilters: []NestedFilters{{NestedPropertyName: "Tags",
			Filters: []SearchFilter{filter("PipelineParameters.Name", "Equals", "x")}}}}, "must name one of Tags.Key, Tags.Value"},
		{"more than 50 elements", pipelineSchema(), many, "at most 50"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileExpression(tc.schema, &tc.expr)
			var oe *operation.Error
			if !errors.As(err, &oe) || oe.Code != "ValidationException" || !strings.Contains(oe.Message, tc.message) {
				t.Errorf("error %v, want a ValidationException saying %q", err, tc.message)
			}
		})
	}
}

// Absent values sort last in either order; ties go by ARN.
func TestSortDocs(t *testing.T) {
	hit := func(arn string, n float64) searchHit {
		d := newSearchDoc()
		d.setNumber("N", n)
		return searchHit{arn: arn, doc: d}
	}
	for _, tc := range []struct {
		descending bool
		want       string
	}{{false, "b1 a2 c2 d0"}, {true, "a2 c2 b1 d0"}} {
		hits := []searchHit{hit("d0", 0), hit("c2", 2), hit("b1", 1), hit("a2", 2)}
		sortDocs(hits, "N", numberProp, tc.descending)
		var got []string
		for _, h := range hits {
			got = append(got, h.arn)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("descending %v: %v, want %s", tc.descending, got, tc.want)
		}
	}
}
