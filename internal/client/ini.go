package client

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
)

// sections are the sections of an AWS shared config or credentials file: section name →
// key → value. Keys are lowercased, as the AWS clients read them.
type sections map[string]map[string]string

// readINI reads an AWS shared file. A missing file reads as empty. Indented lines under a
// key with no value (a nested block such as "s3 =") are skipped, and so are comments.
func readINI(path string) (sections, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return sections{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	out := sections{}
	var current map[string]string
	nested := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if nested && (raw[0] == ' ' || raw[0] == '\t') {
			continue
		}
		nested = false
		if line[0] == '[' {
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("%s:%d: malformed section header %q", path, n, line)
			}
			name := strings.Join(strings.Fields(line[1:len(line)-1]), " ")
			if out[name] == nil {
				out[name] = map[string]string{}
			}
			current = out[name]
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || current == nil {
			return nil, fmt.Errorf("%s:%d: expected key = value in a section, got %q", path, n, line)
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		if value == "" {
			nested = true
			continue
		}
		current[key] = value
	}
	return out, sc.Err()
}
