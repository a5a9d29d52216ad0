package store

import "time"

// Kinds of lineage entity (LineageEntity.Kind). The first four are the vertices of the
// lineage graph, named as QueryLineage's LineageType names them; experiments and trials
// group trial components.
const (
	LineageArtifact       = "Artifact"
	LineageAction         = "Action"
	LineageContext        = "Context"
	LineageTrialComponent = "TrialComponent"
	LineageExperiment     = "Experiment"
	LineageTrial          = "Trial"
)

// LineageEntity is a SageMaker lineage entity, keyed by its ARN.
type LineageEntity struct {
	ARN       string
	AccountID string
	Kind      string
	// Name is unique per account and kind regardless of case, except for artifacts,
	// whose name is optional and not unique.
	Name string
	// Type is the artifact's, action's or context's type, or the type of a trial
	// component's source; what QueryLineage's Types filter and vertices show.
	Type      string
	SourceURI string
	// SourceKey identifies an artifact's source (its URI and source types): an account
	// holds one artifact per source. Empty for other kinds.
	SourceKey string
	// Parent is a trial's experiment name.
	Parent     string
	Status     string
	Properties map[string]string
	// Body is what the service keeps of the entity as JSON, beside the members above.
	Body                      string
	CreatedBy, LastModifiedBy string
	CreatedAt, LastModifiedAt time.Time
}

// LineageAssociation is an edge of the lineage graph, unique by its two ends.
type LineageAssociation struct {
	SourceARN, DestinationARN         string
	Type                              string // ContributedTo, AssociatedWith, DerivedFrom, Produced, SameAs
	SourceAccount, DestinationAccount string
	CreatedBy                         string
	CreatedAt                         time.Time
}

// LineageGroup is an account's default lineage group.
type LineageGroup struct {
	AccountID string
	Name      string
	ARN       string
	CreatedBy string
	CreatedAt time.Time
}

// LineageTx reads and writes lineage entities, their associations, lineage groups and the
// trial components of trials. Tags are TagTx's, under the entity's ARN; deleting an
// entity deletes its tags.
type LineageTx interface {
	LineageEntity(arn string) (*LineageEntity, error)
	// LineageEntityByName reads an action, context, trial component, experiment or trial
	// by name, regardless of case.
	LineageEntityByName(accountID, kind, name string) (*LineageEntity, error)
	// ArtifactBySource reads the account's artifact for a source key.
	ArtifactBySource(accountID, sourceKey string) (*LineageEntity, error)
	// ArtifactsBySourceURI reads every account's artifacts for a source URI, in creation
	// order.
	ArtifactsBySourceURI(sourceURI string) ([]*LineageEntity, error)
	// LineageEntities reads the entities of arns that exist, in the order of arns.
	LineageEntities(arns []string) ([]*LineageEntity, error)
	// ListLineageEntities returns an account's entities of a kind in creation order.
	ListLineageEntities(accountID, kind string) ([]*LineageEntity, error)
	// CreateLineageEntity fails with ErrExists for an ARN or name already taken.
	CreateLineageEntity(*LineageEntity) error
	UpdateLineageEntity(*LineageEntity) error
	DeleteLineageEntity(arn string) error

	LineageAssociation(sourceARN, destinationARN string) (*LineageAssociation, error)
	CreateLineageAssociation(*LineageAssociation) error
	DeleteLineageAssociation(sourceARN, destinationARN string) error
	// ListLineageAssociations returns, in creation order, the associations with an end
	// in accountID; a non-empty source or destination selects those with that end.
	ListLineageAssociations(accountID, sourceARN, destinationARN string) ([]*LineageAssociation, error)
	// LineageEdges returns the associations out of (outgoing) or into the vertices arns,
	// read by index, never the whole graph.
	LineageEdges(arns []string, outgoing bool) ([]*LineageAssociation, error)

	LineageGroup(accountID string) (*LineageGroup, error)
	CreateLineageGroup(*LineageGroup) error

	// AddTrialMember and RemoveTrialMember associate and disassociate a trial component
	// with a trial; TrialsOf lists a component's trials and TrialMembers a trial's
	// components, in ARN order.
	AddTrialMember(trialARN, componentARN string, at time.Time) error
	RemoveTrialMember(trialARN, componentARN string) error
	TrialsOf(componentARN string) ([]string, error)
	TrialMembers(trialARN string) ([]string, error)
}
