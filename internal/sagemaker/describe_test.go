package sagemaker_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
)

// storedJob is a job as the store keeps it: the Create… request less its tags, and the
// details its run recorded, both JSON.
type storedJob struct {
	kind     sm.JobKind
	request  string
	details  string
	state    sm.JobState
	trainsIn bool // the details show the training process ran
}

// legacyDescribe is how Describe… rendered a job before its outputs were typed: the
// request and the details merged into a map, with the state's members set over them. The
// typed outputs must give clients the same document.
func legacyDescribe(j storedJob) map[string]any {
	out := map[string]any{}
	json.Unmarshal([]byte(j.request), &out)
	if j.details != "" {
		var details map[string]any
		if json.Unmarshal([]byte(j.details), &details) == nil {
			for k, v := range details {
				out[k] = v
			}
		}
	}
	prefix := j.kind.Noun()
	st := j.state
	out[prefix+"JobArn"] = st.ARN
	out[prefix+"JobStatus"] = string(st.Status)
	out["CreationTime"] = operation.NewTimestamp(st.CreatedAt)
	out["LastModifiedTime"] = operation.NewTimestamp(st.LastModifiedAt)
	if st.FailureReason != "" {
		out["FailureReason"] = st.FailureReason
	}
	if st.ExitMessage != "" {
		out["ExitMessage"] = st.ExitMessage
	}
	if !st.StartedAt.IsZero() {
		out[prefix+"StartTime"] = operation.NewTimestamp(st.StartedAt)
	}
	if !st.EndedAt.IsZero() {
		out[prefix+"EndTime"] = operation.NewTimestamp(st.EndedAt)
	}
	if j.kind != sm.TrainingJob {
		return out
	}
	delete(out, "ExitMessage")
	out["SecondaryStatus"] = string(st.Secondary)
	if st.Secondary == "" {
		out["SecondaryStatus"] = "Starting"
	}
	if !j.trainsIn {
		delete(out, "TrainingStartTime")
		delete(out, "TrainingEndTime")
	} else if !st.StartedAt.IsZero() && !st.EndedAt.IsZero() {
		secs := max(int(st.EndedAt.Sub(st.StartedAt).Seconds()), 1)
		out["TrainingTimeInSeconds"] = secs
		out["BillableTimeInSeconds"] = secs
	}
	return out
}

// typedDescribe renders a job through the typed outputs, as the service now does.
func typedDescribe(t *testing.T, j storedJob) any {
	t.Helper()
	details, err := sm.ParseJobDetails(j.details)
	if err != nil {
		t.Fatalf("details: %v", err)
	}
	st := j.state
	st.Details = details
	switch j.kind {
	case sm.ProcessingJob:
		var req sm.CreateProcessingJobInput
		mustDecode(t, j.request, &req)
		return sm.DescribeProcessingJob(&req, &st)
	case sm.TrainingJob:
		var req sm.CreateTrainingJobInput
		mustDecode(t, j.request, &req)
		return sm.DescribeTrainingJob(&req, &st)
	case sm.TransformJob:
		var req sm.CreateTransformJobInput
		mustDecode(t, j.request, &req)
		return sm.DescribeTransformJob(&req, &st)
	}
	t.Fatalf("no kind %s", j.kind)
	return nil
}

func mustDecode(t *testing.T, text string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("decode %s: %v", text, err)
	}
}

