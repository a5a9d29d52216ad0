package server

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/cairnhq/cairn/internal/jobs"
	"gopkg.in/yaml.v3"
)

// FileConfig is the optional bootstrap file given with --config.
type FileConfig struct {
	Accounts []AccountConfig `yaml:"accounts"`
	Limits   LimitsConfig    `yaml:"limits"`
	// Images maps image URIs to the local commands that stand in for them.
	Images   []ImageConfig  `yaml:"images"`
	Training TrainingConfig `yaml:"training"`
	RAM      RAMConfig      `yaml:"ram"`
}

// RAMConfig configures AWS RAM.
type RAMConfig struct {
	// AssociationDelay is how long an association stays ASSOCIATING (or DISASSOCIATING)
	// before it completes: 2s when unset, 0s to complete associations at once.
	AssociationDelay *time.Duration `yaml:"association_delay"`
}

// ImageConfig is one entry of the image map: the images it matches (a glob or an RE2
// regular expression on the whole URI) and the command that runs in their place.
type ImageConfig struct {
	Pattern string  `yaml:"pattern"`
	Regexp  string  `yaml:"regexp"`
	Command Command `yaml:"command"`
	// ModeArgument, true unless set false, appends SageMaker's argument ("train",
	// "serve") to the command.
	ModeArgument *bool `yaml:"modeArgument"`
}

// TrainingConfig configures training jobs.
type TrainingConfig struct {
	// Interpreter runs script-mode programs (.py); python3 when unset.
	Interpreter Command `yaml:"interpreter"`
}

// Command is an argv, written as a YAML list or, for a single word, a plain string.
type Command []string

// UnmarshalYAML accepts a list of strings or one string.
func (c *Command) UnmarshalYAML(node *yaml.Node) error {
	if node.Kind == yaml.ScalarNode {
		*c = Command{node.Value}
		return nil
	}
	var list []string
	if err := node.Decode(&list); err != nil {
		return err
	}
	*c = list
	return nil
}

// JobImages is the image map of the configuration, in the form the job manager takes.
func (c *FileConfig) JobImages() []jobs.Image {
	out := make([]jobs.Image, len(c.Images))
	for i, img := range c.Images {
		out[i] = jobs.Image{Pattern: img.Pattern, Regexp: img.Regexp, Command: img.Command,
			NoModeArgument: img.ModeArgument != nil && !*img.ModeArgument}
	}
	return out
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
	if _, err := jobs.NewImageMap(c.JobImages()); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if d := c.RAM.AssociationDelay; d != nil && *d < 0 {
		return nil, fmt.Errorf("config %s: ram.association_delay must not be negative", path)
	}
	if len(c.Training.Interpreter) > 0 && c.Training.Interpreter[0] == "" {
		return nil, fmt.Errorf("config %s: training.interpreter must name a program", path)
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
