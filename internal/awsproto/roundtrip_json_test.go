package awsproto_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/operation"
)

// Cairn-side shapes of SageMaker's training jobs (awsJson1.1): members in PascalCase,
// timestamps as epoch seconds, maps of strings, floats.
type (
	smMetricDefinition struct {
		Name  string
		Regex string
	}
	smAlgorithmSpecification struct {
		TrainingImage                    *string              `json:",omitempty"`
		TrainingInputMode                string               `json:",omitempty"`
		MetricDefinitions                []smMetricDefinition `json:",omitempty"`
		ContainerEntrypoint              []string             `json:",omitempty"`
		EnableSageMakerMetricsTimeSeries *bool                `json:",omitempty"`
	}
	smS3DataSource struct {
		S3DataType             string
		S3Uri                  string
		S3DataDistributionType string   `json:",omitempty"`
		AttributeNames         []string `json:",omitempty"`
	}
	smDataSource struct {
		S3DataSource *smS3DataSource `json:",omitempty"`
	}
	smChannel struct {
		ChannelName string
		DataSource  smDataSource
		ContentType *string `json:",omitempty"`
		InputMode   string  `json:",omitempty"`
	}
	smOutputDataConfig struct {
		S3OutputPath string
		KmsKeyId     *string `json:",omitempty"`
	}
	smResourceConfig struct {
		InstanceType             string
		InstanceCount            int32
		VolumeSizeInGB           int32
		KeepAlivePeriodInSeconds *int32 `json:",omitempty"`
	}
	smStoppingCondition struct {
		MaxRuntimeInSeconds  *int32 `json:",omitempty"`
		MaxWaitTimeInSeconds *int32 `json:",omitempty"`
	}
	smTag struct {
		Key   string
		Value string
	}
	smCreateTrainingJobInput struct {
		TrainingJobName        string `required:"true"`
		HyperParameters        map[string]string
		AlgorithmSpecification *smAlgorithmSpecification
		RoleArn                string `required:"true"`
		InputDataConfig        []smChannel
		OutputDataConfig       *smOutputDataConfig `required:"true"`
		ResourceConfig         *smResourceConfig
		StoppingCondition      *smStoppingCondition
		Tags                   []smTag
		EnableNetworkIsolation *bool
		Environment            map[string]string
	}
	smCreateTrainingJobOutput struct {
		TrainingJobArn string
	}
	smDescribeTrainingJobInput struct {
		TrainingJobName string `required:"true"`
	}
	smMetricData struct {
		MetricName string
		Value      float32
		Timestamp  *operation.Timestamp
	}
	smStatusTransition struct {
		Status        string
		StartTime     *operation.Timestamp
		EndTime       *operation.Timestamp `json:",omitempty"`
		StatusMessage string               `json:",omitempty"`
	}
	smModelArtifacts struct {
		S3ModelArtifacts string
	}
	smDescribeTrainingJobOutput struct {
		TrainingJobName            string
		TrainingJobArn             string
		TrainingJobStatus          string
		SecondaryStatus            string
		FailureReason              *string `json:",omitempty"`
		HyperParameters            map[string]string
		AlgorithmSpecification     *smAlgorithmSpecification
		RoleArn                    string
		InputDataConfig            []smChannel
		OutputDataConfig           *smOutputDataConfig
		ResourceConfig             *smResourceConfig
		StoppingCondition          *smStoppingCondition
		ModelArtifacts             *smModelArtifacts
		CreationTime               *operation.Timestamp
		TrainingStartTime          *operation.Timestamp
		TrainingEndTime            *operation.Timestamp `json:",omitempty"`
		SecondaryStatusTransitions []smStatusTransition
		FinalMetricDataList        []smMetricData
		EnableNetworkIsolation     bool
		Environment                map[string]string
		BillableTimeInSeconds      *int32 `json:",omitempty"`
		TrainingTimeInSeconds      *int32 `json:",omitempty"`
	}
)

// sageMakerService is an awsJson1.1 service spelled as SageMaker is.
func sageMakerService(ops ...*operation.Operation) *awsproto.Service {
	return awsproto.NewService(awsproto.Service{Name: "sagemaker", Protocol: awsproto.JSON11, TargetPrefix: "SageMaker"}, ops...)
}