// document is the JSON of v as a client decodes it: members in any order, numbers as
// values. (Members Cairn keeps as given, such as DatasetDefinition, now keep the client's
// spelling of a number, 1.50, where the legacy rendering rewrote it as 1.5.)
func document(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// storedRequest is a Create… request as the service stores it: marshalled, less Tags.
func storedRequest(t *testing.T, in any) string {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var members map[string]json.RawMessage
	mustDecode(t, string(b), &members)
	delete(members, "Tags")
	b, _ = json.Marshal(members)
	return string(b)
}

func TestTypedDescribeMatchesLegacy(t *testing.T) {
	created := time.Date(2024, 5, 1, 12, 0, 0, 123_000_000, time.UTC)
	started, ended := created.Add(2*time.Second+500*time.Millisecond), created.Add(95*time.Second+7*time.Millisecond)
	one, six, four, thirty, hour := 1, 6, 4, 30, 3600
	yes := true
	// details as the previous release wrote them (a map, keys sorted, numbers as floats):
	// existing data dirs hold such rows.
	trainedDetails := `{"FinalMetricDataList":[{"MetricName":"loss","Timestamp":1714564895.13,"Value":0.25},{"MetricName":"acc","Timestamp":1714564895.13,"Value":1e-7}],` +
		`"ModelArtifacts":{"S3ModelArtifacts":"s3://b/models/fit/output/model.tar.gz"},` +
		`"SecondaryStatusTransitions":[{"StartTime":1714564800.123,"EndTime":1714564802.623,"Status":"Starting","StatusMessage":"Preparing the instances for training"},` +
		`{"StartTime":1714564802.623,"EndTime":1714564803,"Status":"Downloading","StatusMessage":"Downloading input data"},` +
		`{"StartTime":1714564803,"EndTime":1714564895.13,"Status":"Training","StatusMessage":"Training in progress"},` +
		`{"StartTime":1714564895.13,"EndTime":1714564895.13,"Status":"Completed","StatusMessage":"Training job completed"}]}`
	failedEarly := `{"SecondaryStatusTransitions":[{"StartTime":1714564800.123,"EndTime":1714564801,"Status":"Starting","StatusMessage":"Preparing the instances for training"},` +
		`{"StartTime":1714564801,"EndTime":1714564801,"Status":"Failed","StatusMessage":"ClientError: Data download failed for channel train: Access Denied"}]}`

	processing := &sm.CreateProcessingJobInput{
		ProcessingJobName: "Prep-1",
		ProcessingInputs: []sm.ProcessingInput{
			{InputName: "code", S3Input: &sm.ProcessingS3Input{S3Uri: "s3://b/code/prep.py", LocalPath: "/opt/ml/processing/input/code", S3DataType: "S3Prefix", S3InputMode: "File"}},
			{InputName: "managed", AppManaged: &yes, DatasetDefinition: json.RawMessage(`{"DataDistributionType":"FullyReplicated","z":1.50,"a":"<&>"}`)},
		},
		ProcessingOutputConfig: &sm.ProcessingOutputConfig{Outputs: []sm.ProcessingOutput{
			{OutputName: "train", S3Output: &sm.ProcessingS3Output{S3Uri: "s3://b/out/train", LocalPath: "/opt/ml/processing/train", S3UploadMode: "EndOfJob"}},
		}},
		ProcessingResources: &sm.ProcessingResources{ClusterConfig: &sm.ProcessingClusterConfig{InstanceCount: &one, InstanceType: "ml.m5.xlarge", VolumeSizeInGB: &thirty}},
		StoppingCondition:   &sm.StoppingCondition{MaxRuntimeInSeconds: &hour},
		AppSpecification:    &sm.AppSpecification{ImageUri: "img:1", ContainerEntrypoint: []string{"python3", "/opt/ml/processing/input/code/prep.py"}},
		Environment:         map[string]string{"A": "1"},
		RoleArn:             "arn:aws:iam::111111111111:role/Exec",
		Tags:                []sm.Tag{{Key: "team", Value: "ml"}},
	}
	training := &sm.CreateTrainingJobInput{
		TrainingJobName: "fit", HyperParameters: map[string]string{"epochs": "3"},
		AlgorithmSpecification: &sm.AlgorithmSpecification{TrainingImage: "img:2", TrainingInputMode: "File",
			MetricDefinitions: []sm.MetricDefinition{{Name: "loss", Regex: "loss=(\\S+)"}}},
		RoleArn: "arn:aws:iam::111111111111:role/Exec",
		InputDataConfig: []sm.Channel{{ChannelName: "train", DataSource: &sm.DataSource{S3DataSource: &sm.S3DataSource{
			S3DataType: "S3Prefix", S3Uri: "s3://b/train", S3DataDistributionType: "FullyReplicated"}}}},
		OutputDataConfig:          &sm.OutputDataConfig{S3OutputPath: "s3://b/models"},
		ResourceConfig:            &sm.ResourceConfig{InstanceType: "ml.m5.large", InstanceCount: &one, VolumeSizeInGB: &six},
		StoppingCondition:         &sm.TrainingStopCondition{MaxRuntimeInSeconds: 86400},
		VpcConfig:                 &sm.VpcConfig{Subnets: []string{"s-1"}, SecurityGroupIds: []string{"sg-1"}},
		EnableManagedSpotTraining: &yes,
	}
	transform := &sm.CreateTransformJobInput{
		TransformJobName: "score", ModelName: "linear", MaxConcurrentTransforms: &four, MaxPayloadInMB: &one,
		BatchStrategy: "MultiRecord", Environment: map[string]string{"X": "y"},
		TransformInput: &sm.TransformInput{DataSource: &sm.TransformDataSource{S3DataSource: &sm.TransformS3DataSource{
			S3DataType: "S3Prefix", S3Uri: "s3://b/in"}}, ContentType: "text/csv", SplitType: "Line"},
		TransformOutput:    &sm.TransformOutput{S3OutputPath: "s3://b/out", AssembleWith: "Line"},
		TransformResources: &sm.TransformResources{InstanceType: "ml.m5.large", InstanceCount: &one},
		DataProcessing:     &sm.DataProcessing{InputFilter: "$"},
	}

	state := func(status sm.JobStatus, secondary sm.SecondaryStatus) sm.JobState {
		return sm.JobState{ARN: "arn:aws:sagemaker:us-east-1:111111111111:x/y", Status: status, Secondary: secondary,
			CreatedAt: created, StartedAt: started, EndedAt: ended, LastModifiedAt: ended}
	}
	inProgress := state(sm.JobInProgress, "")
	inProgress.StartedAt, inProgress.EndedAt = time.Time{}, time.Time{}
	failed := state(sm.JobFailed, sm.SecondaryFailed)
	failed.FailureReason, failed.ExitMessage = "AlgorithmError: exit 1", "Traceback…\n"

	for _, tc := range []struct {
		name string
		job  storedJob
	}{
		{"processing in progress", storedJob{kind: sm.ProcessingJob, request: storedRequest(t, processing), state: inProgress}},
		{"processing failed", storedJob{kind: sm.ProcessingJob, request: storedRequest(t, processing), state: failed}},
		{"processing minimal", storedJob{kind: sm.ProcessingJob, state: state(sm.JobCompleted, ""),
			request: `{"AppSpecification":{"ImageUri":"i"},"ProcessingJobName":"p","ProcessingResources":null,"RoleArn":"r"}`}},
		{"training starting", storedJob{kind: sm.TrainingJob, request: storedRequest(t, training), state: inProgress}},
		{"training completed", storedJob{kind: sm.TrainingJob, request: storedRequest(t, training), details: trainedDetails,
			state: state(sm.JobCompleted, sm.SecondaryCompleted), trainsIn: true}},
		{"training failed before training", storedJob{kind: sm.TrainingJob, request: storedRequest(t, training), details: failedEarly,
			state: failed}},
		{"transform completed", storedJob{kind: sm.TransformJob, request: storedRequest(t, transform), state: state(sm.JobCompleted, "")}},
		{"transform failed", storedJob{kind: sm.TransformJob, request: storedRequest(t, transform), state: failed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, want := document(t, typedDescribe(t, tc.job)), document(t, legacyDescribe(tc.job))
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("typed output differs from the legacy one:\n got %s\nwant %s", g, w)
			}
		})
	}
}

