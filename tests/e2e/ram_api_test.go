package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
)

// A clientToken makes a request idempotent: repeated with the same parameters it answers
// what it answered, with others it is refused.
func TestRAMIdempotency(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner := ramFor(c, "owner")
	in := &ram.CreateResourceShareInput{Name: aws.String("once"), ClientToken: aws.String("token-1")}
	first, err := owner.CreateResourceShare(ctx, in)
	if err != nil || aws.ToString(first.ClientToken) != "token-1" {
		t.Fatalf("CreateResourceShare: %v %+v", err, first)
	}
	again, err := owner.CreateResourceShare(ctx, in)
	if err != nil || aws.ToString(again.ResourceShare.ResourceShareArn) != aws.ToString(first.ResourceShare.ResourceShareArn) {
		t.Fatalf("repeated CreateResourceShare: %v %+v", err, again)
	}
	_, err = owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("twice"), ClientToken: aws.String("token-1")})
	expectAPIError(t, err, 400, "IdempotentParameterMismatchException")
	_, err = owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("long"), ClientToken: aws.String(strings.Repeat("x", 65))})
	expectAPIError(t, err, 400, "InvalidClientTokenException")
	all, err := owner.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf})
	if err != nil || len(all.ResourceShares) != 1 {
		t.Fatalf("shares after repeated creation: %v %+v", err, all)
	}
	// Without a token, every request acts and answers a token of its own.
	if out, err := owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("once")}); err != nil || aws.ToString(out.ClientToken) == "" {
		t.Fatalf("CreateResourceShare without a token: %v %+v", err, out)
	}
}

// Listings page with maxResults and nextToken within the model's bounds.
func TestRAMPaging(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer := ramFor(c, "owner"), ramFor(c, "consumer")
	var shares []string
	for i := 0; i < 5; i++ {
		sh := ramShare(t, owner, fmt.Sprintf("share-%d", i), nil, []string{ramConsumer}, nil)
		shares = append(shares, aws.ToString(sh.ResourceShareArn))
	}
	seen := map[string]bool{}
	pages := 0
	in := &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, MaxResults: aws.Int32(2)}
	for {
		out, err := owner.GetResourceShares(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, sh := range out.ResourceShares {
			seen[aws.ToString(sh.ResourceShareArn)] = true
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if pages != 3 || len(seen) != 5 {
		t.Errorf("%d pages with %d shares, want 3 with 5", pages, len(seen))
	}
	p := ram.NewGetResourceShareAssociationsPaginator(owner, &ram.GetResourceShareAssociationsInput{
		AssociationType: ramtypes.ResourceShareAssociationTypePrincipal, MaxResults: aws.Int32(2)})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.ResourceShareAssociations)
	}
	if n != 5 {
		t.Errorf("%d associations over pages, want 5", n)
	}
	invs := ram.NewGetResourceShareInvitationsPaginator(consumer, &ram.GetResourceShareInvitationsInput{MaxResults: aws.Int32(2)})
	n = 0
	for invs.HasMorePages() {
		out, err := invs.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.ResourceShareInvitations)
	}
	if n != 5 {
		t.Errorf("%d invitations over pages, want 5", n)
	}

	_, err := owner.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, MaxResults: aws.Int32(501)})
	expectAPIError(t, err, 400, "InvalidParameterException")
	_, err = owner.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, NextToken: aws.String("bogus")})
	expectAPIError(t, err, 400, "InvalidNextTokenException")
	_, err = consumer.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{MaxResults: aws.Int32(1000)})
	expectAPIError(t, err, 400, "InvalidMaxResultsException")
}

