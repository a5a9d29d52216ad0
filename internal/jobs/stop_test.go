package jobs_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/runner"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// createTraining records a training job whose entry point is given, as CreateTrainingJob
// does.
func (f *fixture) createTraining(t *testing.T, name string) string {
	t.Helper()
	now := time.Now()
	role := "arn:aws:iam::" + account + ":role/R"
	job := &store.Job{AccountID: account, Kind: string(sm.TrainingJob), Name: name,
		ARN: "arn:aws:sagemaker:us-east-1:" + account + ":training-job/" + name,
		Request: `{"TrainingJobName":"` + name + `","AlgorithmSpecification":{"TrainingImage":"i","TrainingInputMode":"File","ContainerEntrypoint":["true"]},` +
			`"RoleArn":"` + role + `","OutputDataConfig":{"S3OutputPath":"s3://b/out"},` +
			`"ResourceConfig":{"InstanceCount":1,"InstanceType":"ml.m5.large","VolumeSizeInGB":1},"StoppingCondition":{"MaxRuntimeInSeconds":3600}}`,
		Status: string(sm.JobInProgress), RoleARN: role, CreatedAt: now, LastModifiedAt: now}
	if err := f.store.Update(context.Background(), func(tx store.Tx) error { return tx.CreateJob(job) }); err != nil {
		t.Fatal(err)
	}
	return runner.JobID(account, job.Kind, name)
}

// stopTraining records a stop request as StopTrainingJob does, once per call.
func (f *fixture) stopTraining(t *testing.T, name string) {
	t.Helper()
	err := f.store.Update(context.Background(), func(tx store.Tx) error {
		job, err := tx.Job(account, string(sm.TrainingJob), name)
		if err != nil {
			return err
		}
		if sm.JobStatus(job.Status).Finished() {
			return nil
		}
		job.Status, job.LastModifiedAt = string(sm.JobStopping), time.Now()
		return tx.UpdateJob(job)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A training job stopped twice (and whose records change again while it stops) enters
// Stopping once, before it uploads its model: its transitions read as SageMaker's do.
func TestTrainingStoppedTwice(t *testing.T) {
	for i := 0; i < 5; i++ {
		f := newFixture(t)
		f.start(t)
		id := f.createTraining(t, "twice")
		f.runner.job(t, id) // running: the fake job runs until stopped
		f.waitSecondary(t, "twice", sm.SecondaryTraining)
		f.stopTraining(t, "twice")
		f.stopTraining(t, "twice")
		job := f.waitTraining(t, "twice")
		got := transitions(t, job)
		want := []string{"Starting", "Downloading", "Training", "Stopping", "Uploading", "Stopped"}
		if job.Status != string(sm.JobStopped) || !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d: %s, transitions %v, want %v", i, job.Status, got, want)
		}
	}
}

// A training job stopped while its process is being started — after the runner started
// it, before its start is recorded — goes from Downloading to Stopping, never back to
// Training.
func TestTrainingStoppedWhileStarting(t *testing.T) {
	f := newFixture(t)
	f.runner.onStart = func(string) {
		f.stopTraining(t, "early")
		f.waitSecondary(t, "early", sm.SecondaryStopping) // the stop is seen before the start is recorded
	}
	f.start(t)
	f.createTraining(t, "early")
	job := f.waitTraining(t, "early")
	got := transitions(t, job)
	stopping := slices.Index(got, "Stopping")
	if job.Status != string(sm.JobStopped) || stopping < 0 || slices.Contains(got[stopping:], "Training") || got[len(got)-1] != "Stopped" {
		t.Fatalf("%s, transitions %v: want Stopping once, no Training after it, Stopped last", job.Status, got)
	}
}

// waitSecondary polls a training job until its secondary status is want.
func (f *fixture) waitSecondary(t *testing.T, name string, want sm.SecondaryStatus) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var job *store.Job
		err := f.store.View(context.Background(), func(tx store.Tx) error {
			var err error
			job, err = tx.Job(account, string(sm.TrainingJob), name)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if job.Secondary == string(want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: secondary status %q, want %q", name, job.Secondary, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A training job stopped and uploading its model when the server went down is not
// recorded Stopping a second time when the restarted server takes it up again.
func TestTrainingStopResumedAfterRestart(t *testing.T) {
	f := newFixture(t)
	id := f.createTraining(t, "resumed")
	err := f.store.Update(context.Background(), func(tx store.Tx) error {
		job, err := tx.Job(account, string(sm.TrainingJob), "resumed")
		if err != nil {
			return err
		}
		at := operation.NewTimestamp(job.CreatedAt)
		var details sm.JobDetails
		for _, s := range []sm.SecondaryStatus{sm.SecondaryStarting, sm.SecondaryDownloading, sm.SecondaryTraining, sm.SecondaryStopping, sm.SecondaryUploading} {
			details.SecondaryStatusTransitions = append(details.SecondaryStatusTransitions, sm.SecondaryStatusTransition{Status: s, StartTime: at})
		}
		if job.Details, err = details.Encode(); err != nil {
			return err
		}
		job.Status, job.Secondary, job.StartedAt = string(sm.JobStopping), string(sm.SecondaryUploading), job.CreatedAt
		return tx.UpdateJob(job)
	})
	if err != nil {
		t.Fatal(err)
	}
	supervised := newFakeJob(id)
	supervised.end(runner.Result{Stopped: true, Signal: "SIGTERM"})
	f.runner.jobs[id] = supervised
	f.start(t)
	job := f.waitTraining(t, "resumed")
	want := []string{"Starting", "Downloading", "Training", "Stopping", "Uploading", "Stopped"}
	if got := transitions(t, job); job.Status != string(sm.JobStopped) || !reflect.DeepEqual(got, want) {
		t.Errorf("%s, transitions %v, want %v", job.Status, got, want)
	}
}

// waitTraining polls a training job until it has finished.
func (f *fixture) waitTraining(t *testing.T, name string) *store.Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var job *store.Job
		err := f.store.View(context.Background(), func(tx store.Tx) error {
			var err error
			job, err = tx.Job(account, string(sm.TrainingJob), name)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if sm.JobStatus(job.Status).Finished() {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("training job %s is still %s", name, job.Status)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// transitions lists the statuses of a job's SecondaryStatusTransitions.
func transitions(t *testing.T, job *store.Job) []string {
	t.Helper()
	details, err := sm.ParseJobDetails(job.Details)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range details.SecondaryStatusTransitions {
		got = append(got, string(tr.Status))
	}
	return got
}
