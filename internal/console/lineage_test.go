package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
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
	// Expanded in place: the action's neighbourhood joins the data's, both kept in the URL;
	// the graph's node for the action now collapses it.
	down := "/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(data.ArtifactArn)) + "&direction=Descendants&depth=1"
	r = b.get(down + "&expand=" + url.QueryEscape(aws.ToString(train.ActionArn)))
	if r.status != http.StatusOK || !strings.Contains(r.body, "the-model") || !strings.Contains(r.body, "s-Expanded") ||
		!strings.Contains(r.body, ">collapse</a>") || !strings.Contains(r.body, `name="expand" value="`+aws.ToString(train.ActionArn)+`"`) {
		t.Errorf("expanded in place: %d\n%s", r.status, r.body)
	}
	// The expand link of the page without expansions is that address.
	r = b.get(down)
	expand := regexp.MustCompile(`<a class="toggle" href="([^"]+` + regexp.QuoteMeta(url.QueryEscape(aws.ToString(train.ActionArn))) + `)">expand</a>`).FindStringSubmatch(r.body)
	if expand == nil {
		t.Fatalf("no expand link:\n%s", r.body)
	}
	if r := b.get(html.UnescapeString(expand[1])); !strings.Contains(r.body, "the-model") {
		t.Errorf("the expand link %s does not add the model", expand[1])
	}
	// An expansion the API refuses is noted; the rest of the page stands.
	r = b.get(down + "&expand=" + url.QueryEscape(aws.ToString(train.ActionArn)) + "&expand=" + url.QueryEscape("not-an-arn"))
	if r.status != http.StatusOK || !strings.Contains(r.body, "the-model") {
		t.Errorf("with an expansion that is not an ARN: %d", r.status)
	}
	for _, bad := range []string{"garbage", "arn:aws:s3:::bucket", "arn:aws:sagemaker:us-east-1:111111111111:pipeline/p"} {
		r := b.get("/_cairn/console/lineage?arn=" + url.QueryEscape(bad))
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "ValidationException") || !strings.Contains(r.body, "job or model package") {
			t.Errorf("lineage of %q: %d\n%s", bad, r.status, r.body)
		}
	}
	// A job that does not exist is answered as DescribeProcessingJob answers it.
	if r := b.get("/_cairn/console/lineage?arn=" + url.QueryEscape("arn:aws:sagemaker:us-east-1:111111111111:processing-job/none")); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, "Could not find requested job with name none") {
		t.Errorf("the lineage of a job that does not exist: %d\n%s", r.status, r.body)
	}
	beta := c.signedIn(c.keys("beta"))
	if r := beta.get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(data.ArtifactArn))); r.status == http.StatusOK ||
		!strings.Contains(r.body, "AccessDenied") || strings.Contains(r.body, "the-model") {
		t.Errorf("another account's lineage: %d", r.status)
	}
}

