package server

import (
	"bytes"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

// FileConfig is the optional bootstrap file given with --config.
type FileConfig struct {
	Accounts []AccountConfig `yaml:"accounts"`
	Limits   LimitsConfig    `yaml:"limits"`
}

// LimitsConfig bounds concurrent work per account; zero means unlimited.
type LimitsConfig struct {
	ConcurrentPipelineExecutions int `yaml:"concurrentPipelineExecutions"`
	ConcurrentJobs               int `yaml:"concurrentJobs"`
}

// AccountConfig declares one account to create at start.
type AccountConfig struct {
	Name  string `yaml:"name"`
	ID    string `yaml:"id"`
	Email string `yaml:"email"`
}

// LoadConfigFile reads and checks a bootstrap file. Unknown fields are errors, so a typo
// never silently does nothing.
func LoadConfigFile(path string) (*FileConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c FileConfig
	if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if c.Limits.ConcurrentPipelineExecutions < 0 || c.Limits.ConcurrentJobs < 0 {
		return nil, fmt.Errorf("config %s: limits must not be negative", path)
	}
	ids := map[string]string{}
	names := map[string]string{}
	for i, a := range c.Accounts {
		if a.Name == "" || a.ID == "" {
			return nil, fmt.Errorf("config %s: accounts[%d] needs both name and id", path, i)
		}
		if other, ok := ids[a.ID]; ok {
			return nil, fmt.Errorf("config %s: accounts %q and %q have the same id %s", path, other, a.Name, a.ID)
		}
		if other, ok := names[a.Name]; ok {
			return nil, fmt.Errorf("config %s: accounts %s and %s have the same name %q", path, other, a.ID, a.Name)
		}
		ids[a.ID], names[a.Name] = a.Name, a.ID
	}
	return &c, nil
}
