package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// ConfigFile is the name of the configuration file `check` looks for in the
// working directory and its parents.
const ConfigFile = ".budgetcheck.yaml"

// configPathKeys are the options whose values are paths: relative paths in
// the configuration file are relative to the file's directory.
var configPathKeys = []string{"output", "waivers", "baseline", "policy", "data"}

// configKeys are the flags the configuration file may set, plus files.
var configKeys = []string{"files", "format", "output", "fail-on", "min-score", "fail-on-conclusion",
	"waivers", "baseline", "date", "policy", "data", "lang", "timeout", "max-bytes", "fiscal-year"}

// findConfig returns the configuration file named by --config, or the first
// .budgetcheck.yaml from the working directory upward, or "".
func findConfig(explicit string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", fmt.Errorf("--config: %w", err)
		}
		return explicit, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", nil
	}
	for {
		p := filepath.Join(dir, ConfigFile)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// applyConfig sets the options of cmd that the command line left unset from
// the configuration file, and returns the files to check: the arguments, or
// else the files the configuration lists.
func applyConfig(cmd *cobra.Command, o *checkOptions, args []string) ([]string, error) {
	path, err := findConfig(o.Config)
	if err != nil || path == "" {
		return args, err
	}
	values, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	var files []string
	for _, kv := range values {
		if kv.key == "files" {
			for _, pattern := range kv.values {
				matches, err := filepath.Glob(resolve(dir, pattern))
				if err != nil || len(matches) == 0 {
					return nil, fmt.Errorf("%s:%d: files: %q matches no file", path, kv.line, pattern)
				}
				for _, m := range matches {
					files = append(files, relative(m))
				}
			}
			continue
		}
		flag := cmd.Flags().Lookup(kv.key)
		if flag == nil || flag.Changed {
			continue // flags win
		}
		if (kv.key == "format" || kv.key == "output") && (cmd.Flags().Changed("format") || cmd.Flags().Changed("output")) {
			continue // formats and outputs pair up: the command line's replace the configuration's
		}
		for _, v := range kv.values {
			if slices.Contains(configPathKeys, kv.key) && v != "-" {
				v = resolve(dir, v)
			}
			if err := flag.Value.Set(v); err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %w", path, kv.line, kv.key, err)
			}
		}
	}
	if len(args) > 0 {
		return args, nil
	}
	return files, nil
}

// relative writes p relative to the working directory when it can: SARIF
// and GitHub annotations locate files relative to the repository.
func relative(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil {
			return rel
		}
	}
	return p
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

type configValue struct {
	key    string
	line   int
	values []string
}

// readConfig reads the configuration file: a mapping of option names (the
// flags' names; fail_on is read as fail-on) to a value or a list of values.
func readConfig(path string) ([]configValue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the configuration is a mapping of option names to values", path, m.Line)
	}
	var out []configValue
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := strings.ReplaceAll(k.Value, "_", "-")
		if !slices.Contains(configKeys, key) {
			return nil, fmt.Errorf("%s:%d: unknown option %q; use one of %s", path, k.Line, k.Value, strings.Join(configKeys, ", "))
		}
		cv := configValue{key: key, line: k.Line}
		switch v.Kind {
		case yaml.ScalarNode:
			cv.values = []string{v.Value}
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("%s:%d: %s: give a value or a list of values", path, item.Line, k.Value)
				}
				cv.values = append(cv.values, item.Value)
			}
		default:
			return nil, fmt.Errorf("%s:%d: %s: give a value or a list of values", path, v.Line, k.Value)
		}
		out = append(out, cv)
	}
	return out, nil
}

// applyConfigFlags sets the named flags of a command other than check
// (batch, inspect, import xlsx) from .budgetcheck.yaml when the command
// line left them unset; the file's other options are check's.
func applyConfigFlags(cmd *cobra.Command, keys ...string) error {
	path, err := findConfig("")
	if err != nil || path == "" {
		return err
	}
	values, err := readConfig(path)
	if err != nil {
		return err
	}
	for _, kv := range values {
		flag := cmd.Flags().Lookup(kv.key)
		if !slices.Contains(keys, kv.key) || flag == nil || flag.Changed {
			continue
		}
		for _, v := range kv.values {
			if err := flag.Value.Set(v); err != nil {
				return fmt.Errorf("%s:%d: %s: %w", path, kv.line, kv.key, err)
			}
		}
	}
	return nil
}

// addFiscalYearFlag adds --fiscal-year to a command that reads workbooks.
func addFiscalYearFlag(cmd *cobra.Command, year *int) {
	cmd.Flags().IntVar(year, "fiscal-year", 0, "the year the budget is for, for workbooks that do not say it (default: from the title, 实施期限, file or sheet name; fiscal-year: in .budgetcheck.yaml)")
}