// Where account alpha shares its lineage group with beta, beta's lineage crosses into
// alpha's entities, each labelled with its account and expandable; before the share, and
// for an account it was not shared with, the console answers with the API's denial.
func TestLineageAcrossAccounts(t *testing.T) {
	c := start(t)
	ctx := context.Background()
	alpha, beta := c.sagemaker("alpha"), c.sagemaker("beta")
	data, err := alpha.CreateArtifact(ctx, &sagemaker.CreateArtifactInput{ArtifactName: aws.String("alpha-data"), ArtifactType: aws.String("DataSet"),
		Source: &smtypes.ArtifactSource{SourceUri: aws.String("s3://alpha/data.csv")}})
	if err != nil {
		t.Fatal(err)
	}
	model, err := alpha.CreateArtifact(ctx, &sagemaker.CreateArtifactInput{ArtifactName: aws.String("alpha-model"), ArtifactType: aws.String("Model"),
		Source: &smtypes.ArtifactSource{SourceUri: aws.String("s3://alpha/model.tar.gz")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alpha.AddAssociation(ctx, &sagemaker.AddAssociationInput{SourceArn: data.ArtifactArn, DestinationArn: model.ArtifactArn,
		AssociationType: smtypes.AssociationEdgeTypeContributedTo}); err != nil {
		t.Fatal(err)
	}
	b := c.signedIn(c.keys("beta"))
	before := b.get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(model.ArtifactArn)))
	if before.status == http.StatusOK || !strings.Contains(before.body, "AccessDenied") || strings.Contains(before.body, "alpha-data") {
		t.Fatalf("before the share: %d\n%s", before.status, before.body)
	}
	group := "arn:aws:sagemaker:us-east-1:111111111111:lineage-group/sagemaker-default-lineage-group"
	share, err := ram.NewFromConfig(c.config("alpha")).CreateResourceShare(ctx, &ram.CreateResourceShareInput{Name: aws.String("lineage"),
		ResourceArns: []string{group}, Principals: []string{"222222222222"}})
	if err != nil {
		t.Fatal(err)
	}
	consumer := ram.NewFromConfig(c.config("beta"))
	inv, err := consumer.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{ResourceShareArns: []string{aws.ToString(share.ResourceShare.ResourceShareArn)}})
	if err != nil || len(inv.ResourceShareInvitations) != 1 {
		t.Fatalf("invitations: %v %v", inv, err)
	}
	if _, err := consumer.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{
		ResourceShareInvitationArn: inv.ResourceShareInvitations[0].ResourceShareInvitationArn}); err != nil {
		t.Fatal(err)
	}
	endpoint, err := beta.CreateContext(ctx, &sagemaker.CreateContextInput{ContextName: aws.String("beta-endpoint"), ContextType: aws.String("Endpoint"),
		Source: &smtypes.ContextSource{SourceUri: aws.String("arn:aws:sagemaker:us-east-1:222222222222:endpoint/e")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := beta.AddAssociation(ctx, &sagemaker.AddAssociationInput{SourceArn: model.ArtifactArn, DestinationArn: endpoint.ContextArn,
		AssociationType: smtypes.AssociationEdgeTypeContributedTo}); err != nil {
		t.Fatal(err)
	}
	r := b.get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(endpoint.ContextArn)) + "&direction=Ascendants&depth=1")
	if r.status != http.StatusOK {
		t.Fatalf("beta's lineage: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{"beta-endpoint", "alpha-model", "Artifact · Model<", ">111111111111 shared", "other account"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("beta's lineage lacks %q", want)
		}
	}
	if strings.Contains(r.body, "alpha-data") {
		t.Error("depth 1 reaches the data")
	}
	// Expanding alpha's model brings alpha's data, labelled with its account.
	r = b.get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(endpoint.ContextArn)) + "&direction=Ascendants&depth=1&expand=" +
		url.QueryEscape(aws.ToString(model.ArtifactArn)))
	if !strings.Contains(r.body, "alpha-data") || !strings.Contains(r.body, "Artifact · DataSet<") {
		t.Errorf("expanding alpha's model:\n%s", r.body)
	}
	// Alpha sees nothing of beta's, and an account it was not shared with nothing of alpha's.
	if r := c.signedIn(c.keys("alpha")).get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(model.ArtifactArn))); r.status != http.StatusOK ||
		strings.Contains(r.body, "beta-endpoint") || !strings.Contains(r.body, "alpha-data") {
		t.Errorf("alpha's lineage of its model: %d", r.status)
	}
}

// A model package's lineage starts from the artifact SageMaker records for it, fed by the
// artifact of its model data; its group's from the group's context.
func TestLineageOfAModelPackage(t *testing.T) {
	c := start(t)
	ctx := context.Background()
	sm := c.sagemaker("alpha")
	if _, err := sm.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: aws.String("churn")}); err != nil {
		t.Fatal(err)
	}
	pkg, err := sm.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String("churn"),
		InferenceSpecification: &smtypes.InferenceSpecification{
			Containers:                 []smtypes.ModelPackageContainerDefinition{{Image: aws.String("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"), ModelDataUrl: aws.String("s3://models/churn/model.tar.gz")}},
			SupportedContentTypes:      []string{"text/csv"},
			SupportedResponseMIMETypes: []string{"text/csv"}}})
	if err != nil {
		t.Fatal(err)
	}
	b := c.signedIn(c.keys("alpha"))
	r := b.get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(pkg.ModelPackageArn)) + "&direction=Ascendants&depth=1")
	if r.status != http.StatusOK {
		t.Fatalf("lineage of a model package: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{"the artifact SageMaker records for the model package", "Artifact · ModelPackage", "s3://models/churn/model.tar.gz", "s-Start"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the model package's lineage lacks %q", want)
		}
	}
	r = b.get("/_cairn/console/lineage?arn=" + url.QueryEscape("arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn"))
	if r.status != http.StatusOK || !strings.Contains(r.body, "Context · ModelGroup") {
		t.Errorf("lineage of a model package group: %d\n%s", r.status, r.body)
	}
	// Another account's package, unshared, is denied as DescribeModelPackage denies it.
	if r := c.signedIn(c.keys("beta")).get("/_cairn/console/lineage?arn=" + url.QueryEscape(aws.ToString(pkg.ModelPackageArn))); r.status == http.StatusOK ||
		!strings.Contains(r.body, "AccessDenied") {
		t.Errorf("beta's lineage of alpha's package: %d\n%s", r.status, r.body)
	}
}
