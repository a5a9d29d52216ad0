package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// The seed's cross-account lineage: the owner shares its lineage group with the consumer
// through RAM; the consumer describes the owner's entities by ARN, associates its own with
// them (checked on both ends), queries across the accounts and gets SameAs links for data
// the owner tracks; the owner sees nothing of the consumer's, and a third account nothing
// at all.
func TestLineageAcrossAccounts(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, consumer, third := smFor(c, "owner"), smFor(c, "consumer"), smFor(c, "third")

	data := createArtifact(t, owner, "s3://shared/data.csv", "DataSet", nil)
	train := createAction(t, owner, "train", "Training")
	model := createArtifact(t, owner, "s3://owner/model.tar.gz", "Model", nil)
	associate(t, owner, data, train, "ContributedTo")
	associate(t, owner, train, model, "Produced")

	group := "arn:aws:sagemaker:us-east-1:" + ramOwner + ":lineage-group/sagemaker-default-lineage-group"
	_, err := consumer.DescribeArtifact(ctx, &sagemaker.DescribeArtifactInput{ArtifactArn: aws.String(data)})
	expectAPIError(t, err, 400, "AccessDeniedException") // not shared yet
	share := ramShare(t, ramFor(c, "owner"), "lineage", []string{group}, []string{ramConsumer}, nil)
	acceptInvitation(t, ramFor(c, "consumer"), aws.ToString(share.ResourceShareArn))

	pol, err := owner.GetLineageGroupPolicy(ctx, &sagemaker.GetLineageGroupPolicyInput{LineageGroupName: aws.String("sagemaker-default-lineage-group")})
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"DescribeAction", "DescribeArtifact", "DescribeContext", "DescribeTrialComponent", "AddAssociation",
		"DeleteAssociation", "QueryLineage"} {
		if !strings.Contains(aws.ToString(pol.ResourcePolicy), "sagemaker:"+action) {
			t.Errorf("the group's policy lacks %s: %s", action, aws.ToString(pol.ResourcePolicy))
		}
	}

	// Describe… by ARN across accounts; a third account is refused alike for what exists
	// and what does not.
	d, err := consumer.DescribeArtifact(ctx, &sagemaker.DescribeArtifactInput{ArtifactArn: aws.String(data)})
	if err != nil || aws.ToString(d.Source.SourceUri) != "s3://shared/data.csv" || aws.ToString(d.LineageGroupArn) != group {
		t.Errorf("the consumer's DescribeArtifact: %v %+v", err, d)
	}
	if a, err := consumer.DescribeAction(ctx, &sagemaker.DescribeActionInput{ActionName: aws.String(train)}); err != nil || aws.ToString(a.ActionName) != "train" {
		t.Errorf("the consumer's DescribeAction by ARN: %v %+v", err, a)
	}
	_, err = third.DescribeArtifact(ctx, &sagemaker.DescribeArtifactInput{ArtifactArn: aws.String(data)})
	denied := expectAPIError(t, err, 400, "AccessDeniedException")
	missing := strings.Replace(data, data[len(data)-32:], "00000000000000000000000000000000", 1)
	_, err = third.DescribeArtifact(ctx, &sagemaker.DescribeArtifactInput{ArtifactArn: aws.String(missing)})
	if again := expectAPIError(t, err, 400, "AccessDeniedException"); strings.ReplaceAll(again, missing, data) != denied {
		t.Errorf("a third account's denials differ for an existing and a missing artifact:\n%s\n%s", denied, again)
	}

	// AddAssociation is checked on both ends.
	endpoint := createContext(t, consumer, "endpoint", "Endpoint", "arn:aws:sagemaker:us-east-1:222222222222:endpoint/e")
	monitor := createContext(t, consumer, "monitor", "Monitor", "arn:aws:sagemaker:us-east-1:222222222222:monitor/m")
	associate(t, consumer, model, endpoint, "ContributedTo") // owner's model → consumer's endpoint
	associate(t, consumer, endpoint, monitor, "AssociatedWith")
	thirds := createContext(t, third, "thirds", "Endpoint", "x")
	_, err = third.AddAssociation(ctx, &sagemaker.AddAssociationInput{SourceArn: aws.String(model), DestinationArn: aws.String(thirds)})
	expectAPIError(t, err, 400, "AccessDeniedException")
	_, err = owner.AddAssociation(ctx, &sagemaker.AddAssociationInput{SourceArn: aws.String(model), DestinationArn: aws.String(monitor)})
	expectAPIError(t, err, 400, "AccessDeniedException") // the consumer has not shared with the owner
	if got := listAssociationEnds(t, owner, model); !slices.Equal(got, []string{model + " " + endpoint}) {
		t.Errorf("after refused associations, the model's are %v", got)
	}

	// Queries both ways: the consumer reaches the owner's shared entities; the owner reaches
	// none of the consumer's, which are neither returned nor walked through.
	up, _ := queryAll(t, consumer, &sagemaker.QueryLineageInput{StartArns: []string{monitor}, Direction: smtypes.DirectionAscendants})
	if want := []string{endpoint, model, train, data}; !slices.Equal(up, want) {
		t.Errorf("the consumer's query across accounts: %v, want %v", up, want)
	}
	down, _ := queryAll(t, owner, &sagemaker.QueryLineageInput{StartArns: []string{data}, Direction: smtypes.DirectionDescendants})
	if want := []string{train, model}; !slices.Equal(down, want) {
		t.Errorf("the owner's query stops at its own entities: %v, want %v", down, want)
	}
	both, _ := queryAll(t, owner, &sagemaker.QueryLineageInput{StartArns: []string{model}, Direction: smtypes.DirectionBoth})
	if want := levels([]string{train}, []string{data}); !slices.Equal(both, want) {
		t.Errorf("the owner's Both query: %v, want %v", both, want)
	}
	_, err = third.QueryLineage(ctx, &sagemaker.QueryLineageInput{StartArns: []string{data}})
	expectAPIError(t, err, 400, "AccessDeniedException")

	// SameAs: the consumer's artifact for the data the owner's tracks is linked to it, and
	// traversal crosses over; a third account's is not.
	mine := createArtifact(t, consumer, "s3://shared/data.csv", "DataSet", nil)
	if got := listAssociationEnds(t, consumer, mine); !slices.Equal(got, []string{mine + " " + data + " SameAs"}) {
		t.Errorf("the consumer's artifact for shared data: %v", got)
	}
	fromMine, _ := queryAll(t, consumer, &sagemaker.QueryLineageInput{StartArns: []string{mine}, Direction: smtypes.DirectionDescendants})
	if want := []string{data, train, model, endpoint, monitor}; !slices.Equal(fromMine, want) {
		t.Errorf("descendants across SameAs: %v, want %v", fromMine, want)
	}
	theirs := createArtifact(t, third, "s3://shared/data.csv", "DataSet", nil)
	if got := listAssociationEnds(t, third, theirs); len(got) != 0 {
		t.Errorf("an unshared account's artifact got associations: %v", got)
	}
	// The owner does not walk into the consumer's account through SameAs either.
	if up, _ := queryAll(t, owner, &sagemaker.QueryLineageInput{StartArns: []string{data}, Direction: smtypes.DirectionBoth}); slices.Contains(up, mine) {
		t.Errorf("the owner reached the consumer's artifact: %v", up)
	}

	// DeleteAssociation across accounts, by the consumer.
	if _, err := consumer.DeleteAssociation(ctx, &sagemaker.DeleteAssociationInput{SourceArn: aws.String(model), DestinationArn: aws.String(endpoint)}); err != nil {
		t.Errorf("the consumer's DeleteAssociation across accounts: %v", err)
	}
}

// listAssociationEnds lists the associations from source, as "<source> <destination>" and the
// type when it is SameAs.
func listAssociationEnds(t *testing.T, client *sagemaker.Client, source string) []string {
	t.Helper()
	out, err := client.ListAssociations(context.Background(), &sagemaker.ListAssociationsInput{SourceArn: aws.String(source)})
	if err != nil {
		t.Fatalf("ListAssociations: %v", err)
	}
	var got []string
	for _, a := range out.AssociationSummaries {
		s := aws.ToString(a.SourceArn) + " " + aws.ToString(a.DestinationArn)
		if a.AssociationType == smtypes.AssociationEdgeTypeSameAs {
			s += " SameAs"
		}
		got = append(got, s)
	}
	return got
}
