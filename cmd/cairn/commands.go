package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one of cairn's commands: what --help says of it, and what it does.
type command struct {
	name    string // as typed after "cairn": "serve", "iam simulate"
	summary string // one line: what it is for
	usage   string // the synopsis, after "cairn "
	details string // paragraphs after the synopsis, or ""
	example string // example command lines
	run     func(ctx context.Context, c *command, args []string, s streams) int
}

// commands lists cairn's commands in the order help lists them.
func commands() []*command {
	return []*command{serveCommand(), watchCommand(), logsCommand(), consoleCommand(), iamSimulateCommand(), versionCommand(), helpCommand()}
}

// find returns the command args name, and how many arguments its name took.
func find(args []string) (*command, int) {
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, len(words)
		}
	}
	return nil, 0
}

func run(ctx context.Context, args []string, s streams) int {
	if len(args) == 0 {
		writeOverview(s.err)
		return 2
	}
	switch args[0] {
	case "-h", "--help", "-help":
		writeOverview(s.out)
		return 0
	case "--version", "-v":
		args = []string{"version"}
	}
	c, n := find(args)
	if c == nil {
		if args[0] == "iam" {
			fmt.Fprintf(s.err, "cairn iam: the one iam command is \"cairn iam simulate\"\n\n")
		} else {
			fmt.Fprintf(s.err, "cairn: unknown command %q\n\n", args[0])
		}
		writeOverview(s.err)
		return 2
	}
	return c.run(ctx, c, args[n:], s)
}

// writeOverview lists the commands.
func writeOverview(w io.Writer) {
	fmt.Fprint(w, "Cairn runs SageMaker pipelines across AWS-style accounts, serving the AWS APIs on one endpoint.\n\nUsage:\n  cairn <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"cairn <command> --help\" for a command's flags and an example.\n")
}

// flags returns the flag set of the command; parse reads it.
func (c *command) flags() *flag.FlagSet {
	fs := flag.NewFlagSet("cairn "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors, and help goes to stdout
	return fs
}

// parse parses args, flags anywhere among them. done is true when the command should end
// with code: --help was asked for (0, help written to stdout) or the flags are wrong (2).
func (c *command) parse(fs *flag.FlagSet, args []string, s streams) (positional []string, code int, done bool) {
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.writeHelp(fs, s.out)
			return nil, 0, true
		}
		if err != nil {
			fmt.Fprintf(s.err, "cairn %s: %v\nusage: cairn %s\nRun \"cairn %s --help\" for more.\n", c.name, err, c.usage, c.name)
			return nil, 2, true
		}
		if fs.NArg() == 0 {
			return positional, 0, false
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// usageError reports wrong arguments and returns the exit code 2.
func (c *command) usageError(s streams, format string, args ...any) int {
	fmt.Fprintf(s.err, "cairn %s: %s\nusage: cairn %s\nRun \"cairn %s --help\" for more.\n", c.name, fmt.Sprintf(format, args...), c.usage, c.name)
	return 2
}

// writeHelp writes the command's purpose, synopsis, flags and example.
func (c *command) writeHelp(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "cairn %s: %s\n\nUsage:\n  cairn %s\n", c.name, c.summary, c.usage)
	if c.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(c.details, "\n"))
	}
	if fs != nil {
		var b strings.Builder
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			dashes := "--"
			if len(f.Name) == 1 {
				dashes = "-"
			}
			fmt.Fprintf(&b, "  %s%s", dashes, f.Name)
			if name != "" {
				fmt.Fprintf(&b, " %s", strings.ToUpper(name))
			}
			fmt.Fprintf(&b, "\n      %s", usage)
			if f.DefValue != "" && f.DefValue != "false" {
				fmt.Fprintf(&b, " (default %s)", f.DefValue)
			}
			b.WriteString("\n")
		})
		if b.Len() > 0 {
			fmt.Fprintf(w, "\nFlags:\n%s", b.String())
		}
	}
	fmt.Fprintf(w, "\nExample:\n")
	for _, line := range strings.Split(strings.TrimRight(c.example, "\n"), "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
}

func helpCommand() *command {
	return &command{
		name: "help", summary: "describe cairn's commands, or one of them",
		usage:   "help [COMMAND]",
		example: "cairn help watch",
		run: func(_ context.Context, c *command, args []string, s streams) int {
			fs := c.flags()
			pos, code, done := c.parse(fs, args, s)
			if done {
				return code
			}
			if len(pos) == 0 {
				writeOverview(s.out)
				return 0
			}
			target, n := find(pos)
			if target == nil || n != len(pos) {
				return c.usageError(s, "no command %q", strings.Join(pos, " "))
			}
			return target.run(context.Background(), target, []string{"--help"}, s)
		},
	}
}
