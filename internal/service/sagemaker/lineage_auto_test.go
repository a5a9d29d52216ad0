package sagemaker_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// A job that names one URI as two inputs and as its output records one artifact of it,
// associated once each way with the job's trial component, and the job is created.
func TestJobLineageRepeatedURI(t *testing.T) {
	invoke := outputInvoker(t)
	_, err := invoke("CreateProcessingJob", `{"ProcessingJobName":"again","RoleArn":"arn:aws:iam::111111111111:role/r",
		"AppSpecification":{"ImageUri":"img"},
		"ProcessingResources":{"ClusterConfig":{"InstanceCount":1,"InstanceType":"ml.m5.xlarge","VolumeSizeInGB":30}},
		"ProcessingInputs":[
			{"InputName":"a","S3Input":{"S3Uri":"s3://lake/x","LocalPath":"/opt/ml/processing/a","S3DataType":"S3Prefix","S3InputMode":"File"}},
			{"InputName":"b","S3Input":{"S3Uri":"s3://lake/x","LocalPath":"/opt/ml/processing/b","S3DataType":"S3Prefix","S3InputMode":"File"}}],
		"ProcessingOutputConfig":{"Outputs":[{"OutputName":"out","S3Output":{"S3Uri":"s3://lake/x","LocalPath":"/opt/ml/processing/out","S3UploadMode":"EndOfJob"}}]}}`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := invoke("ListAssociations", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		AssociationSummaries []struct{ SourceType, DestinationType, AssociationType string }
	}
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range list.AssociationSummaries {
		got = append(got, a.SourceType+" "+a.AssociationType+" "+a.DestinationType)
	}
	slices.Sort(got)
	want := []string{"DataSet ContributedTo SageMakerProcessingJob", "Image ContributedTo SageMakerProcessingJob", "SageMakerProcessingJob Produced DataSet"}
	if !slices.Equal(got, want) {
		t.Errorf("associations:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
