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

// lineageGraph is a graph built by hand: a raw dataset processed into train and test sets,
// which with an image train a model, deployed to an endpoint.
//
//	raw ─► prep ─► train-set ─┐
//	          └──► test-set ──┼─► training ─► model ─► deploy ─► endpoint
//	                image ────┘
type lineageGraph struct {
	client                                               *sagemaker.Client
	raw, prep, trainSet, testSet, image, training, model string
	deploy, endpoint                                     string
}

func createArtifact(t *testing.T, client *sagemaker.Client, uri, typ string, props map[string]string) string {
	t.Helper()
	out, err := client.CreateArtifact(context.Background(), &sagemaker.CreateArtifactInput{ArtifactType: aws.String(typ),
		Source: &smtypes.ArtifactSource{SourceUri: aws.String(uri)}, Properties: props})
	if err != nil {
		t.Fatalf("CreateArtifact %s: %v", uri, err)
	}
	return aws.ToString(out.ArtifactArn)
}

func createAction(t *testing.T, client *sagemaker.Client, name, typ string) string {
	t.Helper()
	out, err := client.CreateAction(context.Background(), &sagemaker.CreateActionInput{ActionName: aws.String(name),
		ActionType: aws.String(typ), Source: &smtypes.ActionSource{SourceUri: aws.String("arn:aws:sagemaker:us-east-1:111111111111:job/" + name)}})
	if err != nil {
		t.Fatalf("CreateAction %s: %v", name, err)
	}
	return aws.ToString(out.ActionArn)
}

func associate(t *testing.T, client *sagemaker.Client, src, dst, typ string) {
	t.Helper()
	_, err := client.AddAssociation(context.Background(), &sagemaker.AddAssociationInput{SourceArn: aws.String(src),
		DestinationArn: aws.String(dst), AssociationType: smtypes.AssociationEdgeType(typ)})
	if err != nil {
		t.Fatalf("AddAssociation %s → %s: %v", src, dst, err)
	}
}

func buildLineageGraph(t *testing.T, client *sagemaker.Client) *lineageGraph {
	g := &lineageGraph{client: client}
	g.raw = createArtifact(t, client, "s3://data/raw.csv", "DataSet", map[string]string{"Stage": "raw"})
	g.prep = createAction(t, client, "prep", "Processing")
	g.trainSet = createArtifact(t, client, "s3://data/train.csv", "DataSet", map[string]string{"Split": "train"})
	g.testSet = createArtifact(t, client, "s3://data/test.csv", "DataSet", map[string]string{"Split": "test"})
	g.image = createArtifact(t, client, "123.dkr.ecr.us-east-1.amazonaws.com/xgboost:1", "Image", nil)
	g.training = createAction(t, client, "training", "Training")
	g.model = createArtifact(t, client, "s3://models/model.tar.gz", "Model", nil)
	g.deploy = createAction(t, client, "deploy", "ModelDeployment")
	g.endpoint = createContext(t, client, "endpoint", "Endpoint", "arn:aws:sagemaker:us-east-1:111111111111:endpoint/e")
	for _, e := range [][3]string{
		{g.raw, g.prep, "ContributedTo"}, {g.prep, g.trainSet, "Produced"}, {g.prep, g.testSet, "Produced"},
		{g.trainSet, g.training, "ContributedTo"}, {g.testSet, g.training, "ContributedTo"}, {g.image, g.training, "ContributedTo"},
		{g.training, g.model, "Produced"}, {g.model, g.deploy, "ContributedTo"}, {g.deploy, g.endpoint, "AssociatedWith"},
	} {
		associate(t, client, e[0], e[1], e[2])
	}
	return g
}

// levels is a query's answer written by hand: the vertices at depth 1, 2, …, each level in
// ARN order as QueryLineage returns them.
func levels(ls ...[]string) []string {
	var out []string
	for _, l := range ls {
		l = slices.Clone(l)
		slices.Sort(l)
		out = append(out, l...)
	}
	return out
}

