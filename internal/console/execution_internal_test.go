package console

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

// A step's row links what its lineage starts from: its job, or the model package a
// RegisterModel step created; a Condition step shows its outcome.
func TestStepStateOfMetadata(t *testing.T) {
	const job = "arn:aws:sagemaker:us-east-1:111111111111:training-job/pipelines-x-train-y"
	const pkg = "arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/3"
	start := operation.NewTimestamp(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	end := operation.NewTimestamp(start.Time.Add(1500 * time.Millisecond))
	for _, tc := range []struct {
		metadata          string
		job, lineage, out string
	}{
		{`{"TrainingJob":{"Arn":"` + job + `"}}`, job, job, ""},
		{`{"RegisterModel":{"Arn":"` + pkg + `"}}`, "", pkg, ""},
		{`{"Condition":{"Outcome":"False"}}`, "", "", "False"},
		{`{"Fail":{"ErrorMessage":"no"}}`, "", "", ""},
		{`not json`, "", "", ""},
	} {
		st := stepStateOf(executionStep{StepName: "S", StepStatus: "Succeeded", AttemptCount: 2, StartTime: start, EndTime: end,
			Metadata: json.RawMessage(tc.metadata)}, time.Now())
		if st.JobARN != tc.job || st.Lineage != tc.lineage || st.Outcome != tc.out || st.Attempts != 2 || st.Duration != "1.5s" {
			t.Errorf("%s: %+v", tc.metadata, st)
		}
	}
}
