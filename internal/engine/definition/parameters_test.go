package definition

import (
	"errors"
	"strings"
	"testing"
)

func TestResolveParameters(t *testing.T) {
	fx := fixtures(t)
	d, err := Parse(fx["processing-script.json"], ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tag := Override{"RequiredTag", "v1"}
	tests := []struct {
		name      string
		overrides []Override
		want      map[string]any // checked members
		param     string         // for errors
		err       string
	}{
		{"defaults and the required value", []Override{tag}, map[string]any{
			"ProcessingInstanceType": "ml.m5.xlarge", "ProcessingInstanceCount": int64(1), "TrainTestSplitRatio": 0.3,
			"UseSpotLikeFlag": false, "InputDataUrl": "s3://sagemaker-us-east-1-111111111111/abalone/abalone-dataset.csv", "RequiredTag": "v1"}, "", ""},
		{"overrides", []Override{tag, {"ProcessingInstanceCount", "3"}, {"TrainTestSplitRatio", "0.25"}, {"UseSpotLikeFlag", "true"}, {"ProcessingInstanceType", "ml.c5.xlarge"}},
			map[string]any{"ProcessingInstanceCount": int64(3), "TrainTestSplitRatio": 0.25, "UseSpotLikeFlag": true, "ProcessingInstanceType": "ml.c5.xlarge"}, "", ""},
		{"python booleans", []Override{tag, {"UseSpotLikeFlag", "True"}}, map[string]any{"UseSpotLikeFlag": true}, "", ""},
		{"python false", []Override{tag, {"UseSpotLikeFlag", "FALSE"}}, map[string]any{"UseSpotLikeFlag": false}, "", ""},
		{"float from an integer", []Override{tag, {"TrainTestSplitRatio", "1"}}, map[string]any{"TrainTestSplitRatio": 1.0}, "", ""},
		{"float with exponent", []Override{tag, {"TrainTestSplitRatio", "2.5e-1"}}, map[string]any{"TrainTestSplitRatio": 0.25}, "", ""},
		{"negative integer", []Override{tag, {"ProcessingInstanceCount", "-1"}}, map[string]any{"ProcessingInstanceCount": int64(-1)}, "", ""},
		{"empty string", []Override{{"RequiredTag", ""}}, map[string]any{"RequiredTag": ""}, "", ""},
		{"unknown parameter", []Override{tag, {"Epochs", "3"}}, nil, "Epochs", `Parameter "Epochs" is not defined in the pipeline definition.`},
		{"given twice", []Override{tag, tag}, nil, "RequiredTag", `Parameter "RequiredTag" is given more than once.`},
		{"integer not a number", []Override{tag, {"ProcessingInstanceCount", "two"}}, nil, "ProcessingInstanceCount", `Value "two" of parameter "ProcessingInstanceCount" is not a valid Integer.`},
		{"integer with fraction", []Override{tag, {"ProcessingInstanceCount", "1.5"}}, nil, "ProcessingInstanceCount", "is not a valid Integer"},
		{"integer too large", []Override{tag, {"ProcessingInstanceCount", "99999999999999999999"}}, nil, "ProcessingInstanceCount", "is not a valid Integer"},
		{"float not a number", []Override{tag, {"TrainTestSplitRatio", "NaN"}}, nil, "TrainTestSplitRatio", `Value "NaN" of parameter "TrainTestSplitRatio" is not a valid Float.`},
		{"float hex", []Override{tag, {"TrainTestSplitRatio", "0x1p-2"}}, nil, "TrainTestSplitRatio", "is not a valid Float"},
		{"boolean", []Override{tag, {"UseSpotLikeFlag", "yes"}}, nil, "UseSpotLikeFlag", `Value "yes" of parameter "UseSpotLikeFlag" is not a valid Boolean.`},
		{"outside enum", []Override{tag, {"ProcessingInstanceType", "ml.p3.2xlarge"}}, nil, "ProcessingInstanceType",
			`Value "ml.p3.2xlarge" of parameter "ProcessingInstanceType" is not one of its EnumValues: ml.m5.xlarge, ml.m5.2xlarge, ml.c5.xlarge.`},
		{"missing required", nil, nil, "RequiredTag", `Parameter "RequiredTag" has no default value and no value was given.`},
		{"value too long", []Override{{"RequiredTag", strings.Repeat("v", 1025)}}, nil, "RequiredTag", "is 1025 characters long; the maximum is 1024."},
		{"too many", make([]Override, 201), nil, "", "PipelineParameters has 201 values; the maximum is 200."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.ResolveParameters(tt.overrides)
			if tt.err != "" {
				var perr *Error
				if !errors.As(err, &perr) || !strings.Contains(perr.Message, tt.err) || perr.Parameter != tt.param {
					t.Fatalf("ResolveParameters error = %#v, want an *Error for %q containing %q", err, tt.param, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(d.Parameters) {
				t.Errorf("%d values for %d parameters", len(got), len(d.Parameters))
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
		})
	}
}