// Details written by this release read back as what was written.
func TestJobDetailsRoundTrip(t *testing.T) {
	at := operation.NewTimestamp(time.Date(2024, 5, 1, 12, 0, 0, 123_000_000, time.UTC))
	d := sm.JobDetails{
		SecondaryStatusTransitions: []sm.SecondaryStatusTransition{{Status: sm.SecondaryStarting, StartTime: at, EndTime: at, StatusMessage: "m"}},
		FinalMetricDataList:        []sm.MetricData{{MetricName: "loss", Value: 0.5, Timestamp: at}},
		ModelArtifacts:             &sm.ModelArtifacts{S3ModelArtifacts: "s3://b/m.tar.gz"},
	}
	text, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := sm.ParseJobDetails(text)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(document(t, back), document(t, d)) {
		t.Errorf("round trip: %s", text)
	}
	if empty, _ := (sm.JobDetails{}).Encode(); empty != "" {
		t.Errorf("no details encode as %q", empty)
	}
}

// DescribeModel gives clients the document the untyped rendering gave: the stored request
// (less its tags) with the model's name, ARN and creation time over it.
func TestDescribeModelMatchesLegacy(t *testing.T) {
	created := time.Date(2024, 5, 1, 12, 0, 0, 123_000_000, time.UTC)
	const arn = "arn:aws:sagemaker:us-east-1:111111111111:model/churn"
	str := func(s string) *string { return &s }
	yes := true
	for name, req := range map[string]*sm.CreateModelInput{
		"one container": {ModelName: "Churn", ExecutionRoleArn: "arn:aws:iam::111111111111:role/Exec", EnableNetworkIsolation: &yes,
			PrimaryContainer: &sm.ContainerDefinition{Image: str("img:1"), ModelDataUrl: str("s3://b/m.tar.gz"), Mode: str("SingleModel"),
				Environment: map[string]string{"SAGEMAKER_PROGRAM": "inference.py"}, ImageConfig: &sm.ImageConfig{RepositoryAccessMode: "Platform"}},
			VpcConfig: &sm.VpcConfig{Subnets: []string{"s-1"}, SecurityGroupIds: []string{"sg-1"}}, Tags: []sm.Tag{{Key: "team", Value: "ml"}}},
		"inference pipeline": {ModelName: "Churn", InferenceExecutionConfig: &sm.InferenceExecutionConfig{Mode: "Serial"},
			Containers: []sm.ContainerDefinition{{Image: str("a"), ContainerHostname: str("first")},
				{ModelPackageName: str("grp/2"), ModelDataSource: &sm.ModelDataSource{S3DataSource: &sm.S3ModelDataSource{
					S3Uri: "s3://b/model/", S3DataType: "S3Prefix", CompressionType: "None"}}}}},
		"package only": {ModelName: "Churn", PrimaryContainer: &sm.ContainerDefinition{ModelPackageName: str("arn:aws:sagemaker:us-east-1:111111111111:model-package/grp/1")}},
	} {
		t.Run(name, func(t *testing.T) {
			stored := storedRequest(t, req)
			legacy := map[string]any{}
			mustDecode(t, stored, &legacy)
			legacy["ModelName"], legacy["ModelArn"], legacy["CreationTime"] = "churn", arn, operation.NewTimestamp(created)
			var back sm.CreateModelInput
			mustDecode(t, stored, &back)
			back.ModelName = "churn"
			got, want := document(t, sm.DescribeModel(&back, arn, created)), document(t, legacy)
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("typed output differs from the legacy one:\n got %s\nwant %s", g, w)
			}
		})
	}
}
