package server

import (
	"errors"

	"github.com/cairnhq/cairn/internal/service/ram"
	"github.com/cairnhq/cairn/internal/service/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// newRAM builds AWS RAM with the resource types Cairn shares: SageMaker pipelines and
// lineage groups. RAM asks the store, through these functions, whether a resource it is
// asked to share exists, and tells SageMaker when who may reach a lineage group changes,
// so that artifacts tracked before the share get their SameAs links; it knows nothing
// else of SageMaker.
func newRAM(s *Server, sm *sagemaker.Service) (*ram.Service, error) {
	delay := ram.DefaultAssociationDelay
	if s.opts.RAMAssociationDelay != nil {
		delay = *s.opts.RAMAssociationDelay
	}
	lineage := ram.LineageGroupType(s.opts.Region, lineageGroupExists)
	lineage.Reached = func(tx store.Tx, r ram.Ref) error { return sm.LinkSharedArtifacts(tx, r.Account) }
	return ram.New(ram.Options{Store: s.store, Now: s.opts.Now, Random: s.opts.Random, Region: s.opts.Region, Logger: s.log,
		AssociationDelay: delay,
		Types:            []ram.ResourceType{ram.PipelineType(s.opts.Region, pipelineExists), lineage}})
}

// pipelineExists reports whether an account has the pipeline.
func pipelineExists(tx store.Tx, r ram.Ref) (bool, error) {
	_, err := tx.Pipeline(r.Account, r.Name)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// lineageGroupExists reports whether a lineage group exists: every account of the
// installation has the default group, and only it.
func lineageGroupExists(tx store.Tx, r ram.Ref) (bool, error) {
	if r.Name != ram.DefaultLineageGroup {
		return false, nil
	}
	_, err := tx.Account(r.Account)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
