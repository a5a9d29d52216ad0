// Package profiles writes the AWS shared credentials and config files that point every AWS
// client at Cairn: one profile per account, named after it, plus default.
package profiles

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// Profile is one account's entry.
type Profile struct {
	Name            string
	AccessKeyID     string
	SecretAccessKey string
	// RoleARN and SourceProfile make a profile that assumes a role instead of holding keys.
	RoleARN       string
	SourceProfile string
}

// Files says where and what to write.
type Files struct {
	Dir      string // <data-dir>
	Endpoint string // http://127.0.0.1:7766
	Region   string
	// Default names the profile copied as [default].
	Default string
}

// Write (re)writes <Dir>/credentials (mode 0600) and <Dir>/config atomically.
func (f Files) Write(profiles []Profile) error {
	var creds, config bytes.Buffer
	write := func(name string, p Profile) {
		header := "profile " + name
		if name == "default" {
			header = "default"
		}
		fmt.Fprintf(&config, "[%s]\nregion = %s\nendpoint_url = %s\n", header, f.Region, f.Endpoint)
		if p.RoleARN != "" {
			fmt.Fprintf(&config, "role_arn = %s\nsource_profile = %s\n", p.RoleARN, p.SourceProfile)
		} else {
			fmt.Fprintf(&creds, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", name, p.AccessKeyID, p.SecretAccessKey)
		}
		config.WriteString("\n")
	}
	for _, p := range profiles {
		if p.Name == f.Default {
			write("default", p)
		}
	}
	for _, p := range profiles {
		write(p.Name, p)
	}
	if err := writeAtomic(filepath.Join(f.Dir, "credentials"), creds.Bytes(), 0o600); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(f.Dir, "config"), config.Bytes(), 0o600)
}

// writeAtomic writes data to a temporary file beside path, syncs it and renames it over
// path, so readers never see a torn file.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
