package jobs

import (
	"fmt"
	"regexp"
	"strings"
)

// Image maps the images that match a pattern to the local command that stands in for
// them: Cairn does not pull or run images, so a job whose image has no mapping cannot run
// (script-mode training, and jobs with a ContainerEntrypoint, need none).
type Image struct {
	// Pattern is a glob matched against the whole image URI: '*' matches any run of
	// characters (slashes and colons included), '?' any one character; every other
	// character matches itself.
	Pattern string
	// Regexp is an RE2 regular expression that must match the whole image URI; an entry
	// has either Pattern or Regexp.
	Regexp string
	// Command is the argv that stands in for the image's entry point. SageMaker runs the
	// image with one argument saying what to do ("train", or "serve" for a model's
	// container); Cairn appends it to Command, as a container runtime appends the
	// container's arguments to its entry point, unless NoModeArgument is set.
	Command []string
	// NoModeArgument leaves "train"/"serve" off the command line.
	NoModeArgument bool
}

// ImageMap finds the command of an image: the first entry that matches wins.
type ImageMap struct {
	entries []imageEntry
}

type imageEntry struct {
	re    *regexp.Regexp
	image Image
}

// NewImageMap checks and compiles the entries, in order.
func NewImageMap(images []Image) (*ImageMap, error) {
	m := &ImageMap{}
	for i, img := range images {
		var expr string
		switch {
		case img.Pattern != "" && img.Regexp != "":
			return nil, fmt.Errorf("images[%d]: give pattern or regexp, not both", i)
		case img.Pattern != "":
			expr = globRegexp(img.Pattern)
		case img.Regexp != "":
			expr = "^(?:" + img.Regexp + ")$"
		default:
			return nil, fmt.Errorf("images[%d]: needs a pattern (a glob) or a regexp", i)
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("images[%d]: regexp %q: %w", i, img.Regexp, err)
		}
		if len(img.Command) == 0 || img.Command[0] == "" {
			return nil, fmt.Errorf("images[%d] (%s%s): needs a command, e.g. [\"python3\", \"/opt/ml/code/train.py\"]", i, img.Pattern, img.Regexp)
		}
		for _, arg := range img.Command {
			if strings.IndexByte(arg, 0) >= 0 {
				return nil, fmt.Errorf("images[%d]: the command holds a NUL byte", i)
			}
		}
		img.Command = append([]string(nil), img.Command...)
		m.entries = append(m.entries, imageEntry{re: re, image: img})
	}
	return m, nil
}

// globRegexp turns a glob into an anchored regular expression.
func globRegexp(glob string) string {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return b.String()
}

// Command returns the argv that runs image in mode ("train" or "serve"), and whether an
// entry matched. A nil map matches nothing.
func (m *ImageMap) Command(image, mode string) ([]string, bool) {
	if m == nil {
		return nil, false
	}
	for _, e := range m.entries {
		if e.re.MatchString(image) {
			argv := append([]string(nil), e.image.Command...)
			if !e.image.NoModeArgument && mode != "" {
				argv = append(argv, mode)
			}
			return argv, true
		}
	}
	return nil, false
}

// unmappedImage explains a job whose image (what: "training image", "model image"…) has
// no command, showing the configuration entry that would give it one; example is the
// entry's command as YAML, e.g. `["python3", "/opt/ml/code/train.py"]`.
func unmappedImage(what, image, mode, example string) error {
	return fmt.Errorf("ClientError: the %s %s is not mapped to a command. Cairn runs jobs on this host without containers, so each image needs a local command that stands in for it (Cairn appends the argument %q, as SageMaker runs the image with it). Add an entry to the images: section of the file given to cairn serve --config, then restart cairn serve:\n\nimages:\n  - pattern: %q\n    command: %s\n\n(pattern is a glob on the whole URI; see docs/runner.md)", what, image, mode, image, example)
}