func queryAll(t *testing.T, client *sagemaker.Client, in *sagemaker.QueryLineageInput) ([]string, []string) {
	t.Helper()
	var vertices, edges []string
	for {
		out, err := client.QueryLineage(context.Background(), in)
		if err != nil {
			t.Fatalf("QueryLineage: %v", err)
		}
		for _, v := range out.Vertices {
			vertices = append(vertices, aws.ToString(v.Arn))
		}
		for _, e := range out.Edges {
			edges = append(edges, aws.ToString(e.SourceArn)+" "+string(e.AssociationType)+" "+aws.ToString(e.DestinationArn))
		}
		if out.NextToken == nil {
			return vertices, edges
		}
		next := *in
		next.NextToken = out.NextToken
		in = &next
	}
}

func TestLineageQueryTable(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	client := sagemaker.NewFromConfig(c.config("data-science"))
	g := buildLineageGraph(t, client)

	up, down, both := smtypes.DirectionAscendants, smtypes.DirectionDescendants, smtypes.DirectionBoth
	for _, tc := range []struct {
		name      string
		start     string
		direction smtypes.Direction
		depth     int32
		filters   *smtypes.QueryFilters
		edges     bool
		want      []string
		wantEdges []string
	}{
		{name: "model's ascendants", start: g.model, direction: up, depth: 10,
			want: levels([]string{g.training}, []string{g.trainSet, g.testSet, g.image}, []string{g.prep}, []string{g.raw})},
		{name: "model's descendants", start: g.model, direction: down, depth: 10, want: levels([]string{g.deploy}, []string{g.endpoint})},
		{name: "depth counts associations", start: g.model, direction: up, depth: 2,
			want: levels([]string{g.training}, []string{g.trainSet, g.testSet, g.image})},
		{name: "depth 1", start: g.endpoint, direction: up, depth: 1, want: []string{g.deploy}},
		{name: "datasets that trained the endpoint's model: traversal passes through what filters leave out", start: g.endpoint,
			direction: up, depth: 10, filters: &smtypes.QueryFilters{LineageTypes: []smtypes.LineageType{"Artifact"}, Types: []string{"DataSet"}},
			want: levels([]string{g.trainSet, g.testSet}, []string{g.raw})},
		{name: "a property pair", start: g.model, direction: up, depth: 10,
			filters: &smtypes.QueryFilters{Properties: map[string]string{"Split": "train", "Nope": "x"}}, want: []string{g.trainSet}},
		{name: "Both expands from every visited vertex", start: g.trainSet, direction: both, depth: 2,
			want: levels([]string{g.prep, g.training}, []string{g.raw, g.testSet, g.image, g.model})},
		{name: "Both, whole graph", start: g.trainSet, direction: both, depth: 10,
			want: levels([]string{g.prep, g.training}, []string{g.raw, g.testSet, g.image, g.model}, []string{g.deploy}, []string{g.endpoint})},
		{name: "Both, only contexts", start: g.image, direction: both, depth: 10,
			filters: &smtypes.QueryFilters{LineageTypes: []smtypes.LineageType{"Context"}}, want: []string{g.endpoint}},
		{name: "Both, too shallow for the endpoint", start: g.image, direction: both, depth: 3,
			filters: &smtypes.QueryFilters{LineageTypes: []smtypes.LineageType{"Context"}}, want: nil},
		{name: "a dataset's descendants of type Endpoint, with the paths", start: g.trainSet, direction: down, depth: 10,
			filters: &smtypes.QueryFilters{Types: []string{"Endpoint"}}, edges: true,
			want: []string{g.endpoint, g.deploy, g.model, g.training},
			wantEdges: []string{g.deploy + " AssociatedWith " + g.endpoint, g.model + " ContributedTo " + g.deploy,
				g.training + " Produced " + g.model, g.trainSet + " ContributedTo " + g.training}},
		{name: "edges of an unfiltered query", start: g.deploy, direction: down, depth: 10, edges: true,
			want: []string{g.endpoint}, wantEdges: []string{g.deploy + " AssociatedWith " + g.endpoint}},
		{name: "nothing upstream of the raw data", start: g.raw, direction: up, depth: 10, want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, page := range []int32{50, 1, 2} {
				got, edges := queryAll(t, client, &sagemaker.QueryLineageInput{StartArns: []string{tc.start}, Direction: tc.direction,
					MaxDepth: aws.Int32(tc.depth), Filters: tc.filters, IncludeEdges: aws.Bool(tc.edges), MaxResults: aws.Int32(page)})
				if tc.edges && page != 50 {
					continue // paths come back beside each page
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("pages of %d: vertices\n got %s\nwant %s", page, strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
				}
				if !slices.Equal(edges, tc.wantEdges) {
					t.Errorf("edges\n got %s\nwant %s", strings.Join(edges, "\n     "), strings.Join(tc.wantEdges, "\n     "))
				}
			}
		})
	}

	ctx := context.Background()
	// Vertices carry their types.
	out, err := client.QueryLineage(ctx, &sagemaker.QueryLineageInput{StartArns: []string{g.deploy}, Direction: down})
	if err != nil || len(out.Vertices) != 1 || aws.ToString(out.Vertices[0].Type) != "Endpoint" || out.Vertices[0].LineageType != "Context" {
		t.Errorf("a vertex: %v %+v", err, out)
	}

	// A NextToken stays valid while the graph changes: the next page goes on from the last
	// vertex returned, in the graph as it is then.
	first, err := client.QueryLineage(ctx, &sagemaker.QueryLineageInput{StartArns: []string{g.endpoint}, Direction: up, MaxResults: aws.Int32(2)})
	if err != nil || len(first.Vertices) != 2 || first.NextToken == nil {
		t.Fatalf("first page: %v %+v", err, first)
	}
	extra := createArtifact(t, client, "s3://data/extra.csv", "DataSet", nil)
	associate(t, client, extra, g.model, "ContributedTo")
	rest, _ := queryAll(t, client, &sagemaker.QueryLineageInput{StartArns: []string{g.endpoint}, Direction: up, NextToken: first.NextToken})
	if want := levels([]string{g.training, extra}, []string{g.trainSet, g.testSet, g.image}, []string{g.prep}, []string{g.raw}); !slices.Equal(rest, want) {
		t.Errorf("after the graph changed: %v, want %v", rest, want)
	}
	_, err = client.QueryLineage(ctx, &sagemaker.QueryLineageInput{StartArns: []string{g.endpoint}, NextToken: aws.String("garbage")})
	apiError(t, err, "ValidationException")
	_, err = client.QueryLineage(ctx, &sagemaker.QueryLineageInput{StartArns: []string{g.endpoint}, MaxDepth: aws.Int32(11)})
	apiError(t, err, "ValidationException")
	_, err = client.QueryLineage(ctx, &sagemaker.QueryLineageInput{StartArns: []string{lineageARN + "context/missing"}})
	apiError(t, err, "ResourceNotFound")
}

