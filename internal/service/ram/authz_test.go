package ram_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/authz"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/service/ram"
	"github.com/cairnhq/cairn/internal/store"
)

// authorize asks the authorizer whether account's root user may perform action on a
// pipeline resource (the pipeline or one of its executions), with the policy RAM attached
// to the pipeline as the resource's policy — as SageMaker's Access functions will build
// the resource. One authorizer answers every call of a fixture, as one answers every
// request of a server: a grant or revocation must be seen without anything of the
// authorizer's being reset.
func (f *fixture) authorize(account, action, resourceARN string) error {
	f.t.Helper()
	var doc []byte
	err := f.db.View(context.Background(), func(tx store.Tx) error {
		var err error
		doc, err = tx.ResourcePolicy(pipeline)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	if f.authorizer == nil {
		f.authorizer = authz.New(authz.Options{Store: f.db, Now: f.clock.Now, Region: "us-east-1"})
	}
	a := f.authorizer
	svc := operation.NewService(operation.Service{Name: "sagemaker", AccessDeniedCode: "AccessDeniedException"})
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Kind: auth.Root, Account: account, ARN: "arn:aws:iam::" + account + ":root",
		UserID: account})
	return a.Authorize(ctx, svc, &operation.Access{Action: action,
		Resources: []operation.Resource{{ARN: resourceARN, Account: owner, Policy: doc}}})
}

// The policy RAM attaches is what the authorizer enforces: an account that accepted its
// invitation is allowed the permission's actions on the pipeline and its executions, and
// nothing else; an account that was not invited, or whose grant was revoked, is denied.
func TestSharedPipelinePolicyAuthorizes(t *testing.T) {
	f := newFixture(t, 0)
	execution := pipeline + "/execution/abcdef123456"
	share := f.share("s", consumer)

	// Pending: nobody is granted.
	if err := f.authorize(consumer, "sagemaker:DescribePipeline", pipeline); code(err) != "AccessDeniedException" {
		t.Fatalf("before accepting: %v", err)
	}
	inv := f.invitations(consumer)[0]
	f.must(consumer, "AcceptResourceShareInvitation", &ram.InvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn})

	cases := []struct {
		account, action, resource string
		allowed                   bool
	}{
		{consumer, "sagemaker:DescribePipeline", pipeline, true},
		{consumer, "sagemaker:DescribePipelineExecution", execution, true},
		{consumer, "sagemaker:ListPipelineExecutionSteps", execution, true},
		{consumer, "sagemaker:StartPipelineExecution", pipeline, false},
		{consumer, "sagemaker:DeletePipeline", pipeline, false},
		{consumer, "sagemaker:DescribePipeline", "arn:aws:sagemaker:us-east-1:111111111111:pipeline/other", false},
		{third, "sagemaker:DescribePipeline", pipeline, false},
		{owner, "sagemaker:DeletePipeline", pipeline, true},
	}
	for _, tc := range cases {
		err := f.authorize(tc.account, tc.action, tc.resource)
		if (err == nil) != tc.allowed {
			t.Errorf("%s %s on %s: %v, want allowed %v", tc.account, tc.action, tc.resource, err, tc.allowed)
		}
	}

	// Execution, after replacing the permission; then revocation.
	f.must(owner, "AssociateResourceSharePermission", &ram.AssociateResourceSharePermissionInput{ResourceShareArn: share,
		PermissionArn: "arn:aws:ram::aws:permission/" + ram.PipelineExecutionPermission, Replace: boolp(true)})
	if err := f.authorize(consumer, "sagemaker:StartPipelineExecution", pipeline); err != nil {
		t.Errorf("StartPipelineExecution after replacing the permission: %v", err)
	}
	if err := f.authorize(consumer, "sagemaker:RetryPipelineExecution", execution); err != nil {
		t.Errorf("RetryPipelineExecution after replacing the permission: %v", err)
	}
	f.must(owner, "DisassociateResourceShare", &ram.AssociateResourceShareInput{ResourceShareArn: share, Principals: []string{consumer}})
	if err := f.authorize(consumer, "sagemaker:DescribePipeline", pipeline); code(err) != "AccessDeniedException" {
		t.Errorf("after revocation: %v", err)
	}
}

// Inside the organization, with sharing enabled, a member is granted without an
// invitation through a statement bound to the organization.
func TestOrganizationGrantAuthorizes(t *testing.T) {
	f := newFixture(t, 0)
	f.must("000000000000", "EnableSharingWithAwsOrganization", &ram.EnableSharingWithAwsOrganizationInput{})
	f.share("s", consumer)
	if len(f.invitations(consumer)) != 0 {
		t.Fatal("a member was invited")
	}
	if err := f.authorize(consumer, "sagemaker:DescribePipeline", pipeline); err != nil {
		t.Errorf("member: %v", err)
	}
	if err := f.authorize(third, "sagemaker:DescribePipeline", pipeline); code(err) != "AccessDeniedException" {
		t.Errorf("another member: %v", err)
	}
}

func boolp(b bool) *bool { return &b }
