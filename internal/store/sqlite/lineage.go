package sqlite

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

const lineageEntityColumns = `arn, account_id, kind, name, type, source_uri, source_key, parent, status, properties, body,
	created_by, last_modified_by, created_at, last_modified_at`

func scanLineageEntity(row interface{ Scan(...any) error }) (*store.LineageEntity, error) {
	var e store.LineageEntity
	var props string
	var created, modified int64
	err := row.Scan(&e.ARN, &e.AccountID, &e.Kind, &e.Name, &e.Type, &e.SourceURI, &e.SourceKey, &e.Parent, &e.Status, &props, &e.Body,
		&e.CreatedBy, &e.LastModifiedBy, &created, &modified)
	if err != nil {
		return nil, notFound(err)
	}
	if props != "" {
		if err := json.Unmarshal([]byte(props), &e.Properties); err != nil {
			return nil, err
		}
	}
	e.CreatedAt, e.LastModifiedAt = fromUnix(created), fromUnix(modified)
	return &e, nil
}

func (t *tx) queryLineageEntities(query string, args ...any) ([]*store.LineageEntity, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.LineageEntity
	for rows.Next() {
		e, err := scanLineageEntity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *tx) LineageEntity(arn string) (*store.LineageEntity, error) {
	return scanLineageEntity(t.queryRow(`SELECT `+lineageEntityColumns+` FROM lineage_entities WHERE arn = ?`, arn))
}

func (t *tx) LineageEntityByName(accountID, kind, name string) (*store.LineageEntity, error) {
	if kind == store.LineageArtifact {
		return nil, store.ErrNotFound
	}
	return scanLineageEntity(t.queryRow(`SELECT `+lineageEntityColumns+` FROM lineage_entities
		WHERE account_id = ? AND kind = ? AND lower(name) = lower(?) AND kind != 'Artifact'`, accountID, kind, name))
}

// ArtifactBySource reads the source's artifacts by lineage_entities_source and keeps the
// first created. The query has no ORDER BY: given one, SQLite walks the account's
// artifacts in creation order by lineage_entities_list instead, a cost that grows with
// every artifact the account has (6 ms a job at 3,000 jobs).
func (t *tx) ArtifactBySource(accountID, sourceKey string) (*store.LineageEntity, error) {
	es, err := t.queryLineageEntities(`SELECT `+lineageEntityColumns+` FROM lineage_entities
		WHERE account_id = ? AND kind = 'Artifact' AND source_key = ?`, accountID, sourceKey)
	if err != nil {
		return nil, err
	}
	var first *store.LineageEntity
	for _, e := range es {
		if first == nil || e.CreatedAt.Before(first.CreatedAt) || e.CreatedAt.Equal(first.CreatedAt) && e.ARN < first.ARN {
			first = e
		}
	}
	if first == nil {
		return nil, store.ErrNotFound
	}
	return first, nil
}

func (t *tx) ArtifactsBySourceURI(sourceURI string) ([]*store.LineageEntity, error) {
	return t.queryLineageEntities(`SELECT `+lineageEntityColumns+` FROM lineage_entities
		WHERE kind = 'Artifact' AND source_uri = ? ORDER BY created_at, arn`, sourceURI)
}

func (t *tx) LineageEntities(arns []string) ([]*store.LineageEntity, error) {
	found := map[string]*store.LineageEntity{}
	err := inChunks(arns, func(chunk []string, marks string) error {
		es, err := t.queryLineageEntities(`SELECT `+lineageEntityColumns+` FROM lineage_entities WHERE arn IN (`+marks+`)`, anys(chunk)...)
		for _, e := range es {
			found[e.ARN] = e
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*store.LineageEntity, 0, len(found))
	for _, a := range arns {
		if e := found[a]; e != nil {
			out = append(out, e)
			delete(found, a)
		}
	}
	return out, nil
}

func (t *tx) ListLineageEntities(accountID, kind string) ([]*store.LineageEntity, error) {
	return t.queryLineageEntities(`SELECT `+lineageEntityColumns+` FROM lineage_entities
		WHERE account_id = ? AND kind = ? ORDER BY created_at, arn`, accountID, kind)
}

func lineageEntityArgs(e *store.LineageEntity) ([]any, error) {
	props := ""
	if len(e.Properties) > 0 {
		b, err := json.Marshal(e.Properties)
		if err != nil {
			return nil, err
		}
		props = string(b)
	}
	return []any{e.ARN, e.AccountID, e.Kind, e.Name, e.Type, e.SourceURI, e.SourceKey, e.Parent, e.Status, props, e.Body,
		e.CreatedBy, e.LastModifiedBy, unix(e.CreatedAt), unix(e.LastModifiedAt)}, nil
}

func (t *tx) CreateLineageEntity(e *store.LineageEntity) error {
	args, err := lineageEntityArgs(e)
	if err != nil {
		return err
	}
	t.changed(store.ChangeLineageEntity, e.ARN)
	return t.exec(`INSERT INTO lineage_entities (`+lineageEntityColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
}

func (t *tx) UpdateLineageEntity(e *store.LineageEntity) error {
	args, err := lineageEntityArgs(e)
	if err != nil {
		return err
	}
	t.changed(store.ChangeLineageEntity, e.ARN)
	return t.execRegistryRow(`UPDATE lineage_entities SET name = ?, type = ?, source_uri = ?, source_key = ?, parent = ?, status = ?,
		properties = ?, body = ?, last_modified_by = ?, last_modified_at = ? WHERE arn = ?`,
		append(args[3:11], args[12], args[14], e.ARN)...)
}

func (t *tx) DeleteLineageEntity(arn string) error {
	t.changed(store.ChangeLineageEntity, arn)
	if err := t.execRegistryRow(`DELETE FROM lineage_entities WHERE arn = ?`, arn); err != nil {
		return err
	}
	if err := t.exec(`DELETE FROM lineage_trial_members WHERE trial_arn = ? OR component_arn = ?`, arn, arn); err != nil {
		return err
	}
	return t.deleteTags(arn)
}

const lineageAssociationColumns = `source_arn, destination_arn, type, source_account, destination_account, created_by, created_at`

func (t *tx) queryLineageAssociations(query string, args ...any) ([]*store.LineageAssociation, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.LineageAssociation
	for rows.Next() {
		a, err := scanLineageAssociation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanLineageAssociation(row interface{ Scan(...any) error }) (*store.LineageAssociation, error) {
	var a store.LineageAssociation
	var created int64
	if err := row.Scan(&a.SourceARN, &a.DestinationARN, &a.Type, &a.SourceAccount, &a.DestinationAccount, &a.CreatedBy, &created); err != nil {
		return nil, notFound(err)
	}
	a.CreatedAt = fromUnix(created)
	return &a, nil
}

func (t *tx) LineageAssociation(sourceARN, destinationARN string) (*store.LineageAssociation, error) {
	return scanLineageAssociation(t.queryRow(`SELECT `+lineageAssociationColumns+` FROM lineage_associations
		WHERE source_arn = ? AND destination_arn = ?`, sourceARN, destinationARN))
}

func (t *tx) CreateLineageAssociation(a *store.LineageAssociation) error {
	t.changed(store.ChangeLineageAssociation, a.SourceARN+" "+a.DestinationARN)
	return t.exec(`INSERT INTO lineage_associations (`+lineageAssociationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.SourceARN, a.DestinationARN, a.Type, a.SourceAccount, a.DestinationAccount, a.CreatedBy, unix(a.CreatedAt))
}

func (t *tx) DeleteLineageAssociation(sourceARN, destinationARN string) error {
	t.changed(store.ChangeLineageAssociation, sourceARN+" "+destinationARN)
	return t.execRegistryRow(`DELETE FROM lineage_associations WHERE source_arn = ? AND destination_arn = ?`, sourceARN, destinationARN)
}

func (t *tx) ListLineageAssociations(accountID, sourceARN, destinationARN string) ([]*store.LineageAssociation, error) {
	switch {
	case sourceARN != "" && destinationARN != "":
		a, err := t.LineageAssociation(sourceARN, destinationARN)
		if err != nil || a.SourceAccount != accountID && a.DestinationAccount != accountID {
			return nil, nil
		}
		return []*store.LineageAssociation{a}, nil
	case sourceARN != "":
		return t.queryLineageAssociations(`SELECT `+lineageAssociationColumns+` FROM lineage_associations
			WHERE source_arn = ? AND (source_account = ? OR destination_account = ?) ORDER BY created_at, destination_arn`, sourceARN, accountID, accountID)
	case destinationARN != "":
		return t.queryLineageAssociations(`SELECT `+lineageAssociationColumns+` FROM lineage_associations
			WHERE destination_arn = ? AND (source_account = ? OR destination_account = ?) ORDER BY created_at, source_arn`, destinationARN, accountID, accountID)
	}
	return t.queryLineageAssociations(`SELECT `+lineageAssociationColumns+` FROM lineage_associations WHERE source_account = ?
		UNION SELECT `+lineageAssociationColumns+` FROM lineage_associations WHERE destination_account = ?
		ORDER BY created_at, source_arn, destination_arn`, accountID, accountID)
}

func (t *tx) LineageEdges(arns []string, outgoing bool) ([]*store.LineageAssociation, error) {
	column := "destination_arn"
	if outgoing {
		column = "source_arn"
	}
	var out []*store.LineageAssociation
	err := inChunks(arns, func(chunk []string, marks string) error {
		as, err := t.queryLineageAssociations(`SELECT `+lineageAssociationColumns+` FROM lineage_associations WHERE `+column+` IN (`+marks+`)`, anys(chunk)...)
		out = append(out, as...)
		return err
	})
	return out, err
}

func (t *tx) LineageGroup(accountID string) (*store.LineageGroup, error) {
	var g store.LineageGroup
	var created int64
	err := t.queryRow(`SELECT account_id, name, arn, created_by, created_at FROM lineage_groups WHERE account_id = ?`, accountID).
		Scan(&g.AccountID, &g.Name, &g.ARN, &g.CreatedBy, &created)
	if err != nil {
		return nil, notFound(err)
	}
	g.CreatedAt = fromUnix(created)
	return &g, nil
}

func (t *tx) CreateLineageGroup(g *store.LineageGroup) error {
	t.changed(store.ChangeLineageGroup, g.ARN)
	return t.exec(`INSERT INTO lineage_groups (account_id, name, arn, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		g.AccountID, g.Name, g.ARN, g.CreatedBy, unix(g.CreatedAt))
}

func (t *tx) AddTrialMember(trialARN, componentARN string, at time.Time) error {
	t.changed(store.ChangeLineageEntity, trialARN)
	return t.exec(`INSERT INTO lineage_trial_members (trial_arn, component_arn, created_at) VALUES (?, ?, ?)`, trialARN, componentARN, unix(at))
}

func (t *tx) RemoveTrialMember(trialARN, componentARN string) error {
	t.changed(store.ChangeLineageEntity, trialARN)
	return t.execRegistryRow(`DELETE FROM lineage_trial_members WHERE trial_arn = ? AND component_arn = ?`, trialARN, componentARN)
}

func (t *tx) TrialsOf(componentARN string) ([]string, error) {
	return t.strings(`SELECT trial_arn FROM lineage_trial_members WHERE component_arn = ? ORDER BY trial_arn`, componentARN)
}

func (t *tx) TrialMembers(trialARN string) ([]string, error) {
	return t.strings(`SELECT component_arn FROM lineage_trial_members WHERE trial_arn = ? ORDER BY component_arn`, trialARN)
}

// strings reads a query's one column of text.
func (t *tx) strings(query string, args ...any) ([]string, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// inChunkSizes are the sizes of the IN lists batch reads send: a batch is cut into
// chunks of at most the largest size, each padded (repeating its last value) to the
// least size that holds it, so that a few prepared statements serve every batch.
var inChunkSizes = []int{1, 8, 64, 256}

// inChunks calls fn for each chunk of values with the chunk, padded, and its "?, ?, …".
func inChunks(values []string, fn func(chunk []string, marks string) error) error {
	largest := inChunkSizes[len(inChunkSizes)-1]
	for len(values) > 0 {
		n := min(len(values), largest)
		size := largest
		for _, s := range inChunkSizes {
			if s >= n {
				size = s
				break
			}
		}
		chunk := make([]string, size)
		copy(chunk, values[:n])
		for i := n; i < size; i++ {
			chunk[i] = values[n-1]
		}
		if err := fn(chunk, strings.TrimSuffix(strings.Repeat("?, ", size), ", ")); err != nil {
			return err
		}
		values = values[n:]
	}
	return nil
}

func anys(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}
