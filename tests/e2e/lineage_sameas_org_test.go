package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ram"
)

// SameAs through a lineage group shared with the whole organization: the policy RAM
// attaches names no account, only the organization, and still reaches the consumer, so
// the consumer's artifacts for the owner's data are linked to the owner's — those created
// after the share, and those that existed before it.
func TestLineageSameAsOrganizationShare(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer := smFor(c, "owner"), smFor(c, "consumer")
	if _, err := ramFor(c, "management").EnableSharingWithAwsOrganization(ctx, &ram.EnableSharingWithAwsOrganizationInput{}); err != nil {
		t.Fatal(err)
	}
	desc, err := organizations.NewFromConfig(c.config("management")).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}

	early := createArtifact(t, owner, "s3://shared/early.csv", "DataSet", nil)
	mineEarly := createArtifact(t, consumer, "s3://shared/early.csv", "DataSet", nil)
	late := createArtifact(t, owner, "s3://shared/late.csv", "DataSet", nil)
	group := "arn:aws:sagemaker:us-east-1:" + ramOwner + ":lineage-group/sagemaker-default-lineage-group"
	ramShare(t, ramFor(c, "owner"), "lineage", []string{group}, []string{aws.ToString(desc.Organization.Arn)}, nil)

	if got := listAssociationEnds(t, consumer, mineEarly); !slices.Equal(got, []string{mineEarly + " " + early + " SameAs"}) {
		t.Errorf("the consumer's artifact from before the share: %v", got)
	}
	mineLate := createArtifact(t, consumer, "s3://shared/late.csv", "DataSet", nil)
	if got := listAssociationEnds(t, consumer, mineLate); !slices.Equal(got, []string{mineLate + " " + late + " SameAs"}) {
		t.Errorf("the consumer's artifact from after the share: %v", got)
	}
}
