package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
)

// The seed's story on RAM's side, across three accounts: the owner shares a pipeline
// read-only with an account that is invited, accepts, and is granted through the
// pipeline's policy; the owner switches the share to allow execution; a third account
// rejects its invitation; revocation and deletion take the grants away at once.
func TestRAMShareFlow(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer, third := ramFor(c, "owner"), ramFor(c, "consumer"), ramFor(c, "third")
	pipeline := ramPipeline(t, c, "owner", "shared-pipe")

	share := ramShare(t, owner, "pipelines", []string{pipeline}, []string{ramConsumer}, nil)
	shareARN := aws.ToString(share.ResourceShareArn)
	if share.Status != ramtypes.ResourceShareStatusActive || aws.ToString(share.OwningAccountId) != ramOwner ||
		!aws.ToBool(share.AllowExternalPrincipals) || !strings.HasPrefix(shareARN, "arn:aws:ram:us-east-1:111111111111:resource-share/") {
		t.Fatalf("CreateResourceShare: %+v", share)
	}
	if got := associations(t, owner, shareARN, ramtypes.ResourceShareAssociationTypePrincipal); len(got) != 1 || got[0] != ramConsumer+" ASSOCIATED" {
		t.Errorf("principal associations %v", got)
	}
	if got := associations(t, owner, shareARN, ramtypes.ResourceShareAssociationTypeResource); len(got) != 1 || got[0] != pipeline+" ASSOCIATED" {
		t.Errorf("resource associations %v", got)
	}
	perms, err := owner.ListResourceSharePermissions(ctx, &ram.ListResourceSharePermissionsInput{ResourceShareArn: aws.String(shareARN)})
	if err != nil || len(perms.Permissions) != 1 || aws.ToString(perms.Permissions[0].Arn) != pipelineReadARN {
		t.Fatalf("ListResourceSharePermissions: %v %+v", err, perms)
	}

	// Invited, not yet granted.
	inv := ramInvitation(t, consumer, shareARN)
	if inv.Status != ramtypes.ResourceShareInvitationStatusPending || aws.ToString(inv.SenderAccountId) != ramOwner ||
		aws.ToString(inv.ReceiverAccountId) != ramConsumer || aws.ToString(inv.ResourceShareName) != "pipelines" {
		t.Fatalf("invitation %+v", inv)
	}
	pending, err := consumer.ListPendingInvitationResources(ctx, &ram.ListPendingInvitationResourcesInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn})
	if err != nil || len(pending.Resources) != 1 || aws.ToString(pending.Resources[0].Arn) != pipeline || aws.ToString(pending.Resources[0].Type) != "sagemaker:Pipeline" {
		t.Fatalf("ListPendingInvitationResources: %v %+v", err, pending)
	}
	if got := ramPolicies(t, owner, pipeline); len(got) != 0 {
		t.Fatalf("policy before the invitation is accepted: %+v", got)
	}
	received, err := consumer.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts})
	if err != nil || len(received.ResourceShares) != 0 {
		t.Fatalf("shares received before accepting: %v %+v", err, received.ResourceShares)
	}

	// Accepted: the pipeline's policy grants the seven read actions on it and its executions.
	accepted, err := consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn})
	if err != nil || accepted.ResourceShareInvitation.Status != ramtypes.ResourceShareInvitationStatusAccepted {
		t.Fatalf("AcceptResourceShareInvitation: %v %+v", err, accepted)
	}
	_, err = consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn})
	expectAPIError(t, err, 400, "ResourceShareInvitationAlreadyAcceptedException")
	_, err = consumer.RejectResourceShareInvitation(ctx, &ram.RejectResourceShareInvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn})
	expectAPIError(t, err, 400, "ResourceShareInvitationAlreadyAcceptedException")
	policies := ramPolicies(t, owner, pipeline)
	if len(policies) != 1 {
		t.Fatalf("%d policies, want 1", len(policies))
	}
	read := []string{"DescribePipeline", "DescribePipelineDefinitionForExecution", "DescribePipelineExecution", "ListPipelineExecutions",
		"ListPipelineExecutionSteps", "ListPipelineParametersForExecution", "Search"}
	for _, a := range read {
		if !policies[0].allows(ramConsumer, "sagemaker:"+a) {
			t.Errorf("policy does not allow %s: %v", a, policies[0].grants())
		}
	}
	if n := len(policies[0].grants()); n != len(read) || policies[0].allows(ramConsumer, "sagemaker:StartPipelineExecution") {
		t.Errorf("read-only policy grants %v", policies[0].grants())
	}
	if res := policies[0].Statement[0].Resource; len(res) != 2 || res[0] != pipeline || res[1] != pipeline+"/execution/*" {
		t.Errorf("policy resources %v", res)
	}
	received, err = consumer.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts})
	if err != nil || len(received.ResourceShares) != 1 || aws.ToString(received.ResourceShares[0].ResourceShareArn) != shareARN {
		t.Fatalf("shares received: %v %+v", err, received)
	}
	res, err := consumer.ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts})
	if err != nil || len(res.Resources) != 1 || aws.ToString(res.Resources[0].Arn) != pipeline || res.Resources[0].Status != ramtypes.ResourceStatusAvailable {
		t.Fatalf("ListResources OTHER-ACCOUNTS: %v %+v", err, res)
	}
	principals, err := consumer.ListPrincipals(ctx, &ram.ListPrincipalsInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts})
	if err != nil || len(principals.Principals) != 1 || aws.ToString(principals.Principals[0].Id) != ramOwner {
		t.Fatalf("ListPrincipals OTHER-ACCOUNTS: %v %+v", err, principals)
	}
	consumerPerms, err := consumer.ListResourceSharePermissions(ctx, &ram.ListResourceSharePermissionsInput{ResourceShareArn: aws.String(shareARN)})
	if err != nil || len(consumerPerms.Permissions) != 1 {
		t.Fatalf("the consumer's ListResourceSharePermissions: %v %+v", err, consumerPerms)
	}

	// Switching to execution needs replace.
	_, err = owner.AssociateResourceSharePermission(ctx, &ram.AssociateResourceSharePermissionInput{ResourceShareArn: aws.String(shareARN),
		PermissionArn: aws.String(pipelineExecARN)})
	expectAPIError(t, err, 400, "InvalidParameterException")
	if _, err := owner.AssociateResourceSharePermission(ctx, &ram.AssociateResourceSharePermissionInput{ResourceShareArn: aws.String(shareARN),
		PermissionArn: aws.String(pipelineExecARN), Replace: aws.Bool(true)}); err != nil {
		t.Fatalf("AssociateResourceSharePermission replace: %v", err)
	}
	policies = ramPolicies(t, owner, pipeline)
	for _, a := range []string{"StartPipelineExecution", "StopPipelineExecution", "RetryPipelineExecution", "DescribePipeline"} {
		if len(policies) != 1 || !policies[0].allows(ramConsumer, "sagemaker:"+a) {
			t.Errorf("allow-execution policy lacks %s: %+v", a, policies)
		}
	}

	// A third account rejects its invitation.
	if _, err := owner.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: aws.String(shareARN), Principals: []string{ramThird}}); err != nil {
		t.Fatalf("AssociateResourceShare: %v", err)
	}
	thirdInv := ramInvitation(t, third, shareARN)
	rejected, err := third.RejectResourceShareInvitation(ctx, &ram.RejectResourceShareInvitationInput{ResourceShareInvitationArn: thirdInv.ResourceShareInvitationArn})
	if err != nil || rejected.ResourceShareInvitation.Status != ramtypes.ResourceShareInvitationStatusRejected {
		t.Fatalf("RejectResourceShareInvitation: %v %+v", err, rejected)
	}
	_, err = third.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: thirdInv.ResourceShareInvitationArn})
	expectAPIError(t, err, 400, "ResourceShareInvitationAlreadyRejectedException")
	_, err = third.ListPendingInvitationResources(ctx, &ram.ListPendingInvitationResourcesInput{ResourceShareInvitationArn: thirdInv.ResourceShareInvitationArn})
	expectAPIError(t, err, 400, "ResourceShareInvitationAlreadyRejectedException")
	// Another account's invitation is unknown to an account.
	_, err = consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: thirdInv.ResourceShareInvitationArn})
	expectAPIError(t, err, 400, "ResourceShareInvitationArnNotFoundException")
	if policies = ramPolicies(t, owner, pipeline); policies[0].allows(ramThird, "sagemaker:DescribePipeline") {
		t.Errorf("the rejecting account is granted: %v", policies[0].grants())
	}

	// Revocation takes effect at once.
	if _, err := owner.DisassociateResourceShare(ctx, &ram.DisassociateResourceShareInput{ResourceShareArn: aws.String(shareARN),
		Principals: []string{ramConsumer}}); err != nil {
		t.Fatalf("DisassociateResourceShare: %v", err)
	}
	if got := ramPolicies(t, owner, pipeline); len(got) != 0 {
		t.Errorf("policy after revocation: %+v", got)
	}
	received, _ = consumer.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts})
	if len(received.ResourceShares) != 0 {
		t.Errorf("shares received after revocation: %+v", received.ResourceShares)
	}
	if _, err := owner.DeleteResourceShare(ctx, &ram.DeleteResourceShareInput{ResourceShareArn: aws.String(shareARN)}); err != nil {
		t.Fatalf("DeleteResourceShare: %v", err)
	}
	_, err = owner.DeleteResourceShare(ctx, &ram.DeleteResourceShareInput{ResourceShareArn: aws.String(shareARN)})
	expectAPIError(t, err, 400, "InvalidStateTransitionException")
	own, err := owner.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceShareStatus: ramtypes.ResourceShareStatusDeleted})
	if err != nil || len(own.ResourceShares) != 1 {
		t.Errorf("deleted shares: %v %+v", err, own)
	}
}
