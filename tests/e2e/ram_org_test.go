package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
)

// Sharing inside the organization: until the management account enables it, accounts of
// the organization are invited like any other and the organization can't be a principal;
// once enabled, its accounts, the organization and its OUs get access with no invitation,
// through statements bound to the organization.
func TestRAMOrganizationSharing(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer, mgmt := ramFor(c, "owner"), ramFor(c, "consumer"), ramFor(c, "management")
	pipeline := ramPipeline(t, c, "owner", "org-pipe")
	orgs := organizations.NewFromConfig(c.config("management"))
	desc, err := orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	orgARN, orgID := aws.ToString(desc.Organization.Arn), aws.ToString(desc.Organization.Id)

	// Not enabled: the organization is no principal, a member gets an invitation.
	_, err = owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("org"), ResourceArns: []string{pipeline},
		Principals: []string{orgARN}})
	expectAPIError(t, err, 400, "OperationNotPermittedException")
	before := ramShare(t, owner, "before", []string{pipeline}, []string{ramConsumer}, nil)
	if inv := ramInvitation(t, consumer, aws.ToString(before.ResourceShareArn)); inv.Status != ramtypes.ResourceShareInvitationStatusPending {
		t.Fatalf("invitation before enabling: %+v", inv)
	}

	// Only the management account enables sharing.
	_, err = owner.EnableSharingWithAwsOrganization(ctx, &ram.EnableSharingWithAwsOrganizationInput{})
	expectAPIError(t, err, 400, "OperationNotPermittedException")
	if out, err := mgmt.EnableSharingWithAwsOrganization(ctx, &ram.EnableSharingWithAwsOrganizationInput{}); err != nil || !aws.ToBool(out.ReturnValue) {
		t.Fatalf("EnableSharingWithAwsOrganization: %v %+v", err, out)
	}

	// Enabled: a member account needs no invitation, and its grant holds only inside the
	// organization.
	direct := ramShare(t, owner, "direct", []string{pipeline}, []string{ramConsumer}, nil)
	invs, err := consumer.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{ResourceShareArns: []string{aws.ToString(direct.ResourceShareArn)}})
	if err != nil || len(invs.ResourceShareInvitations) != 0 {
		t.Fatalf("invitations of a share inside the organization: %v %+v", err, invs)
	}
	policies := ramPolicies(t, owner, pipeline)
	if len(policies) != 1 || !policies[0].allows(ramConsumer, "sagemaker:DescribePipeline") {
		t.Fatalf("policy: %+v", policies)
	}
	st := policies[0].Statement[0]
	if st.Condition["StringEquals"]["aws:PrincipalOrgID"] != orgID {
		t.Errorf("member statement not bound to the organization: %+v", st)
	}
	received, err := consumer.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts})
	if err != nil || len(received.ResourceShares) != 1 || aws.ToString(received.ResourceShares[0].Name) != "direct" {
		t.Fatalf("shares received: %v %+v", err, received)
	}

	// The organization and an OU as principals.
	roots, err := orgs.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil {
		t.Fatal(err)
	}
	ou, err := orgs.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: roots.Roots[0].Id, Name: aws.String("ml")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orgs.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(ramThird), SourceParentId: roots.Roots[0].Id,
		DestinationParentId: ou.OrganizationalUnit.Id}); err != nil {
		t.Fatal(err)
	}
	lineage := "arn:aws:sagemaker:us-east-1:111111111111:lineage-group/sagemaker-default-lineage-group"
	wide := ramShare(t, owner, "wide", []string{lineage}, []string{orgARN, aws.ToString(ou.OrganizationalUnit.Arn)}, nil)
	policies = ramPolicies(t, owner, lineage)
	if len(policies) != 1 || len(policies[0].Statement) != 2 {
		t.Fatalf("organization policy: %+v", policies)
	}
	for _, st := range policies[0].Statement {
		if st.Principal["AWS"] != "*" || len(st.Action) != 7 || st.Resource[0] != lineage {
			t.Errorf("statement %+v", st)
		}
	}
	if policies[0].Statement[0].Condition["StringEquals"]["aws:PrincipalOrgID"] != orgID {
		t.Errorf("organization statement %+v", policies[0].Statement[0])
	}
	path, _ := policies[0].Statement[1].Condition["ForAnyValue:StringLike"]["aws:PrincipalOrgPaths"].(string)
	if !strings.HasPrefix(path, orgID+"/r-") || !strings.HasSuffix(path, aws.ToString(ou.OrganizationalUnit.Id)+"/*") {
		t.Errorf("OU statement path %q", path)
	}
	byID, err := owner.GetResourceShareAssociations(ctx, &ram.GetResourceShareAssociationsInput{
		AssociationType: ramtypes.ResourceShareAssociationTypePrincipal, Principal: aws.String(orgID)})
	if err != nil || len(byID.ResourceShareAssociations) != 1 || aws.ToString(byID.ResourceShareAssociations[0].AssociatedEntity) != orgARN {
		t.Errorf("associations of the organization by its ID: %v %+v", err, byID)
	}
	third := ramFor(c, "third")
	got, err := third.GetResourceShares(ctx, &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts,
		ResourceShareArns: []string{aws.ToString(wide.ResourceShareArn)}})
	if err != nil || len(got.ResourceShares) != 1 {
		t.Errorf("the OU member's shares: %v %+v", err, got)
	}
	principals, err := owner.ListPrincipals(ctx, &ram.ListPrincipalsInput{ResourceOwner: ramtypes.ResourceOwnerSelf,
		ResourceShareArns: []string{aws.ToString(wide.ResourceShareArn)}})
	if err != nil || len(principals.Principals) != 2 {
		t.Errorf("ListPrincipals SELF: %v %+v", err, principals)
	}

	// A principal of another organization is unknown.
	_, err = owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("other"), ResourceArns: []string{pipeline},
		Principals: []string{"arn:aws:organizations::999999999999:organization/o-0123456789"}})
	expectAPIError(t, err, 400, "UnknownResourceException")
}

