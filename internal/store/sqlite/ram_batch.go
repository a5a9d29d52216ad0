package sqlite

import (
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// RAM's records read a page at a time: lists join associations to their shares in one
// query, walked in index order, rather than reading each share on its own.

// batchSize bounds the values of one IN list.
const batchSize = 500

// inBatches calls fn with successive slices of at most batchSize of values.
func inBatches(values []string, fn func([]string) error) error {
	for len(values) > 0 {
		n := min(len(values), batchSize)
		if err := fn(values[:n]); err != nil {
			return err
		}
		values = values[n:]
	}
	return nil
}

func stringArgs(values []string) []any {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return args
}

// reachColumns are what ListRAMSharesReaching reads: the association's part of an index
// that covers it, and the share.
const reachColumns = `a.entity, a.kind, a.invite, s.arn, s.owner_account, s.name, s.allow_external, s.status,
	s.status_message, s.feature_set, s.retain_on_leave, s.created_at, s.updated_at`

// ListRAMSharesReaching reads one ordered stream per way of reaching the account — its
// own principals, then each entity — each from an index in (share, entity) order, and
// merges them: the first p.Limit of the merge are among the first p.Limit of each stream.
func (t *tx) ListRAMSharesReaching(account string, entities []string, p store.Page) ([]store.RAMReach, error) {
	share, entity, _ := strings.Cut(p.After, " ")
	limit := p.Limit
	if limit <= 0 {
		limit = noLimit
	}
	tail := ` AND a.type = ? AND a.status = ? AND (a.share_arn, a.entity) > (?, ?) ORDER BY a.share_arn, a.entity LIMIT ?`
	args := []any{store.RAMPrincipal, store.RAMAssociated, share, entity, limit}
	from := `SELECT ` + reachColumns + ` FROM ram_associations a JOIN ram_shares s ON s.arn = a.share_arn WHERE `
	own, err := t.reaching(from+`a.account = ?`+tail, append([]any{account}, args...)...)
	if err != nil {
		return nil, err
	}
	streams := [][]reachRow{own}
	for _, e := range entities {
		list, err := t.reaching(from+`a.entity = ?`+tail, append([]any{e}, args...)...)
		if err != nil {
			return nil, err
		}
		streams = append(streams, list)
	}
	return mergeReaching(streams, p.Limit), nil
}

// reachRow is a row of ListRAMSharesReaching with its association's key.
type reachRow struct {
	shareARN string
	reach    store.RAMReach
}

func (t *tx) reaching(query string, args ...any) ([]reachRow, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reachRow
	for rows.Next() {
		var r reachRow
		var sh store.RAMShare
		var created, updated int64
		if err := rows.Scan(&r.reach.Entity, &r.reach.Kind, &r.reach.Invite, &sh.ARN, &sh.OwnerAccount, &sh.Name,
			&sh.AllowExternalPrincipals, &sh.Status, &sh.StatusMessage, &sh.FeatureSet, &sh.RetainOnLeave, &created, &updated); err != nil {
			return nil, err
		}
		sh.CreatedAt, sh.UpdatedAt = fromUnix(created), fromUnix(updated)
		r.shareARN, r.reach.Share = sh.ARN, &sh
		out = append(out, r)
	}
	return out, rows.Err()
}

// mergeReaching merges streams ordered by (share, entity), dropping a row met twice, up to
// limit rows when limit is positive.
func mergeReaching(streams [][]reachRow, limit int) []store.RAMReach {
	less := func(a, b reachRow) bool {
		return a.shareARN < b.shareARN || a.shareARN == b.shareARN && a.reach.Entity < b.reach.Entity
	}
	var out []store.RAMReach
	var prev reachRow
	for limit <= 0 || len(out) < limit {
		best := -1
		for i, s := range streams {
			if len(s) > 0 && (best < 0 || less(s[0], streams[best][0])) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		r := streams[best][0]
		streams[best] = streams[best][1:]
		if len(out) > 0 && prev.shareARN == r.shareARN && prev.reach.Entity == r.reach.Entity {
			continue
		}
		prev = r
		out = append(out, r.reach)
	}
	return out
}

func (t *tx) ListRAMAssociationsNamed(q store.RAMAssociationQuery, p store.Page) ([]store.RAMNamedAssociation, error) {
	where, args, ok := associationFilter(q, p, "a.")
	if !ok {
		return nil, nil
	}
	query := `SELECT ` + prefixed("a.", ramAssociationColumns) + `, s.name FROM ram_associations a JOIN ram_shares s ON s.arn = a.share_arn`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY a.share_arn, a.entity`
	if p.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, p.Limit)
	}
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.RAMNamedAssociation
	for rows.Next() {
		var a store.RAMAssociation
		var name string
		var due, created, updated int64
		if err := rows.Scan(&a.ShareARN, &a.Type, &a.Entity, &a.Kind, &a.Account, &a.OwnerAccount, &a.Status, &a.StatusMessage,
			&a.External, &a.Invite, &due, &created, &updated, &name); err != nil {
			return nil, err
		}
		a.DueAt, a.CreatedAt, a.UpdatedAt = fromUnix(due), fromUnix(created), fromUnix(updated)
		out = append(out, store.RAMNamedAssociation{RAMAssociation: &a, ShareName: name})
	}
	return out, rows.Err()
}
