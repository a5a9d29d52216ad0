// Package sagemaker serves Amazon SageMaker (awsJson1.1): pipelines and their executions,
// and the jobs pipeline steps launch. Executions are run by package engine and jobs by
// package jobs, both started by the store commits this service makes.
package sagemaker

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Limits are the per-account limits on concurrent work; zero means unlimited.
type Limits struct {
	// ConcurrentExecutions bounds pipeline executions that are Executing or Stopping.
	ConcurrentExecutions int
	// ConcurrentJobs bounds jobs that are InProgress or Stopping.
	ConcurrentJobs int
}

// Objects reads S3 objects as the principal in the context, through the same
// authorization a client's request gets.
type Objects interface {
	GetObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, error)
}

// Options configures the service.
type Options struct {
	Store  store.Store
	Now    func() time.Time
	Random io.Reader
	Region string
	Limits Limits
	// Objects reads definitions from S3 as the caller.
	Objects Objects
}

// Service is SageMaker.
type Service struct {
	store   store.Scoped[txn, txn]
	now     func() time.Time
	random  io.Reader
	region  string
	limits  Limits
	objects Objects
}

// New returns the SageMaker service.
func New(o Options) *Service {
	return &Service{store: store.Scope[txn, txn](o.Store), now: o.Now, random: o.Random, region: o.Region, limits: o.Limits, objects: o.Objects}
}

// API declares the operations of SageMaker.
func (s *Service) API() *awsproto.Service {
	ops := []*operation.Operation{}
	ops = append(ops, s.pipelineOps()...)
	ops = append(ops, s.executionOps()...)
	ops = append(ops, s.processingOps()...)
	ops = append(ops, s.trainingOps()...)
	ops = append(ops, s.modelOps()...)
	ops = append(ops, s.transformOps()...)
	ops = append(ops, s.registryOps()...)
	ops = append(ops, s.modelPackageOps()...)
	ops = append(ops, s.registryPolicyOps()...)
	ops = append(ops, s.tagOps()...)
	ops = append(ops, s.searchOps()...)
	ops = append(ops, s.contextOps()...)
	ops = append(ops, s.artifactOps()...)
	ops = append(ops, s.actionOps()...)
	ops = append(ops, s.associationOps()...)
	ops = append(ops, s.queryOps()...)
	ops = append(ops, s.lineageGroupOps()...)
	ops = append(ops, s.experimentOps()...)
	ops = append(ops, s.trialComponentOps()...)
	return awsproto.NewService(awsproto.Service{
		Name:           "sagemaker",
		Protocol:       awsproto.JSON11,
		TargetPrefix:   "SageMaker",
		ValidationCode: "ValidationException",
	}, ops...)
}

// Errors of SageMaker (each carries only a message, as AWS sends them).
func validation(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ValidationException", format, args...)
}

// violation is SageMaker's ValidationException for one member failing one constraint
// that no tag declares.
func violation(path, value, constraint string) *operation.Error {
	return validation("%s", operation.ValidationMessage(operation.Violation{Path: path, Value: value, Constraint: constraint}))
}

// missing is SageMaker's ValidationException for a member Cairn needs and a request left
// out.
func missing(path string) *operation.Error {
	return validation("%s", operation.ValidationMessage(operation.Violation{Path: path, Null: true, Constraint: operation.NotNull}))
}

func notFound(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ResourceNotFound", format, args...)
}

func conflict(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ConflictException", format, args...)
}

func limitExceeded(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ResourceLimitExceeded", format, args...)
}

func inUse(format string, args ...any) *operation.Error {
	return operation.Errorf(http.StatusBadRequest, "ResourceInUse", format, args...)
}

// caller is the account and principal of the request.
func caller(ctx context.Context) *auth.Principal { return auth.PrincipalFrom(ctx) }

// arn builds a SageMaker ARN in the caller's account. AWS returns resource names
// lowercased in ARNs; authorization uses the name as given (asGiven).
func (s *Service) arn(account, resourceType, name string) string {
	return arn.SageMaker(s.region, account, resourceType, name)
}

func (s *Service) arnAsGiven(account, resourceType, name string) string {
	return arn.SageMakerAsGiven(s.region, account, resourceType, name)
}

// Tag is a SageMaker tag.
type Tag = sm.Tag

func storeTags(tags []Tag) []store.Tag {
	out := make([]store.Tag, len(tags))
	for i, t := range tags {
		out[i] = store.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func wireTags(tags []store.Tag) []Tag {
	out := make([]Tag, len(tags))
	for i, t := range tags {
		out[i] = Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

// requestTagKeys returns the aws:RequestTag/… and aws:TagKeys condition keys of tags.
func requestTagKeys(tags []Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	keys := map[string][]string{}
	var names []string
	for _, t := range tags {
		keys["aws:RequestTag/"+t.Key] = []string{t.Value}
		names = append(names, t.Key)
	}
	keys["aws:TagKeys"] = names
	return keys
}

func tagMap(tags []store.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}
