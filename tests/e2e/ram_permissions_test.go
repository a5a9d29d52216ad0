package e2e

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
)

// The AWS managed permissions of the two SageMaker types, with their exact actions.
func TestRAMManagedPermissions(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	client := ramFor(c, "owner")
	list, err := client.ListPermissions(ctx, &ram.ListPermissionsInput{ResourceType: aws.String("sagemaker:Pipeline")})
	if err != nil || len(list.Permissions) != 2 {
		t.Fatalf("ListPermissions sagemaker:Pipeline: %v %+v", err, list)
	}
	defaults := 0
	for _, p := range list.Permissions {
		if aws.ToBool(p.IsResourceTypeDefault) {
			defaults++
			if aws.ToString(p.Arn) != pipelineReadARN {
				t.Errorf("default permission %s", aws.ToString(p.Arn))
			}
		}
		if p.PermissionType != ramtypes.PermissionTypeAwsManaged || aws.ToString(p.Version) != "1" || !aws.ToBool(p.DefaultVersion) {
			t.Errorf("permission %+v", p)
		}
	}
	if defaults != 1 {
		t.Errorf("%d default permissions", defaults)
	}
	want := map[string][]string{
		pipelineReadARN: {"sagemaker:DescribePipeline", "sagemaker:DescribePipelineDefinitionForExecution", "sagemaker:DescribePipelineExecution",
			"sagemaker:ListPipelineExecutions", "sagemaker:ListPipelineExecutionSteps", "sagemaker:ListPipelineParametersForExecution", "sagemaker:Search"},
		pipelineExecARN: {"sagemaker:DescribePipeline", "sagemaker:DescribePipelineDefinitionForExecution", "sagemaker:DescribePipelineExecution",
			"sagemaker:ListPipelineExecutions", "sagemaker:ListPipelineExecutionSteps", "sagemaker:ListPipelineParametersForExecution",
			"sagemaker:StartPipelineExecution", "sagemaker:StopPipelineExecution", "sagemaker:RetryPipelineExecution", "sagemaker:Search"},
		"arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSageMakerLineageGroup": {"sagemaker:DescribeAction", "sagemaker:DescribeArtifact",
			"sagemaker:DescribeContext", "sagemaker:DescribeTrialComponent", "sagemaker:AddAssociation", "sagemaker:DeleteAssociation", "sagemaker:QueryLineage"},
	}
	for arn, actions := range want {
		out, err := client.GetPermission(ctx, &ram.GetPermissionInput{PermissionArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("GetPermission %s: %v", arn, err)
		}
		var tpl struct {
			Effect string
			Action []string
		}
		if err := json.Unmarshal([]byte(aws.ToString(out.Permission.Permission)), &tpl); err != nil || tpl.Effect != "Allow" {
			t.Fatalf("template of %s: %v %q", arn, err, aws.ToString(out.Permission.Permission))
		}
		if len(tpl.Action) != len(actions) {
			t.Errorf("%s allows %v, want %v", arn, tpl.Action, actions)
			continue
		}
		for i := range actions {
			if tpl.Action[i] != actions[i] {
				t.Errorf("%s allows %v, want %v", arn, tpl.Action, actions)
				break
			}
		}
	}
	versions, err := client.ListPermissionVersions(ctx, &ram.ListPermissionVersionsInput{PermissionArn: aws.String(pipelineExecARN)})
	if err != nil || len(versions.Permissions) != 1 {
		t.Errorf("ListPermissionVersions: %v %+v", err, versions)
	}
}

// A customer managed permission narrows what a type allows (never widens it), has
// versions, and moves shares with ReplacePermissionAssociations.
func TestRAMCustomerManagedPermission(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner := ramFor(c, "owner")
	pipeline := ramPipeline(t, c, "owner", "cmp-pipe")

	_, err := owner.CreatePermission(ctx, &ram.CreatePermissionInput{Name: aws.String("wide"), ResourceType: aws.String("sagemaker:Pipeline"),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":["sagemaker:DescribePipeline","sagemaker:DeletePipeline"]}`)})
	expectAPIError(t, err, 400, "InvalidPolicyException")
	_, err = owner.CreatePermission(ctx, &ram.CreatePermissionInput{Name: aws.String("star"), ResourceType: aws.String("sagemaker:Pipeline"),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":"sagemaker:*"}`)})
	expectAPIError(t, err, 400, "InvalidPolicyException")
	_, err = owner.CreatePermission(ctx, &ram.CreatePermissionInput{Name: aws.String("principal"), ResourceType: aws.String("sagemaker:Pipeline"),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":"sagemaker:DescribePipeline","Principal":"*"}`)})
	expectAPIError(t, err, 400, "MalformedPolicyTemplateException")
	_, err = owner.CreatePermission(ctx, &ram.CreatePermissionInput{Name: aws.String("bad name!"), ResourceType: aws.String("sagemaker:Pipeline"),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":"sagemaker:DescribePipeline"}`)})
	expectAPIError(t, err, 400, "InvalidParameterException")

	narrow, err := owner.CreatePermission(ctx, &ram.CreatePermissionInput{Name: aws.String("DescribeOnly"), ResourceType: aws.String("sagemaker:Pipeline"),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":["sagemaker:DescribePipeline"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`),
		Tags:           []ramtypes.Tag{{Key: aws.String("kind"), Value: aws.String("narrow")}}})
	if err != nil {
		t.Fatalf("CreatePermission: %v", err)
	}
	narrowARN := aws.ToString(narrow.Permission.Arn)
	if narrowARN != "arn:aws:ram:us-east-1:111111111111:permission/DescribeOnly" || narrow.Permission.PermissionType != ramtypes.PermissionTypeCustomerManaged {
		t.Fatalf("CreatePermission: %+v", narrow.Permission)
	}
	_, err = owner.CreatePermission(ctx, &ram.CreatePermissionInput{Name: aws.String("describeonly"), ResourceType: aws.String("sagemaker:Pipeline"),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":"sagemaker:DescribePipeline"}`)})
	expectAPIError(t, err, 409, "PermissionAlreadyExistsException")

	share := ramShare(t, owner, "narrow", []string{pipeline}, []string{ramConsumer}, []string{narrowARN})
	shareARN := aws.ToString(share.ResourceShareArn)
	consumer := ramFor(c, "consumer")
	inv := ramInvitation(t, consumer, shareARN)
	if _, err := consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: inv.ResourceShareInvitationArn}); err != nil {
		t.Fatal(err)
	}
	policies := ramPolicies(t, owner, pipeline)
	if len(policies) != 1 || len(policies[0].grants()) != 1 || !policies[0].allows(ramConsumer, "sagemaker:DescribePipeline") ||
		policies[0].Statement[0].Condition["Bool"]["aws:SecureTransport"] != "false" {
		t.Fatalf("narrow policy: %+v", policies)
	}

	// A second version becomes the default; the share keeps version 1 until replaced.
	v2, err := owner.CreatePermissionVersion(ctx, &ram.CreatePermissionVersionInput{PermissionArn: aws.String(narrowARN),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":["sagemaker:DescribePipeline","sagemaker:ListPipelineExecutions"]}`)})
	if err != nil || aws.ToString(v2.Permission.Version) != "2" || !aws.ToBool(v2.Permission.DefaultVersion) {
		t.Fatalf("CreatePermissionVersion: %v %+v", err, v2)
	}
	versions, err := owner.ListPermissionVersions(ctx, &ram.ListPermissionVersionsInput{PermissionArn: aws.String(narrowARN)})
	if err != nil || len(versions.Permissions) != 2 {
		t.Fatalf("ListPermissionVersions: %v %+v", err, versions)
	}
	uses, err := owner.ListPermissionAssociations(ctx, &ram.ListPermissionAssociationsInput{PermissionArn: aws.String(narrowARN)})
	if err != nil || len(uses.Permissions) != 1 || aws.ToString(uses.Permissions[0].PermissionVersion) != "1" || aws.ToBool(uses.Permissions[0].DefaultVersion) {
		t.Fatalf("ListPermissionAssociations: %v %+v", err, uses)
	}
	_, err = owner.DeletePermissionVersion(ctx, &ram.DeletePermissionVersionInput{PermissionArn: aws.String(narrowARN), PermissionVersion: aws.Int32(1)})
	expectAPIError(t, err, 400, "OperationNotPermittedException")
	_, err = owner.DeletePermissionVersion(ctx, &ram.DeletePermissionVersionInput{PermissionArn: aws.String(narrowARN), PermissionVersion: aws.Int32(2)})
	expectAPIError(t, err, 400, "InvalidParameterException")
	work, err := owner.ReplacePermissionAssociations(ctx, &ram.ReplacePermissionAssociationsInput{FromPermissionArn: aws.String(narrowARN),
		ToPermissionArn: aws.String(narrowARN), FromPermissionVersion: aws.Int32(1)})
	if err != nil || work.ReplacePermissionAssociationsWork.Status != ramtypes.ReplacePermissionAssociationsWorkStatusCompleted {
		t.Fatalf("ReplacePermissionAssociations: %v %+v", err, work)
	}
	if policies = ramPolicies(t, owner, pipeline); !policies[0].allows(ramConsumer, "sagemaker:ListPipelineExecutions") {
		t.Errorf("policy after moving to version 2: %v", policies[0].grants())
	}
	works, err := owner.ListReplacePermissionAssociationsWork(ctx, &ram.ListReplacePermissionAssociationsWorkInput{
		WorkIds: []string{aws.ToString(work.ReplacePermissionAssociationsWork.Id)}})
	if err != nil || len(works.ReplacePermissionAssociationsWorks) != 1 {
		t.Errorf("ListReplacePermissionAssociationsWork: %v %+v", err, works)
	}
	if _, err := owner.DeletePermissionVersion(ctx, &ram.DeletePermissionVersionInput{PermissionArn: aws.String(narrowARN), PermissionVersion: aws.Int32(1)}); err != nil {
		t.Errorf("DeletePermissionVersion 1: %v", err)
	}
	if _, err := owner.SetDefaultPermissionVersion(ctx, &ram.SetDefaultPermissionVersionInput{PermissionArn: aws.String(narrowARN), PermissionVersion: aws.Int32(1)}); err == nil {
		t.Errorf("SetDefaultPermissionVersion to a deleted version succeeded")
	}
	for i := 0; i < 4; i++ {
		if _, err := owner.CreatePermissionVersion(ctx, &ram.CreatePermissionVersionInput{PermissionArn: aws.String(narrowARN),
			PolicyTemplate: aws.String(`{"Effect":"Allow","Action":"sagemaker:DescribePipeline"}`)}); err != nil {
			t.Fatalf("CreatePermissionVersion %d: %v", i+3, err)
		}
	}
	_, err = owner.CreatePermissionVersion(ctx, &ram.CreatePermissionVersionInput{PermissionArn: aws.String(narrowARN),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":"sagemaker:DescribePipeline"}`)})
	expectAPIError(t, err, 400, "PermissionVersionsLimitExceededException")
	if _, err := owner.SetDefaultPermissionVersion(ctx, &ram.SetDefaultPermissionVersionInput{PermissionArn: aws.String(narrowARN), PermissionVersion: aws.Int32(2)}); err != nil {
		t.Errorf("SetDefaultPermissionVersion: %v", err)
	}

	// An attached permission can't be deleted; replaced by a managed one, it can.
	_, err = owner.DeletePermission(ctx, &ram.DeletePermissionInput{PermissionArn: aws.String(narrowARN)})
	expectAPIError(t, err, 400, "OperationNotPermittedException")
	_, err = owner.CreatePermissionVersion(ctx, &ram.CreatePermissionVersionInput{PermissionArn: aws.String(pipelineReadARN),
		PolicyTemplate: aws.String(`{"Effect":"Allow","Action":"sagemaker:DescribePipeline"}`)})
	expectAPIError(t, err, 400, "OperationNotPermittedException")
	if _, err := owner.ReplacePermissionAssociations(ctx, &ram.ReplacePermissionAssociationsInput{FromPermissionArn: aws.String(narrowARN),
		ToPermissionArn: aws.String(pipelineExecARN)}); err != nil {
		t.Fatalf("ReplacePermissionAssociations to a managed permission: %v", err)
	}
	if policies = ramPolicies(t, owner, pipeline); !policies[0].allows(ramConsumer, "sagemaker:StartPipelineExecution") {
		t.Errorf("policy after replacement: %v", policies[0].grants())
	}
	del, err := owner.DeletePermission(ctx, &ram.DeletePermissionInput{PermissionArn: aws.String(narrowARN)})
	if err != nil || del.PermissionStatus != ramtypes.PermissionStatusDeleted {
		t.Fatalf("DeletePermission: %v %+v", err, del)
	}
	mine, err := owner.ListPermissions(ctx, &ram.ListPermissionsInput{PermissionType: ramtypes.PermissionTypeFilterCustomerManaged})
	if err != nil || len(mine.Permissions) != 0 {
		t.Errorf("customer managed permissions after deletion: %v %+v", err, mine)
	}

	// Disassociating a share's permission needs the share to hold no resource of its type.
	_, err = owner.DisassociateResourceSharePermission(ctx, &ram.DisassociateResourceSharePermissionInput{ResourceShareArn: aws.String(shareARN),
		PermissionArn: aws.String(pipelineExecARN)})
	expectAPIError(t, err, 400, "OperationNotPermittedException")
	if _, err := owner.DisassociateResourceShare(ctx, &ram.DisassociateResourceShareInput{ResourceShareArn: aws.String(shareARN),
		ResourceArns: []string{pipeline}}); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.DisassociateResourceSharePermission(ctx, &ram.DisassociateResourceSharePermissionInput{ResourceShareArn: aws.String(shareARN),
		PermissionArn: aws.String(pipelineExecARN)}); err != nil {
		t.Errorf("DisassociateResourceSharePermission: %v", err)
	}
	if got := ramPolicies(t, owner, pipeline); len(got) != 0 {
		t.Errorf("policy after the resource left the share: %+v", got)
	}
}