func TestLineageEntitiesAndAssociations(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := sagemaker.NewFromConfig(c.config("data-science"))
	g := buildLineageGraph(t, client)

	// One artifact per source: the same URI and source types answer the first artifact.
	again := createArtifact(t, client, "s3://data/raw.csv", "DataSet", nil)
	if again != g.raw {
		t.Errorf("an artifact for the same source: %s, want %s", again, g.raw)
	}
	typed, err := client.CreateArtifact(ctx, &sagemaker.CreateArtifactInput{ArtifactType: aws.String("DataSet"), ArtifactName: aws.String("raw-v2"),
		Source: &smtypes.ArtifactSource{SourceUri: aws.String("s3://data/raw.csv"),
			SourceTypes: []smtypes.ArtifactSourceType{{SourceIdType: "S3ETag", Value: aws.String("abc")}}}})
	if err != nil || aws.ToString(typed.ArtifactArn) == g.raw || !strings.HasPrefix(aws.ToString(typed.ArtifactArn), lineageARN+"artifact/") {
		t.Errorf("another source type is another artifact: %v %+v", err, typed)
	}
	d, err := client.DescribeArtifact(ctx, &sagemaker.DescribeArtifactInput{ArtifactArn: typed.ArtifactArn})
	if err != nil || aws.ToString(d.ArtifactName) != "raw-v2" || aws.ToString(d.Source.SourceTypes[0].Value) != "abc" ||
		aws.ToString(d.LineageGroupArn) != lineageARN+"lineage-group/sagemaker-default-lineage-group" {
		t.Errorf("DescribeArtifact: %v %+v", err, d)
	}
	if _, err := client.UpdateArtifact(ctx, &sagemaker.UpdateArtifactInput{ArtifactArn: typed.ArtifactArn, ArtifactName: aws.String("renamed"),
		Properties: map[string]string{"a": "1", "b": "2"}, PropertiesToRemove: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	d, _ = client.DescribeArtifact(ctx, &sagemaker.DescribeArtifactInput{ArtifactArn: typed.ArtifactArn})
	if aws.ToString(d.ArtifactName) != "renamed" || len(d.Properties) != 1 || d.Properties["a"] != "1" {
		t.Errorf("after UpdateArtifact: %+v", d)
	}
	// DeleteArtifact by source.
	del, err := client.DeleteArtifact(ctx, &sagemaker.DeleteArtifactInput{Source: &smtypes.ArtifactSource{SourceUri: aws.String("s3://data/raw.csv"),
		SourceTypes: []smtypes.ArtifactSourceType{{SourceIdType: "S3ETag", Value: aws.String("abc")}}}})
	if err != nil || aws.ToString(del.ArtifactArn) != aws.ToString(typed.ArtifactArn) {
		t.Errorf("DeleteArtifact by source: %v %+v", err, del)
	}
	_, err = client.DeleteArtifact(ctx, &sagemaker.DeleteArtifactInput{})
	apiError(t, err, "ValidationException")
	_, err = client.DescribeArtifact(ctx, &sagemaker.DescribeArtifactInput{ArtifactArn: typed.ArtifactArn})
	apiError(t, err, "ResourceNotFound")

	// Entities with associations are not deleted.
	_, err = client.DeleteArtifact(ctx, &sagemaker.DeleteArtifactInput{ArtifactArn: aws.String(g.raw)})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "associations") {
		t.Errorf("deleting an artifact with associations: %s", msg)
	}
	_, err = client.DeleteAction(ctx, &sagemaker.DeleteActionInput{ActionName: aws.String("prep")})
	apiError(t, err, "ValidationException")

	// Actions: status, update, list.
	a, err := client.DescribeAction(ctx, &sagemaker.DescribeActionInput{ActionName: aws.String(g.deploy)})
	if err != nil || aws.ToString(a.ActionName) != "deploy" || a.Status != "Unknown" || aws.ToString(a.ActionType) != "ModelDeployment" {
		t.Errorf("DescribeAction: %v %+v", err, a)
	}
	if _, err := client.UpdateAction(ctx, &sagemaker.UpdateActionInput{ActionName: aws.String("deploy"), Status: "Completed",
		Description: aws.String("deployed")}); err != nil {
		t.Fatal(err)
	}
	a, _ = client.DescribeAction(ctx, &sagemaker.DescribeActionInput{ActionName: aws.String("deploy")})
	if a.Status != "Completed" || aws.ToString(a.Description) != "deployed" {
		t.Errorf("after UpdateAction: %+v", a)
	}
	acts, err := client.ListActions(ctx, &sagemaker.ListActionsInput{SortBy: smtypes.SortActionsByName, SortOrder: smtypes.SortOrderAscending})
	if err != nil || len(acts.ActionSummaries) != 3 || aws.ToString(acts.ActionSummaries[0].ActionName) != "deploy" {
		t.Errorf("ListActions: %v %+v", err, acts)
	}
	arts, err := client.ListArtifacts(ctx, &sagemaker.ListArtifactsInput{ArtifactType: aws.String("DataSet")})
	if err != nil || len(arts.ArtifactSummaries) != 3 {
		t.Errorf("ListArtifacts of DataSets: %v %+v", err, arts)
	}
	_, err = client.CreateAction(ctx, &sagemaker.CreateActionInput{ActionName: aws.String("DEPLOY"), ActionType: aws.String("x"),
		Source: &smtypes.ActionSource{SourceUri: aws.String("x")}})
	if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "already exists") {
		t.Errorf("an action name taken: %s", msg)
	}

	// Associations: both ends must exist; one association per pair; list filters.
	_, err = client.AddAssociation(ctx, &sagemaker.AddAssociationInput{SourceArn: aws.String(g.raw), DestinationArn: aws.String(lineageARN + "context/nope")})
	apiError(t, err, "ResourceNotFound")
	_, err = client.AddAssociation(ctx, &sagemaker.AddAssociationInput{SourceArn: aws.String(g.raw), DestinationArn: aws.String(g.prep)})
	apiError(t, err, "ValidationException")
	list := func(in *sagemaker.ListAssociationsInput) []string {
		t.Helper()
		out, err := client.ListAssociations(ctx, in)
		if err != nil {
			t.Fatalf("ListAssociations: %v", err)
		}
		var got []string
		for _, s := range out.AssociationSummaries {
			got = append(got, aws.ToString(s.SourceArn)+" "+aws.ToString(s.SourceType)+" "+string(s.AssociationType)+" "+
				aws.ToString(s.DestinationArn)+" "+aws.ToString(s.DestinationType)+" "+aws.ToString(s.DestinationName))
		}
		return got
	}
	if got := list(&sagemaker.ListAssociationsInput{SourceArn: aws.String(g.training)}); !slices.Equal(got,
		[]string{g.training + " Training Produced " + g.model + " Model "}) {
		t.Errorf("by source: %v", got)
	}
	if got := list(&sagemaker.ListAssociationsInput{DestinationArn: aws.String(g.training), SourceType: aws.String("Image")}); len(got) != 1 ||
		!strings.HasPrefix(got[0], g.image) {
		t.Errorf("by destination and source type: %v", got)
	}
	// Clients name a destination's lineage type or its own type.
	for _, typ := range []string{"Action", "ModelDeployment"} {
		if got := list(&sagemaker.ListAssociationsInput{SourceArn: aws.String(g.model), DestinationType: aws.String(typ)}); len(got) != 1 ||
			!strings.HasSuffix(got[0], g.deploy+" ModelDeployment deploy") {
			t.Errorf("destination type %s: %v", typ, got)
		}
	}
	if got := list(&sagemaker.ListAssociationsInput{AssociationType: "Produced", SortBy: smtypes.SortAssociationsByDestinationArn,
		SortOrder: smtypes.SortOrderAscending}); len(got) != 3 {
		t.Errorf("Produced associations: %v", got)
	}
	if got := list(&sagemaker.ListAssociationsInput{MaxResults: aws.Int32(100)}); len(got) != 9 {
		t.Errorf("every association: %d", len(got))
	}
	if _, err := client.DeleteAssociation(ctx, &sagemaker.DeleteAssociationInput{SourceArn: aws.String(g.deploy), DestinationArn: aws.String(g.endpoint)}); err != nil {
		t.Fatal(err)
	}
	_, err = client.DeleteAssociation(ctx, &sagemaker.DeleteAssociationInput{SourceArn: aws.String(g.deploy), DestinationArn: aws.String(g.endpoint)})
	apiError(t, err, "ResourceNotFound")
	if _, err := client.DeleteContext(ctx, &sagemaker.DeleteContextInput{ContextName: aws.String("endpoint")}); err != nil {
		t.Errorf("DeleteContext once its association is gone: %v", err)
	}

	// The account's lineage group.
	groups, err := client.ListLineageGroups(ctx, &sagemaker.ListLineageGroupsInput{})
	if err != nil || len(groups.LineageGroupSummaries) != 1 || aws.ToString(groups.LineageGroupSummaries[0].LineageGroupName) != "sagemaker-default-lineage-group" {
		t.Errorf("ListLineageGroups: %v %+v", err, groups)
	}
	lg, err := client.DescribeLineageGroup(ctx, &sagemaker.DescribeLineageGroupInput{LineageGroupName: aws.String("sagemaker-default-lineage-group")})
	if err != nil || aws.ToString(lg.LineageGroupArn) != lineageARN+"lineage-group/sagemaker-default-lineage-group" {
		t.Errorf("DescribeLineageGroup: %v %+v", err, lg)
	}
	pol, err := client.GetLineageGroupPolicy(ctx, &sagemaker.GetLineageGroupPolicyInput{LineageGroupName: aws.String("sagemaker-default-lineage-group")})
	if err != nil || aws.ToString(pol.ResourcePolicy) != "" {
		t.Errorf("GetLineageGroupPolicy of an unshared group: %v %+v", err, pol)
	}
	other := sagemaker.NewFromConfig(c.config("platform"))
	if groups, err := other.ListLineageGroups(ctx, &sagemaker.ListLineageGroupsInput{}); err != nil || len(groups.LineageGroupSummaries) != 0 {
		t.Errorf("an account without lineage has no group: %v %+v", err, groups)
	}
	_, err = other.DescribeLineageGroup(ctx, &sagemaker.DescribeLineageGroupInput{LineageGroupName: aws.String("sagemaker-default-lineage-group")})
	apiError(t, err, "ResourceNotFound")
}