// Every error code the operations answer, with its status.
func TestRAMErrors(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer := ramFor(c, "owner"), ramFor(c, "consumer")
	pipeline := ramPipeline(t, c, "owner", "err-pipe")
	share := ramShare(t, owner, "errors", []string{pipeline}, nil, nil)
	shareARN := share.ResourceShareArn
	missingShare := aws.String("arn:aws:ram:us-east-1:111111111111:resource-share/00000000-0000-4000-8000-000000000000")

	cases := []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"malformed share ARN", func() error {
			_, err := owner.DeleteResourceShare(ctx, &ram.DeleteResourceShareInput{ResourceShareArn: aws.String("not-an-arn")})
			return err
		}, 400, "MalformedArnException"},
		{"unknown share", func() error {
			_, err := owner.UpdateResourceShare(ctx, &ram.UpdateResourceShareInput{ResourceShareArn: missingShare, Name: aws.String("x")})
			return err
		}, 400, "UnknownResourceException"},
		{"another account's share", func() error {
			_, err := consumer.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: shareARN, Principals: []string{ramThird}})
			return err
		}, 400, "UnknownResourceException"},
		{"root principal", func() error {
			_, err := owner.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: shareARN,
				Principals: []string{"arn:aws:iam::" + ramConsumer + ":root"}})
			return err
		}, 400, "InvalidParameterException"},
		{"the owner as principal", func() error {
			_, err := owner.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: shareARN, Principals: []string{ramOwner}})
			return err
		}, 400, "InvalidParameterException"},
		{"service principal", func() error {
			_, err := owner.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: shareARN, Principals: []string{"sagemaker.amazonaws.com"}})
			return err
		}, 400, "InvalidParameterException"},
		{"missing role", func() error {
			_, err := owner.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: shareARN,
				Principals: []string{"arn:aws:iam::" + ramConsumer + ":role/nobody"}})
			return err
		}, 400, "UnknownResourceException"},
		{"unshareable resource", func() error {
			_, err := owner.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: shareARN,
				ResourceArns: []string{"arn:aws:s3:::bucket"}})
			return err
		}, 400, "InvalidParameterException"},
		{"missing pipeline", func() error {
			_, err := owner.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: shareARN,
				ResourceArns: []string{"arn:aws:sagemaker:us-east-1:111111111111:pipeline/nope"}})
			return err
		}, 400, "UnknownResourceException"},
		{"another account's pipeline", func() error {
			_, err := consumer.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("steal"), ResourceArns: []string{pipeline}})
			return err
		}, 400, "UnknownResourceException"},
		{"nothing to update", func() error {
			_, err := owner.UpdateResourceShare(ctx, &ram.UpdateResourceShareInput{ResourceShareArn: shareARN})
			return err
		}, 400, "MissingRequiredParameterException"},
		{"disassociating what is not associated", func() error {
			_, err := owner.DisassociateResourceShare(ctx, &ram.DisassociateResourceShareInput{ResourceShareArn: shareARN, Principals: []string{ramThird}})
			return err
		}, 400, "UnknownResourceException"},
		{"unknown invitation", func() error {
			_, err := consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{
				ResourceShareInvitationArn: aws.String("arn:aws:ram:us-east-1:111111111111:resource-share-invitation/00000000-0000-4000-8000-000000000000")})
			return err
		}, 400, "ResourceShareInvitationArnNotFoundException"},
		{"malformed invitation", func() error {
			_, err := consumer.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{ResourceShareInvitationArns: []string{"arn:aws:ram:x"}})
			return err
		}, 400, "MalformedArnException"},
		{"unknown resource type", func() error {
			_, err := owner.ListResources(ctx, &ram.ListResourcesInput{ResourceOwner: ramtypes.ResourceOwnerSelf, ResourceType: aws.String("ec2:Subnet")})
			return err
		}, 400, "InvalidResourceTypeException"},
		{"policy of another account's resource", func() error {
			_, err := consumer.GetResourcePolicies(ctx, &ram.GetResourcePoliciesInput{ResourceArns: []string{pipeline}})
			return err
		}, 400, "ResourceArnNotFoundException"},
		{"bad enum", func() error {
			_, err := owner.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: "EVERYONE"})
			return err
		}, 400, "InvalidParameterException"},
		{"promote a standard share", func() error {
			_, err := owner.PromoteResourceShareCreatedFromPolicy(ctx, &ram.PromoteResourceShareCreatedFromPolicyInput{ResourceShareArn: shareARN})
			return err
		}, 400, "OperationNotPermittedException"},
		{"promote a standard permission", func() error {
			_, err := owner.PromotePermissionCreatedFromPolicy(ctx, &ram.PromotePermissionCreatedFromPolicyInput{PermissionArn: aws.String(pipelineReadARN), Name: aws.String("x")})
			return err
		}, 400, "OperationNotPermittedException"},
		{"unknown permission", func() error {
			_, err := owner.GetPermission(ctx, &ram.GetPermissionInput{PermissionArn: aws.String("arn:aws:ram::aws:permission/AWSRAMNothing")})
			return err
		}, 400, "UnknownResourceException"},
		{"tags on nothing", func() error {
			_, err := owner.TagResource(ctx, &ram.TagResourceInput{Tags: []ramtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, 400, "InvalidParameterException"},
		{"tags on an unknown permission", func() error {
			_, err := owner.TagResource(ctx, &ram.TagResourceInput{ResourceArn: aws.String("arn:aws:ram:us-east-1:111111111111:permission/none"),
				Tags: []ramtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, 400, "ResourceArnNotFoundException"},
		{"too many tags", func() error {
			var tags []ramtypes.Tag
			for i := 0; i < 51; i++ {
				tags = append(tags, ramtypes.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")})
			}
			_, err := owner.TagResource(ctx, &ram.TagResourceInput{ResourceShareArn: shareARN, Tags: tags})
			return err
		}, 400, "TagLimitExceededException"},
		{"management only", func() error {
			_, err := owner.EnableSharingWithAwsOrganization(ctx, &ram.EnableSharingWithAwsOrganizationInput{})
			return err
		}, 400, "OperationNotPermittedException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectAPIError(t, tc.call(), tc.status, tc.code)
		})
	}

	// Tags, and the share's keys in policies.
	if _, err := owner.TagResource(ctx, &ram.TagResourceInput{ResourceShareArn: shareARN,
		Tags: []ramtypes.Tag{{Key: aws.String("team"), Value: aws.String("ml")}}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	tagged, err := owner.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf,
		TagFilters: []ramtypes.TagFilter{{TagKey: aws.String("team"), TagValues: []string{"ml"}}}})
	if err != nil || len(tagged.ResourceShares) != 1 || len(tagged.ResourceShares[0].Tags) != 1 {
		t.Fatalf("GetResourceShares by tag: %v %+v", err, tagged)
	}
	if _, err := owner.UntagResource(ctx, &ram.UntagResourceInput{ResourceShareArn: shareARN, TagKeys: []string{"team"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	tagged, _ = owner.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerSelf,
		TagFilters: []ramtypes.TagFilter{{TagKey: aws.String("team")}}})
	if len(tagged.ResourceShares) != 0 {
		t.Errorf("share still tagged: %+v", tagged)
	}
	renamed, err := owner.UpdateResourceShare(ctx, &ram.UpdateResourceShareInput{ResourceShareArn: shareARN, Name: aws.String("renamed")})
	if err != nil || aws.ToString(renamed.ResourceShare.Name) != "renamed" {
		t.Errorf("UpdateResourceShare: %v %+v", err, renamed)
	}
	types, err := owner.ListResourceTypes(ctx, &ram.ListResourceTypesInput{})
	if err != nil || len(types.ResourceTypes) != 2 || aws.ToString(types.ResourceTypes[0].ResourceType) != "sagemaker:Pipeline" ||
		aws.ToString(types.ResourceTypes[1].ResourceType) != "sagemaker:LineageGroup" || aws.ToString(types.ResourceTypes[0].ServiceName) != "sagemaker" {
		t.Errorf("ListResourceTypes: %v %+v", err, types)
	}
	sources, err := owner.ListSourceAssociations(ctx, &ram.ListSourceAssociationsInput{})
	if err != nil || len(sources.SourceAssociations) != 0 {
		t.Errorf("ListSourceAssociations: %v %+v", err, sources)
	}
}

// RAM's own actions are authorized with their condition keys: a user may share only
// pipelines, and only with the accounts its policy names.
func TestRAMConditionKeys(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	pipeline := ramPipeline(t, c, "owner", "cond-pipe")
	policy := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"ram:CreateResourceShare","Resource":"*","Condition":{
			"StringEquals":{"ram:RequestedResourceType":"sagemaker:Pipeline","ram:Principal":"` + ramConsumer + `"},
			"Bool":{"ram:AllowsExternalPrincipals":"false"}}},
		{"Effect":"Allow","Action":"ram:GetResourceShares","Resource":"*"},
		{"Effect":"Allow","Action":"ram:DeleteResourceShare","Resource":"*","Condition":{"StringEquals":{"ram:ResourceShareName":"mine"}}}]}`
	sharer := ramUser(t, c, "owner", "sharer", policy)
	_, err := sharer.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("mine"), ResourceArns: []string{pipeline},
		Principals: []string{ramThird}, AllowExternalPrincipals: aws.Bool(false)})
	expectAPIError(t, err, 403, "AccessDeniedException")
	_, err = sharer.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("mine"), ResourceArns: []string{pipeline},
		Principals: []string{ramConsumer}})
	expectAPIError(t, err, 403, "AccessDeniedException")
	mine, err := sharer.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("mine"), ResourceArns: []string{pipeline},
		Principals: []string{ramConsumer}, AllowExternalPrincipals: aws.Bool(false)})
	if err != nil {
		t.Fatalf("allowed CreateResourceShare: %v", err)
	}
	other := ramShare(t, ramFor(c, "owner"), "theirs", nil, nil, nil)
	_, err = sharer.DeleteResourceShare(ctx, &ram.DeleteResourceShareInput{ResourceShareArn: other.ResourceShareArn})
	expectAPIError(t, err, 403, "AccessDeniedException")
	if _, err := sharer.DeleteResourceShare(ctx, &ram.DeleteResourceShareInput{ResourceShareArn: mine.ResourceShare.ResourceShareArn}); err != nil {
		t.Errorf("DeleteResourceShare by name: %v", err)
	}
	_, err = sharer.ListPermissions(ctx, &ram.ListPermissionsInput{})
	expectAPIError(t, err, 403, "AccessDeniedException")
}
