package server

import (
	"context"
	"fmt"
	"os"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/engine"
	"github.com/cairnhq/cairn/internal/jobs"
	"github.com/cairnhq/cairn/internal/runner"
	"github.com/cairnhq/cairn/internal/runner/local"
	"github.com/cairnhq/cairn/internal/service/iam"
	"github.com/cairnhq/cairn/internal/service/kms"
	"github.com/cairnhq/cairn/internal/service/organizations"
	"github.com/cairnhq/cairn/internal/service/s3"
	"github.com/cairnhq/cairn/internal/service/sagemaker"
	"github.com/cairnhq/cairn/internal/service/sts"
)

// services builds every AWS service Cairn serves, and the machinery that runs pipelines
// and jobs on their behalf.
func (s *Server) services(orgs *organizations.Service) ([]*awsproto.Service, error) {
	kmsAPI := kms.New(kms.Options{Store: s.store, MasterKey: s.master, Now: s.opts.Now, Random: s.opts.Random,
		Region: s.opts.Region, Logger: s.log}).API()
	stsAPI := sts.New(sts.Options{Store: s.store, Now: s.opts.Now, Random: s.opts.Random}).API()
	s3API := s3.New(s3.Options{Store: s.store, Blobs: s.blobs, Region: s.opts.Region, Now: s.opts.Now, Random: s.opts.Random, Logger: s.log, Domains: s.opts.S3Domains,
		KMS: &kmsForS3{kms: kmsAPI.Operations(), authz: s.authorizer, region: s.opts.Region}}).API()

	objects := &objects{s3: s3API.Operations(), authz: s.authorizer, region: s.opts.Region}
	roles := &roles{sts: stsAPI.Operations(), authz: s.authorizer, authn: s.authn, now: s.opts.Now, sessions: map[string]*auth.Principal{}}
	supervisor := s.opts.Supervisor
	if supervisor == nil {
		var err error
		if supervisor, err = local.DefaultSupervisor(); err != nil {
			return nil, err
		}
	}
	run, err := local.New(local.Options{StateDir: runner.StateDir(s.opts.DataDir), Supervisor: supervisor, Warm: 1, Logger: s.log})
	if err != nil {
		return nil, fmt.Errorf("job runner: %w", err)
	}
	images, err := jobs.NewImageMap(s.opts.Images)
	if err != nil {
		return nil, fmt.Errorf("image map: %w", err)
	}
	s.jobs = jobs.New(jobs.Options{Store: s.store, Runner: run, Objects: objects, Roles: roles, DataDir: s.opts.DataDir,
		Region: s.opts.Region, Now: s.opts.Now, Logger: s.log, Env: jobEnv(),
		Images: images, Interpreter: s.opts.TrainingInterpreter,
		Keys: &kmsForSageMaker{kms: kmsAPI.Operations(), authz: s.authorizer, region: s.opts.Region}})
	sm := sagemaker.New(sagemaker.Options{Store: s.store, Now: s.opts.Now, Random: s.opts.Random, Region: s.opts.Region,
		Limits: s.opts.Limits, Objects: objects})
	smAPI := sm.API()
	s.engine = engine.New(engine.Options{Store: s.store, SageMaker: smAPI.Operations(), Authorizer: s.authorizer, Roles: roles,
		Objects: objects, Now: s.opts.Now, Random: s.opts.Random, Logger: s.log})

	if s.ram, err = newRAM(s, sm); err != nil {
		return nil, err
	}

	return []*awsproto.Service{
		kmsAPI,
		s.ram.API(),
		stsAPI,
		orgs.API(),
		iam.New(iam.Options{Store: s.store, Now: s.opts.Now, Random: s.opts.Random}).API(),
		s3API,
		smAPI,
	}, nil
}

// startWork starts the job manager and the pipeline engine. Both learn of their work from
// store commits, and both begin by taking up what was unfinished when the server last
// stopped.
func (s *Server) startWork(ctx context.Context) error {
	if err := s.jobs.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	if err := s.ram.Start(ctx); err != nil {
		return fmt.Errorf("resume RAM associations: %w", err)
	}
	if err := s.engine.Start(ctx); err != nil {
		return fmt.Errorf("start pipeline engine: %w", err)
	}
	return nil
}

// jobEnv is the base environment of every job: the server's PATH and locale, unbuffered
// Python output so logs stream.
func jobEnv() []string {
	env := []string{"PYTHONUNBUFFERED=1", "LANG=C.UTF-8"}
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