func TestJSONRoundTripCreateTrainingJob(t *testing.T) {
	var got *smCreateTrainingJobInput
	arn := "arn:aws:sagemaker:us-east-1:111111111111:training-job/churn-1"
	l := &loopback{svc: sageMakerService(answering("CreateTrainingJob", operation.Route{}, &got, &smCreateTrainingJobOutput{TrainingJobArn: arn}, nil))}
	in := &sagemaker.CreateTrainingJobInput{
		TrainingJobName: aws.String("churn-1"),
		HyperParameters: map[string]string{"epochs": "10", "learning_rate": "0.1", "quoted \"key\"": "a&b<c>", "empty": ""},
		AlgorithmSpecification: &smtypes.AlgorithmSpecification{
			TrainingImage:                    aws.String("111111111111.dkr.ecr.us-east-1.amazonaws.com/xgboost:1.7"),
			TrainingInputMode:                smtypes.TrainingInputModeFile,
			MetricDefinitions:                []smtypes.MetricDefinition{{Name: aws.String("validation:auc"), Regex: aws.String(`auc:([0-9\.]+)\s`)}},
			ContainerEntrypoint:              []string{"python3", "train.py"},
			EnableSageMakerMetricsTimeSeries: aws.Bool(false),
		},
		RoleArn: aws.String("arn:aws:iam::111111111111:role/pipeline"),
		InputDataConfig: []smtypes.Channel{
			{ChannelName: aws.String("train"), ContentType: aws.String("text/csv"), InputMode: smtypes.TrainingInputModePipe,
				DataSource: &smtypes.DataSource{S3DataSource: &smtypes.S3DataSource{S3DataType: smtypes.S3DataTypeS3Prefix,
					S3Uri: aws.String("s3://bucket/train/"), S3DataDistributionType: smtypes.S3DataDistributionShardedByS3Key,
					AttributeNames: []string{"source-ref", "label"}}}},
			{ChannelName: aws.String("validation"), DataSource: &smtypes.DataSource{S3DataSource: &smtypes.S3DataSource{
				S3DataType: smtypes.S3DataTypeManifestFile, S3Uri: aws.String("s3://bucket/validation.manifest")}}},
		},
		OutputDataConfig:       &smtypes.OutputDataConfig{S3OutputPath: aws.String("s3://bucket/out/"), KmsKeyId: aws.String("alias/ml")},
		ResourceConfig:         &smtypes.ResourceConfig{InstanceType: smtypes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(2), VolumeSizeInGB: aws.Int32(30), KeepAlivePeriodInSeconds: aws.Int32(0)},
		StoppingCondition:      &smtypes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(86400)},
		Tags:                   []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}},
		EnableNetworkIsolation: aws.Bool(true),
		Environment:            map[string]string{"MODE": "train", "PATH_EXTRA": "/opt/ml/code:/usr/bin"},
	}
	res, err := sagemaker.NewFromConfig(l.config()).CreateTrainingJob(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateTrainingJob: %v (answer %d %s)", err, l.status, l.body)
	}
	want := &smCreateTrainingJobInput{
		TrainingJobName: "churn-1", HyperParameters: in.HyperParameters,
		AlgorithmSpecification: &smAlgorithmSpecification{TrainingImage: in.AlgorithmSpecification.TrainingImage, TrainingInputMode: "File",
			MetricDefinitions: []smMetricDefinition{{"validation:auc", `auc:([0-9\.]+)\s`}}, ContainerEntrypoint: []string{"python3", "train.py"},
			EnableSageMakerMetricsTimeSeries: aws.Bool(false)},
		RoleArn: "arn:aws:iam::111111111111:role/pipeline",
		InputDataConfig: []smChannel{
			{ChannelName: "train", ContentType: aws.String("text/csv"), InputMode: "Pipe", DataSource: smDataSource{&smS3DataSource{
				S3DataType: "S3Prefix", S3Uri: "s3://bucket/train/", S3DataDistributionType: "ShardedByS3Key", AttributeNames: []string{"source-ref", "label"}}}},
			{ChannelName: "validation", DataSource: smDataSource{&smS3DataSource{S3DataType: "ManifestFile", S3Uri: "s3://bucket/validation.manifest"}}},
		},
		OutputDataConfig:       &smOutputDataConfig{S3OutputPath: "s3://bucket/out/", KmsKeyId: aws.String("alias/ml")},
		ResourceConfig:         &smResourceConfig{InstanceType: "ml.m5.xlarge", InstanceCount: 2, VolumeSizeInGB: 30, KeepAlivePeriodInSeconds: aws.Int32(0)},
		StoppingCondition:      &smStoppingCondition{MaxRuntimeInSeconds: aws.Int32(86400)},
		Tags:                   []smTag{{"team", "ml"}},
		EnableNetworkIsolation: aws.Bool(true),
		Environment:            in.Environment,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v\nwant    %+v", got, want)
	}
	if aws.ToString(res.TrainingJobArn) != arn {
		t.Errorf("SDK read TrainingJobArn %q, want %q", aws.ToString(res.TrainingJobArn), arn)
	}
	if ct := l.header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestJSONRoundTripDescribeTrainingJob(t *testing.T) {
	created := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	started := created.Add(90*time.Second + 7*time.Millisecond)
	ended := started.Add(time.Hour)
	var got *smDescribeTrainingJobInput
	out := &smDescribeTrainingJobOutput{
		TrainingJobName: "churn-1", TrainingJobArn: "arn:aws:sagemaker:us-east-1:111111111111:training-job/churn-1",
		TrainingJobStatus: "Failed", SecondaryStatus: "Failed", FailureReason: aws.String(`AlgorithmError: "exit 1" <see logs>`),
		HyperParameters: map[string]string{"epochs": "10", "eta": "0.2"},
		AlgorithmSpecification: &smAlgorithmSpecification{TrainingImage: aws.String("img:1"), TrainingInputMode: "File",
			MetricDefinitions: []smMetricDefinition{{"train:loss", "loss=(.*)"}}},
		RoleArn: "arn:aws:iam::111111111111:role/pipeline",
		InputDataConfig: []smChannel{{ChannelName: "train", DataSource: smDataSource{&smS3DataSource{S3DataType: "S3Prefix",
			S3Uri: "s3://bucket/train/", S3DataDistributionType: "FullyReplicated"}}, InputMode: "File"}},
		OutputDataConfig:  &smOutputDataConfig{S3OutputPath: "s3://bucket/out/"},
		ResourceConfig:    &smResourceConfig{InstanceType: "ml.m5.large", InstanceCount: 1, VolumeSizeInGB: 5},
		StoppingCondition: &smStoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600), MaxWaitTimeInSeconds: aws.Int32(7200)},
		ModelArtifacts:    &smModelArtifacts{S3ModelArtifacts: "s3://bucket/out/churn-1/output/model.tar.gz"},
		CreationTime:      operation.NewTimestamp(created), TrainingStartTime: operation.NewTimestamp(started),
		TrainingEndTime: operation.NewTimestamp(ended),
		SecondaryStatusTransitions: []smStatusTransition{
			{Status: "Starting", StartTime: operation.NewTimestamp(created), EndTime: operation.NewTimestamp(started), StatusMessage: "Preparing the instances"},
			{Status: "Failed", StartTime: operation.NewTimestamp(ended)},
		},
		FinalMetricDataList:    []smMetricData{{"train:loss", 0.8125, operation.NewTimestamp(ended)}, {"validation:auc", -1.5, operation.NewTimestamp(ended)}},
		EnableNetworkIsolation: false,
		Environment:            map[string]string{"A": "1"},
		BillableTimeInSeconds:  aws.Int32(3600), TrainingTimeInSeconds: aws.Int32(0),
	}
	l := &loopback{svc: sageMakerService(answering("DescribeTrainingJob", operation.Route{}, &got, out, nil))}
	res, err := sagemaker.NewFromConfig(l.config()).DescribeTrainingJob(context.Background(),
		&sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("churn-1")})
	if err != nil {
		t.Fatalf("DescribeTrainingJob: %v (answer %d %s)", err, l.status, l.body)
	}
	if got == nil || got.TrainingJobName != "churn-1" {
		t.Errorf("decoded %+v", got)
	}
	var transitions []smStatusTransition
	for _, s := range res.SecondaryStatusTransitions {
		tr := smStatusTransition{Status: string(s.Status), StartTime: operation.NewTimestamp(aws.ToTime(s.StartTime)),
			StatusMessage: aws.ToString(s.StatusMessage)}
		if s.EndTime != nil {
			tr.EndTime = operation.NewTimestamp(*s.EndTime)
		}
		transitions = append(transitions, tr)
	}
	var metrics []smMetricData
	for _, m := range res.FinalMetricDataList {
		metrics = append(metrics, smMetricData{aws.ToString(m.MetricName), aws.ToFloat32(m.Value), operation.NewTimestamp(aws.ToTime(m.Timestamp))})
	}
	var channels []smChannel
	for _, c := range res.InputDataConfig {
		s3 := c.DataSource.S3DataSource
		channels = append(channels, smChannel{ChannelName: aws.ToString(c.ChannelName), InputMode: string(c.InputMode),
			DataSource: smDataSource{&smS3DataSource{S3DataType: string(s3.S3DataType), S3Uri: aws.ToString(s3.S3Uri),
				S3DataDistributionType: string(s3.S3DataDistributionType)}}})
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"TrainingJobName", aws.ToString(res.TrainingJobName), out.TrainingJobName},
		{"TrainingJobArn", aws.ToString(res.TrainingJobArn), out.TrainingJobArn},
		{"TrainingJobStatus", res.TrainingJobStatus, smtypes.TrainingJobStatusFailed},
		{"SecondaryStatus", res.SecondaryStatus, smtypes.SecondaryStatusFailed},
		{"FailureReason", res.FailureReason, out.FailureReason},
		{"HyperParameters", res.HyperParameters, out.HyperParameters},
		{"TrainingImage", aws.ToString(res.AlgorithmSpecification.TrainingImage), "img:1"},
		{"TrainingInputMode", res.AlgorithmSpecification.TrainingInputMode, smtypes.TrainingInputModeFile},
		{"MetricDefinitions", res.AlgorithmSpecification.MetricDefinitions[0].Regex, aws.String("loss=(.*)")},
		{"RoleArn", aws.ToString(res.RoleArn), out.RoleArn},
		{"InputDataConfig", channels, out.InputDataConfig},
		{"S3OutputPath", aws.ToString(res.OutputDataConfig.S3OutputPath), "s3://bucket/out/"},
		{"KmsKeyId", res.OutputDataConfig.KmsKeyId, (*string)(nil)},
		{"ResourceConfig", []any{res.ResourceConfig.InstanceType, aws.ToInt32(res.ResourceConfig.InstanceCount), aws.ToInt32(res.ResourceConfig.VolumeSizeInGB)},
			[]any{smtypes.TrainingInstanceTypeMlM5Large, int32(1), int32(5)}},
		{"StoppingCondition", []int32{aws.ToInt32(res.StoppingCondition.MaxRuntimeInSeconds), aws.ToInt32(res.StoppingCondition.MaxWaitTimeInSeconds)}, []int32{3600, 7200}},
		{"ModelArtifacts", aws.ToString(res.ModelArtifacts.S3ModelArtifacts), out.ModelArtifacts.S3ModelArtifacts},
		{"CreationTime", aws.ToTime(res.CreationTime).UTC(), created},
		{"TrainingStartTime", aws.ToTime(res.TrainingStartTime).UTC(), started},
		{"TrainingEndTime", aws.ToTime(res.TrainingEndTime).UTC(), ended},
		{"SecondaryStatusTransitions", transitions, out.SecondaryStatusTransitions},
		{"FinalMetricDataList", metrics, out.FinalMetricDataList},
		{"EnableNetworkIsolation", res.EnableNetworkIsolation, aws.Bool(false)},
		{"Environment", res.Environment, out.Environment},
		{"BillableTimeInSeconds", res.BillableTimeInSeconds, aws.Int32(3600)},
		{"TrainingTimeInSeconds", res.TrainingTimeInSeconds, aws.Int32(0)},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("SDK read %s as %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestJSONRoundTripErrors answers modeled awsJson1.1 errors, one with an extra member, and
// checks that the SDK reads each as its type.
func TestJSONRoundTripErrors(t *testing.T) {
	t.Run("ResourceNotFound", func(t *testing.T) {
		var got *smDescribeTrainingJobInput
		e := operation.Errorf(400, "ResourceNotFound", "Requested resource not found: training job churn-9 does not exist.")
		l := &loopback{svc: sageMakerService(answering[smDescribeTrainingJobInput, smDescribeTrainingJobOutput](
			"DescribeTrainingJob", operation.Route{}, &got, nil, e))}
		_, err := sagemaker.NewFromConfig(l.config()).DescribeTrainingJob(context.Background(),
			&sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("churn-9")})
		wantSDKError[*smtypes.ResourceNotFound](t, err, 400, e.Message)
		checkJSONError(t, l, e, "application/x-amz-json-1.1")
	})
	t.Run("ResourceLimitExceeded", func(t *testing.T) {
		var got *smCreateTrainingJobInput
		e := operation.Errorf(400, "ResourceLimitExceeded", "The account-level service limit 'ml.p4d.24xlarge for training job usage' is 0 Instances.")
		l := &loopback{svc: sageMakerService(answering[smCreateTrainingJobInput, smCreateTrainingJobOutput](
			"CreateTrainingJob", operation.Route{}, &got, nil, e))}
		_, err := sagemaker.NewFromConfig(l.config()).CreateTrainingJob(context.Background(), &sagemaker.CreateTrainingJobInput{
			TrainingJobName: aws.String("j"), RoleArn: aws.String("arn:aws:iam::111111111111:role/r"),
			OutputDataConfig:       &smtypes.OutputDataConfig{S3OutputPath: aws.String("s3://b/")},
			AlgorithmSpecification: &smtypes.AlgorithmSpecification{TrainingInputMode: smtypes.TrainingInputModeFile},
			ResourceConfig:         &smtypes.ResourceConfig{InstanceType: smtypes.TrainingInstanceTypeMlP4d24xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(1)},
			StoppingCondition:      &smtypes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(1)}})
		wantSDKError[*smtypes.ResourceLimitExceeded](t, err, 400, e.Message)
	})
	t.Run("ConstraintViolationException", func(t *testing.T) {
		type describeAccount struct {
			AccountID string `json:"AccountId" required:"true"`
		}
		var got *describeAccount
		e := operation.Errorf(400, "ConstraintViolationException", "You have reached the limit on the number of accounts.").
			With("Reason", "ACCOUNT_NUMBER_LIMIT_EXCEEDED")
		l := &loopback{svc: awsproto.NewService(awsproto.Service{Name: "organizations", Protocol: awsproto.JSON11,
			TargetPrefix: "AWSOrganizationsV20161128", Global: true},
			answering[describeAccount, rtEmpty]("DescribeAccount", operation.Route{}, &got, nil, e))}
		_, err := organizations.NewFromConfig(l.config()).DescribeAccount(context.Background(),
			&organizations.DescribeAccountInput{AccountId: aws.String("111111111111")})
		if got == nil || got.AccountID != "111111111111" {
			t.Errorf("decoded %+v", got)
		}
		cv := wantSDKError[*orgtypes.ConstraintViolationException](t, err, 400, e.Message)
		if cv.Reason != orgtypes.ConstraintViolationExceptionReasonAccountNumberLimitExceeded {
			t.Errorf("SDK read Reason %q", cv.Reason)
		}
	})
}

// checkJSONError checks an awsJson error answer: its status, the code in the
// X-Amzn-Errortype header and the body's __type, and the body's message.
func checkJSONError(t *testing.T, l *loopback, e *operation.Error, contentType string) {
	t.Helper()
	if l.status != e.Status {
		t.Errorf("status %d, want %d", l.status, e.Status)
	}
	if got := l.header.Get("X-Amzn-Errortype"); got != e.Code {
		t.Errorf("X-Amzn-Errortype %q, want %q", got, e.Code)
	}
	if ct := l.header.Get("Content-Type"); ct != contentType {
		t.Errorf("Content-Type %q, want %q", ct, contentType)
	}
	var doc map[string]any
	if err := json.Unmarshal(l.body, &doc); err != nil {
		t.Fatalf("error body %s: %v", l.body, err)
	}
	if doc["__type"] != e.Code || doc["message"] != e.Message {
		t.Errorf("error body %s, want __type %q and message %q", l.body, e.Code, e.Message)
	}
}
