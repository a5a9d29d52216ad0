package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// SameAs links made when a lineage group's share takes effect after both accounts already
// track the same data; and an artifact holding SageMaker's SameAs links can still be
// deleted by its owner, whose DeleteAssociation could never reach the other end.
func TestLineageSameAsWhenShared(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer, third := smFor(c, "owner"), smFor(c, "consumer"), smFor(c, "third")

	data := createArtifact(t, owner, "s3://shared/before.csv", "DataSet", nil)
	train := createAction(t, owner, "train", "Training")
	associate(t, owner, data, train, "ContributedTo")
	mine := createArtifact(t, consumer, "s3://shared/before.csv", "DataSet", nil)
	theirs := createArtifact(t, third, "s3://shared/before.csv", "DataSet", nil)

	group := "arn:aws:sagemaker:us-east-1:" + ramOwner + ":lineage-group/sagemaker-default-lineage-group"
	share := ramShare(t, ramFor(c, "owner"), "lineage", []string{group}, []string{ramConsumer}, nil)
	if got := sameAsOf(t, consumer, mine); len(got) != 0 {
		t.Errorf("SameAs before the invitation is accepted: %v", got)
	}
	acceptInvitation(t, ramFor(c, "consumer"), aws.ToString(share.ResourceShareArn))

	if got := sameAsOf(t, consumer, mine); !slices.Equal(got, []string{mine + " " + data}) {
		t.Errorf("the consumer's artifact after the share took effect: %v, want a SameAs to %s", got, data)
	}
	if got := sameAsOf(t, third, theirs); len(got) != 0 {
		t.Errorf("an unshared account's artifact got SameAs links: %v", got)
	}
	down, _ := queryAll(t, consumer, &sagemaker.QueryLineageInput{StartArns: []string{mine}, Direction: smtypes.DirectionDescendants})
	if want := []string{data, train}; !slices.Equal(down, want) {
		t.Errorf("descendants across the SameAs made at acceptance: %v, want %v", down, want)
	}
	// The owner, whose group alone is shared, is not shown the link into the consumer's
	// account.
	if got := sameAsOf(t, owner, data); len(got) != 0 {
		t.Errorf("the owner's artifact shows a link into an account that shares nothing with it: %v", got)
	}

	// The owner's artifact created after the share for data the consumer tracks is linked
	// for the consumer's sake; the owner, who cannot delete an association whose other end
	// it may not touch, still deletes its artifact, and the link goes with it.
	only := createArtifact(t, consumer, "s3://consumer/only.csv", "DataSet", nil)
	later := createArtifact(t, owner, "s3://consumer/only.csv", "DataSet", nil)
	if got := sameAsOf(t, consumer, only); !slices.Equal(got, []string{later + " " + only}) {
		t.Errorf("the consumer's artifact after the owner tracked the same data: %v", got)
	}
	// The owner, to whom the consumer shares nothing, is not shown the link: it would name
	// the consumer's artifact and tell what data the consumer tracks.
	if got := sameAsOf(t, owner, later); len(got) != 0 {
		t.Errorf("the owner sees a SameAs link into an account that shares nothing with it: %v", got)
	}
	if _, err := owner.DeleteArtifact(ctx, &sagemaker.DeleteArtifactInput{ArtifactArn: aws.String(later)}); err != nil {
		t.Errorf("the owner's DeleteArtifact of an artifact with a SameAs link: %v", err)
	}
	if got := sameAsOf(t, consumer, only); len(got) != 0 {
		t.Errorf("the deleted artifact's SameAs link stayed: %v", got)
	}
	// Other associations still hold an artifact back.
	_, err := owner.DeleteArtifact(ctx, &sagemaker.DeleteArtifactInput{ArtifactArn: aws.String(data)})
	expectAPIError(t, err, 400, "ValidationException")
}

// A lineage group shared with the whole organization (no invitation) links the artifacts of
// every member account that track the same data, those that existed before too.
func TestLineageSameAsOrganizationShare(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, third := smFor(c, "owner"), smFor(c, "third")
	desc, err := organizations.NewFromConfig(c.config("management")).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ramFor(c, "management").EnableSharingWithAwsOrganization(ctx, &ram.EnableSharingWithAwsOrganizationInput{}); err != nil {
		t.Fatal(err)
	}
	data := createArtifact(t, owner, "s3://shared/org.csv", "DataSet", nil)
	before := createArtifact(t, third, "s3://shared/org.csv", "DataSet", nil)
	group := "arn:aws:sagemaker:us-east-1:" + ramOwner + ":lineage-group/sagemaker-default-lineage-group"
	ramShare(t, ramFor(c, "owner"), "org", []string{group}, []string{aws.ToString(desc.Organization.Arn)}, nil)

	if got := sameAsOf(t, third, before); !slices.Equal(got, []string{before + " " + data}) {
		t.Errorf("a member's artifact after an organization share: %v", got)
	}
	after := createArtifact(t, smFor(c, "consumer"), "s3://shared/org.csv", "DataSet", nil)
	if got := sameAsOf(t, smFor(c, "consumer"), after); !slices.Contains(got, after+" "+data) {
		t.Errorf("a member's artifact created under an organization share: %v", got)
	}
}

// sameAsOf lists an artifact's SameAs associations, either way, as "<source> <destination>".
func sameAsOf(t *testing.T, client *sagemaker.Client, artifact string) []string {
	t.Helper()
	var got []string
	for _, in := range []*sagemaker.ListAssociationsInput{{SourceArn: aws.String(artifact)}, {DestinationArn: aws.String(artifact)}} {
		in.AssociationType = smtypes.AssociationEdgeTypeSameAs
		out, err := client.ListAssociations(context.Background(), in)
		if err != nil {
			t.Fatalf("ListAssociations: %v", err)
		}
		for _, a := range out.AssociationSummaries {
			got = append(got, aws.ToString(a.SourceArn)+" "+aws.ToString(a.DestinationArn))
		}
	}
	slices.Sort(got)
	return got
}
