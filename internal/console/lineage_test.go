package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// The lineage page draws QueryLineage's neighbourhood of an entity, with the direction
// and depth of the URL, each entity a link that centres the graph on it; another account's
// entity is denied as the API denies it.
func TestLineagePage(t *testing.T) {
	c := start(t)
	ctx := context.Background()
	sm := c.sagemaker("alpha")
	data, err := sm.CreateArtifact(ctx, &sagemaker.CreateArtifactInput{ArtifactName: aws.String("training-data"), ArtifactType: aws.String("DataSet"),
		Source: &smtypes.ArtifactSource{SourceUri: aws.String("s3://bucket/data.csv")}})
	if err != nil {
		t.Fatal(err)
	}
	model, err := sm.CreateArtifact(ctx, &sagemaker.CreateArtifactInput{ArtifactName: aws.String("the-model"), ArtifactType: aws.String("Model"),
		Source: &smtypes.ArtifactSource{SourceUri: aws.String("s3://bucket/model.tar.gz")}})
	if err != nil {
		t.Fatal(err)
	}
	train, err := sm.CreateAction(ctx, &sagemaker.CreateActionInput{ActionName: aws.String("train"), ActionType: aws.String("Training"),
		Source: &smtypes.ActionSource{SourceUri: aws.String("s3://bucket/job")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range [][3]string{{aws.ToString(data.ArtifactArn), aws.ToString(train.ActionArn), "ContributedTo"},
		{aws.ToString(train.ActionArn), aws.ToString(model.ArtifactArn), "Produced"}} {
		if _, err := sm.AddAssociation(ctx, &sagemaker.AddAssociationInput{SourceArn: aws.String(a[0]), DestinationArn: aws.String(a[1]),
			AssociationType: smtypes.AssociationEdgeType(a[2])}); err != nil {
			t.Fatal(err)
		}
	}
	b := c.signedIn(c.keys("alpha"))
	r := b.get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(train.ActionArn)) + "&direction=Both&depth=1")
	if r.status != http.StatusOK {
		t.Fatalf("lineage: %d %s", r.status, r.body)
	}
	for _, want := range []string{"training-data", "the-model", ">ContributedTo</text>", ">Produced</text>", "s-Start",
		`href="/_cairn/console/lineage?arn=` + url.QueryEscape(aws.ToString(model.ArtifactArn))} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the lineage page lacks %q", want)
		}
	}
	// Descendants of the data at depth 1: the action only.
	r = b.get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(data.ArtifactArn)) + "&direction=Descendants&depth=1")
	if !strings.Contains(r.body, "train") || strings.Contains(r.body, "the-model") {
		t.Errorf("descendants at depth 1:\n%s", r.body)
	}
	beta := c.signedIn(c.keys("beta"))
	if r := beta.get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(data.ArtifactArn))); r.status == http.StatusOK ||
		!strings.Contains(r.body, "AccessDenied") || strings.Contains(r.body, "the-model") {
		t.Errorf("another account's lineage: %d", r.status)
	}
}
