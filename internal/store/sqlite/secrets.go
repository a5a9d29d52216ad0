package sqlite

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/store"
)

// Sealer encrypts what the store keeps secret at rest — secret access keys and session
// secrets — bound to a purpose (the data dir's master key, internal/masterkey).
type Sealer interface {
	Seal(purpose string, plaintext []byte) []byte
	Open(purpose string, sealed []byte) ([]byte, error)
}

// sealedPrefix marks a sealed secret in its column: sealedPrefix + base64(sealed).
const sealedPrefix = "sealed:"

// Purposes bind a sealed secret to its row: a value copied to another row does not open.
func accessKeyPurpose(id string) string { return "cairn/access-key-secret/" + id }
func sessionPurpose(id string) string   { return "cairn/session-secret/" + id }

// SealSecrets makes the store seal every secret it writes with s, and seals, in one
// transaction, the secrets written in clear before (a database from before sealing, or
// written without a Sealer). Call it once, after Open and before the store is used. When
// it sealed anything, the database is rebuilt and its WAL emptied, so that no page keeps
// the secrets in clear.
func (db *DB) SealSecrets(ctx context.Context, s Sealer) error {
	db.sealer = s
	sealed := 0
	err := db.Update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		for _, table := range []struct {
			name, key string
			purpose   func(string) string
		}{{"access_keys", "id", accessKeyPurpose}, {"sessions", "access_key_id", sessionPurpose}} {
			rows, err := t.tx.QueryContext(t.ctx, `SELECT `+table.key+`, secret FROM `+table.name+` WHERE secret NOT LIKE 'sealed:%'`)
			if err != nil {
				return fmt.Errorf("seal %s: %w", table.name, err)
			}
			var ids, secrets []string
			for rows.Next() {
				var id, secret string
				if err := rows.Scan(&id, &secret); err != nil {
					rows.Close()
					return fmt.Errorf("seal %s: %w", table.name, err)
				}
				ids, secrets = append(ids, id), append(secrets, secret)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("seal %s: %w", table.name, err)
			}
			for i, id := range ids {
				if _, err := t.tx.ExecContext(t.ctx, `UPDATE `+table.name+` SET secret = ? WHERE `+table.key+` = ?`,
					t.seal(table.purpose(id), secrets[i]), id); err != nil {
					return fmt.Errorf("seal %s: %w", table.name, err)
				}
				sealed++
			}
		}
		return nil
	})
	if err != nil || sealed == 0 {
		return err
	}
	for _, q := range []string{`VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("seal secrets: %s: %w", q, err)
		}
	}
	return nil
}

// seal returns the column value of a secret: sealed when the store has a Sealer.
func (t *tx) seal(purpose, secret string) string {
	if t.sealer == nil {
		return secret
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(t.sealer.Seal(purpose, []byte(secret)))
}

// errNoSealer: a sealed secret read by a store that was given no Sealer.
var errNoSealer = errors.New("the secret is sealed and the store has no master key")

// open returns the secret a column value holds.
func (t *tx) open(purpose, stored string) (string, error) {
	b64, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return stored, nil
	}
	if t.sealer == nil {
		return "", errNoSealer
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("sealed secret: %w", err)
	}
	plain, err := t.sealer.Open(purpose, raw)
	if err != nil {
		return "", fmt.Errorf("sealed secret: %w", err)
	}
	return string(plain), nil
}
