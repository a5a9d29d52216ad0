package e2e

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// SameAs also when a share is accepted after the artifacts exist (issue 11, item 6): the
// owner and the consumer each track the same data before the owner's lineage group is
// shared; once the consumer accepts, the consumer's artifact is linked to the owner's and
// traversal crosses over. A third account that tracks the same data but is not shared with
// gets no link, and the owner's query does not reach the consumer's artifact.
func TestLineageSameAsWhenShareAcceptedLater(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	owner, consumer, third := smFor(c, "owner"), smFor(c, "consumer"), smFor(c, "third")

	data := createArtifact(t, owner, "s3://shared/early.csv", "DataSet", nil)
	train := createAction(t, owner, "train", "Training")
	associate(t, owner, data, train, "ContributedTo")
	mine := createArtifact(t, consumer, "s3://shared/early.csv", "DataSet", nil)
	theirs := createArtifact(t, third, "s3://shared/early.csv", "DataSet", nil)
	if got := listAssociationEnds(t, consumer, mine); len(got) != 0 {
		t.Fatalf("linked before any share: %v", got)
	}

	group := "arn:aws:sagemaker:us-east-1:" + ramOwner + ":lineage-group/sagemaker-default-lineage-group"
	share := ramShare(t, ramFor(c, "owner"), "lineage", []string{group}, []string{ramConsumer}, nil)
	if got := listAssociationEnds(t, consumer, mine); len(got) != 0 {
		t.Errorf("linked while the invitation waits: %v", got)
	}
	acceptInvitation(t, ramFor(c, "consumer"), aws.ToString(share.ResourceShareArn))

	if got := listAssociationEnds(t, consumer, mine); !slices.Equal(got, []string{mine + " " + data + " SameAs"}) {
		t.Errorf("the consumer's artifact after the share was accepted: %v", got)
	}
	down, _ := queryAll(t, consumer, &sagemaker.QueryLineageInput{StartArns: []string{mine}, Direction: smtypes.DirectionDescendants})
	if want := []string{data, train}; !slices.Equal(down, want) {
		t.Errorf("descendants across the late SameAs: %v, want %v", down, want)
	}
	if got := listAssociationEnds(t, third, theirs); len(got) != 0 {
		t.Errorf("an unshared account's artifact got associations: %v", got)
	}
	if both, _ := queryAll(t, owner, &sagemaker.QueryLineageInput{StartArns: []string{data}, Direction: smtypes.DirectionBoth}); slices.Contains(both, mine) || slices.Contains(both, theirs) {
		t.Errorf("the owner reached another account's artifact: %v", both)
	}
}
