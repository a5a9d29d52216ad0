package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// The SameAs links SageMaker makes across accounts, from the side of the account whose
// group alone is shared: it is not shown the links into the other account (they would name
// that account's artifacts and tell what data it tracks), and it still deletes its own
// artifact, the links going with it — its DeleteAssociation could never reach their other
// end, which lies in a group not shared with it.
func TestLineageSameAsOwnerSide(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer := smFor(c, "owner"), smFor(c, "consumer")

	data := createArtifact(t, owner, "s3://shared/before.csv", "DataSet", nil)
	train := createAction(t, owner, "train", "Training")
	associate(t, owner, data, train, "ContributedTo")
	mine := createArtifact(t, consumer, "s3://shared/before.csv", "DataSet", nil)
	group := "arn:aws:sagemaker:us-east-1:" + ramOwner + ":lineage-group/sagemaker-default-lineage-group"
	share := ramShare(t, ramFor(c, "owner"), "lineage", []string{group}, []string{ramConsumer}, nil)
	acceptInvitation(t, ramFor(c, "consumer"), aws.ToString(share.ResourceShareArn))
	if got := sameAsOf(t, consumer, mine); !slices.Equal(got, []string{mine + " " + data}) {
		t.Fatalf("the consumer's artifact after the share took effect: %v", got)
	}
	if got := sameAsOf(t, owner, data); len(got) != 0 {
		t.Errorf("the owner's artifact shows a link into an account that shares nothing with it: %v", got)
	}

	// The owner's artifact created after the share for data the consumer tracks is linked
	// for the consumer's sake; the owner does not see the link and deletes its artifact.
	only := createArtifact(t, consumer, "s3://consumer/only.csv", "DataSet", nil)
	later := createArtifact(t, owner, "s3://consumer/only.csv", "DataSet", nil)
	if got := sameAsOf(t, consumer, only); !slices.Equal(got, []string{later + " " + only}) {
		t.Errorf("the consumer's artifact after the owner tracked the same data: %v", got)
	}
	if got := sameAsOf(t, owner, later); len(got) != 0 {
		t.Errorf("the owner sees a SameAs link into an account that shares nothing with it: %v", got)
	}
	_, err := owner.DeleteAssociation(ctx, &sagemaker.DeleteAssociationInput{SourceArn: aws.String(later), DestinationArn: aws.String(only)})
	expectAPIError(t, err, 400, "AccessDeniedException")
	if _, err := owner.DeleteArtifact(ctx, &sagemaker.DeleteArtifactInput{ArtifactArn: aws.String(later)}); err != nil {
		t.Errorf("the owner's DeleteArtifact of an artifact with a SameAs link: %v", err)
	}
	if got := sameAsOf(t, consumer, only); len(got) != 0 {
		t.Errorf("the deleted artifact's SameAs link stayed: %v", got)
	}
	// Other associations still hold an artifact back.
	_, err = owner.DeleteArtifact(ctx, &sagemaker.DeleteArtifactInput{ArtifactArn: aws.String(data)})
	expectAPIError(t, err, 400, "ValidationException")
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
