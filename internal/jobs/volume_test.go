package jobs

import (
	"testing"

	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Each kind of job names its volume key in its own member.
func TestVolumeKey(t *testing.T) {
	for _, c := range []struct {
		kind    sm.JobKind
		request string
		want    string
	}{
		{sm.ProcessingJob, `{"ProcessingResources":{"ClusterConfig":{"InstanceCount":1,"VolumeKmsKeyId":"alias/p"}}}`, "alias/p"},
		{sm.TrainingJob, `{"ResourceConfig":{"InstanceCount":1,"VolumeKmsKeyId":"alias/t"}}`, "alias/t"},
		{sm.TransformJob, `{"TransformResources":{"InstanceCount":1,"VolumeKmsKeyId":"alias/x"}}`, "alias/x"},
		{sm.TrainingJob, `{"ResourceConfig":{"InstanceCount":1}}`, ""},
		{sm.ProcessingJob, `{}`, ""},
		{sm.TransformJob, `not json`, ""},
	} {
		if got := volumeKey(&store.Job{Kind: string(c.kind), Request: c.request}); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.kind, c.request, got, c.want)
		}
	}
}
