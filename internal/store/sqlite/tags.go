package sqlite

import (
	"fmt"

	"github.com/cairnhq/cairn/internal/store"
)

// Every service's tags live in the table tags(resource, position, key, value); see
// store.TagTx for how each service names its resources.

func (t *tx) Tags(resource string) ([]store.Tag, error) {
	tags, err := t.tags(resource)
	if tags == nil && err == nil {
		tags = []store.Tag{}
	}
	return tags, err
}

func (t *tx) SetTags(resource string, tags []store.Tag) error {
	t.changed(store.ChangeTags, resource)
	return t.setTags(resource, tags)
}

func (t *tx) TagsOf(resources []string) (map[string][]store.Tag, error) {
	out := map[string][]store.Tag{}
	err := inBatches(resources, func(batch []string) error {
		rows, err := t.query(`SELECT resource, key, value FROM tags WHERE resource IN (`+
			placeholders(len(batch))+`) ORDER BY resource, position`, stringArgs(batch)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var resource string
			var tag store.Tag
			if err := rows.Scan(&resource, &tag.Key, &tag.Value); err != nil {
				return err
			}
			out[resource] = append(out[resource], tag)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("tags of %d resources: %w", len(resources), err)
	}
	return out, nil
}

// tags returns the resource's tags in their order; nil when it has none.
func (t *tx) tags(resource string) ([]store.Tag, error) {
	rows, err := t.query(`SELECT key, value FROM tags WHERE resource = ? ORDER BY position`, resource)
	if err != nil {
		return nil, fmt.Errorf("tags of %s: %w", resource, err)
	}
	defer rows.Close()
	var out []store.Tag
	for rows.Next() {
		var tag store.Tag
		if err := rows.Scan(&tag.Key, &tag.Value); err != nil {
			return nil, fmt.Errorf("tags of %s: %w", resource, err)
		}
		out = append(out, tag)
	}
	return out, rows.Err()
}

// setTags replaces the resource's tags, without recording a change: the methods of the
// records that carry tags record their own.
func (t *tx) setTags(resource string, tags []store.Tag) error {
	if err := t.deleteTags(resource); err != nil {
		return err
	}
	return t.insertTags(resource, tags)
}

// insertTags adds tags to a resource that has none.
func (t *tx) insertTags(resource string, tags []store.Tag) error {
	for i, tag := range tags {
		if err := t.exec(`INSERT INTO tags (resource, position, key, value) VALUES (?, ?, ?, ?)`,
			resource, i, tag.Key, tag.Value); err != nil {
			return fmt.Errorf("tag %s of %s: %w", tag.Key, resource, err)
		}
	}
	return nil
}

// deleteTags removes every tag of the resource.
func (t *tx) deleteTags(resource string) error {
	if err := t.exec(`DELETE FROM tags WHERE resource = ?`, resource); err != nil {
		return fmt.Errorf("delete tags of %s: %w", resource, err)
	}
	return nil
}
