package sagemaker

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
)

// JobState is what every job reports of its run beside the request it was created with:
// the members its Describe… operation adds to the request.
type JobState struct {
	ARN           string
	Status        JobStatus
	FailureReason string
	// ExitMessage is the tail of the log of a job whose process failed.
	ExitMessage string
	// Secondary is a training job's SecondaryStatus ("" before the job records one).
	Secondary                                     SecondaryStatus
	Details                                       JobDetails
	CreatedAt, StartedAt, EndedAt, LastModifiedAt time.Time
}

// JobDetails are the Describe… members a job produces as it runs, kept with the job as
// JSON (store.Job.Details): a training job's status transitions, metrics and model.
type JobDetails struct {
	SecondaryStatusTransitions []SecondaryStatusTransition `json:",omitempty"`
	FinalMetricDataList        []MetricData                `json:",omitempty"`
	ModelArtifacts             *ModelArtifacts             `json:",omitempty"`
}

// SecondaryStatusTransition is one entry of a training job's SecondaryStatusTransitions.
type SecondaryStatusTransition struct {
	Status        SecondaryStatus
	StartTime     *operation.Timestamp
	EndTime       *operation.Timestamp `json:",omitempty"`
	StatusMessage string               `json:",omitempty"`
}

// MetricData is the last value a training job's log gave a metric.
type MetricData struct {
	MetricName string
	Value      float64
	Timestamp  *operation.Timestamp
}

// ModelArtifacts says where a training job's model was uploaded.
type ModelArtifacts struct {
	S3ModelArtifacts string
}

// ParseJobDetails reads details as kept with a job; "" is no details.
func ParseJobDetails(text string) (JobDetails, error) {
	var d JobDetails
	if text == "" {
		return d, nil
	}
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		return d, fmt.Errorf("job details: %w", err)
	}
	return d, nil
}

// Encode writes d as kept with a job: "" when d holds nothing.
func (d JobDetails) Encode() (string, error) {
	if len(d.SecondaryStatusTransitions) == 0 && len(d.FinalMetricDataList) == 0 && d.ModelArtifacts == nil {
		return "", nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("job details: %w", err)
	}
	return string(b), nil
}

// Merge adds to d the members other sets.
func (d *JobDetails) Merge(other JobDetails) {
	if other.SecondaryStatusTransitions != nil {
		d.SecondaryStatusTransitions = other.SecondaryStatusTransitions
	}
	if other.FinalMetricDataList != nil {
		d.FinalMetricDataList = other.FinalMetricDataList
	}
	if other.ModelArtifacts != nil {
		d.ModelArtifacts = other.ModelArtifacts
	}
}

// Trained reports whether a training job's transitions show that its training process
// ran.
func (d JobDetails) Trained() bool {
	for _, t := range d.SecondaryStatusTransitions {
		if t.Status == SecondaryTraining {
			return true
		}
	}
	return false
}
