package sagemaker

import (
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// TrialComponentRecord is the model's TrialComponent shape, as Search returns it.
type TrialComponentRecord struct {
	TrialComponentName string
	DisplayName        string `json:",omitempty"`
	TrialComponentArn  string
	Source             *TrialComponentSource `json:",omitempty"`
	Status             *TrialComponentStatus `json:",omitempty"`
	StartTime          *operation.Timestamp  `json:",omitempty"`
	EndTime            *operation.Timestamp  `json:",omitempty"`
	CreationTime       *operation.Timestamp
	CreatedBy          UserContext
	LastModifiedTime   *operation.Timestamp
	LastModifiedBy     UserContext
	Parameters         map[string]TrialComponentParameterValue `json:",omitempty"`
	InputArtifacts     map[string]TrialComponentArtifact       `json:",omitempty"`
	OutputArtifacts    map[string]TrialComponentArtifact       `json:",omitempty"`
	MetadataProperties *MetadataProperties                     `json:",omitempty"`
	Metrics            []struct{}
	Tags               []Tag
	Parents            []Parent
}

// Parent is a trial a trial component belongs to, with its experiment.
type Parent struct {
	TrialName      string
	ExperimentName string
}

// trialComponentHits makes each of the account's trial components a Search result.
func (s *Service) trialComponentHits(tx txn, account string) ([]searchHit, error) {
	all, err := tx.ListLineageEntities(account, store.LineageTrialComponent)
	if err != nil {
		return nil, err
	}
	hits := make([]searchHit, 0, len(all))
	for _, e := range all {
		var b trialComponentBody
		if err := lineageBody(e, &b); err != nil {
			return nil, err
		}
		if err := s.followJob(tx, e, &b); err != nil {
			return nil, err
		}
		tags, err := tx.Tags(e.ARN)
		if err != nil {
			return nil, err
		}
		trials, err := tx.TrialsOf(e.ARN)
		if err != nil {
			return nil, err
		}
		parents, err := tx.LineageEntities(trials)
		if err != nil {
			return nil, err
		}
		rec := &TrialComponentRecord{TrialComponentName: e.Name, DisplayName: b.DisplayName, TrialComponentArn: e.ARN, Source: b.Source,
			Status: b.Status, StartTime: b.StartTime, EndTime: b.EndTime, CreationTime: operation.NewTimestamp(e.CreatedAt),
			CreatedBy: userContext(e.CreatedBy), LastModifiedTime: operation.NewTimestamp(e.LastModifiedAt), LastModifiedBy: userContext(e.LastModifiedBy),
			Parameters: b.Parameters, InputArtifacts: b.InputArtifacts, OutputArtifacts: b.OutputArtifacts, MetadataProperties: b.MetadataProperties,
			Metrics: []struct{}{}, Tags: wireTags(tags), Parents: []Parent{}}
		d := newSearchDoc()
		d.Multi = map[string][]string{}
		d.setText("TrialComponentName", e.Name)
		d.setText("TrialComponentArn", e.ARN)
		d.setText("DisplayName", b.DisplayName)
		if b.Source != nil {
			d.setText("Source.SourceArn", b.Source.SourceArn)
			d.setText("Source.SourceType", b.Source.SourceType)
		}
		if b.Status != nil {
			d.setText("Status.PrimaryStatus", b.Status.PrimaryStatus)
		}
		d.setText("CreatedBy.IamIdentity.Arn", e.CreatedBy)
		d.setText("LastModifiedBy.IamIdentity.Arn", e.LastModifiedBy)
		d.setTime("CreationTime", e.CreatedAt)
		d.setTime("LastModifiedTime", e.LastModifiedAt)
		if b.StartTime != nil {
			d.setTime("StartTime", b.StartTime.Time)
		}
		if b.EndTime != nil {
			d.setTime("EndTime", b.EndTime.Time)
		}
		for k, v := range b.Parameters {
			switch {
			case v.StringValue != nil:
				d.setText("Parameters."+k, *v.StringValue)
			case v.NumberValue != nil:
				d.setText("Parameters."+k, strconv.FormatFloat(*v.NumberValue, 'g', -1, 64))
			}
		}
		for _, t := range parents {
			rec.Parents = append(rec.Parents, Parent{TrialName: t.Name, ExperimentName: t.Parent})
			d.Multi["Parents.TrialName"] = append(d.Multi["Parents.TrialName"], t.Name)
			d.Multi["Parents.ExperimentName"] = append(d.Multi["Parents.ExperimentName"], t.Parent)
			d.Lists["Parents"] = append(d.Lists["Parents"], map[string]string{"Parents.TrialName": t.Name, "Parents.ExperimentName": t.Parent})
		}
		addTags(d, tags)
		hits = append(hits, searchHit{arn: e.ARN, doc: d, record: SearchRecord{TrialComponent: rec}})
	}
	return hits, nil
}