// allowExternalPrincipals=false refuses principals outside the organization; a share that
// allows them invites them.
func TestRAMExternalPrincipals(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner := ramFor(c, "owner")
	pipeline := ramPipeline(t, c, "owner", "ext-pipe")
	const outsider = "999999999999"

	_, err := owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("internal"), ResourceArns: []string{pipeline},
		Principals: []string{outsider}, AllowExternalPrincipals: aws.Bool(false)})
	expectAPIError(t, err, 400, "OperationNotPermittedException")
	internal, err := owner.CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("internal"), ResourceArns: []string{pipeline},
		Principals: []string{ramConsumer}, AllowExternalPrincipals: aws.Bool(false)})
	if err != nil {
		t.Fatalf("internal share with a member: %v", err)
	}
	_, err = owner.AssociateResourceShare(ctx, &ram.AssociateResourceShareInput{ResourceShareArn: internal.ResourceShare.ResourceShareArn,
		Principals: []string{"arn:aws:iam::" + outsider + ":role/partner"}})
	expectAPIError(t, err, 400, "OperationNotPermittedException")

	external := ramShare(t, owner, "external", []string{pipeline}, []string{outsider}, nil)
	out, err := owner.GetResourceShareAssociations(ctx, &ram.GetResourceShareAssociationsInput{AssociationType: ramtypes.ResourceShareAssociationTypePrincipal,
		ResourceShareArns: []string{aws.ToString(external.ResourceShareArn)}})
	if err != nil || len(out.ResourceShareAssociations) != 1 || !aws.ToBool(out.ResourceShareAssociations[0].External) {
		t.Fatalf("external association: %v %+v", err, out)
	}
	// The share can't stop allowing external principals while it has one.
	_, err = owner.UpdateResourceShare(ctx, &ram.UpdateResourceShareInput{ResourceShareArn: external.ResourceShareArn, AllowExternalPrincipals: aws.Bool(false)})
	expectAPIError(t, err, 400, "OperationNotPermittedException")
	// Nothing is granted until the outsider accepts.
	if got := ramPolicies(t, owner, pipeline); len(got) != 0 {
		t.Errorf("policy before the outsider accepts: %+v", got)
	}
}
